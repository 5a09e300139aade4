# ruff: noqa: E741  (I and F are the kernel's flat int and float memory)
# numba kernel code: untyped by nature, checked by its tests
# mypy: ignore-errors
"""The event loop: initial events, the main loop, finalisation (the plant-wide and
outage events it dispatches are in :mod:`.events`).

``run(I, F, stop_t)`` processes events in time order until the next one is at or after
``stop_t``, or until the driver must step in (refill random values, grow the job table,
flush the event log); it returns a status and can be called again to continue.
"""

from __future__ import annotations

import numba as nb

from droneworks.factory.engine import tables
from droneworks.factory.engine.borrowed import borrowed
from droneworks.factory.engine.core import (
    JIT,
    active_period,
    draw,
    heap_pop,
    heap_push,
    set_timer,
    todo_push,
    wc_active,
)  # fmt: skip
from droneworks.factory.engine.events import flush, outage_event, plant_event
from droneworks.factory.engine.flow import drain, operation_end
from droneworks.factory.engine.shifts import start_calendars
from droneworks.factory.engine.spec import (
    A_PULL,
    A_RELEASE,
    AP_ROWS,
    EV_ARRIVAL,
    EV_CHANGE,
    EV_PERIOD,
    EV_PLAN,
    EV_PO,
    EV_WARMUP,
    G_AP_N,
    G_ERROR,
    G_GROW,
    G_HEAP_N,
    G_KICK,
    G_LOG_N,
    G_REFILL,
    G_TODO_N,
    G_WARM,
    GF_NOW,
    INF,
    LOG_ROWS,
    PH_BLOCKED,
    RELEASE_PLAN,
    RELEASE_RATE,
    STATUS_AP,
    STATUS_ERROR,
    STATUS_GROW,
    STATUS_LOG,
    STATUS_REFILL,
    STATUS_STOP,
)  # fmt: skip
from droneworks.factory.engine.stations import (
    check_reorder,
    schedule_up,
)  # fmt: skip


@nb.njit(inline="always", **JIT)
def init(I, F):
    """Initial state and events at time 0."""
    I, F = borrowed(I), borrowed(F)
    centres = tables.centres(I, F)
    changes = tables.changes(I, F)
    job_types = tables.job_types(I, F)
    materials = tables.materials(I, F)
    orders = tables.orders(I, F)
    params = tables.params(I, F)
    plan = tables.plan(I, F)
    stations = tables.stations(I, F)
    start_calendars(I, F)
    if params.n_periods > 1:
        heap_push(I, F, params.period, EV_PERIOD, 0, 0, 0)
    I[G_WARM] = 1 if params.warmup <= 0.0 else 0
    if params.warmup > 0.0:
        heap_push(I, F, params.warmup, EV_WARMUP, 0, 0, 0)
    release = int(params.release)
    if release == RELEASE_PLAN and plan.shape[0] > 0:
        heap_push(I, F, 0.0, EV_PLAN, 0, 0, 0)
    if release == RELEASE_RATE:
        for jt in range(int(params.n_products)):
            stream = job_types.arrival_stream[jt]
            if stream >= 0:
                heap_push(I, F, draw(I, F, stream), EV_ARRIVAL, jt, 0, 0)
    if changes.n > 0:
        heap_push(I, F, changes.at[0], EV_CHANGE, 0, 0, 0)
    if orders.n > 0:
        heap_push(I, F, orders.at[0], EV_PO, 0, 0, 0)
    for part in range(int(params.n_parts)):
        check_reorder(I, F, part, 0.0)
    n_products = int(params.n_products)
    for jt in range(n_products, job_types.n):  # base-stock assemblies fill up to target
        target = job_types.target[jt]
        stock = materials.stock[jt - n_products + int(params.n_parts)]
        if target > stock:
            job_types.backlog[jt] = target - stock
            todo_push(I, F, A_RELEASE, job_types.first_wc[jt])
    for w in range(centres.n):
        first = centres.station_start[w]
        for s in range(first, first + centres.max_stations[w]):
            stations.wc[s], stations.job[s], stations.phase[s] = (
                w,
                -1,
                PH_BLOCKED,
            )
            for k in range(centres.source_len[w]):
                schedule_up(I, F, s, k, 0.0, True)
            if s - first < centres.stations[w]:
                stations.present[s] = 1
                todo_push(I, F, A_PULL, s)
    drain(I, F, 0.0)


