# ruff: noqa: E741  (I and F are the kernel's flat int and float memory)
# numba kernel code: untyped by nature, checked by its tests
# mypy: ignore-errors
"""Kernel primitives: timers, the event heap, random draws, the to-do ring, logging, and
the time accounting behind the KPIs. No domain logic lives here.

Timers: every station has one slot for the end of its setup/processing and one per outage
source; a tournament tree over all slots gives the next one in O(1) and updates in
O(log n), lowest slot first on ties. Rarer plant-wide events (shift changes, periods,
deliveries, releases, capacity changes) go through a binary heap ordered by (time, seq).
"""

from __future__ import annotations

import numba as nb
from numba.core import cgutils
from numba.extending import intrinsic

from droneworks.factory.engine.layout import (
    ERROR_HEAP,
    ERROR_TODO,
    G_AP,
    G_AP_LOST,
    G_AP_N,
    G_ERROR,
    G_HEAP_N,
    G_LOG,
    G_LOG_LOST,
    G_LOG_N,
    G_ON_SHIFT,
    G_PERIOD,
    G_REFILL,
    G_SEQ,
    G_TODO_HEAD,
    G_TODO_N,
    G_WARM,
    G_WIP,
    GF_WIP_AREA,
    GF_WIP_T,
    KF_N,
    KF_POOL_AREA,
    KF_POOL_T,
    M_N,
    M_NWAIT,
    M_STOCK,
    MF_N,
    MF_STARVED,
    MF_STOCKOUT,
    MF_T,
    N_STATES,
    O_APF,
    O_API,
    O_BL,
    O_HI,
    O_HT,
    O_KJF,
    O_LOGF,
    O_LOGI,
    O_MF,
    O_MI,
    O_PEND,
    O_POF,
    O_POI,
    O_RFILL,
    O_RND,
    O_RPOS,
    O_SC,
    O_STF,
    O_STI,
    O_TIM,
    O_TODO,
    O_WCF,
    O_WCI,
    O_WCSP,
    O_WCST,
    O_WIN,
    O_WIPP,
    Q_BUSY,
    Q_CAP,
    Q_N,
    QF_BUSY_AREA,
    QF_CAP_AREA,
    QF_N,
    QF_T,
    RING,
    RING_LOW,
    RING_MASK,
    SC_N_PRODUCTS,
    ST_ABSENT,
    ST_DOWN,
    ST_OFF,
    ST_SETUP,
    ST_WORKING,
    T_DOWN,
    T_N,
    T_PRESENT,
    T_STATE,
    T_WC,
    TF_N,
    TF_SINCE,
    W_ACTIVE,
    W_N,
    W_PRESENT,
    WF_ACTIVE_SINCE,
    WF_N,
)  # fmt: skip

JIT = {"cache": True, "nogil": True, "boundscheck": False}


@intrinsic
def borrowed(typingctx, array):
    """The same array without its memory-info pointer: numba's reference counting of it
    becomes a no-op. Only for arrays the caller keeps alive (the kernel's I and F)."""

    def codegen(context, builder, signature, args):
        view = context.make_array(signature.args[0])(context, builder, value=args[0])
        view.meminfo = cgutils.get_null_value(view.meminfo.type)
        return view._getvalue()

    return array(array), codegen


# ---- timers (tournament tree) ------------------------------------------------------------
@nb.njit(**JIT)
def set_timer(I, F, slot, t):
    """Set timer ``slot`` to time ``t`` (inf: off) and repair the tree above it."""
    tim_ = I[O_TIM]
    win_ = I[O_WIN]
    F[tim_ + slot] = t
    size = I[O_WIN + 1] // 2
    node = (slot + size) >> 1
    while node > 0:
        left = I[win_ + (2 * node)]
        right = I[win_ + (2 * node + 1)]
        winner = left if F[tim_ + left] <= F[tim_ + right] else right
        before = I[win_ + node]
        if winner == before and winner != slot:
            return  # same winner with the same time: nothing above changes
        I[win_ + node] = winner
        node >>= 1


