"""Allocation of the kernel's state tuple ``S`` and the driver's maintenance of it:
ring-buffer refills from the named streams, job-table growth."""

from __future__ import annotations

import numpy as np

from droneworks.factory.engine import layout as lay
from droneworks.factory.engine.variates import VariateStream
from droneworks.factory.problem import Problem

__all__ = ["allocate_state", "grow_jobs", "refill"]


def _tree(n_timers: int) -> tuple[np.ndarray, np.ndarray]:
    size = 2
    while size < n_timers:
        size *= 2
    tim = np.full(size, np.inf)
    win = np.zeros(2 * size, dtype=np.int64)
    win[size:] = np.arange(size)
    for node in range(size - 1, 0, -1):
        win[node] = win[2 * node]
    return tim, win


def _free_list(ji: np.ndarray, first: int) -> None:
    ji[first:, lay.J_TYPE] = -1
    ji[first:, lay.J_NEXT] = np.arange(first + 1, len(ji) + 1)
    ji[-1, lay.J_NEXT] = -1


def allocate_state(
    problem: Problem,
    P: tuple[np.ndarray, ...],
    streams: list[VariateStream],
    job_capacity: int = 1024,
    event_log: bool = False,
    active_periods: bool = False,
) -> list[np.ndarray]:
    """A fresh state for ``problem`` (a list, turned into a tuple for each kernel call)."""
    n_st = problem.n_stations
    ts = int(P[lay.P_SC][lay.SC_TS])
    n_periods = int(P[lay.P_SC][lay.SC_N_PERIODS])
    n_wc, n_jt = len(problem.work_centres), len(problem.job_types)
    n_mat, n_pools, n_parts = len(problem.materials), len(problem.pools), len(problem.parts)
    gi = np.zeros(lay.G_N, dtype=np.int64)
    gi[[lay.G_LOG, lay.G_AP, lay.G_FREE_N]] = [int(event_log), int(active_periods), job_capacity]
    tim, win = _tree(max(n_st * ts, 1))
    ji = np.zeros((job_capacity, lay.J_N), dtype=np.int64)
    _free_list(ji, 0)
    sti = np.zeros((max(n_st, 1), lay.T_N), dtype=np.int64)
    sti[:, [lay.T_JOB, lay.T_NEXT, lay.T_LAST_TYPE, lay.T_POOL]] = -1
    sti[:, lay.T_STATE] = lay.ST_ABSENT
    wci = np.zeros((max(n_wc, 1), lay.W_N), dtype=np.int64)
    wci[:, [lay.W_QHEAD, lay.W_QTAIL, lay.W_BHEAD, lay.W_BTAIL]] = -1
    poi = np.zeros((n_pools, lay.Q_N), dtype=np.int64)
    poi[:, lay.Q_CAP] = problem.pool_workers
    poi[:, [lay.Q_WHEAD, lay.Q_WTAIL]] = -1
    mi = np.zeros((n_mat, lay.M_N), dtype=np.int64)
    mi[:n_parts, lay.M_STOCK] = problem.part_initial
    mi[n_parts:, lay.M_STOCK] = problem.jt_initial_stock[len(problem.products) :]
    mi[:, [lay.M_WHEAD, lay.M_WTAIL]] = -1
    n_streams = len(streams)
    rnd = np.zeros((max(n_streams, 1), lay.RING))
    for k, stream in enumerate(streams):
        rnd[k] = stream.take(lay.RING)
    rfill = np.full(max(n_streams, 1), lay.RING, dtype=np.int64)
    log_rows = lay.LOG_ROWS if event_log else 1
    ap_rows = lay.AP_ROWS if active_periods else 1
    widest = max(n_st, n_wc, n_mat, n_pools, 1)
    state: list[np.ndarray] = [
        gi, np.zeros(lay.GF_N), tim, win, np.zeros(lay.HEAP_CAP),
        np.zeros((lay.HEAP_CAP, 5), dtype=np.int64), ji, np.zeros(job_capacity),
        sti, np.zeros((max(n_st, 1), lay.TF_N)),
        np.zeros((max(n_st * (ts - 1), 1), lay.SS_N), dtype=np.int64),
        np.zeros((max(n_st * (ts - 1), 1), lay.SSF_N)), wci, np.zeros((max(n_wc, 1), lay.WF_N)),
        poi, np.zeros((n_pools, lay.QF_N)), mi, np.zeros((n_mat, lay.MF_N)),
        np.zeros(n_jt, dtype=np.int64), np.zeros((len(problem.operations), 2), dtype=np.int64),
        rnd, np.zeros(max(n_streams, 1), dtype=np.int64), rfill,
        np.zeros((n_jt, lay.K_N), dtype=np.int64), np.zeros((n_jt, lay.KF_N)),
        np.zeros((max(n_wc, 1), lay.N_STATES)), np.zeros((n_periods, max(n_wc, 1), lay.N_STATES)),
        np.zeros((n_periods, n_jt), dtype=np.int64), np.zeros(n_periods),
        np.zeros((n_periods, n_parts)), np.zeros(lay.HIST_BINS, dtype=np.int64),
        np.zeros(log_rows), np.zeros((log_rows, 5), dtype=np.int64),
        np.zeros((ap_rows, 2)), np.zeros(ap_rows, dtype=np.int64),
        np.zeros((5 * widest + 64, 2), dtype=np.int64),  # ≤ one entry per (action, arg)
        np.zeros((5, widest), dtype=np.int64),
    ]  # fmt: skip
    return state