# ---- the loop --------------------------------------------------------------------------------
@nb.njit(inline="always", **JIT)
def run(I, F, stop_t):
    """Process events before ``stop_t``; returns a STATUS_* code."""
    I, F = borrowed(I), borrowed(F)
    centres = tables.centres(I, F)
    heap = tables.heap(I, F)
    params = tables.params(I, F)
    stations = tables.stations(I, F)
    timer_min = tables.timer_min(I, F)
    timer_station = tables.timer_station(I, F)
    timer_tree = tables.timer_tree(I, F)
    ts = int(params.timers_per_station)
    if I[G_KICK] == 1:
        I[G_KICK] = 0
        for w in range(centres.n):
            if centres.first_types_len[w] > 0:
                todo_push(I, F, A_RELEASE, w)
        drain(I, F, F[GF_NOW])
    while True:
        slot = timer_tree[1]
        t_timer = timer_min[1]
        t_plant = heap.at[0] if I[G_HEAP_N] > 0 else INF
        now = t_plant if t_plant <= t_timer else t_timer
        if now >= stop_t:
            return STATUS_STOP
        F[GF_NOW] = now
        ended = -1  # the station whose operation ended
        if t_plant <= t_timer:
            kind, a, b, c = heap_pop(I, F)
            plant_event(I, F, kind, a, b, c, now)
        else:
            s = timer_station[slot]
            k = slot - s * ts
            if k == 0:
                operation_end(I, F, s, now)
                ended = s
            else:
                outage_event(I, F, s, k - 1, now)
        if I[G_TODO_N] > 0:
            drain(I, F, now)
        if ended >= 0 and stations.run[ended] == 0:
            set_timer(I, F, slot, INF)  # not started again at this instant
        if I[G_ERROR] != 0:
            return STATUS_ERROR
        if I[G_REFILL] == 1:
            I[G_REFILL] = 0
            return STATUS_REFILL
        if I[G_GROW] == 1:
            I[G_GROW] = 0
            I[G_KICK] = 1
            return STATUS_GROW
        if I[G_LOG_N] > LOG_ROWS // 2:
            return STATUS_LOG
        if I[G_AP_N] > AP_ROWS // 2:
            return STATUS_AP


@nb.njit(inline="always", **JIT)
def finalize(I, F, t_end):
    """Account every open interval up to ``t_end``; returns the minutes products still in
    the system spent there after the warm-up (for Little's law)."""
    I, F = borrowed(I), borrowed(F)
    centres = tables.centres(I, F)
    jobs = tables.jobs(I, F)
    params = tables.params(I, F)
    flush(I, F, t_end)
    for w in range(centres.n):
        if wc_active(I, F, w):
            active_period(I, F, w, centres.active_since[w], t_end)
    residual = 0.0
    n_products = int(params.n_products)
    for j in range(jobs.n):
        if 0 <= jobs.type[j] < n_products:
            residual += t_end - max(jobs.released[j], params.warmup)
    return residual


ACTION_INIT, ACTION_RUN, ACTION_FINALIZE = range(3)


@nb.njit(**JIT)
def entry(I, F, action, t):
    """The kernel's one compiled entry point (one link-time optimisation instead of three):
    ``init``, ``run`` until ``t`` (returns the status) or ``finalize`` at ``t`` (returns
    the residual minutes of Little's law)."""
    if action == ACTION_INIT:
        init(I, F)
        return 0.0
    if action == ACTION_RUN:
        return float(run(I, F, t))
    return finalize(I, F, t)
