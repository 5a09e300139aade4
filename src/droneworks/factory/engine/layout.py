"""Array layout shared by the kernel and its Python driver.

The kernel sees two tuples of numpy arrays: ``P`` (the problem, read-only, packed into a
few int/float tables) and ``S`` (the whole mutable state, so a run can stop at any event and
resume: chunks of simulated time, ring-buffer refills, job-table growth, log flushes).
Column names of each table are module constants, which numba freezes into the code.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from droneworks.factory.problem import (  # noqa: F401  (re-exported to the kernel)
    BASIS_BUSY,
    BASIS_CALENDAR,
    BASIS_OPERATIONS,
    CHANGE_STATIONS,
    CHANGE_WORKERS,
    RELEASE_PLAN,
    RELEASE_RATE,
    RELEASE_SATURATE,
    Problem,
)

# ---- problem tuple P ---------------------------------------------------------------------
(P_SC, P_OPI, P_OPF, P_JTI, P_WCI, P_SRCI, P_SRCF, P_PTI, P_PTF, P_ROUTE, P_SUBT, P_SUBQ,
 P_CONSM, P_CONSQ, P_RWOPS, P_CAL, P_CHF, P_CHI, P_PLAN, P_POF, P_POI,
 P_WFT, P_JTF) = range(23)  # fmt: skip
# scalars P_SC
(SC_HORIZON, SC_WARMUP, SC_PERIOD, SC_PLAN_PERIOD, SC_N_PERIODS, SC_CONWIP, SC_RELEASE,
 SC_TS, SC_N_PRODUCTS, SC_N_PARTS, SC_HIST_LO, SC_HIST_PER_DECADE, SC_N) = range(13)  # fmt: skip
# operations
(O_WC, O_TIME, O_SETUP, O_BATCH, O_POOL, O_CONS_START, O_CONS_LEN, O_TEST, O_RW_START,
 O_RW_LEN, O_MAX_RW, O_JT, O_WORKERS, O_N) = range(14)  # fmt: skip
OF_Y0, OF_Y1, OF_YHALF, OF_YRETEST, OF_LEXP, OF_LFLOOR, OF_LINIT, OF_N = range(8)
# job types
(JT_ROUTE_START, JT_ROUTE_LEN, JT_SUB_START, JT_SUB_LEN, JT_ARRIVAL, JT_FIRST_WC, JT_TARGET,
 JT_N) = range(8)  # fmt: skip
JTF_MIX, JTF_N = range(2)
# work centres (static)
(WS_STATIONS, WS_MAX, WS_BUFFER, WS_ST_START, WS_SRC_START, WS_SRC_LEN, WS_FT_START, WS_FT_LEN,
 WS_BUSY_SOURCES, WS_END_SOURCES, WS_N) = range(11)  # fmt: skip
# outage sources
SR_BASIS, SR_PREEMPTS, SR_STREAM, SR_OPS, SR_N = range(5)
# parts
PT_INITIAL, PT_ROP, PT_ROQ, PT_STREAM, PT_N = range(5)
PTF_LATE, PTF_SHORT, PTF_SHORT_FRACTION, PTF_N = range(4)

# ---- state tuple S -------------------------------------------------------------------------
(S_GI, S_GF, S_TIM, S_WIN, S_HT, S_HI, S_JI, S_JF, S_STI, S_STF, S_SSI, S_SSF, S_WCI, S_WCF,
 S_POI, S_POF, S_MI, S_MF, S_BL, S_OPN, S_RND, S_RPOS, S_RFILL, S_KJI, S_KJF, S_WCST, S_WCSP,
 S_OUTP, S_WIPP, S_STKP, S_HIST, S_LOGF, S_LOGI, S_APF, S_API, S_TODO,
 S_PEND) = range(37)  # fmt: skip
# int globals
(G_ON_SHIFT, G_CAL, G_PERIOD, G_PLAN, G_CHANGE, G_PO, G_WIP, G_FREE_HEAD, G_FREE_N, G_HEAP_N,
 G_SEQ, G_REFILL, G_GROW, G_KICK, G_LOG, G_LOG_N, G_LOG_LOST, G_AP, G_AP_N, G_AP_LOST,
 G_TODO_HEAD, G_TODO_N, G_WARM, G_ERROR, G_N) = range(25)  # fmt: skip
# float globals
GF_NOW, GF_WIP_AREA, GF_WIP_T, GF_N = range(4)
# jobs
J_TYPE, J_POS, J_RW, J_REWORKS, J_NEXT, J_FIRST_PASS, J_N = range(7)
# stations
(T_WC, T_JOB, T_NB, T_OP, T_PHASE, T_LAST_TYPE, T_POOL, T_NEXT, T_PRESENT, T_RETIRE, T_DOWN,
 T_STATE, T_RUN, T_N) = range(14)  # fmt: skip
TF_REMAIN, TF_SEG, TF_SINCE, TF_N = range(4)
# station outage sources
SS_PHASE, SS_OPS_LEFT, SS_N = range(3)
SSF_REMAIN, SSF_SEG, SSF_N = range(3)
# work centres (dynamic)
(W_QHEAD, W_QTAIL, W_QLEN, W_BHEAD, W_BTAIL, W_IDLE, W_PRESENT, W_ACTIVE, W_TESTS, W_FAILS,
 W_RR, W_N) = range(12)  # fmt: skip
WF_ACTIVE_SINCE, WF_N = range(2)
# pools
Q_CAP, Q_BUSY, Q_WHEAD, Q_WTAIL, Q_N = range(5)
QF_BUSY_AREA, QF_CAP_AREA, QF_T, QF_N = range(4)
# materials
M_STOCK, M_ON_ORDER, M_WHEAD, M_WTAIL, M_NWAIT, M_N = range(6)
MF_STOCKOUT, MF_STARVED, MF_T, MF_N = range(4)
# ---- flat memory -------------------------------------------------------------------------------
# The kernel sees two flat arrays: I (int64) and F (float64). I[0:G_N] and F[0:GF_N] are the
# globals; then each table has a header in I: I[O_X] = its offset (in I or F), I[O_X + 1] =
# rows, I[O_X + 2] = columns. Two plain array arguments keep numba's calls cheap (a tuple or
# struct of ~60 arrays made every call pass and reference-count them all).
PROBLEM_TABLES = (
    "sc",
    "opi",
    "opf",
    "jti",
    "wcs",
    "srci",
    "srcf",
    "pti",
    "ptf",
    "route",
    "subt",
    "subq",
    "consm",
    "consq",
    "rwops",
    "cal",
    "chf",
    "chi",
    "plan",
    "pot",
    "poq",
    "wft",
    "jtf",
)
STATE_TABLES = (
    "tim",
    "win",
    "ht",
    "hi",
    "ji",
    "jf",
    "sti",
    "stf",
    "ssi",
    "ssf",
    "wci",
    "wcf",
    "poi",
    "pof",
    "mi",
    "mf",
    "bl",
    "opn",
    "rnd",
    "rpos",
    "rfill",
    "kji",
    "kjf",
    "wcst",
    "wcsp",
    "outp",
    "wipp",
    "stkp",
    "hist",
    "logf",
    "logi",
    "apf",
    "api",
    "todo",
    "pend",
)
(O_SC, O_OPI, O_OPF, O_JTI, O_WCS, O_SRCI, O_SRCF, O_PTI, O_PTF, O_ROUTE, O_SUBT, O_SUBQ,
 O_CONSM, O_CONSQ, O_RWOPS, O_CAL, O_CHF, O_CHI, O_PLAN, O_POT, O_POQ, O_WFT, O_JTF, O_TIM,
 O_WIN, O_HT, O_HI, O_JI, O_JF, O_STI, O_STF, O_SSI, O_SSF, O_WCI, O_WCF, O_POI, O_POF,
 O_MI, O_MF, O_BL, O_OPN, O_RND, O_RPOS, O_RFILL, O_KJI, O_KJF, O_WCST, O_WCSP, O_OUTP,
 O_WIPP, O_STKP, O_HIST, O_LOGF, O_LOGI, O_APF, O_API, O_TODO,
 O_PEND) = range(G_N, G_N + 3 * 58, 3)  # fmt: skip
HEADER_END = G_N + 3 * 58

# per job type KPIs
(K_DONE, K_SCRAP, K_REWORKS, K_FIRST_PASS, K_RELEASED, K_RELEASED_ALL, K_N) = range(7)
KF_LEAD_SUM, KF_LEAD_SQ, KF_SOJOURN, KF_POOL_AREA, KF_POOL_T, KF_N = range(6)

# station phases
PH_IDLE, PH_WAIT_MAT, PH_WAIT_WORKER, PH_SETUP, PH_PROC, PH_BLOCKED = range(6)
# KPI states of a station (ABSENT is not reported)
STATES = ("working", "setup", "blocked", "starved_work", "starved_material",
          "starved_worker", "down", "off_shift")  # fmt: skip
(ST_WORKING, ST_SETUP, ST_BLOCKED, ST_STARVED, ST_STARVED_MAT, ST_STARVED_WORKER, ST_DOWN,
 ST_OFF, ST_ABSENT) = range(9)  # fmt: skip
N_STATES = 9
# outage phases
OU_UP, OU_DOWN, OU_PENDING, OU_COUNTING = range(4)
# misc events (heap)
(EV_SHIFT, EV_PERIOD, EV_WARMUP, EV_PLAN, EV_ARRIVAL, EV_DELIVERY, EV_CHANGE, EV_PO,
 EV_PLAN_UNIT) = range(9)  # fmt: skip
# todo actions
A_PULL, A_SLOT, A_RELEASE, A_MATERIAL, A_WORKER = range(5)
# event log codes
LOG_CODES = ("release", "start", "end", "complete", "scrap", "down", "up", "delivery", "test_fail")
L_RELEASE, L_START, L_END, L_COMPLETE, L_SCRAP, L_DOWN, L_UP, L_DELIVERY, L_TEST_FAIL = range(9)
# kernel return status
STATUS_STOP, STATUS_REFILL, STATUS_GROW, STATUS_LOG, STATUS_AP, STATUS_ERROR = range(6)
ERROR_HEAP, ERROR_TODO = 1, 2  # G_ERROR codes

RING = 4096  # ring buffer of random values per stream (power of two)
RING_MASK = RING - 1
RING_LOW = RING // 2  # ask for a refill when fewer values are left
LOG_ROWS = 1 << 16
AP_ROWS = 1 << 14
HEAP_CAP = 1 << 16
HIST_LO_LOG10 = -2.0  # lead time histogram: 0.01 min …
HIST_PER_DECADE = 100
HIST_BINS = 9 * HIST_PER_DECADE  # … 1e7 min
INF = math.inf


def _i(rows: Any, width: int) -> np.ndarray:
    return np.ascontiguousarray(np.asarray(rows, dtype=np.int64).reshape(-1, width))


def _source_flags(problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    """Per work centre: has outage sources counting busy time; has sources acting at the
    end of an operation (counted in operations, or not pre-emptive)."""
    busy = np.zeros(len(problem.work_centres), dtype=np.int64)
    at_end = np.zeros(len(problem.work_centres), dtype=np.int64)
    for w in range(len(problem.work_centres)):
        start, length = problem.wc_source_start[w], problem.wc_source_len[w]
        basis = problem.source_basis[start : start + length]
        preempts = problem.source_preempts[start : start + length]
        busy[w] = int(np.any(basis == BASIS_BUSY))
        at_end[w] = int(np.any(basis == BASIS_OPERATIONS) or np.any(preempts == 0))
    return busy, at_end


def _plan(problem: Problem) -> np.ndarray:
    width = max(1, len(problem.products))
    if not problem.plan_qty.size:
        return np.zeros((0, width), dtype=np.int64)
    return _i(problem.plan_qty, width)


def pack_problem(
    problem: Problem, purchase_orders: np.ndarray, horizon_min: float
) -> tuple[np.ndarray, ...]:
    """The read-only tuple ``P`` of the kernel for ``problem``."""
    pr = problem
    n_jt = len(pr.job_types)
    op_jt = np.zeros(len(pr.operations), dtype=np.int64)
    for jt in range(n_jt):
        start, length = pr.jt_route_start[jt], pr.jt_route_len[jt]
        for op in pr.route_ops[start : start + length]:
            op_jt[op] = jt
            rw0, rwn = pr.op_rework_start[op], pr.op_rework_len[op]
            op_jt[pr.rework_ops[rw0 : rw0 + rwn]] = jt
    first_wc = [int(pr.op_wc[pr.route_ops[pr.jt_route_start[jt]]]) for jt in range(n_jt)]
    n_wc = len(pr.work_centres)
    starting = [[jt for jt in range(n_jt) if first_wc[jt] == w] for w in range(n_wc)]
    ft_len = [len(row) for row in starting]
    ft_start = np.concatenate([[0], np.cumsum(ft_len)[:-1]]) if n_wc else np.zeros(0)
    n_periods = max(1, math.ceil(horizon_min / pr.period_min - 1e-9))
    max_sources = int(pr.wc_source_len.max()) if n_wc else 0
    scalars = np.zeros(SC_N)
    scalars[[SC_HORIZON, SC_WARMUP, SC_PERIOD, SC_PLAN_PERIOD, SC_N_PERIODS, SC_CONWIP]] = [
        horizon_min,
        pr.warmup_min,
        pr.period_min,
        pr.plan_period_min,
        n_periods,
        pr.conwip_cap,
    ]
    scalars[[SC_RELEASE, SC_TS, SC_N_PRODUCTS, SC_N_PARTS, SC_HIST_LO, SC_HIST_PER_DECADE]] = [
        pr.release_mode, 1 + max_sources, len(pr.products), len(pr.parts), HIST_LO_LOG10,
        HIST_PER_DECADE]  # fmt: skip
    opi = np.stack([pr.op_wc, pr.op_time_stream, pr.op_setup_stream, pr.op_batch, pr.op_pool,
                    pr.op_cons_start, pr.op_cons_len, pr.op_test_stream, pr.op_rework_start,
                    pr.op_rework_len, pr.op_max_reworks, op_jt, pr.op_workers],
                   axis=1)  # fmt: skip
    opf = np.concatenate([pr.op_yield, pr.op_learning], axis=1)
    jti = np.stack([pr.jt_route_start, pr.jt_route_len, pr.jt_sub_start, pr.jt_sub_len,
                    pr.jt_arrival_stream, np.asarray(first_wc, dtype=np.int64),
                    pr.jt_target_stock],
                   axis=1)  # fmt: skip
    wci = np.stack([pr.wc_stations, pr.wc_max_stations, pr.wc_buffer, pr.wc_station_start,
                    pr.wc_source_start, pr.wc_source_len, _i(ft_start, 1)[:, 0],
                    np.asarray(ft_len, dtype=np.int64), *_source_flags(pr)],
                   axis=1)  # fmt: skip
    srci = np.stack([pr.source_basis, pr.source_preempts, pr.source_stream,
                     pr.source_ops_between], axis=1)  # fmt: skip
    pti = np.stack([pr.part_initial, pr.part_reorder_point, pr.part_reorder_qty,
                    pr.part_stream], axis=1)  # fmt: skip
    ptf = np.stack([pr.part_late_prob, pr.part_short_prob, pr.part_short_fraction], axis=1)
    chi = np.stack([pr.change_kind, pr.change_target, pr.change_value], axis=1)
    po = purchase_orders
    packed = (
        scalars, _i(opi, O_N), np.ascontiguousarray(opf.reshape(-1, OF_N), dtype=np.float64),
        _i(jti, JT_N), _i(wci, WS_N), _i(srci, SR_N),
        np.asarray(pr.source_fixed, dtype=float).reshape(-1, 3),
        _i(pti, PT_N), np.asarray(ptf, dtype=float).reshape(-1, PTF_N),
        _i(pr.route_ops, 1)[:, 0], _i(pr.sub_type, 1)[:, 0], _i(pr.sub_qty, 1)[:, 0],
        _i(pr.cons_material, 1)[:, 0], _i(pr.cons_qty, 1)[:, 0], _i(pr.rework_ops, 1)[:, 0],
        np.asarray(pr.calendar_windows, dtype=float).reshape(-1, 2),
        np.asarray(pr.change_time, dtype=float), _i(chi, 3), _plan(pr),
        np.asarray(po[:, 0] if len(po) else np.zeros(0), dtype=float),
        _i(po[:, 1:] if len(po) else np.zeros((0, 2)), 2),
        _i([jt for row in starting for jt in row], 1)[:, 0],
        np.asarray(pr.jt_mix, dtype=float).reshape(-1, JTF_N),
    )  # fmt: skip
    # Fresh writable C-contiguous copies: one numba type for every problem.
    return tuple(np.array(array, order="C", copy=True) for array in packed)
