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

from droneworks.factory.engine.core import (
    JIT,
    active_period,
    borrowed,
    draw,
    heap_pop,
    heap_push,
    log_row,
    material_touch,
    order_pool_touch,
    pool_touch,
    set_timer,
    station_flush,
    todo_push,
    wc_active,
    wip_change,
)  # fmt: skip
from droneworks.factory.engine.flow import drain, operation_end
from droneworks.factory.engine.layout import (
    A_MATERIAL,
    A_PULL,
    A_RELEASE,
    A_WORKER,
    AP_ROWS,
    CHANGE_STATIONS,
    EV_ARRIVAL,
    EV_CHANGE,
    EV_DELIVERY,
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
    G_ON_SHIFT,
    G_PERIOD,
    G_REFILL,
    G_WARM,
    GF_NOW,
    INF,
    J_N,
    J_TYPE,
    JT_ARRIVAL,
    JT_FIRST_WC,
    JT_N,
    JT_TARGET,
    K_N,
    K_RELEASED,
    L_DELIVERY,
    L_UP,
    LOG_ROWS,
    M_N,
    M_ON_ORDER,
    M_STOCK,
    N_STATES,
    O_BL,
    O_CAL,
    O_CHF,
    O_CHI,
    O_HT,
    O_JF,
    O_JI,
    O_JTI,
    O_KJI,
    O_MI,
    O_PLAN,
    O_POI,
    O_POQ,
    O_POT,
    O_SC,
    O_SRCI,
    O_SSI,
    O_STI,
    O_STKP,
    O_TIM,
    O_WCF,
    O_WCI,
    O_WCS,
    O_WCST,
    O_WIN,
    OU_DOWN,
    OU_PENDING,
    OU_UP,
    PH_BLOCKED,
    PH_IDLE,
    PH_PROC,
    PH_SETUP,
    Q_CAP,
    Q_N,
    RELEASE_PLAN,
    RELEASE_RATE,
    SC_HORIZON,
    SC_N_PARTS,
    SC_N_PERIODS,
    SC_N_PRODUCTS,
    SC_PERIOD,
    SC_PLAN_PERIOD,
    SC_RELEASE,
    SC_TS,
    SC_WARMUP,
    SR_N,
    SR_PREEMPTS,
    SS_N,
    SS_PHASE,
    STATUS_AP,
    STATUS_ERROR,
    STATUS_GROW,
    STATUS_LOG,
    STATUS_REFILL,
    STATUS_STOP,
    T_DOWN,
    T_JOB,
    T_N,
    T_PHASE,
    T_PRESENT,
    T_RETIRE,
    T_WC,
    W_FAILS,
    W_IDLE,
    W_N,
    W_TESTS,
    WF_ACTIVE_SINCE,
    WF_N,
    WS_FT_LEN,
    WS_MAX,
    WS_N,
    WS_SRC_LEN,
    WS_SRC_START,
    WS_ST_START,
    WS_STATIONS,
)  # fmt: skip
from droneworks.factory.engine.stations import (
    check_reorder,
    place_order,
    refresh,
    schedule_up,
    start_down,
)  # fmt: skip