def refill(state: list[np.ndarray], streams: list[VariateStream]) -> None:
    """Top up every ring buffer that has room for at least a quarter of its size."""
    rnd, pos, fill = state[lay.S_RND], state[lay.S_RPOS], state[lay.S_RFILL]
    for k in np.flatnonzero(pos + lay.RING - fill >= lay.RING // 4):
        count = int(pos[k] + lay.RING - fill[k])
        values = streams[k].take(count)
        start = int(fill[k]) & lay.RING_MASK
        first = min(count, lay.RING - start)  # up to the end of the ring, then wrap
        rnd[k, start : start + first] = values[:first]
        rnd[k, : count - first] = values[first:]
        fill[k] += count


def grow_jobs(state: list[np.ndarray]) -> None:
    """Double the job table (keeps every job's index and the free list)."""
    ji, jf, gi = state[lay.S_JI], state[lay.S_JF], state[lay.S_GI]
    old = len(ji)
    new_ji = np.zeros((2 * old, lay.J_N), dtype=np.int64)
    new_ji[:old] = ji
    _free_list(new_ji, old)
    new_ji[-1, lay.J_NEXT] = gi[lay.G_FREE_HEAD]
    gi[lay.G_FREE_HEAD] = old
    gi[lay.G_FREE_N] += old
    new_jf = np.zeros(2 * old)
    new_jf[:old] = jf
    state[lay.S_JI], state[lay.S_JF] = new_ji, new_jf


def flatten(
    packed: tuple[np.ndarray, ...], state: list[np.ndarray]
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Copy the problem tables and the state into the kernel's flat arrays (I, F).

    Returns (I, F, views): ``views`` replaces ``state`` (same order, same shapes) as numpy
    views into I and F, so the driver reads and writes what the kernel sees.
    """
    tables = list(packed) + state[2:]
    sizes_i = sum(t.size for t in tables if t.dtype == np.int64)
    sizes_f = sum(t.size for t in tables if t.dtype != np.int64)
    flat_i = np.zeros(lay.HEADER_END + sizes_i, dtype=np.int64)
    flat_f = np.zeros(lay.GF_N + sizes_f)
    flat_i[: lay.G_N] = state[lay.S_GI]
    flat_f[: lay.GF_N] = state[lay.S_GF]
    cursor = {"i": lay.HEADER_END, "f": lay.GF_N}
    views: list[np.ndarray] = [flat_i[: lay.G_N], flat_f[: lay.GF_N]]
    for k, table in enumerate(tables):
        kind = "i" if table.dtype == np.int64 else "f"
        flat = flat_i if kind == "i" else flat_f
        start = cursor[kind]
        rows = table.shape[0] if table.ndim else 1
        columns = int(np.prod(table.shape[1:])) if table.ndim > 1 else 1
        header = lay.G_N + 3 * k
        flat_i[header : header + 3] = (start, rows, columns)
        flat[start : start + table.size] = table.reshape(-1)
        cursor[kind] = start + table.size
        if k >= len(packed):
            views.append(flat[start : start + table.size].reshape(table.shape))
    return flat_i, flat_f, views
