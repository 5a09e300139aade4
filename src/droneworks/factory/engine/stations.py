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
from droneworks.factory.engine.layout import (
    A_RELEASE,
    BASIS_BUSY,
    BASIS_CALENDAR,
    BASIS_OPERATIONS,
    EV_DELIVERY,
    G_ON_SHIFT,
    INF,
    J_N,
    J_TYPE,
    JT_FIRST_WC,
    JT_N,
    JT_TARGET,
    L_DOWN,
    L_START,
    M_N,
    M_NWAIT,
    M_ON_ORDER,
    M_STOCK,
    M_WHEAD,
    M_WTAIL,
    O_BL,
    O_CONS_LEN,
    O_CONS_START,
    O_CONSM,
    O_CONSQ,
    O_JI,
    O_JTI,
    O_MI,
    O_N,
    O_OPF,
    O_OPI,
    O_OPN,
    O_POI,
    O_POOL,
    O_PTF,
    O_PTI,
    O_SC,
    O_SETUP,
    O_SRCF,
    O_SRCI,
    O_SSF,
    O_SSI,
    O_STF,
    O_STI,
    O_TIME,
    O_WCS,
    O_WORKERS,
    OF_LEXP,
    OF_LFLOOR,
    OF_LINIT,
    OF_N,
    OU_COUNTING,
    OU_DOWN,
    OU_UP,
    PH_BLOCKED,
    PH_IDLE,
    PH_PROC,
    PH_SETUP,
    PH_WAIT_MAT,
    PH_WAIT_WORKER,
    PT_N,
    PT_ROP,
    PT_ROQ,
    PT_STREAM,
    PTF_LATE,
    PTF_N,
    PTF_SHORT,
    PTF_SHORT_FRACTION,
    Q_BUSY,
    Q_CAP,
    Q_N,
    Q_WHEAD,
    Q_WTAIL,
    SC_N_PARTS,
    SC_N_PRODUCTS,
    SC_TS,
    SR_BASIS,
    SR_N,
    SR_OPS,
    SR_STREAM,
    SS_N,
    SS_OPS_LEFT,
    SS_PHASE,
    SSF_N,
    SSF_REMAIN,
    SSF_SEG,
    ST_BLOCKED,
    ST_SETUP,
    ST_STARVED,
    ST_STARVED_MAT,
    ST_STARVED_WORKER,
    ST_WORKING,
    T_DOWN,
    T_JOB,
    T_LAST_TYPE,
    T_N,
    T_NB,
    T_NEXT,
    T_OP,
    T_PHASE,
    T_POOL,
    T_PRESENT,
    T_RUN,
    T_WC,
    TF_N,
    TF_REMAIN,
    TF_SEG,
    WS_BUSY_SOURCES,
    WS_N,
    WS_SRC_LEN,
    WS_SRC_START,
    WS_ST_START,
)  # fmt: skip


@nb.njit(**JIT)
def phase_state(phase):
    """The KPI state a phase implies when the station is present, up and on shift."""
    if phase == PH_IDLE:
        return ST_STARVED
    if phase == PH_BLOCKED:
        return ST_BLOCKED
    if phase == PH_WAIT_MAT:
        return ST_STARVED_MAT
    if phase == PH_WAIT_WORKER:
        return ST_STARVED_WORKER
    return ST_SETUP if phase == PH_SETUP else ST_WORKING


# ---- running / paused ------------------------------------------------------------------------
@nb.njit(**JIT)
def _busy_sources(I, F, s, now, resume):
    """Pause or resume the outage clocks of ``s`` that count processing time only."""
    sc_ = I[O_SC]
    srci_ = I[O_SRCI]
    ssf_ = I[O_SSF]
    ssi_ = I[O_SSI]
    sti_ = I[O_STI]
    wcs_ = I[O_WCS]
    w = I[sti_ + s * T_N + T_WC]
    if I[wcs_ + w * WS_N + WS_BUSY_SOURCES] == 0:
        return
    ts = int(F[sc_ + SC_TS])
    start = I[wcs_ + w * WS_N + WS_SRC_START]
    for k in range(I[wcs_ + w * WS_N + WS_SRC_LEN]):
        if I[srci_ + (start + k) * SR_N + SR_BASIS] != BASIS_BUSY:
            continue
        row = s * (ts - 1) + k
        if I[ssi_ + row * SS_N + SS_PHASE] != OU_UP:
            continue
        if resume:
            F[ssf_ + row * SSF_N + SSF_SEG] = now
            set_timer(I, F, s * ts + 1 + k, now + F[ssf_ + row * SSF_N + SSF_REMAIN])
        else:
            F[ssf_ + row * SSF_N + SSF_REMAIN] -= now - F[ssf_ + row * SSF_N + SSF_SEG]
            set_timer(I, F, s * ts + 1 + k, INF)