@nb.njit(inline="always", **JIT)
def init(I, F):
    """Initial state and events at time 0."""
    cal_ = I[O_CAL]
    chf_ = I[O_CHF]
    jti_ = I[O_JTI]
    pot_ = I[O_POT]
    sc_ = I[O_SC]
    sti_ = I[O_STI]
    wcs_ = I[O_WCS]
    I, F = borrowed(I), borrowed(F)
    if I[O_CAL + 1] > 0 and F[cal_ + 0 * 2 + 0] <= 0.0:
        I[G_ON_SHIFT] = 1
        heap_push(I, F, F[cal_ + 0 * 2 + 1], EV_SHIFT, 0, 0, 0)
    elif I[O_CAL + 1] > 0:
        heap_push(I, F, F[cal_ + 0 * 2 + 0], EV_SHIFT, 1, 0, 0)
    if F[sc_ + SC_N_PERIODS] > 1:
        heap_push(I, F, F[sc_ + SC_PERIOD], EV_PERIOD, 0, 0, 0)
    I[G_WARM] = 1 if F[sc_ + SC_WARMUP] <= 0.0 else 0
    if F[sc_ + SC_WARMUP] > 0.0:
        heap_push(I, F, F[sc_ + SC_WARMUP], EV_WARMUP, 0, 0, 0)
    release = int(F[sc_ + SC_RELEASE])
    if release == RELEASE_PLAN and I[O_PLAN + 1] > 0:
        heap_push(I, F, 0.0, EV_PLAN, 0, 0, 0)
    if release == RELEASE_RATE:
        for jt in range(int(F[sc_ + SC_N_PRODUCTS])):
            stream = I[jti_ + jt * JT_N + JT_ARRIVAL]
            if stream >= 0:
                heap_push(I, F, draw(I, F, stream), EV_ARRIVAL, jt, 0, 0)
    if I[O_CHF + 1] > 0:
        heap_push(I, F, F[chf_ + 0], EV_CHANGE, 0, 0, 0)
    if I[O_POT + 1] > 0:
        heap_push(I, F, F[pot_ + 0], EV_PO, 0, 0, 0)
    for part in range(int(F[sc_ + SC_N_PARTS])):
        check_reorder(I, F, part, 0.0)
    n_products = int(F[sc_ + SC_N_PRODUCTS])
    for jt in range(n_products, I[O_JTI + 1]):  # base-stock assemblies fill up to target
        target = I[jti_ + jt * JT_N + JT_TARGET]
        stock = I[I[O_MI] + (jt - n_products + int(F[sc_ + SC_N_PARTS])) * M_N + M_STOCK]
        if target > stock:
            I[I[O_BL] + jt] = target - stock
            todo_push(I, F, A_RELEASE, I[jti_ + jt * JT_N + JT_FIRST_WC])
    for w in range(I[O_WCS + 1]):
        first = I[wcs_ + w * WS_N + WS_ST_START]
        for s in range(first, first + I[wcs_ + w * WS_N + WS_MAX]):
            I[sti_ + s * T_N + T_WC], I[sti_ + s * T_N + T_JOB], I[sti_ + s * T_N + T_PHASE] = (
                w,
                -1,
                PH_BLOCKED,
            )
            for k in range(I[wcs_ + w * WS_N + WS_SRC_LEN]):
                schedule_up(I, F, s, k, 0.0, True)
            if s - first < I[wcs_ + w * WS_N + WS_STATIONS]:
                I[sti_ + s * T_N + T_PRESENT] = 1
                todo_push(I, F, A_PULL, s)
    drain(I, F, 0.0)


# ---- plant-wide events ---------------------------------------------------------------------
@nb.njit(**JIT)
def _shift(I, F, on, window, now):
    cal_ = I[O_CAL]
    for q in range(I[O_POI + 1]):
        pool_touch(I, F, q, now)
    I[G_ON_SHIFT] = on
    for s in range(I[O_STI + 1]):
        refresh(I, F, s, now)
    if on == 1:
        heap_push(I, F, F[cal_ + window * 2 + 1], EV_SHIFT, 0, window, 0)
    elif window + 1 < I[O_CAL + 1]:
        heap_push(I, F, F[cal_ + (window + 1) * 2 + 0], EV_SHIFT, 1, window + 1, 0)


@nb.njit(**JIT)
def _flush(I, F, now):
    mi_ = I[O_MI]
    stkp_ = I[O_STKP]
    for s in range(I[O_STI + 1]):
        station_flush(I, F, s, now)
    wip_change(I, F, 0, now)
    for jt in range(int(F[I[O_SC] + SC_N_PRODUCTS])):
        order_pool_touch(I, F, jt, now)
    for q in range(I[O_POI + 1]):
        pool_touch(I, F, q, now)
    for m in range(I[O_MI + 1]):
        material_touch(I, F, m, now)
    for part in range(I[O_STKP + 2]):
        F[stkp_ + (I[G_PERIOD]) * I[O_STKP + 2] + part] = I[mi_ + part * M_N + M_STOCK]


@nb.njit(**JIT)
def _warm_up(I, F, now):
    kji_ = I[O_KJI]
    wci_ = I[O_WCI]
    wcst_ = I[O_WCST]
    _flush(I, F, now)
    for k in range(I[O_WCST + 1] * N_STATES):
        F[wcst_ + k] = 0.0
    for jt in range(I[O_KJI + 1]):
        I[kji_ + jt * K_N + K_RELEASED] = 0
    for w in range(I[O_WCI + 1]):
        I[wci_ + w * W_N + W_TESTS] = 0
        I[wci_ + w * W_N + W_FAILS] = 0
    I[G_WARM] = 1