# ---- heap of plant-wide events -------------------------------------------------------------
@nb.njit(**JIT)
def _before(I, F, i, j):
    hi_ = I[O_HI]
    ht_ = I[O_HT]
    return F[ht_ + i] < F[ht_ + j] or (
        F[ht_ + i] == F[ht_ + j] and I[hi_ + i * 5 + 4] < I[hi_ + j * 5 + 4]
    )


@nb.njit(**JIT)
def _swap(I, F, i, j):
    hi_ = I[O_HI]
    ht_ = I[O_HT]
    F[ht_ + i], F[ht_ + j] = F[ht_ + j], F[ht_ + i]
    for c in range(5):
        I[hi_ + i * 5 + c], I[hi_ + j * 5 + c] = I[hi_ + j * 5 + c], I[hi_ + i * 5 + c]


@nb.njit(**JIT)
def heap_push(I, F, t, kind, a, b, c):
    """Schedule plant-wide event ``kind`` with arguments (a, b, c) at ``t``."""
    hi_ = I[O_HI]
    ht_ = I[O_HT]
    n = I[G_HEAP_N]
    if n >= I[O_HT + 1]:
        I[G_ERROR] = ERROR_HEAP  # no exceptions in the kernel: the driver reports it
        return
    F[ht_ + n] = t
    (
        I[hi_ + n * 5 + 0],
        I[hi_ + n * 5 + 1],
        I[hi_ + n * 5 + 2],
        I[hi_ + n * 5 + 3],
        I[hi_ + n * 5 + 4],
    ) = kind, a, b, c, I[G_SEQ]
    I[G_SEQ] += 1
    I[G_HEAP_N] = n + 1
    while n > 0:
        parent = (n - 1) >> 1
        if not _before(I, F, n, parent):
            break
        _swap(I, F, n, parent)
        n = parent


@nb.njit(**JIT)
def heap_pop(I, F):
    """Remove the earliest event; returns (kind, a, b, c)."""
    hi_ = I[O_HI]
    ht_ = I[O_HT]
    kind, a, b, c0 = I[hi_ + 0 * 5 + 0], I[hi_ + 0 * 5 + 1], I[hi_ + 0 * 5 + 2], I[hi_ + 0 * 5 + 3]
    n = I[G_HEAP_N] - 1
    I[G_HEAP_N] = n
    F[ht_ + 0] = F[ht_ + n]
    for c in range(5):
        I[hi_ + 0 * 5 + c] = I[hi_ + n * 5 + c]
    i = 0
    while True:
        left = 2 * i + 1
        if left >= n:
            break
        child = left
        if left + 1 < n and _before(I, F, left + 1, left):
            child = left + 1
        if not _before(I, F, child, i):
            break
        _swap(I, F, i, child)
        i = child
    return kind, a, b, c0


# ---- random values (ring buffers refilled by the driver) ----------------------------------
@nb.njit(**JIT)
def draw(I, F, stream):
    """The next value of ``stream``; asks for a refill when its ring runs low."""
    rfill_ = I[O_RFILL]
    rnd_ = I[O_RND]
    rpos_ = I[O_RPOS]
    k = I[rpos_ + stream]
    value = F[rnd_ + stream * RING + (k & RING_MASK)]
    I[rpos_ + stream] = k + 1
    if I[rfill_ + stream] - k - 1 < RING_LOW:
        I[G_REFILL] = 1
    return value


# ---- to-do ring (replaces recursion in cascades) ------------------------------------------
@nb.njit(**JIT)
def todo_push(I, F, action, arg):
    """Queue ``action`` on ``arg`` (at most once while it is pending)."""
    pend_ = I[O_PEND]
    todo_ = I[O_TODO]
    if I[pend_ + action * I[O_PEND + 2] + arg] == 1:
        return
    I[pend_ + action * I[O_PEND + 2] + arg] = 1
    size = I[O_TODO + 1]
    if I[G_TODO_N] >= size:
        I[G_ERROR] = ERROR_TODO
        return
    k = (I[G_TODO_HEAD] + I[G_TODO_N]) % size
    I[todo_ + k * 2 + 0], I[todo_ + k * 2 + 1] = action, arg
    I[G_TODO_N] += 1


