# ruff: noqa: E741  (I and F are the kernel's flat int and float memory)
# numba kernel code: untyped by nature, checked by its tests
# mypy: ignore-errors
"""Events that are not the end of an operation: the plant-wide events of the heap (shifts,
KPI periods, the warm-up, plan releases, arrivals, deliveries, capacity changes, purchase
orders, the end of a move) and the failures and repairs of stations (their timer slots).
"""

from __future__ import annotations

import numba as nb

from droneworks.factory.engine import tables
from droneworks.factory.engine.core import (
    JIT,
    draw,
    heap_push,
    log_row,
    material_touch,
    order_arrive,
    order_pool_touch,
    pool_touch,
    set_timer,
    station_flush,
    todo_push,
    wip_change,
)  # fmt: skip
from droneworks.factory.engine.flow import move_end
from droneworks.factory.engine.repairs import (
    crew_touch,
    repair_done,
)  # fmt: skip
from droneworks.factory.engine.shifts import capacity_change, shift
from droneworks.factory.engine.spec import (
    A_MATERIAL,
    A_RELEASE,
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
    G_PERIOD,
    G_WARM,
    INF,
    L_DELIVERY,
    L_UP,
    OU_DOWN,
    OU_PENDING,
    OU_UP,
    PH_PROC,
    PH_SETUP,
)  # fmt: skip
from droneworks.factory.engine.stations import (
    check_reorder,
    place_order,
    refresh,
    schedule_up,
    start_down,
)  # fmt: skip
from droneworks.factory.engine.transport import transport_touch


# ---- plant-wide events ---------------------------------------------------------------------
@nb.njit(**JIT)
def flush(I, F, now):
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
def warm_up(I, F, now):
    centres = tables.centres(I, F)
    job_types = tables.job_types(I, F)
    state_min = tables.state_min(I, F)
    flush(I, F, now)
    state_min[:, :] = 0.0
    for jt in range(job_types.n):
        job_types.released[jt] = 0
    for w in range(centres.n):
        centres.tests[w] = 0
        centres.fails[w] = 0
    I[G_WARM] = 1


@nb.njit(**JIT)
def plant_event(I, F, kind, a, b, c, now):
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
        flush(I, F, now)
        I[G_PERIOD] += 1
        following = (I[G_PERIOD] + 1) * params.period
        if I[G_PERIOD] + 1 < params.n_periods and following < params.horizon:
            heap_push(I, F, following, EV_PERIOD, 0, 0, 0)
    elif kind == EV_WARMUP:
        warm_up(I, F, now)
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
def outage_event(I, F, s, k, now):
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