@nb.njit(**JIT)
def refresh(I, F, s, now):
    """Bring timers and the KPI state of station ``s`` in line with its situation."""
    sc_ = I[O_SC]
    stf_ = I[O_STF]
    sti_ = I[O_STI]
    phase = I[sti_ + s * T_N + T_PHASE]
    running = 0
    working = phase in (PH_SETUP, PH_PROC)
    up = I[sti_ + s * T_N + T_DOWN] == 0 and I[sti_ + s * T_N + T_PRESENT] == 1
    if working and up and I[G_ON_SHIFT] == 1:
        running = 1 if phase == PH_SETUP else 2
    was = I[sti_ + s * T_N + T_RUN]
    if running != was:
        ts = int(F[sc_ + SC_TS])
        if was == 0:
            F[stf_ + s * TF_N + TF_SEG] = now
            set_timer(I, F, s * ts, now + F[stf_ + s * TF_N + TF_REMAIN])
        elif running == 0:
            F[stf_ + s * TF_N + TF_REMAIN] -= now - F[stf_ + s * TF_N + TF_SEG]
            set_timer(I, F, s * ts, INF)
        if was == 2:
            _busy_sources(I, F, s, now, False)
        elif running == 2:
            _busy_sources(I, F, s, now, True)
        I[sti_ + s * T_N + T_RUN] = running
    station_state_change(I, F, s, derive_state(I, F, s, phase_state(phase)), now)


@nb.njit(**JIT)
def stop_running(I, F, s, now):
    """The current setup or processing segment of ``s`` ended at ``now``."""
    sc_ = I[O_SC]
    stf_ = I[O_STF]
    sti_ = I[O_STI]
    if I[sti_ + s * T_N + T_RUN] == 2:
        _busy_sources(I, F, s, now, False)
    I[sti_ + s * T_N + T_RUN] = 0
    F[stf_ + s * TF_N + TF_REMAIN] = 0.0
    set_timer(I, F, s * int(F[sc_ + SC_TS]), INF)


# ---- outages -----------------------------------------------------------------------------------
@nb.njit(**JIT)
def _source_value(I, F, s, k, column):
    """Next up (column 1) or down (column 2) time of source ``k`` of station ``s``."""
    srcf_ = I[O_SRCF]
    srci_ = I[O_SRCI]
    sti_ = I[O_STI]
    wcs_ = I[O_WCS]
    w = I[sti_ + s * T_N + T_WC]
    src = I[wcs_ + w * WS_N + WS_SRC_START] + k
    stream = I[srci_ + src * SR_N + SR_STREAM]
    if stream < 0:
        return F[srcf_ + src * 3 + column]
    return draw(I, F, stream + s - I[wcs_ + w * WS_N + WS_ST_START])


@nb.njit(**JIT)
def schedule_up(I, F, s, k, now, first):
    """Start the up period of outage source ``k`` of station ``s``."""
    sc_ = I[O_SC]
    srcf_ = I[O_SRCF]
    srci_ = I[O_SRCI]
    ssf_ = I[O_SSF]
    ssi_ = I[O_SSI]
    sti_ = I[O_STI]
    wcs_ = I[O_WCS]
    w = I[sti_ + s * T_N + T_WC]
    src = I[wcs_ + w * WS_N + WS_SRC_START] + k
    ts = int(F[sc_ + SC_TS])
    row = s * (ts - 1) + k
    basis = I[srci_ + src * SR_N + SR_BASIS]
    if basis == BASIS_OPERATIONS:
        I[ssi_ + row * SS_N + SS_PHASE] = OU_COUNTING
        I[ssi_ + row * SS_N + SS_OPS_LEFT] = I[srci_ + src * SR_N + SR_OPS]
        set_timer(I, F, s * ts + 1 + k, INF)
        return
    I[ssi_ + row * SS_N + SS_PHASE] = OU_UP
    up = F[srcf_ + src * 3 + 0] if first and I[srci_ + src * SR_N + SR_STREAM] < 0 else 0.0
    if not (first and I[srci_ + src * SR_N + SR_STREAM] < 0):
        up = _source_value(I, F, s, k, 1)
    if basis == BASIS_CALENDAR:
        set_timer(I, F, s * ts + 1 + k, now + up)
    else:
        F[ssf_ + row * SSF_N + SSF_REMAIN] = up
        F[ssf_ + row * SSF_N + SSF_SEG] = now
        set_timer(I, F, s * ts + 1 + k, now + up if I[sti_ + s * T_N + T_RUN] == 2 else INF)