@nb.njit(**JIT)
def todo_pop(I, F):
    pend_ = I[O_PEND]
    todo_ = I[O_TODO]
    k = I[G_TODO_HEAD]
    I[G_TODO_HEAD] = (k + 1) % I[O_TODO + 1]
    I[G_TODO_N] -= 1
    I[pend_ + (I[todo_ + k * 2 + 0]) * I[O_PEND + 2] + (I[todo_ + k * 2 + 1])] = 0
    return I[todo_ + k * 2 + 0], I[todo_ + k * 2 + 1]


# ---- event log and active periods ------------------------------------------------------------
@nb.njit(**JIT)
def log_row(I, F, t, code, job_type, job, wc, station):
    logf_ = I[O_LOGF]
    logi_ = I[O_LOGI]
    if I[G_LOG] == 0:
        return
    n = I[G_LOG_N]
    if n >= I[O_LOGF + 1]:
        I[G_LOG_LOST] += 1
        return
    F[logf_ + n] = t
    base = logi_ + n * 5
    I[base], I[base + 1], I[base + 2], I[base + 3], I[base + 4] = code, job_type, job, wc, station
    I[G_LOG_N] = n + 1


@nb.njit(**JIT)
def _active(state):
    return state in (ST_WORKING, ST_SETUP, ST_DOWN)


@nb.njit(**JIT)
def station_state_change(I, F, s, new_state, now):
    """Account the time since the last change to the station's old state; switch state."""
    stf_ = I[O_STF]
    sti_ = I[O_STI]
    wcf_ = I[O_WCF]
    wci_ = I[O_WCI]
    wcsp_ = I[O_WCSP]
    wcst_ = I[O_WCST]
    old = I[sti_ + s * T_N + T_STATE]
    if new_state == old:
        return
    w = I[sti_ + s * T_N + T_WC]
    elapsed = now - F[stf_ + s * TF_N + TF_SINCE]
    if old != ST_ABSENT and elapsed > 0.0:
        F[wcst_ + w * N_STATES + old] += elapsed
        F[wcsp_ + (I[G_PERIOD]) * I[O_WCSP + 2] + w * N_STATES + old] += elapsed
    F[stf_ + s * TF_N + TF_SINCE] = now
    I[sti_ + s * T_N + T_STATE] = new_state
    if I[G_AP] == 0:
        return
    # A work centre is active (Roser) while every present station is: one idle or blocked
    # station means the centre has capacity to spare, so it is not what holds the flow.
    was_active = wc_active(I, w)
    if old == ST_ABSENT:
        I[wci_ + w * W_N + W_PRESENT] += 1
    elif new_state == ST_ABSENT:
        I[wci_ + w * W_N + W_PRESENT] -= 1
    if _active(new_state) and not _active(old):
        I[wci_ + w * W_N + W_ACTIVE] += 1
    elif _active(old) and not _active(new_state):
        I[wci_ + w * W_N + W_ACTIVE] -= 1
    is_active = wc_active(I, w)
    if is_active and not was_active:
        F[wcf_ + w * WF_N + WF_ACTIVE_SINCE] = now
    elif was_active and not is_active:
        active_period(I, F, w, F[wcf_ + w * WF_N + WF_ACTIVE_SINCE], now)


@nb.njit(**JIT)
def wc_active(I, w):
    """True while every present station of work centre ``w`` is active."""
    wci_ = I[O_WCI]
    present = I[wci_ + w * W_N + W_PRESENT]
    return present > 0 and I[wci_ + w * W_N + W_ACTIVE] == present


