# ruff: noqa: E741  (I and F are the kernel's flat int and float memory)
# numba kernel code: untyped by nature, checked by its tests
# mypy: ignore-errors
"""The event loop: initial events, plant-wide event handlers, the main loop, finalisation.

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
    log_row,
    material_touch,
    order_arrive,
    order_pool_touch,
    pool_touch,
    set_timer,
    station_flush,
    todo_push,
    wc_active,
    wip_change,
)  # fmt: skip
from droneworks.factory.engine.flow import drain, move_end, operation_end
from droneworks.factory.engine.repairs import (
    crew_touch,
    repair_done,
)  # fmt: skip
from droneworks.factory.engine.shifts import capacity_change, shift, start_calendars
from droneworks.factory.engine.spec import (
    A_MATERIAL,
    A_PULL,
    A_RELEASE,
    AP_ROWS,
    EV_ARRIVAL,
    EV_CHANGE,
    EV_DELIVERY,
    EV_MOVE,
    EV_PERIOD,
    EV_PLAN,
    EV_PLAN_UNIT,
    EV_PO,
    EV_SHIFT,
    EV_WARMUP,
    G_AP_N,
    G_ERROR,
    G_GROW,
    G_HEAP_N,
    G_KICK,
    G_LOG_N,
    G_PERIOD,
    G_REFILL,
    G_WARM,
    GF_NOW,
    INF,
    L_DELIVERY,
    L_UP,
    LOG_ROWS,
    OU_DOWN,
    OU_PENDING,
    OU_UP,
    PH_BLOCKED,
    PH_PROC,
    PH_SETUP,
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
    place_order,
    refresh,
    schedule_up,
    start_down,
)  # fmt: skip
from droneworks.factory.engine.transport import transport_touch


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


# ---- plant-wide events ---------------------------------------------------------------------
@nb.njit(**JIT)
def _flush(I, F, now):
    materials = tables.materials(I, F)
    params = tables.params(I, F)
    pools = tables.pools(I, F)
    stations = tables.stations(I, F)
    stock_by_period = tables.stock_by_period(I, F)
    for s in range(stations.n):
        station_flush(I, F, s, now)
    wip_change(I, F, 0, now)
    for jt in range(int(params.n_products)):
        order_pool_touch(I, F, jt, now)
    for q in range(pools.n):
        pool_touch(I, F, q, now)
    for q in range(tables.transporters(I, F).n):
        transport_touch(I, F, q, now)
    for c in range(tables.crews(I, F).n):
        crew_touch(I, F, c, now)
    for m in range(materials.n):
        material_touch(I, F, m, now)
    for part in range(stock_by_period.shape[1]):
        stock_by_period[I[G_PERIOD], part] = materials.stock[part]


@nb.njit(**JIT)
def _warm_up(I, F, now):
    centres = tables.centres(I, F)
    job_types = tables.job_types(I, F)
    state_min = tables.state_min(I, F)
    _flush(I, F, now)
    state_min[:, :] = 0.0
    for jt in range(job_types.n):
        job_types.released[jt] = 0
    for w in range(centres.n):
        centres.tests[w] = 0
        centres.fails[w] = 0
    I[G_WARM] = 1


@nb.njit(**JIT)
def _plant_event(I, F, kind, a, b, c, now):
    changes = tables.changes(I, F)
    job_types = tables.job_types(I, F)
    materials = tables.materials(I, F)
    orders = tables.orders(I, F)
    params = tables.params(I, F)
    plan = tables.plan(I, F)
    if kind == EV_MOVE:
        move_end(I, F, a, b, now)
    elif kind == EV_SHIFT:
        shift(I, F, a, b, c, now)
    elif kind == EV_PERIOD:
        _flush(I, F, now)
        I[G_PERIOD] += 1
        following = (I[G_PERIOD] + 1) * params.period
        if I[G_PERIOD] + 1 < params.n_periods and following < params.horizon:
            heap_push(I, F, following, EV_PERIOD, 0, 0, 0)
    elif kind == EV_WARMUP:
        _warm_up(I, F, now)
    elif kind == EV_PLAN:  # plan period a starts: its units are released evenly over it
        for jt in range(plan.shape[1]):
            if plan[a, jt] > 0:
                heap_push(I, F, now, EV_PLAN_UNIT, jt, 0, a)
        if a + 1 < plan.shape[0]:
            heap_push(I, F, (a + 1) * params.plan_period, EV_PLAN, a + 1, 0, 0)
    elif kind == EV_PLAN_UNIT:  # unit b of product a in plan period c
        order_arrive(I, F, a, now)
        todo_push(I, F, A_RELEASE, job_types.first_wc[a])
        quantity = plan[c, a]
        if b + 1 < quantity:
            spacing = params.plan_period / quantity
            heap_push(I, F, c * params.plan_period + (b + 1) * spacing, EV_PLAN_UNIT, a, b + 1, c)
    elif kind == EV_ARRIVAL:
        order_arrive(I, F, a, now)
        todo_push(I, F, A_RELEASE, job_types.first_wc[a])
        heap_push(I, F, now + draw(I, F, job_types.arrival_stream[a]), EV_ARRIVAL, a, 0, 0)
    elif kind == EV_DELIVERY:
        material_touch(I, F, a, now)
        materials.on_order[a] -= b
        materials.stock[a] += c
        log_row(I, F, now, L_DELIVERY, -1, c, -1, a)
        todo_push(I, F, A_MATERIAL, a)
        check_reorder(I, F, a, now)
    elif kind == EV_CHANGE:
        capacity_change(I, F, a, now)
        if a + 1 < changes.n:
            heap_push(I, F, changes.at[a + 1], EV_CHANGE, a + 1, 0, 0)
    elif kind == EV_PO:
        place_order(I, F, orders.part[a], orders.qty[a], now)
        if a + 1 < orders.n:
            heap_push(I, F, orders.at[a + 1], EV_PO, a + 1, 0, 0)


@nb.njit(**JIT)
def _outage_event(I, F, s, k, now):
    centres = tables.centres(I, F)
    outages = tables.outages(I, F)
    params = tables.params(I, F)
    sources = tables.sources(I, F)
    stations = tables.stations(I, F)
    ts = int(params.timers_per_station)
    row = s * (ts - 1) + k
    phase = outages.phase[row]
    if phase == OU_UP:
        src = centres.source_start[stations.wc[s]] + k
        busy = stations.phase[s] == PH_SETUP or stations.phase[s] == PH_PROC
        if sources.preempts[src] == 0 and busy:
            outages.phase[row] = OU_PENDING
            set_timer(I, F, s * ts + 1 + k, INF)
        else:
            start_down(I, F, s, k, now)
    elif phase == OU_DOWN:
        crew = sources.crew[centres.source_start[stations.wc[s]] + k]
        if crew >= 0:
            repair_done(I, F, crew, now)
        stations.down[s] -= 1
        log_row(I, F, now, L_UP, -1, -1, stations.wc[s], s)
        schedule_up(I, F, s, k, now, False)
        refresh(I, F, s, now)


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
        if t_plant <= t_timer:
            kind, a, b, c = heap_pop(I, F)
            _plant_event(I, F, kind, a, b, c, now)
            drain(I, F, now)
        else:
            s = timer_station[slot]
            k = slot - s * ts
            if k == 0:
                operation_end(I, F, s, now)
                drain(I, F, now)
                if stations.run[s] == 0:  # not started again at this instant
                    set_timer(I, F, slot, INF)
            else:
                _outage_event(I, F, s, k - 1, now)
                drain(I, F, now)
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
    _flush(I, F, t_end)
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