@nb.njit(**JIT)
def start_down(I, F, s, k, now):
    """Outage source ``k`` takes station ``s`` down now (failure or maintenance)."""
    sc_ = I[O_SC]
    ssi_ = I[O_SSI]
    sti_ = I[O_STI]
    ts = int(F[sc_ + SC_TS])
    I[ssi_ + (s * (ts - 1) + k) * SS_N + SS_PHASE] = OU_DOWN
    set_timer(I, F, s * ts + 1 + k, now + _source_value(I, F, s, k, 2))
    I[sti_ + s * T_N + T_DOWN] += 1
    log_row(I, F, now, L_DOWN, -1, -1, I[sti_ + s * T_N + T_WC], s)
    refresh(I, F, s, now)


# ---- materials ------------------------------------------------------------------------------
@nb.njit(**JIT)
def place_order(I, F, part, qty, now):
    """Order ``qty`` of purchased ``part`` from its supplier now."""
    mi_ = I[O_MI]
    ptf_ = I[O_PTF]
    pti_ = I[O_PTI]
    stream = I[pti_ + part * PT_N + PT_STREAM]
    lead = draw(I, F, stream)
    late = draw(I, F, stream) < F[ptf_ + part * PTF_N + PTF_LATE]
    late_by = draw(I, F, stream)
    short = draw(I, F, stream) < F[ptf_ + part * PTF_N + PTF_SHORT]
    delivered = qty
    if short:
        delivered = int(qty * (1.0 - F[ptf_ + part * PTF_N + PTF_SHORT_FRACTION]))
    I[mi_ + part * M_N + M_ON_ORDER] += qty
    arrival = now + lead + (late_by if late else 0.0)
    heap_push(I, F, arrival, EV_DELIVERY, part, qty, delivered)


@nb.njit(**JIT)
def check_reorder(I, F, part, now):
    """Reorder-point policy: order while stock + on order ≤ reorder point."""
    mi_ = I[O_MI]
    pti_ = I[O_PTI]
    rop = I[pti_ + part * PT_N + PT_ROP]
    roq = I[pti_ + part * PT_N + PT_ROQ]
    if rop < 0 or roq <= 0:
        return
    while I[mi_ + part * M_N + M_STOCK] + I[mi_ + part * M_N + M_ON_ORDER] <= rop:
        place_order(I, F, part, roq, now)


@nb.njit(**JIT)
def try_consume(I, F, s, now):
    """Take the materials of the operation of ``s``; the first missing material or −1."""
    consm_ = I[O_CONSM]
    consq_ = I[O_CONSQ]
    mi_ = I[O_MI]
    opi_ = I[O_OPI]
    sc_ = I[O_SC]
    sti_ = I[O_STI]
    o = I[sti_ + s * T_N + T_OP]
    n = I[sti_ + s * T_N + T_NB]
    start = I[opi_ + o * O_N + O_CONS_START]
    length = I[opi_ + o * O_N + O_CONS_LEN]
    for c in range(start, start + length):
        if I[mi_ + (I[consm_ + c]) * M_N + M_STOCK] < I[consq_ + c] * n:
            return I[consm_ + c]
    n_parts = int(F[sc_ + SC_N_PARTS])
    for c in range(start, start + length):
        m = I[consm_ + c]
        material_touch(I, F, m, now)
        I[mi_ + m * M_N + M_STOCK] -= I[consq_ + c] * n
        if m < n_parts:
            check_reorder(I, F, m, now)
        else:
            replenish(I, F, m - n_parts + int(F[sc_ + SC_N_PRODUCTS]), I[consq_ + c] * n)
    return -1


@nb.njit(**JIT)
def replenish(I, F, jt, quantity):
    """Base stock: an assembly taken from stock is made again (if it has a target)."""
    jti_ = I[O_JTI]
    if I[jti_ + jt * JT_N + JT_TARGET] >= 0:
        I[I[O_BL] + jt] += quantity
        todo_push(I, F, A_RELEASE, I[jti_ + jt * JT_N + JT_FIRST_WC])


