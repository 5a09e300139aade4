# ruff: noqa: E741  (I and F are the kernel's flat int and float memory)
# numba kernel code: untyped by nature, checked by its tests
# mypy: ignore-errors
"""Station handlers: running/paused bookkeeping, outages, and the start of an operation
(materials → worker → setup → processing).

A station *runs* while it is in setup or processing, up, on shift and present. Whenever
that changes the remaining work is updated exactly like a SimPy process interrupted and
resumed: ``remaining -= now - start`` on a pause, ``finish = now + remaining`` on resume.
"""

from __future__ import annotations

import numba as nb

from droneworks.factory.engine import tables
from droneworks.factory.engine.core import (
    JIT,
    derive_state,
    draw,
    heap_push,
    log_row,
    material_touch,
    pool_touch,
    set_timer,
    station_state_change,
    todo_push,
)  # fmt: skip
from droneworks.factory.engine.fifo import fifo_append
from droneworks.factory.engine.repairs import request_repair
from droneworks.factory.engine.spec import (
    A_RELEASE,
    BASIS_BUSY,
    BASIS_CALENDAR,
    BASIS_OPERATIONS,
    EV_DELIVERY,
    INF,
    L_DOWN,
    L_START,
    OU_COUNTING,
    OU_DOWN,
    OU_UP,
    PH_BLOCKED,
    PH_IDLE,
    PH_PROC,
    PH_SETUP,
    PH_WAIT_BATCH,
    PH_WAIT_MAT,
    PH_WAIT_WORKER,
    ST_BLOCKED,
    ST_SETUP,
    ST_STARVED,
    ST_STARVED_MAT,
    ST_STARVED_WORKER,
    ST_WORKING,
)  # fmt: skip
from droneworks.factory.engine.supply import shipped_at


@nb.njit(inline="always", **JIT)
def phase_state(phase):
    """The KPI state a phase implies when the station is present, up and on shift."""
    if phase in (PH_IDLE, PH_WAIT_BATCH):
        return ST_STARVED
    if phase == PH_BLOCKED:
        return ST_BLOCKED
    if phase == PH_WAIT_MAT:
        return ST_STARVED_MAT
    if phase == PH_WAIT_WORKER:
        return ST_STARVED_WORKER
    return ST_SETUP if phase == PH_SETUP else ST_WORKING


# ---- running / paused ------------------------------------------------------------------------
@nb.njit(inline="always", **JIT)
def _busy_sources(I, F, s, now, resume):
    """Pause or resume the outage clocks of ``s`` that count processing time only."""
    centres = tables.centres(I, F)
    outages = tables.outages(I, F)
    params = tables.params(I, F)
    sources = tables.sources(I, F)
    stations = tables.stations(I, F)
    w = stations.wc[s]
    if centres.busy_sources[w] == 0:
        return
    ts = int(params.timers_per_station)
    start = centres.source_start[w]
    for k in range(centres.source_len[w]):
        if sources.basis[start + k] != BASIS_BUSY:
            continue
        row = s * (ts - 1) + k
        if outages.phase[row] != OU_UP:
            continue
        if resume:
            outages.segment_start[row] = now
            set_timer(I, F, s * ts + 1 + k, now + outages.remain[row])
        else:
            outages.remain[row] -= now - outages.segment_start[row]
            set_timer(I, F, s * ts + 1 + k, INF)


@nb.njit(**JIT)
def refresh(I, F, s, now):
    """Bring timers and the KPI state of station ``s`` in line with its situation."""
    params = tables.params(I, F)
    stations = tables.stations(I, F)
    phase = stations.phase[s]
    running = 0
    working = phase in (PH_SETUP, PH_PROC)
    up = stations.down[s] == 0 and stations.present[s] == 1
    if working and up and tables.centres(I, F).on_shift[stations.wc[s]] == 1:
        running = 1 if phase == PH_SETUP else 2
    was = stations.run[s]
    if running != was:
        ts = int(params.timers_per_station)
        if was == 0:
            stations.segment_start[s] = now
            set_timer(I, F, s * ts, now + stations.remain[s])
        elif running == 0:
            stations.remain[s] -= now - stations.segment_start[s]
            set_timer(I, F, s * ts, INF)
        if was == 2:
            _busy_sources(I, F, s, now, False)
        elif running == 2:
            _busy_sources(I, F, s, now, True)
        stations.run[s] = running
    state = derive_state(I, F, s, phase_state(phase))
    if state != stations.state[s]:
        station_state_change(I, F, s, state, now)


