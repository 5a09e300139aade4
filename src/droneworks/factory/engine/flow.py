# ruff: noqa: E741  (I and F are the kernel's flat int and float memory)
# numba kernel code: untyped by nature, checked by its tests
# mypy: ignore-errors
"""Event handlers of the flow of work: the end of an operation, and the cascade of
to-do actions (pull, freed slot, release, material arrived, worker freed) that follows any
event at the same instant."""

from __future__ import annotations

import numba as nb

from droneworks.factory.engine import tables
from droneworks.factory.engine.core import (
    JIT,
    log_row,
    material_touch,
    pool_touch,
    todo_pop,
    todo_push,
)  # fmt: skip
from droneworks.factory.engine.loading import end_wait
from droneworks.factory.engine.moves import (
    arrive,
    pull,
    release_at,
    slot_freed,
    unload,
)  # fmt: skip
from droneworks.factory.engine.repairs import (
    crew_freed,
)  # fmt: skip
from droneworks.factory.engine.routing import (
    advance,
    job_op,
)  # fmt: skip
from droneworks.factory.engine.spec import (
    A_MATERIAL,
    A_PULL,
    A_RELEASE,
    A_SLOT,
    A_WORKER,
    G_TODO_N,
    L_END,
    OU_COUNTING,
    OU_PENDING,
    PH_BLOCKED,
    PH_IDLE,
    PH_SETUP,
    PH_WAIT_BATCH,
)  # fmt: skip
from droneworks.factory.engine.stations import (
    after_material,
    after_worker,
    start_down,
    start_processing,
    stop_running,
    try_consume,
    wait_material,
)  # fmt: skip
from droneworks.factory.engine.transport import trip_done


# ---- end of an operation -----------------------------------------------------------------------
@nb.njit(**JIT)
def _count_operation(I, F, s, now):
    """Outage sources counted in operations, and failures that waited for the end."""
    centres = tables.centres(I, F)
    outages = tables.outages(I, F)
    params = tables.params(I, F)
    stations = tables.stations(I, F)
    w = stations.wc[s]
    ts = int(params.timers_per_station)
    for k in range(centres.source_len[w]):
        row = s * (ts - 1) + k
        if outages.phase[row] == OU_PENDING:
            start_down(I, F, s, k, now)
        elif outages.phase[row] == OU_COUNTING:
            outages.ops_left[row] -= 1
            if outages.ops_left[row] <= 0:
                start_down(I, F, s, k, now)


@nb.njit(**JIT)
def operation_end(I, F, s, now):
    """The setup or processing of station ``s`` is complete."""
    centres = tables.centres(I, F)
    jobs = tables.jobs(I, F)
    ops = tables.ops(I, F)
    pools = tables.pools(I, F)
    stations = tables.stations(I, F)
    if stations.phase[s] == PH_WAIT_BATCH:  # the wait for a full batch is over
        end_wait(I, F, s, now)
        return
    j = stations.job[s]
    o = stations.op[s]
    stop_running(I, F, s, now)
    if stations.phase[s] == PH_SETUP:
        stations.last_type[s] = jobs.type[j]
        start_processing(I, F, s, now)
        return
    ops.done[o] += stations.n_jobs[s]
    log_row(I, F, now, L_END, jobs.type[j], j, stations.wc[s], s)
    q = stations.pool[s]
    if q >= 0:
        pool_touch(I, F, q, now)
        pools.busy[q] -= ops.workers[o]
        stations.pool[s] = -1
        todo_push(I, F, A_WORKER, q)
    stations.phase[s] = PH_BLOCKED
    while j >= 0:
        advance(I, F, j, o, now)
        j = jobs.next[j]
    if centres.end_sources[stations.wc[s]] > 0:
        _count_operation(I, F, s, now)
    unload(I, F, s, now)


@nb.njit(**JIT)
def move_end(I, F, j, q, now):
    """A move ends (a trip of transporter pool ``q``, −1: none): its jobs, linked from
    ``j``, enter their work centres; the vehicle takes the next waiting jobs."""
    jobs = tables.jobs(I, F)
    ops = tables.ops(I, F)
    while j >= 0:
        following = jobs.next[j]
        arrive(I, F, j, ops.wc[job_op(I, F, j)], now)
        j = following
    if q >= 0:
        trip_done(I, F, q, now)


# ---- waking waiting stations -----------------------------------------------------------------
@nb.njit(**JIT)
def material_arrived(I, F, m, now):
    """Stock of ``m`` rose: stations waiting for it retry in FIFO order."""
    materials = tables.materials(I, F)
    stations = tables.stations(I, F)
    for _ in range(materials.n_wait[m]):
        s = materials.wait_head[m]
        if s < 0:
            break
        material_touch(I, F, m, now)
        materials.wait_head[m] = stations.next[s]
        if materials.wait_head[m] < 0:
            materials.wait_tail[m] = -1
        materials.n_wait[m] -= 1
        missing = try_consume(I, F, s, now)
        if missing >= 0:
            wait_material(I, F, s, missing, now)
        else:
            after_material(I, F, s, now)


@nb.njit(**JIT)
def kit_wake(I, F):
    """Stock rose: idle stations of kitting centres with queued jobs look again (A_PULL)."""
    centres = tables.centres(I, F)
    stations = tables.stations(I, F)
    for w in range(centres.n):
        if centres.kitting[w] == 0 or centres.idle[w] == 0 or centres.queue_len[w] == 0:
            continue
        first = centres.station_start[w]
        for s in range(first, first + centres.max_stations[w]):
            idle = stations.job[s] < 0 and stations.phase[s] == PH_IDLE
            if idle and stations.present[s] == 1 and stations.retire[s] == 0:
                stations.phase[s] = PH_BLOCKED  # a fresh station, as pull expects
                centres.idle[w] -= 1
                todo_push(I, F, A_PULL, s)


@nb.njit(**JIT)
def worker_freed(I, F, q, now):
    """Workers of pool ``q`` became free: waiting stations take them in FIFO order."""
    ops = tables.ops(I, F)
    pools = tables.pools(I, F)
    stations = tables.stations(I, F)
    while pools.wait_head[q] >= 0:
        s = pools.wait_head[q]
        need = ops.workers[stations.op[s]]
        if pools.busy[q] + need > pools.cap[q]:
            break
        pools.wait_head[q] = stations.next[s]
        if pools.wait_head[q] < 0:
            pools.wait_tail[q] = -1
        pool_touch(I, F, q, now)
        pools.busy[q] += need
        stations.pool[s] = q
        after_worker(I, F, s, now)


@nb.njit(**JIT)
def drain(I, F, now):
    """Run every to-do action queued at this instant."""
    centres = tables.centres(I, F)
    stations = tables.stations(I, F)
    while I[G_TODO_N] > 0:
        action, arg = todo_pop(I, F)
        if action == A_PULL:
            # only fresh stations (empty, marked blocked) are pulled here
            if stations.job[arg] < 0 and stations.phase[arg] == PH_BLOCKED:
                pull(I, F, arg, now)
        elif action == A_SLOT:
            slot_freed(I, F, arg, now)
        elif action == A_RELEASE:
            if centres.blocked_head[arg] < 0:
                release_at(I, F, arg, now)
        elif action == A_MATERIAL:
            material_arrived(I, F, arg, now)
            if tables.params(I, F).kitting > 0:
                kit_wake(I, F)
        elif action == A_WORKER:
            worker_freed(I, F, arg, now)
        else:
            crew_freed(I, F, arg, now)