@nb.njit(**JIT)
def _change(I, F, k, now):
    """Dated capacity change ``k``: stations of a work centre or workers of a pool."""
    chi_ = I[O_CHI]
    poi_ = I[O_POI]
    sti_ = I[O_STI]
    wci_ = I[O_WCI]
    wcs_ = I[O_WCS]
    kind, target, value = I[chi_ + k * 3 + 0], I[chi_ + k * 3 + 1], I[chi_ + k * 3 + 2]
    if kind != CHANGE_STATIONS:
        pool_touch(I, F, target, now)
        I[poi_ + target * Q_N + Q_CAP] = value
        todo_push(I, F, A_WORKER, target)
        return
    first = I[wcs_ + target * WS_N + WS_ST_START]
    last = first + I[wcs_ + target * WS_N + WS_MAX]
    count = 0
    for s in range(first, last):
        count += I[sti_ + s * T_N + T_PRESENT] == 1 and I[sti_ + s * T_N + T_RETIRE] == 0
    for s in range(first, last):
        if count >= value:
            break
        if I[sti_ + s * T_N + T_PRESENT] == 1 and I[sti_ + s * T_N + T_RETIRE] == 1:
            I[sti_ + s * T_N + T_RETIRE] = 0
            count += 1
        elif I[sti_ + s * T_N + T_PRESENT] == 0:
            (
                I[sti_ + s * T_N + T_PRESENT],
                I[sti_ + s * T_N + T_PHASE],
                I[sti_ + s * T_N + T_JOB],
            ) = 1, PH_BLOCKED, -1
            todo_push(I, F, A_PULL, s)
            count += 1
    for s in range(last - 1, first - 1, -1):
        if count <= value:
            break
        if I[sti_ + s * T_N + T_PRESENT] == 1 and I[sti_ + s * T_N + T_RETIRE] == 0:
            count -= 1
            if I[sti_ + s * T_N + T_JOB] < 0 and I[sti_ + s * T_N + T_PHASE] == PH_IDLE:
                I[wci_ + target * W_N + W_IDLE] -= 1
                I[sti_ + s * T_N + T_PRESENT] = 0
                refresh(I, F, s, now)
            else:
                I[sti_ + s * T_N + T_RETIRE] = 1


@nb.njit(**JIT)
def _plant_event(I, F, kind, a, b, c, now):
    bl_ = I[O_BL]
    chf_ = I[O_CHF]
    jti_ = I[O_JTI]
    mi_ = I[O_MI]
    plan_ = I[O_PLAN]
    poq_ = I[O_POQ]
    pot_ = I[O_POT]
    sc_ = I[O_SC]
    if kind == EV_SHIFT:
        _shift(I, F, a, b, now)
    elif kind == EV_PERIOD:
        _flush(I, F, now)
        I[G_PERIOD] += 1
        following = (I[G_PERIOD] + 1) * F[sc_ + SC_PERIOD]
        if I[G_PERIOD] + 1 < F[sc_ + SC_N_PERIODS] and following < F[sc_ + SC_HORIZON]:
            heap_push(I, F, following, EV_PERIOD, 0, 0, 0)
    elif kind == EV_WARMUP:
        _warm_up(I, F, now)
    elif kind == EV_PLAN:  # plan period a starts: its units are released evenly over it
        for jt in range(I[O_PLAN + 2]):
            if I[plan_ + a * I[O_PLAN + 2] + jt] > 0:
                heap_push(I, F, now, EV_PLAN_UNIT, jt, 0, a)
        if a + 1 < I[O_PLAN + 1]:
            heap_push(I, F, (a + 1) * F[sc_ + SC_PLAN_PERIOD], EV_PLAN, a + 1, 0, 0)
    elif kind == EV_PLAN_UNIT:  # unit b of product a in plan period c
        order_pool_touch(I, F, a, now)
        I[bl_ + a] += 1
        todo_push(I, F, A_RELEASE, I[jti_ + a * JT_N + JT_FIRST_WC])
        quantity = I[plan_ + c * I[O_PLAN + 2] + a]
        if b + 1 < quantity:
            spacing = F[sc_ + SC_PLAN_PERIOD] / quantity
            heap_push(
                I, F, c * F[sc_ + SC_PLAN_PERIOD] + (b + 1) * spacing, EV_PLAN_UNIT, a, b + 1, c
            )
    elif kind == EV_ARRIVAL:
        order_pool_touch(I, F, a, now)
        I[bl_ + a] += 1
        todo_push(I, F, A_RELEASE, I[jti_ + a * JT_N + JT_FIRST_WC])
        heap_push(I, F, now + draw(I, F, I[jti_ + a * JT_N + JT_ARRIVAL]), EV_ARRIVAL, a, 0, 0)
    elif kind == EV_DELIVERY:
        material_touch(I, F, a, now)
        I[mi_ + a * M_N + M_ON_ORDER] -= b
        I[mi_ + a * M_N + M_STOCK] += c
        log_row(I, F, now, L_DELIVERY, -1, c, -1, a)
        todo_push(I, F, A_MATERIAL, a)
        check_reorder(I, F, a, now)
    elif kind == EV_CHANGE:
        _change(I, F, a, now)
        if a + 1 < I[O_CHF + 1]:
            heap_push(I, F, F[chf_ + (a + 1)], EV_CHANGE, a + 1, 0, 0)
    elif kind == EV_PO:
        place_order(I, F, I[poq_ + a * 2 + 0], I[poq_ + a * 2 + 1], now)
        if a + 1 < I[O_POT + 1]:
            heap_push(I, F, F[pot_ + (a + 1)], EV_PO, a + 1, 0, 0)