@nb.njit(inline="always", **JIT)
def stop_running(I, F, s, now):
    """The current setup or processing segment of ``s`` ended at ``now``. Its timer still
    reads ``now``: the next start at this instant sets it (one tree update instead of
    two), else the loop switches it off after the cascade (``kernel.run``)."""
    stations = tables.stations(I, F)
    if stations.run[s] == 2:
        _busy_sources(I, F, s, now, False)
    stations.run[s] = 0
    stations.remain[s] = 0.0


# ---- outages -----------------------------------------------------------------------------------
@nb.njit(**JIT)
def _source_value(I, F, s, k, column):
    """Next up (column 1) or down (column 2) time of source ``k`` of station ``s``."""
    centres = tables.centres(I, F)
    sources = tables.sources(I, F)
    stations = tables.stations(I, F)
    w = stations.wc[s]
    src = centres.source_start[w] + k
    stream = sources.stream[src]
    if stream < 0:
        return sources.up[src] if column == 1 else sources.down[src]
    return draw(I, F, stream + s - centres.station_start[w])


@nb.njit(**JIT)
def schedule_up(I, F, s, k, now, first):
    """Start the up period of outage source ``k`` of station ``s``."""
    centres = tables.centres(I, F)
    outages = tables.outages(I, F)
    params = tables.params(I, F)
    sources = tables.sources(I, F)
    stations = tables.stations(I, F)
    w = stations.wc[s]
    src = centres.source_start[w] + k
    ts = int(params.timers_per_station)
    row = s * (ts - 1) + k
    basis = sources.basis[src]
    if basis == BASIS_OPERATIONS:
        outages.phase[row] = OU_COUNTING
        outages.ops_left[row] = sources.ops_between[src]
        set_timer(I, F, s * ts + 1 + k, INF)
        return
    outages.phase[row] = OU_UP
    up = sources.first_up[src] if first and sources.stream[src] < 0 else 0.0
    if not (first and sources.stream[src] < 0):
        up = _source_value(I, F, s, k, 1)
    if basis == BASIS_CALENDAR:
        set_timer(I, F, s * ts + 1 + k, now + up)
    else:
        outages.remain[row] = up
        outages.segment_start[row] = now
        set_timer(I, F, s * ts + 1 + k, now + up if stations.run[s] == 2 else INF)


@nb.njit(**JIT)
def start_down(I, F, s, k, now):
    """Outage source ``k`` takes station ``s`` down now (failure or maintenance)."""
    centres = tables.centres(I, F)
    outages = tables.outages(I, F)
    params = tables.params(I, F)
    sources = tables.sources(I, F)
    stations = tables.stations(I, F)
    ts = int(params.timers_per_station)
    crew = sources.crew[centres.source_start[stations.wc[s]] + k]
    if crew < 0:
        outages.phase[s * (ts - 1) + k] = OU_DOWN
        set_timer(I, F, s * ts + 1 + k, now + _source_value(I, F, s, k, 2))
    else:
        request_repair(I, F, s * (ts - 1) + k, crew, _source_value(I, F, s, k, 2), now)
    stations.down[s] += 1
    log_row(I, F, now, L_DOWN, -1, -1, stations.wc[s], s)
    refresh(I, F, s, now)


# ---- materials ------------------------------------------------------------------------------
@nb.njit(**JIT)
def place_order(I, F, part, qty, now):
    """Order ``qty`` of purchased ``part`` from its supplier now."""
    materials = tables.materials(I, F)
    parts = tables.parts(I, F)
    stream = parts.stream[part]
    lead = draw(I, F, stream)
    late = draw(I, F, stream) < parts.late_prob[part]
    late_by = draw(I, F, stream)
    short = draw(I, F, stream) < parts.short_prob[part]
    delivered = qty
    if short:
        delivered = int(qty * (1.0 - parts.short_fraction[part]))
    materials.on_order[part] += qty
    arrival = shipped_at(I, F, part, qty, now) + lead + (late_by if late else 0.0)
    heap_push(I, F, arrival, EV_DELIVERY, part, qty, delivered)


@nb.njit(**JIT)
def check_reorder(I, F, part, now):
    """Reorder-point policy: order while stock + on order ≤ reorder point."""
    materials = tables.materials(I, F)
    parts = tables.parts(I, F)
    rop = parts.reorder_point[part]
    roq = parts.reorder_qty[part]
    if rop < 0 or roq <= 0:
        return
    while materials.stock[part] + materials.on_order[part] <= rop:
        place_order(I, F, part, roq, now)


