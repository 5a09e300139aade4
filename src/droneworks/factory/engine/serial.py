# ruff: noqa: E741  (I and F are the kernel's flat int and float memory)
# numba kernel code: untyped by nature, checked by its tests
# mypy: ignore-errors
"""An exact fast path for pure serial lines (the reference line of the benchmarks).

A line qualifies when it has one product released from infinite raw material, one
single-station work centre per operation in routing order, finite or infinite buffers, at
most one failure mode per station (calendar time, pre-emptive, random), around-the-clock
work and nothing else (no setups, batches, workers, parts, tests, learning, capacity
changes, warm-up, event log or active periods). The general kernel handles such a line
too; this one skips its generality (queues of job records, to-do cascades, the heap) and
keeps a few numbers per station. It draws the same values from the same streams at the
same instants and applies the same rules — blocking after service, a station takes its
next part as soon as it is empty even while down, failures pre-empt and the remaining work
resumes after repair — so both count exactly the same units (``tests/factory/engine``
checks it); ties are broken in the same order (lowest station first, its end of processing
before its failure).
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from droneworks.factory import problem as p
from droneworks.factory.engine.core import JIT, borrowed, draw
from droneworks.factory.engine.layout import (
    G_PERIOD,
    G_REFILL,
    GF_WIP_AREA,
    HIST_BINS,
    INF,
    K_DONE,
    K_FIRST_PASS,
    K_RELEASED,
    KF_LEAD_SQ,
    KF_LEAD_SUM,
    KF_SOJOURN,
    N_STATES,
    O_HIST,
    O_KJF,
    O_KJI,
    O_OUTP,
    O_SC,
    O_WCSP,
    O_WCST,
    O_WIPP,
    SC_HIST_LO,
    SC_HIST_PER_DECADE,
    SC_N_PERIODS,
    SC_PERIOD,
    ST_BLOCKED,
    ST_DOWN,
    ST_STARVED,
    ST_WORKING,
    STATUS_REFILL,
    STATUS_STOP,
)  # fmt: skip
from droneworks.factory.problem import Problem

__all__ = ["is_serial_line", "line_state"]

# per-station int columns and float columns of the line state
HAS, BLOCKED, DOWN, STATE, QUEUE, CAP, PSTREAM, FSTREAM, LI_N = range(9)
REMAIN, SEG, SINCE, FINISH, FAIL_T, LF_N = range(6)
# line globals (row n of the int table / float table)
LG_HEAD, LG_TAIL, LG_WIP = range(3)
LGF_NOW, LGF_WIP_T, LGF_NEXT_PERIOD = range(3)


def is_serial_line(problem: Problem) -> bool:
    """True when ``problem`` fits the fast path (see the module docstring)."""
    pr = problem
    n = len(pr.work_centres)
    ops = pr.route_ops
    checks = [
        len(pr.products) == 1 and not pr.assemblies and not pr.parts and not pr.pools,
        pr.release_mode == p.RELEASE_SATURATE and pr.warmup_min == 0.0 and pr.conwip_cap < 0,
        len(pr.operations) == n and list(ops) == list(range(n)),
        list(pr.op_wc) == list(range(n)),
        bool(np.all(pr.wc_stations == 1)) and bool(np.all(pr.wc_max_stations == 1)),
        bool(np.all(pr.op_setup_stream < 0)) and bool(np.all(pr.op_batch == 1)),
        bool(np.all(pr.op_pool < 0)) and bool(np.all(pr.op_cons_len == 0)),
        bool(np.all(pr.op_test_stream < 0)) and bool(np.all(pr.op_learning[:, 0] == 0.0)),
        bool(np.all(pr.wc_source_len <= 1)) and len(pr.change_time) == 0,
        bool(np.all(pr.source_basis == p.BASIS_CALENDAR)),
        bool(np.all(pr.source_preempts == 1)) and bool(np.all(pr.source_stream >= 0)),
        pr.is_continuous,
    ]
    return all(checks)


def line_state(problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    """The fast path's own state: (int table, float table), one row per station + globals."""
    n = len(problem.work_centres)
    li = np.zeros((n + 1, LI_N), dtype=np.int64)
    li[:n, CAP] = problem.wc_buffer
    li[:n, PSTREAM] = problem.op_time_stream
    li[:n, FSTREAM] = -1
    for w in range(n):
        if problem.wc_source_len[w]:
            li[w, FSTREAM] = problem.source_stream[problem.wc_source_start[w]]
    li[:n, STATE] = ST_STARVED
    wip_bound = n + int(np.maximum(problem.wc_buffer, 0).sum()) + 2
    if np.any(problem.wc_buffer[1:] < 0):
        wip_bound = 1 << 20  # unlimited buffers: the release ring must be large
    lf = np.zeros(n * LF_N + 3 + wip_bound)
    return li, lf