@nb.njit(**JIT)
def _outage_event(I, F, s, k, now):
    sc_ = I[O_SC]
    srci_ = I[O_SRCI]
    ssi_ = I[O_SSI]
    sti_ = I[O_STI]
    wcs_ = I[O_WCS]
    ts = int(F[sc_ + SC_TS])
    row = s * (ts - 1) + k
    phase = I[ssi_ + row * SS_N + SS_PHASE]
    if phase == OU_UP:
        src = I[wcs_ + (I[sti_ + s * T_N + T_WC]) * WS_N + WS_SRC_START] + k
        busy = I[sti_ + s * T_N + T_PHASE] == PH_SETUP or I[sti_ + s * T_N + T_PHASE] == PH_PROC
        if I[srci_ + src * SR_N + SR_PREEMPTS] == 0 and busy:
            I[ssi_ + row * SS_N + SS_PHASE] = OU_PENDING
            set_timer(I, F, s * ts + 1 + k, INF)
        else:
            start_down(I, F, s, k, now)
    elif phase == OU_DOWN:
        I[sti_ + s * T_N + T_DOWN] -= 1
        log_row(I, F, now, L_UP, -1, -1, I[sti_ + s * T_N + T_WC], s)
        schedule_up(I, F, s, k, now, False)
        refresh(I, F, s, now)


# ---- the loop --------------------------------------------------------------------------------
@nb.njit(inline="always", **JIT)
def run(I, F, stop_t):
    """Process events before ``stop_t``; returns a STATUS_* code."""
    ht_ = I[O_HT]
    sc_ = I[O_SC]
    tim_ = I[O_TIM]
    wcs_ = I[O_WCS]
    win_ = I[O_WIN]
    I, F = borrowed(I), borrowed(F)
    ts = int(F[sc_ + SC_TS])
    if I[G_KICK] == 1:
        I[G_KICK] = 0
        for w in range(I[O_WCS + 1]):
            if I[wcs_ + w * WS_N + WS_FT_LEN] > 0:
                todo_push(I, F, A_RELEASE, w)
        drain(I, F, F[GF_NOW])
    while True:
        slot = I[win_ + 1]
        t_timer = F[tim_ + slot]
        t_plant = F[ht_ + 0] if I[G_HEAP_N] > 0 else INF
        now = t_plant if t_plant <= t_timer else t_timer
        if now >= stop_t:
            return STATUS_STOP
        F[GF_NOW] = now
        if t_plant <= t_timer:
            kind, a, b, c = heap_pop(I, F)
            _plant_event(I, F, kind, a, b, c, now)
        else:
            s = slot // ts
            k = slot - s * ts
            if k == 0:
                operation_end(I, F, s, now)
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
    jf_ = I[O_JF]
    ji_ = I[O_JI]
    sc_ = I[O_SC]
    wcf_ = I[O_WCF]
    _flush(I, F, t_end)
    for w in range(I[O_WCI + 1]):
        if wc_active(I, w):
            active_period(I, F, w, F[wcf_ + w * WF_N + WF_ACTIVE_SINCE], t_end)
    residual = 0.0
    n_products = int(F[sc_ + SC_N_PRODUCTS])
    for j in range(I[O_JI + 1]):
        if 0 <= I[ji_ + j * J_N + J_TYPE] < n_products:
            residual += t_end - max(F[jf_ + j], F[sc_ + SC_WARMUP])
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