@nb.njit(**JIT)
def try_consume(I, F, s, now):
    """Take the materials of the operation of ``s``; the first missing material or −1."""
    consumes = tables.consumes(I, F)
    materials = tables.materials(I, F)
    ops = tables.ops(I, F)
    params = tables.params(I, F)
    stations = tables.stations(I, F)
    o = stations.op[s]
    n = stations.n_jobs[s]
    start = ops.cons_start[o]
    length = ops.cons_len[o]
    for c in range(start, start + length):
        if materials.stock[consumes.material[c]] < consumes.qty[c] * n:
            return consumes.material[c]
    n_parts = int(params.n_parts)
    for c in range(start, start + length):
        m = consumes.material[c]
        material_touch(I, F, m, now)
        materials.stock[m] -= consumes.qty[c] * n
        if m < n_parts:
            check_reorder(I, F, m, now)
        else:
            replenish(I, F, m - n_parts + int(params.n_products), consumes.qty[c] * n)
    return -1


@nb.njit(**JIT)
def replenish(I, F, jt, quantity):
    """Base stock: an assembly taken from stock is made again (if it has a target)."""
    job_types = tables.job_types(I, F)
    if job_types.target[jt] >= 0:
        job_types.backlog[jt] += quantity
        todo_push(I, F, A_RELEASE, job_types.first_wc[jt])


@nb.njit(**JIT)
def wait_material(I, F, s, m, now):
    """Station ``s`` waits for material ``m`` (FIFO)."""
    materials = tables.materials(I, F)
    stations = tables.stations(I, F)
    material_touch(I, F, m, now)
    materials.n_wait[m] += 1
    fifo_append(materials.wait_head, materials.wait_tail, m, stations.next, s)
    stations.phase[s] = PH_WAIT_MAT
    refresh(I, F, s, now)


# ---- the start of an operation ---------------------------------------------------------------
@nb.njit(inline="always", **JIT)
def begin(I, F, s, now):
    """Station ``s`` holds its job(s): take materials, then a worker, then set up/process."""
    ops = tables.ops(I, F)
    stations = tables.stations(I, F)
    if ops.cons_len[stations.op[s]] > 0:
        missing = try_consume(I, F, s, now)
        if missing >= 0:
            wait_material(I, F, s, missing, now)
            return
    after_material(I, F, s, now)


@nb.njit(inline="always", **JIT)
def after_material(I, F, s, now):
    ops = tables.ops(I, F)
    pools = tables.pools(I, F)
    stations = tables.stations(I, F)
    o = stations.op[s]
    q = ops.pool[o]
    if q >= 0:
        need = ops.workers[o]
        if pools.busy[q] + need > pools.cap[q]:
            fifo_append(pools.wait_head, pools.wait_tail, q, stations.next, s)
            stations.phase[s] = PH_WAIT_WORKER
            refresh(I, F, s, now)
            return
        pool_touch(I, F, q, now)
        pools.busy[q] += need
        stations.pool[s] = q
    after_worker(I, F, s, now)


@nb.njit(inline="always", **JIT)
def after_worker(I, F, s, now):
    jobs = tables.jobs(I, F)
    ops = tables.ops(I, F)
    stations = tables.stations(I, F)
    o = stations.op[s]
    setup = ops.setup_stream[o]
    if setup >= 0 and stations.last_type[s] != jobs.type[stations.job[s]]:
        stations.phase[s] = PH_SETUP
        stations.remain[s] = draw(I, F, setup)
        refresh(I, F, s, now)
        return
    start_processing(I, F, s, now)


@nb.njit(inline="always", **JIT)
def start_processing(I, F, s, now):
    """Draw the processing time (× learning factor) and start working."""
    jobs = tables.jobs(I, F)
    ops = tables.ops(I, F)
    stations = tables.stations(I, F)
    o = stations.op[s]
    time = draw(I, F, ops.time_stream[o])
    exponent = ops.learn_exp[o]
    if exponent != 0.0:
        units = ops.done[o] + ops.learn_init[o] + 1.0
        time *= max(ops.learn_floor[o], units**exponent)
    speed = stations.speed[s]
    if speed != 1.0:
        time /= speed
    stations.phase[s] = PH_PROC
    stations.remain[s] = time
    log_row(
        I,
        F,
        now,
        L_START,
        jobs.type[stations.job[s]],
        stations.job[s],
        stations.wc[s],
        s,
    )
    refresh(I, F, s, now)
