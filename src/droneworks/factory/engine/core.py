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

from droneworks.factory.engine import tables
from droneworks.factory.engine.spec import (
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
    ORDER_MASK,
    ORDER_RING,
    RING_LOW,
    RING_MASK,
    ST_ABSENT,
    ST_DOWN,
    ST_OFF,
    ST_SETUP,
    ST_WORKING,
)  # fmt: skip

JIT = {"cache": True, "nogil": True, "boundscheck": False, "error_model": "numpy"}


# ---- timers (tournament tree) ------------------------------------------------------------
@nb.njit(**JIT)
def set_timer(I, F, slot, t):
    """Set timer ``slot`` to time ``t`` (inf: off) and repair the tree above it."""
    timer_at = tables.timer_at(I, F)
    timer_tree = tables.timer_tree(I, F)
    timer_min = tables.timer_min(I, F)
    timer_at[slot] = t
    node = slot + timer_at.shape[0]  # the leaves: node size + k is slot k
    timer_min[node] = t
    while node > 1:  # always up to the root: no early exit to mispredict
        left = node & -2
        node >>= 1
        t_left, t_right = timer_min[left], timer_min[left + 1]
        right = not t_left <= t_right  # ties go left: the lowest slot wins
        timer_tree[node] = timer_tree[left + right]
        timer_min[node] = t_right if right else t_left


# ---- heap of plant-wide events -------------------------------------------------------------
@nb.njit(**JIT)
def _before(I, F, i, j):
    heap = tables.heap(I, F)
    return heap.at[i] < heap.at[j] or (heap.at[i] == heap.at[j] and heap.seq[i] < heap.seq[j])


@nb.njit(**JIT)
def _swap(I, F, i, j):
    heap = tables.heap(I, F)
    heap.at[i], heap.at[j] = heap.at[j], heap.at[i]
    heap.kind[i], heap.kind[j] = heap.kind[j], heap.kind[i]
    heap.a[i], heap.a[j] = heap.a[j], heap.a[i]
    heap.b[i], heap.b[j] = heap.b[j], heap.b[i]
    heap.c[i], heap.c[j] = heap.c[j], heap.c[i]
    heap.seq[i], heap.seq[j] = heap.seq[j], heap.seq[i]