@nb.njit(**JIT)
def _account(I, F, li, lf, k, state, now):
    old = li[k, STATE]
    if old == state:
        return
    elapsed = now - lf[k * LF_N + SINCE]
    F[I[O_WCST] + k * N_STATES + old] += elapsed
    F[I[O_WCSP] + I[G_PERIOD] * I[O_WCSP + 2] + k * N_STATES + old] += elapsed
    lf[k * LF_N + SINCE] = now
    li[k, STATE] = state


@nb.njit(**JIT)
def _flush(I, F, li, lf, k, now):
    """Account the time since the last change to the current state (period ends)."""
    state = li[k, STATE]
    elapsed = now - lf[k * LF_N + SINCE]
    lf[k * LF_N + SINCE] = now
    F[I[O_WCST] + k * N_STATES + state] += elapsed
    F[I[O_WCSP] + I[G_PERIOD] * I[O_WCSP + 2] + k * N_STATES + state] += elapsed


@nb.njit(**JIT)
def _refresh(I, F, li, lf, k, now):
    if li[k, DOWN] == 1:
        state = ST_DOWN
    elif li[k, BLOCKED] == 1:
        state = ST_BLOCKED
    elif li[k, HAS] == 1:
        state = ST_WORKING
    else:
        state = ST_STARVED
    _account(I, F, li, lf, k, state, now)


@nb.njit(**JIT)
def _wip(I, F, li, lf, delta, now):
    n = li.shape[0] - 1
    base = n * LF_N
    area = li[n, LG_WIP] * (now - lf[base + LGF_WIP_T])
    F[GF_WIP_AREA] += area
    F[I[O_WIPP] + I[G_PERIOD]] += area
    lf[base + LGF_WIP_T] = now
    li[n, LG_WIP] += delta


@nb.njit(**JIT)
def _start(I, F, li, lf, k, now):
    """Station ``k`` takes a part: draw its processing time; run it if up."""
    li[k, HAS] = 1
    lf[k * LF_N + REMAIN] = draw(I, F, li[k, PSTREAM])
    if li[k, DOWN] == 0:
        lf[k * LF_N + SEG] = now
        lf[k * LF_N + FINISH] = now + lf[k * LF_N + REMAIN]
    _refresh(I, F, li, lf, k, now)


@nb.njit(**JIT)
def _release(I, F, li, lf, now):
    n = li.shape[0] - 1
    ring = lf.shape[0] - n * LF_N - 3
    lf[n * LF_N + 3 + li[n, LG_TAIL] % ring] = now
    li[n, LG_TAIL] += 1
    I[I[O_KJI] + K_RELEASED] += 1
    _wip(I, F, li, lf, 1, now)
    _start(I, F, li, lf, 0, now)


@nb.njit(**JIT)
def _complete(I, F, li, lf, now):
    n = li.shape[0] - 1
    ring = lf.shape[0] - n * LF_N - 3
    released = lf[n * LF_N + 3 + li[n, LG_HEAD] % ring]
    li[n, LG_HEAD] += 1
    _wip(I, F, li, lf, -1, now)
    lead = now - released
    kji, kjf, sc = I[O_KJI], I[O_KJF], I[O_SC]
    I[kji + K_DONE] += 1
    I[kji + K_FIRST_PASS] += 1
    F[kjf + KF_LEAD_SUM] += lead
    F[kjf + KF_LEAD_SQ] += lead * lead
    F[kjf + KF_SOJOURN] += lead
    I[I[O_OUTP] + I[G_PERIOD] * I[O_OUTP + 2]] += 1
    position = (math.log10(max(lead, 1e-300)) - F[sc + SC_HIST_LO]) * F[sc + SC_HIST_PER_DECADE]
    I[I[O_HIST] + min(max(int(position), 0), HIST_BINS - 1)] += 1


@nb.njit(**JIT)
def _finish(I, F, li, lf, k, now):
    """Station ``k`` finished its part: pass it on or block; cascade upstream."""
    n = li.shape[0] - 1
    lf[k * LF_N + FINISH] = INF
    while True:
        if k == n - 1:
            _complete(I, F, li, lf, now)
        elif li[k + 1, HAS] == 0:
            _start(I, F, li, lf, k + 1, now)
        elif li[k + 1, CAP] < 0 or li[k + 1, QUEUE] < li[k + 1, CAP]:
            li[k + 1, QUEUE] += 1
        else:
            li[k, BLOCKED] = 1
            _refresh(I, F, li, lf, k, now)
            return
        li[k, BLOCKED] = 0
        li[k, HAS] = 0
        if k == 0:
            _release(I, F, li, lf, now)
            return
        if li[k, QUEUE] > 0:
            li[k, QUEUE] -= 1
            _start(I, F, li, lf, k, now)
        else:
            _refresh(I, F, li, lf, k, now)
        if li[k - 1, BLOCKED] == 0:
            return
        k -= 1  # room appeared: the blocked upstream station hands its part on