@nb.njit(**JIT)
def wait_material(I, F, s, m, now):
    """Station ``s`` waits for material ``m`` (FIFO)."""
    mi_ = I[O_MI]
    sti_ = I[O_STI]
    material_touch(I, F, m, now)
    I[mi_ + m * M_N + M_NWAIT] += 1
    row = mi_ + m * M_N
    fifo_append(I, row + M_WHEAD, row + M_WTAIL, sti_ + T_NEXT, T_N, s)
    I[sti_ + s * T_N + T_PHASE] = PH_WAIT_MAT
    refresh(I, F, s, now)


# ---- the start of an operation ---------------------------------------------------------------
@nb.njit(**JIT)
def begin(I, F, s, now):
    """Station ``s`` holds its job(s): take materials, then a worker, then set up/process."""
    opi_ = I[O_OPI]
    sti_ = I[O_STI]
    if I[opi_ + (I[sti_ + s * T_N + T_OP]) * O_N + O_CONS_LEN] > 0:
        missing = try_consume(I, F, s, now)
        if missing >= 0:
            wait_material(I, F, s, missing, now)
            return
    after_material(I, F, s, now)


@nb.njit(**JIT)
def after_material(I, F, s, now):
    opi_ = I[O_OPI]
    poi_ = I[O_POI]
    sti_ = I[O_STI]
    o = I[sti_ + s * T_N + T_OP]
    q = I[opi_ + o * O_N + O_POOL]
    if q >= 0:
        need = I[opi_ + o * O_N + O_WORKERS]
        if I[poi_ + q * Q_N + Q_BUSY] + need > I[poi_ + q * Q_N + Q_CAP]:
            row = poi_ + q * Q_N
            fifo_append(I, row + Q_WHEAD, row + Q_WTAIL, sti_ + T_NEXT, T_N, s)
            I[sti_ + s * T_N + T_PHASE] = PH_WAIT_WORKER
            refresh(I, F, s, now)
            return
        pool_touch(I, F, q, now)
        I[poi_ + q * Q_N + Q_BUSY] += need
        I[sti_ + s * T_N + T_POOL] = q
    after_worker(I, F, s, now)


@nb.njit(**JIT)
def after_worker(I, F, s, now):
    ji_ = I[O_JI]
    opi_ = I[O_OPI]
    stf_ = I[O_STF]
    sti_ = I[O_STI]
    o = I[sti_ + s * T_N + T_OP]
    setup = I[opi_ + o * O_N + O_SETUP]
    if (
        setup >= 0
        and I[sti_ + s * T_N + T_LAST_TYPE] != I[ji_ + (I[sti_ + s * T_N + T_JOB]) * J_N + J_TYPE]
    ):
        I[sti_ + s * T_N + T_PHASE] = PH_SETUP
        F[stf_ + s * TF_N + TF_REMAIN] = draw(I, F, setup)
        refresh(I, F, s, now)
        return
    start_processing(I, F, s, now)


@nb.njit(**JIT)
def start_processing(I, F, s, now):
    """Draw the processing time (× learning factor) and start working."""
    ji_ = I[O_JI]
    opf_ = I[O_OPF]
    opi_ = I[O_OPI]
    opn_ = I[O_OPN]
    stf_ = I[O_STF]
    sti_ = I[O_STI]
    o = I[sti_ + s * T_N + T_OP]
    time = draw(I, F, I[opi_ + o * O_N + O_TIME])
    exponent = F[opf_ + o * OF_N + OF_LEXP]
    if exponent != 0.0:
        units = I[opn_ + o * 2 + 0] + F[opf_ + o * OF_N + OF_LINIT] + 1.0
        time *= max(F[opf_ + o * OF_N + OF_LFLOOR], units**exponent)
    I[sti_ + s * T_N + T_PHASE] = PH_PROC
    F[stf_ + s * TF_N + TF_REMAIN] = time
    log_row(
        I,
        F,
        now,
        L_START,
        I[ji_ + (I[sti_ + s * T_N + T_JOB]) * J_N + J_TYPE],
        I[sti_ + s * T_N + T_JOB],
        I[sti_ + s * T_N + T_WC],
        s,
    )
    refresh(I, F, s, now)