@nb.njit(**JIT)
def heap_push(I, F, t, kind, a, b, c):
    """Schedule plant-wide event ``kind`` with arguments (a, b, c) at ``t``."""
    heap = tables.heap(I, F)
    n = I[G_HEAP_N]
    if n >= heap.n:
        I[G_ERROR] = ERROR_HEAP  # no exceptions in the kernel: the driver reports it
        return
    heap.at[n] = t
    (
        heap.kind[n],
        heap.a[n],
        heap.b[n],
        heap.c[n],
        heap.seq[n],
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
    heap = tables.heap(I, F)
    kind, a, b, c0 = heap.kind[0], heap.a[0], heap.b[0], heap.c[0]
    n = I[G_HEAP_N] - 1
    I[G_HEAP_N] = n
    heap.at[0] = heap.at[n]
    heap.kind[0], heap.a[0], heap.b[0] = heap.kind[n], heap.a[n], heap.b[n]
    heap.c[0], heap.seq[0] = heap.c[n], heap.seq[n]
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
    rings = tables.rings(I, F)
    streams = tables.streams(I, F)
    k = streams.pos[stream]
    value = rings[stream, k & RING_MASK]
    streams.pos[stream] = k + 1
    if streams.fill[stream] - k - 1 < RING_LOW:
        I[G_REFILL] = 1
    return value


# ---- to-do ring (replaces recursion in cascades) ------------------------------------------
@nb.njit(**JIT)
def todo_push(I, F, action, arg):
    """Queue ``action`` on ``arg`` (at most once while it is pending)."""
    pending = tables.pending(I, F)
    todo = tables.todo(I, F)
    if pending[action, arg] == 1:
        return
    pending[action, arg] = 1
    if I[G_TODO_N] >= todo.n:
        I[G_ERROR] = ERROR_TODO
        return
    k = (I[G_TODO_HEAD] + I[G_TODO_N]) & (todo.n - 1)  # the ring's size is a power of two
    todo.action[k], todo.arg[k] = action, arg
    I[G_TODO_N] += 1


@nb.njit(**JIT)
def todo_pop(I, F):
    pending = tables.pending(I, F)
    todo = tables.todo(I, F)
    k = I[G_TODO_HEAD]
    I[G_TODO_HEAD] = (k + 1) & (todo.n - 1)
    I[G_TODO_N] -= 1
    pending[todo.action[k], todo.arg[k]] = 0
    return todo.action[k], todo.arg[k]


# ---- event log and active periods ------------------------------------------------------------
@nb.njit(**JIT)
def log_row(I, F, t, code, job_type, job, wc, station):
    log = tables.log(I, F)
    if I[G_LOG] == 0:
        return
    n = I[G_LOG_N]
    if n >= log.n:
        I[G_LOG_LOST] += 1
        return
    log.at[n] = t
    log.code[n], log.job_type[n], log.job[n], log.wc[n], log.station[n] = (
        code,
        job_type,
        job,
        wc,
        station,
    )
    I[G_LOG_N] = n + 1


@nb.njit(inline="always", **JIT)
def _active(state):
    return state in (ST_WORKING, ST_SETUP, ST_DOWN)


@nb.njit(**JIT)
def station_state_change(I, F, s, new_state, now):
    """Account the time since the last change to the station's old state; switch state."""
    centres = tables.centres(I, F)
    state_min = tables.state_min(I, F)
    state_min_by_period = tables.state_min_by_period(I, F)
    stations = tables.stations(I, F)
    old = stations.state[s]
    if new_state == old:
        return
    w = stations.wc[s]
    elapsed = now - stations.state_since[s]
    if old != ST_ABSENT and elapsed > 0.0:
        state_min[w, old] += elapsed
        state_min_by_period[I[G_PERIOD], w, old] += elapsed
    stations.state_since[s] = now
    stations.state[s] = new_state
    if I[G_AP] == 0:
        return
    # A work centre is active (Roser) while every present station is: one idle or blocked
    # station means the centre has capacity to spare, so it is not what holds the flow.
    was_active = wc_active(I, F, w)
    if old == ST_ABSENT:
        centres.present[w] += 1
    elif new_state == ST_ABSENT:
        centres.present[w] -= 1
    if _active(new_state) and not _active(old):
        centres.active[w] += 1
    elif _active(old) and not _active(new_state):
        centres.active[w] -= 1
    is_active = wc_active(I, F, w)
    if is_active and not was_active:
        centres.active_since[w] = now
    elif was_active and not is_active:
        active_period(I, F, w, centres.active_since[w], now)


@nb.njit(inline="always", **JIT)
def wc_active(I, F, w):
    """True while every present station of work centre ``w`` is active."""
    centres = tables.centres(I, F)
    present = centres.present[w]
    return present > 0 and centres.active[w] == present


@nb.njit(**JIT)
def station_flush(I, F, s, now):
    """Account the time since the last change to the current state (period boundaries)."""
    state_min = tables.state_min(I, F)
    state_min_by_period = tables.state_min_by_period(I, F)
    stations = tables.stations(I, F)
    state = stations.state[s]
    elapsed = now - stations.state_since[s]
    if state != ST_ABSENT and elapsed > 0.0:
        w = stations.wc[s]
        state_min[w, state] += elapsed
        state_min_by_period[I[G_PERIOD], w, state] += elapsed
    stations.state_since[s] = now


@nb.njit(**JIT)
def active_period(I, F, w, start, end):
    active = tables.active(I, F)
    n = I[G_AP_N]
    if n >= active.n:
        I[G_AP_LOST] += 1
        return
    active.start[n], active.end[n] = start, end
    active.wc[n] = w
    I[G_AP_N] = n + 1


# ---- areas: work in process, workers, materials --------------------------------------------
@nb.njit(**JIT)
def wip_change(I, F, delta, now):
    """Add ``delta`` products to the work in process after accounting its area."""
    wip_area_by_period = tables.wip_area_by_period(I, F)
    area = I[G_WIP] * (now - F[GF_WIP_T])
    if I[G_WARM] == 1:
        F[GF_WIP_AREA] += area
    wip_area_by_period[I[G_PERIOD]] += area
    F[GF_WIP_T] = now
    I[G_WIP] += delta


@nb.njit(**JIT)
def order_pool_touch(I, F, jt, now):
    """Account the area of product ``jt``'s order pool (orders not yet released) up to
    ``now``; call before its backlog changes. It counts as work in process."""
    if jt >= int(tables.params(I, F).n_products):
        return
    job_types = tables.job_types(I, F)
    area = max(job_types.backlog[jt], 0) * (now - job_types.pool_since[jt])
    if I[G_WARM] == 1:
        job_types.pool_area[jt] += area
    tables.wip_area_by_period(I, F)[I[G_PERIOD]] += area
    job_types.pool_since[jt] = now


@nb.njit(**JIT)
def order_arrive(I, F, jt, now):
    """An order of product ``jt`` enters the order pool; its time joins the pool's ring
    (first in, first out) unless the ring is full (the order is then counted as untimed)."""
    order_pool_touch(I, F, jt, now)
    job_types = tables.job_types(I, F)
    job_types.backlog[jt] += 1
    job_types.ordered[jt] += I[G_WARM]
    tail = job_types.order_tail[jt]
    if tail - job_types.order_head[jt] < ORDER_RING:
        tables.order_at(I, F)[jt, tail & ORDER_MASK] = now
        job_types.order_tail[jt] = tail + 1
    else:
        job_types.untimed[jt] += 1


@nb.njit(**JIT)
def order_taken(I, F, jt, now):
    """Arrival time of the oldest timed order of product ``jt`` in the pool, taken out of
    it; ``now`` when the pool holds none (a release without an order)."""
    job_types = tables.job_types(I, F)
    head = job_types.order_head[jt]
    if head >= job_types.order_tail[jt]:
        return now
    job_types.order_head[jt] = head + 1
    return tables.order_at(I, F)[jt, head & ORDER_MASK]


@nb.njit(**JIT)
def pool_touch(I, F, q, now):
    """Account worker-minutes (busy and present) of pool ``q`` up to ``now``."""
    pools = tables.pools(I, F)
    if I[G_ON_SHIFT] == 1 and I[G_WARM] == 1:
        elapsed = now - pools.since[q]
        pools.busy_area[q] += min(pools.busy[q], pools.cap[q]) * elapsed
        pools.cap_area[q] += pools.cap[q] * elapsed
    pools.since[q] = now


@nb.njit(**JIT)
def material_touch(I, F, m, now):
    """Account stock-out and starvation minutes of material ``m`` up to ``now``."""
    materials = tables.materials(I, F)
    if I[G_WARM] == 1:
        elapsed = now - materials.since[m]
        if materials.stock[m] <= 0:
            materials.stockout_min[m] += elapsed
        if materials.n_wait[m] > 0:
            materials.starved_min[m] += elapsed
    materials.since[m] = now


@nb.njit(inline="always", **JIT)
def derive_state(I, F, s, phase_state):
    """The KPI state of station ``s`` given the state its phase implies."""
    stations = tables.stations(I, F)
    if stations.present[s] == 0:
        return ST_ABSENT
    if tables.centres(I, F).on_shift[stations.wc[s]] == 0:
        return ST_OFF
    if stations.down[s] > 0:
        return ST_DOWN
    return phase_state