@nb.njit(**JIT)
def station_flush(I, F, s, now):
    """Account the time since the last change to the current state (period boundaries)."""
    stf_ = I[O_STF]
    sti_ = I[O_STI]
    wcsp_ = I[O_WCSP]
    wcst_ = I[O_WCST]
    state = I[sti_ + s * T_N + T_STATE]
    elapsed = now - F[stf_ + s * TF_N + TF_SINCE]
    if state != ST_ABSENT and elapsed > 0.0:
        w = I[sti_ + s * T_N + T_WC]
        F[wcst_ + w * N_STATES + state] += elapsed
        F[wcsp_ + (I[G_PERIOD]) * I[O_WCSP + 2] + w * N_STATES + state] += elapsed
    F[stf_ + s * TF_N + TF_SINCE] = now


@nb.njit(**JIT)
def active_period(I, F, w, start, end):
    apf_ = I[O_APF]
    api_ = I[O_API]
    n = I[G_AP_N]
    if n >= I[O_APF + 1]:
        I[G_AP_LOST] += 1
        return
    F[apf_ + n * 2 + 0], F[apf_ + n * 2 + 1] = start, end
    I[api_ + n] = w
    I[G_AP_N] = n + 1


# ---- areas: work in process, workers, materials --------------------------------------------
@nb.njit(**JIT)
def wip_change(I, F, delta, now):
    """Add ``delta`` products to the work in process after accounting its area."""
    wipp_ = I[O_WIPP]
    area = I[G_WIP] * (now - F[GF_WIP_T])
    if I[G_WARM] == 1:
        F[GF_WIP_AREA] += area
    F[wipp_ + (I[G_PERIOD])] += area
    F[GF_WIP_T] = now
    I[G_WIP] += delta


@nb.njit(**JIT)
def order_pool_touch(I, F, jt, now):
    """Account the area of product ``jt``'s order pool (orders not yet released) up to
    ``now``; call before its backlog changes. It counts as work in process."""
    if jt >= int(F[I[O_SC] + SC_N_PRODUCTS]):
        return
    kjf_ = I[O_KJF] + jt * KF_N
    area = max(I[I[O_BL] + jt], 0) * (now - F[kjf_ + KF_POOL_T])
    if I[G_WARM] == 1:
        F[kjf_ + KF_POOL_AREA] += area
    F[I[O_WIPP] + (I[G_PERIOD])] += area
    F[kjf_ + KF_POOL_T] = now


@nb.njit(**JIT)
def pool_touch(I, F, q, now):
    """Account worker-minutes (busy and present) of pool ``q`` up to ``now``."""
    pof_ = I[O_POF]
    poi_ = I[O_POI]
    if I[G_ON_SHIFT] == 1 and I[G_WARM] == 1:
        elapsed = now - F[pof_ + q * QF_N + QF_T]
        F[pof_ + q * QF_N + QF_BUSY_AREA] += (
            min(I[poi_ + q * Q_N + Q_BUSY], I[poi_ + q * Q_N + Q_CAP]) * elapsed
        )
        F[pof_ + q * QF_N + QF_CAP_AREA] += I[poi_ + q * Q_N + Q_CAP] * elapsed
    F[pof_ + q * QF_N + QF_T] = now


@nb.njit(**JIT)
def material_touch(I, F, m, now):
    """Account stock-out and starvation minutes of material ``m`` up to ``now``."""
    mf_ = I[O_MF]
    mi_ = I[O_MI]
    if I[G_WARM] == 1:
        elapsed = now - F[mf_ + m * MF_N + MF_T]
        if I[mi_ + m * M_N + M_STOCK] <= 0:
            F[mf_ + m * MF_N + MF_STOCKOUT] += elapsed
        if I[mi_ + m * M_N + M_NWAIT] > 0:
            F[mf_ + m * MF_N + MF_STARVED] += elapsed
    F[mf_ + m * MF_N + MF_T] = now


@nb.njit(**JIT)
def derive_state(I, F, s, phase_state):
    """The KPI state of station ``s`` given the state its phase implies."""
    sti_ = I[O_STI]
    if I[sti_ + s * T_N + T_PRESENT] == 0:
        return ST_ABSENT
    if I[G_ON_SHIFT] == 0:
        return ST_OFF
    if I[sti_ + s * T_N + T_DOWN] > 0:
        return ST_DOWN
    return phase_state