@nb.njit(**JIT)
def _outage(I, F, li, lf, k, now):
    row = k * LF_N
    if li[k, DOWN] == 0:
        li[k, DOWN] = 1
        lf[row + FAIL_T] = now + draw(I, F, li[k, FSTREAM])
        if lf[row + FINISH] < INF:
            lf[row + REMAIN] -= now - lf[row + SEG]
            lf[row + FINISH] = INF
    else:
        li[k, DOWN] = 0
        lf[row + FAIL_T] = now + draw(I, F, li[k, FSTREAM])
        if li[k, HAS] == 1 and li[k, BLOCKED] == 0:
            lf[row + SEG] = now
            lf[row + FINISH] = now + lf[row + REMAIN]
    _refresh(I, F, li, lf, k, now)


@nb.njit(**JIT)
def _period(I, F, li, lf, now):
    n = li.shape[0] - 1
    for k in range(n):
        _flush(I, F, li, lf, k, now)
    _wip(I, F, li, lf, 0, now)
    I[G_PERIOD] += 1
    sc = I[O_SC]
    following = (I[G_PERIOD] + 1) * F[sc + SC_PERIOD]
    more = I[G_PERIOD] + 1 < F[sc + SC_N_PERIODS]
    lf[n * LF_N + LGF_NEXT_PERIOD] = following if more else INF


@nb.njit(inline="always", **JIT)
def init_line(I, F, li, lf):
    """Failures start, station 1 takes its first part."""
    I, F = borrowed(I), borrowed(F)
    n = li.shape[0] - 1
    for k in range(n):
        lf[k * LF_N + FINISH] = INF
        lf[k * LF_N + FAIL_T] = INF
        if li[k, FSTREAM] >= 0:
            lf[k * LF_N + FAIL_T] = draw(I, F, li[k, FSTREAM])
    sc = I[O_SC]
    lf[n * LF_N + LGF_NEXT_PERIOD] = F[sc + SC_PERIOD] if F[sc + SC_N_PERIODS] > 1 else INF
    _release(I, F, li, lf, 0.0)


@nb.njit(inline="always", **JIT)
def run_line(I, F, li, lf, stop_t):
    """Process events before ``stop_t``; returns a STATUS_* code."""
    I, F = borrowed(I), borrowed(F)
    n = li.shape[0] - 1
    while True:
        best = INF
        station = -1
        failure = False
        for k in range(n):
            if lf[k * LF_N + FINISH] < best:
                best, station, failure = lf[k * LF_N + FINISH], k, False
            if lf[k * LF_N + FAIL_T] < best:
                best, station, failure = lf[k * LF_N + FAIL_T], k, True
        period_t = lf[n * LF_N + LGF_NEXT_PERIOD]
        if period_t <= best and period_t < stop_t:
            _period(I, F, li, lf, period_t)
            continue
        if best >= stop_t:
            return STATUS_STOP
        lf[n * LF_N + LGF_NOW] = best
        if failure:
            _outage(I, F, li, lf, station, best)
        else:
            _finish(I, F, li, lf, station, best)
        if I[G_REFILL] == 1:
            I[G_REFILL] = 0
            return STATUS_REFILL


@nb.njit(inline="always", **JIT)
def finalize_line(I, F, li, lf, t_end):
    """Account open intervals up to ``t_end``; returns the minutes the parts still in the
    line spent there (for Little's law)."""
    I, F = borrowed(I), borrowed(F)
    n = li.shape[0] - 1
    for k in range(n):
        _flush(I, F, li, lf, k, t_end)
    _wip(I, F, li, lf, 0, t_end)
    ring = lf.shape[0] - n * LF_N - 3
    residual = 0.0
    for index in range(li[n, LG_HEAD], li[n, LG_TAIL]):
        residual += t_end - lf[n * LF_N + 3 + index % ring]
    return residual


@nb.njit(**JIT)
def entry_line(I, F, li, lf, action, t):
    """The fast path's one compiled entry point: 0 init, 1 run until ``t``, 2 finalize."""
    if action == 0:
        init_line(I, F, li, lf)
        return 0.0
    if action == 1:
        return float(run_line(I, F, li, lf, t))
    return finalize_line(I, F, li, lf, t)
