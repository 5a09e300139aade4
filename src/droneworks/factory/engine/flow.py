# ruff: noqa: E741  (I and F are the kernel's flat int and float memory)
# numba kernel code: untyped by nature, checked by its tests
# mypy: ignore-errors
"""Job flow handlers: the end of an operation, tests and rework, moving jobs between work
centres (blocking after service), pulling from queues, releases, completions, scrap, and
waking stations that wait for material or workers.

Cascades at one instant (a slot frees → a blocked station unloads → it pulls its next
job → a slot frees upstream …) run through the to-do ring instead of recursion.
"""

from __future__ import annotations

import math

import numba as nb

from droneworks.factory.engine.core import (
    JIT,
    draw,
    log_row,
    material_touch,
    order_pool_touch,
    pool_touch,
    todo_pop,
    todo_push,
    wip_change,
)  # fmt: skip
from droneworks.factory.engine.fifo import fifo_append
from droneworks.factory.engine.layout import (
    A_MATERIAL,
    A_PULL,
    A_RELEASE,
    A_SLOT,
    A_WORKER,
    G_FREE_HEAD,
    G_FREE_N,
    G_GROW,
    G_PERIOD,
    G_TODO_N,
    G_WARM,
    G_WIP,
    HIST_BINS,
    INF,
    J_FIRST_PASS,
    J_N,
    J_NEXT,
    J_POS,
    J_REWORKS,
    J_RW,
    J_TYPE,
    JT_FIRST_WC,
    JT_N,
    JT_ROUTE_LEN,
    JT_ROUTE_START,
    JT_SUB_LEN,
    JT_SUB_START,
    JTF_MIX,
    JTF_N,
    K_DONE,
    K_FIRST_PASS,
    K_N,
    K_RELEASED,
    K_RELEASED_ALL,
    K_REWORKS,
    K_SCRAP,
    KF_LEAD_SQ,
    KF_LEAD_SUM,
    KF_N,
    KF_SOJOURN,
    L_COMPLETE,
    L_END,
    L_RELEASE,
    L_SCRAP,
    L_TEST_FAIL,
    M_N,
    M_NWAIT,
    M_STOCK,
    M_WHEAD,
    M_WTAIL,
    O_BATCH,
    O_BL,
    O_HIST,
    O_JF,
    O_JI,
    O_JTF,
    O_JTI,
    O_KJF,
    O_KJI,
    O_MAX_RW,
    O_MI,
    O_N,
    O_OPF,
    O_OPI,
    O_OPN,
    O_OUTP,
    O_POI,
    O_ROUTE,
    O_RW_LEN,
    O_RW_START,
    O_RWOPS,
    O_SC,
    O_SSI,
    O_STI,
    O_SUBQ,
    O_SUBT,
    O_TEST,
    O_WC,
    O_WCI,
    O_WCS,
    O_WFT,
    O_WORKERS,
    OF_N,
    OF_Y0,
    OF_Y1,
    OF_YHALF,
    OF_YRETEST,
    OU_COUNTING,
    OU_PENDING,
    PH_BLOCKED,
    PH_IDLE,
    PH_SETUP,
    Q_BUSY,
    Q_CAP,
    Q_N,
    Q_WHEAD,
    Q_WTAIL,
    RELEASE_SATURATE,
    SC_CONWIP,
    SC_HIST_LO,
    SC_HIST_PER_DECADE,
    SC_N_PARTS,
    SC_N_PRODUCTS,
    SC_RELEASE,
    SC_TS,
    SC_WARMUP,
    SS_N,
    SS_OPS_LEFT,
    SS_PHASE,
    T_JOB,
    T_LAST_TYPE,
    T_N,
    T_NB,
    T_NEXT,
    T_OP,
    T_PHASE,
    T_POOL,
    T_PRESENT,
    T_RETIRE,
    T_WC,
    W_BHEAD,
    W_BTAIL,
    W_FAILS,
    W_IDLE,
    W_N,
    W_QHEAD,
    W_QLEN,
    W_QTAIL,
    W_RR,
    W_TESTS,
    WS_BUFFER,
    WS_END_SOURCES,
    WS_FT_LEN,
    WS_FT_START,
    WS_MAX,
    WS_N,
    WS_SRC_LEN,
    WS_ST_START,
)  # fmt: skip
from droneworks.factory.engine.stations import (
    after_material,
    after_worker,
    begin,
    refresh,
    start_down,
    start_processing,
    stop_running,
    try_consume,
    wait_material,
)  # fmt: skip

DONE = -1
SCRAPPED = -2


@nb.njit(**JIT)
def job_op(I, F, j):
    """The operation job ``j`` is at (its routing step or a step of a rework routing)."""
    ji_ = I[O_JI]
    jti_ = I[O_JTI]
    opi_ = I[O_OPI]
    route_ = I[O_ROUTE]
    rwops_ = I[O_RWOPS]
    jt = I[ji_ + j * J_N + J_TYPE]
    op = I[route_ + (I[jti_ + jt * JT_N + JT_ROUTE_START] + I[ji_ + j * J_N + J_POS])]
    if I[ji_ + j * J_N + J_RW] >= 0:
        op = I[rwops_ + (I[opi_ + op * O_N + O_RW_START] + I[ji_ + j * J_N + J_RW])]
    return op


# ---- end of an operation -----------------------------------------------------------------------
@nb.njit(**JIT)
def _test_passes(I, F, o, j):
    opf_ = I[O_OPF]
    opi_ = I[O_OPI]
    opn_ = I[O_OPN]
    tested = I[opn_ + o * 2 + 1]
    I[opn_ + o * 2 + 1] = tested + 1
    quality = F[opf_ + o * OF_N + OF_Y0]
    if F[opf_ + o * OF_N + OF_YHALF] > 0.0:
        gap = F[opf_ + o * OF_N + OF_Y1] - F[opf_ + o * OF_N + OF_Y0]
        quality = F[opf_ + o * OF_N + OF_Y1] - gap * 2.0 ** (
            -tested / F[opf_ + o * OF_N + OF_YHALF]
        )
    retest = F[opf_ + o * OF_N + OF_YRETEST]
    if retest >= 0.0 and I[I[O_JI] + j * J_N + J_REWORKS] > 0:
        quality = retest
    return draw(I, F, I[opi_ + o * O_N + O_TEST]) < quality


@nb.njit(**JIT)
def advance(I, F, j, o, now):
    """Move job ``j`` past operation ``o`` (test outcome, rework, scrap, end of routing)."""
    ji_ = I[O_JI]
    jti_ = I[O_JTI]
    kji_ = I[O_KJI]
    opi_ = I[O_OPI]
    route_ = I[O_ROUTE]
    wci_ = I[O_WCI]
    jt = I[ji_ + j * J_N + J_TYPE]
    if I[ji_ + j * J_N + J_RW] >= 0:  # a step of a rework routing: next step, or back to the test
        test_op = I[route_ + (I[jti_ + jt * JT_N + JT_ROUTE_START] + I[ji_ + j * J_N + J_POS])]
        I[ji_ + j * J_N + J_RW] += 1
        if I[ji_ + j * J_N + J_RW] >= I[opi_ + test_op * O_N + O_RW_LEN]:
            I[ji_ + j * J_N + J_RW] = -1
        return
    if I[opi_ + o * O_N + O_TEST] >= 0:
        w = I[opi_ + o * O_N + O_WC]
        I[wci_ + w * W_N + W_TESTS] += 1
        if not _test_passes(I, F, o, j):
            I[wci_ + w * W_N + W_FAILS] += 1
            log_row(I, F, now, L_TEST_FAIL, jt, j, w, -1)
            I[ji_ + j * J_N + J_FIRST_PASS] = 0
            I[ji_ + j * J_N + J_REWORKS] += 1
            if (
                I[ji_ + j * J_N + J_REWORKS] > I[opi_ + o * O_N + O_MAX_RW]
                or I[opi_ + o * O_N + O_RW_LEN] == 0
            ):
                I[ji_ + j * J_N + J_POS] = SCRAPPED
            else:
                I[ji_ + j * J_N + J_RW] = 0
                if I[G_WARM] == 1:
                    I[kji_ + jt * K_N + K_REWORKS] += 1
            return
    I[ji_ + j * J_N + J_POS] += 1
    if I[ji_ + j * J_N + J_POS] >= I[jti_ + jt * JT_N + JT_ROUTE_LEN]:
        I[ji_ + j * J_N + J_POS] = DONE


@nb.njit(**JIT)
def _count_operation(I, F, s, now):
    """Outage sources counted in operations, and failures that waited for the end."""
    sc_ = I[O_SC]
    ssi_ = I[O_SSI]
    sti_ = I[O_STI]
    wcs_ = I[O_WCS]
    w = I[sti_ + s * T_N + T_WC]
    ts = int(F[sc_ + SC_TS])
    for k in range(I[wcs_ + w * WS_N + WS_SRC_LEN]):
        row = s * (ts - 1) + k
        if I[ssi_ + row * SS_N + SS_PHASE] == OU_PENDING:
            start_down(I, F, s, k, now)
        elif I[ssi_ + row * SS_N + SS_PHASE] == OU_COUNTING:
            I[ssi_ + row * SS_N + SS_OPS_LEFT] -= 1
            if I[ssi_ + row * SS_N + SS_OPS_LEFT] <= 0:
                start_down(I, F, s, k, now)


@nb.njit(**JIT)
def operation_end(I, F, s, now):
    """The setup or processing of station ``s`` is complete."""
    ji_ = I[O_JI]
    opn_ = I[O_OPN]
    poi_ = I[O_POI]
    sti_ = I[O_STI]
    wcs_ = I[O_WCS]
    j = I[sti_ + s * T_N + T_JOB]
    o = I[sti_ + s * T_N + T_OP]
    stop_running(I, F, s, now)
    if I[sti_ + s * T_N + T_PHASE] == PH_SETUP:
        I[sti_ + s * T_N + T_LAST_TYPE] = I[ji_ + j * J_N + J_TYPE]
        start_processing(I, F, s, now)
        return
    I[opn_ + o * 2 + 0] += I[sti_ + s * T_N + T_NB]
    log_row(I, F, now, L_END, I[ji_ + j * J_N + J_TYPE], j, I[sti_ + s * T_N + T_WC], s)
    q = I[sti_ + s * T_N + T_POOL]
    if q >= 0:
        pool_touch(I, F, q, now)
        I[poi_ + q * Q_N + Q_BUSY] -= I[I[O_OPI] + o * O_N + O_WORKERS]
        I[sti_ + s * T_N + T_POOL] = -1
        todo_push(I, F, A_WORKER, q)
    I[sti_ + s * T_N + T_PHASE] = PH_BLOCKED
    while j >= 0:
        advance(I, F, j, o, now)
        j = I[ji_ + j * J_N + J_NEXT]
    if I[wcs_ + (I[sti_ + s * T_N + T_WC]) * WS_N + WS_END_SOURCES] > 0:
        _count_operation(I, F, s, now)
    unload(I, F, s, now)


# ---- moving jobs -----------------------------------------------------------------------------
@nb.njit(**JIT)
def _enqueue(I, F, w, j):
    ji_ = I[O_JI]
    wci_ = I[O_WCI]
    row = wci_ + w * W_N
    fifo_append(I, row + W_QHEAD, row + W_QTAIL, ji_ + J_NEXT, J_N, j)
    I[row + W_QLEN] += 1


@nb.njit(**JIT)
def _assign(I, F, s, j, now):
    ji_ = I[O_JI]
    sti_ = I[O_STI]
    I[ji_ + j * J_N + J_NEXT] = -1
    I[sti_ + s * T_N + T_JOB] = j
    I[sti_ + s * T_N + T_NB] = 1
    I[sti_ + s * T_N + T_OP] = job_op(I, F, j)


@nb.njit(**JIT)
def room(I, F, w):
    """True when work centre ``w`` can take a job now (idle station or buffer space)."""
    wci_ = I[O_WCI]
    wcs_ = I[O_WCS]
    cap = I[wcs_ + w * WS_N + WS_BUFFER]
    return I[wci_ + w * W_N + W_IDLE] > 0 or cap < 0 or I[wci_ + w * W_N + W_QLEN] < cap


@nb.njit(**JIT)
def place(I, F, j, w, now):
    """Give job ``j`` to an idle station of ``w`` or its buffer; False when ``w`` is full."""
    sti_ = I[O_STI]
    wci_ = I[O_WCI]
    wcs_ = I[O_WCS]
    if I[wci_ + w * W_N + W_IDLE] > 0:
        first = I[wcs_ + w * WS_N + WS_ST_START]
        for s in range(first, first + I[wcs_ + w * WS_N + WS_MAX]):
            if (
                I[sti_ + s * T_N + T_JOB] < 0
                and I[sti_ + s * T_N + T_PHASE] == PH_IDLE
                and I[sti_ + s * T_N + T_PRESENT] == 1
                and I[sti_ + s * T_N + T_RETIRE] == 0
            ):
                I[wci_ + w * W_N + W_IDLE] -= 1
                _assign(I, F, s, j, now)
                begin(I, F, s, now)
                return True
    if not room(I, F, w):
        return False
    _enqueue(I, F, w, j)
    return True


@nb.njit(**JIT)
def unload(I, F, s, now):
    """Hand the finished job(s) of ``s`` on; block on the first full work centre."""
    ji_ = I[O_JI]
    opi_ = I[O_OPI]
    sti_ = I[O_STI]
    wci_ = I[O_WCI]
    while I[sti_ + s * T_N + T_NB] > 0:
        j = I[sti_ + s * T_N + T_JOB]
        following = I[ji_ + j * J_N + J_NEXT]
        position = I[ji_ + j * J_N + J_POS]
        if position == DONE:
            complete(I, F, j, now)
        elif position == SCRAPPED:
            scrap(I, F, j, now)
        else:
            w = I[opi_ + (job_op(I, F, j)) * O_N + O_WC]
            I[ji_ + j * J_N + J_NEXT] = -1
            if not place(I, F, j, w, now):
                I[ji_ + j * J_N + J_NEXT] = following
                row = wci_ + w * W_N
                fifo_append(I, row + W_BHEAD, row + W_BTAIL, sti_ + T_NEXT, T_N, s)
                refresh(I, F, s, now)
                return
        I[sti_ + s * T_N + T_JOB] = following
        I[sti_ + s * T_N + T_NB] -= 1
    I[sti_ + s * T_N + T_JOB] = -1
    pull(I, F, s, now)


@nb.njit(**JIT)
def pull(I, F, s, now):
    """Empty station ``s`` takes the next job(s) of its queue, or waits for one."""
    ji_ = I[O_JI]
    opi_ = I[O_OPI]
    sti_ = I[O_STI]
    wci_ = I[O_WCI]
    wcs_ = I[O_WCS]
    w = I[sti_ + s * T_N + T_WC]
    I[sti_ + s * T_N + T_PHASE] = PH_IDLE
    if I[sti_ + s * T_N + T_RETIRE] == 1:
        I[sti_ + s * T_N + T_RETIRE] = 0
        I[sti_ + s * T_N + T_PRESENT] = 0
        refresh(I, F, s, now)
        return
    if I[sti_ + s * T_N + T_PRESENT] == 0:
        return
    if I[wci_ + w * W_N + W_QLEN] == 0:
        I[wci_ + w * W_N + W_IDLE] += 1
        refresh(I, F, s, now)
        if I[wci_ + w * W_N + W_BHEAD] >= 0:  # unbuffered: a blocked upstream hands over
            todo_push(I, F, A_SLOT, w)
        if I[wcs_ + w * WS_N + WS_FT_LEN] > 0:
            todo_push(I, F, A_RELEASE, w)
        return
    j = I[wci_ + w * W_N + W_QHEAD]
    I[wci_ + w * W_N + W_QHEAD] = I[ji_ + j * J_N + J_NEXT]
    I[wci_ + w * W_N + W_QLEN] -= 1
    if I[wci_ + w * W_N + W_QLEN] == 0:
        I[wci_ + w * W_N + W_QTAIL] = -1
    _assign(I, F, s, j, now)
    batch = I[opi_ + (I[sti_ + s * T_N + T_OP]) * O_N + O_BATCH]
    if batch > 1:
        _gather_batch(I, F, s, j, batch)
    begin(I, F, s, now)
    if I[wci_ + w * W_N + W_BHEAD] >= 0 or I[wcs_ + w * WS_N + WS_FT_LEN] > 0:
        todo_push(I, F, A_SLOT, w)  # someone may use the freed buffer place


@nb.njit(**JIT)
def _gather_batch(I, F, s, head, batch):
    """Add queued jobs at the same operation to the batch of ``s`` (up to ``batch``)."""
    ji_ = I[O_JI]
    sti_ = I[O_STI]
    wci_ = I[O_WCI]
    w = I[sti_ + s * T_N + T_WC]
    o = I[sti_ + s * T_N + T_OP]
    tail = head
    previous = -1
    j = I[wci_ + w * W_N + W_QHEAD]
    while j >= 0 and I[sti_ + s * T_N + T_NB] < batch:
        following = I[ji_ + j * J_N + J_NEXT]
        if job_op(I, F, j) == o:
            if previous >= 0:
                I[ji_ + previous * J_N + J_NEXT] = following
            else:
                I[wci_ + w * W_N + W_QHEAD] = following
            if I[wci_ + w * W_N + W_QTAIL] == j:
                I[wci_ + w * W_N + W_QTAIL] = previous
            I[wci_ + w * W_N + W_QLEN] -= 1
            I[ji_ + tail * J_N + J_NEXT] = j
            I[ji_ + j * J_N + J_NEXT] = -1
            tail = j
            I[sti_ + s * T_N + T_NB] += 1
        else:
            previous = j
        j = following


@nb.njit(**JIT)
def slot_freed(I, F, w, now):
    """Space appeared at ``w``: blocked stations unload first, then releases."""
    sti_ = I[O_STI]
    wci_ = I[O_WCI]
    wcs_ = I[O_WCS]
    while I[wci_ + w * W_N + W_BHEAD] >= 0 and room(I, F, w):
        s = I[wci_ + w * W_N + W_BHEAD]
        I[wci_ + w * W_N + W_BHEAD] = I[sti_ + s * T_N + T_NEXT]
        if I[wci_ + w * W_N + W_BHEAD] < 0:
            I[wci_ + w * W_N + W_BTAIL] = -1
        I[sti_ + s * T_N + T_NEXT] = -1
        unload(I, F, s, now)
    if I[wci_ + w * W_N + W_BHEAD] < 0 and I[wcs_ + w * WS_N + WS_FT_LEN] > 0:
        release_at(I, F, w, now)


# ---- releases, completions, scrap -------------------------------------------------------------
@nb.njit(**JIT)
def _may_release(I, F, jt):
    bl_ = I[O_BL]
    sc_ = I[O_SC]
    product = jt < int(F[sc_ + SC_N_PRODUCTS])
    if product and F[sc_ + SC_CONWIP] >= 0 and I[G_WIP] >= F[sc_ + SC_CONWIP]:
        return False
    if product and int(F[sc_ + SC_RELEASE]) == RELEASE_SATURATE:
        return False  # released by _behind_mix
    return I[bl_ + jt] > 0


@nb.njit(**JIT)
def _behind_mix(I, F, w):
    """Under unlimited raw material: the product starting at ``w`` with the fewest releases
    relative to its mix weight (−1: none may be released)."""
    wcs_ = I[O_WCS]
    sc_ = I[O_SC]
    best = -1
    best_ratio = INF
    start = I[wcs_ + w * WS_N + WS_FT_START]
    for k in range(I[wcs_ + w * WS_N + WS_FT_LEN]):
        jt = I[I[O_WFT] + start + k]
        weight = F[I[O_JTF] + jt * JTF_N + JTF_MIX]
        if jt >= int(F[sc_ + SC_N_PRODUCTS]) or weight <= 0.0:
            continue
        if F[sc_ + SC_CONWIP] >= 0 and I[G_WIP] >= F[sc_ + SC_CONWIP]:
            return -1
        ratio = (I[I[O_KJI] + jt * K_N + K_RELEASED_ALL] + 1) / weight
        if ratio < best_ratio:
            best, best_ratio = jt, ratio
    return best


@nb.njit(**JIT)
def release_at(I, F, w, now):
    """Release jobs whose routing starts at ``w`` while it has room (round robin)."""
    sc_ = I[O_SC]
    wci_ = I[O_WCI]
    wcs_ = I[O_WCS]
    wft_ = I[O_WFT]
    n = I[wcs_ + w * WS_N + WS_FT_LEN]
    saturate = int(F[sc_ + SC_RELEASE]) == RELEASE_SATURATE
    progress = True
    while progress:
        progress = False
        if saturate and I[wci_ + w * W_N + W_IDLE] > 0:
            # raw material enters when a station is free: the product furthest behind its mix
            jt = _behind_mix(I, F, w)
            if jt >= 0:
                if I[G_FREE_N] == 0:
                    I[G_GROW] = 1
                    return
                release_job(I, F, jt, w, now)
                progress = True
                continue
        for i in range(n):
            if not room(I, F, w):
                return
            k = (I[wci_ + w * W_N + W_RR] + i) % n
            jt = I[wft_ + (I[wcs_ + w * WS_N + WS_FT_START] + k)]
            if not _may_release(I, F, jt):
                continue
            if I[G_FREE_N] == 0:
                I[G_GROW] = 1
                return
            release_job(I, F, jt, w, now)
            I[wci_ + w * W_N + W_RR] = (k + 1) % n
            progress = True


@nb.njit(**JIT)
def release_job(I, F, jt, w, now):
    """Create a job of type ``jt`` at its first work centre ``w``; release its
    sub-assemblies."""
    bl_ = I[O_BL]
    jf_ = I[O_JF]
    ji_ = I[O_JI]
    jti_ = I[O_JTI]
    kji_ = I[O_KJI]
    sc_ = I[O_SC]
    subq_ = I[O_SUBQ]
    subt_ = I[O_SUBT]
    j = I[G_FREE_HEAD]
    I[G_FREE_HEAD] = I[ji_ + j * J_N + J_NEXT]
    I[G_FREE_N] -= 1
    I[ji_ + j * J_N + J_TYPE], I[ji_ + j * J_N + J_POS], I[ji_ + j * J_N + J_RW] = jt, 0, -1
    I[ji_ + j * J_N + J_REWORKS], I[ji_ + j * J_N + J_FIRST_PASS], I[ji_ + j * J_N + J_NEXT] = (
        0,
        1,
        -1,
    )
    F[jf_ + j] = now
    order_pool_touch(I, F, jt, now)
    I[bl_ + jt] -= 1
    I[kji_ + jt * K_N + K_RELEASED] += 1
    I[kji_ + jt * K_N + K_RELEASED_ALL] += 1
    if jt < int(F[sc_ + SC_N_PRODUCTS]):
        wip_change(I, F, 1, now)
    log_row(I, F, now, L_RELEASE, jt, j, w, -1)
    for k in range(
        I[jti_ + jt * JT_N + JT_SUB_START],
        I[jti_ + jt * JT_N + JT_SUB_START] + I[jti_ + jt * JT_N + JT_SUB_LEN],
    ):
        sub = I[subt_ + k]
        I[bl_ + sub] += I[subq_ + k]
        todo_push(I, F, A_RELEASE, I[jti_ + sub * JT_N + JT_FIRST_WC])
    place(I, F, j, w, now)


@nb.njit(**JIT)
def _free_job(I, F, j):
    ji_ = I[O_JI]
    I[ji_ + j * J_N + J_TYPE] = -1
    I[ji_ + j * J_N + J_NEXT] = I[G_FREE_HEAD]
    I[G_FREE_HEAD] = j
    I[G_FREE_N] += 1


@nb.njit(**JIT)
def _departure(I, F, j, now, done):
    """Statistics of a product leaving the system (completed or scrapped)."""
    hist_ = I[O_HIST]
    jf_ = I[O_JF]
    ji_ = I[O_JI]
    jti_ = I[O_JTI]
    kjf_ = I[O_KJF]
    kji_ = I[O_KJI]
    outp_ = I[O_OUTP]
    sc_ = I[O_SC]
    jt = I[ji_ + j * J_N + J_TYPE]
    wip_change(I, F, -1, now)
    if F[sc_ + SC_CONWIP] >= 0:
        for product in range(int(F[sc_ + SC_N_PRODUCTS])):
            todo_push(I, F, A_RELEASE, I[jti_ + product * JT_N + JT_FIRST_WC])
    if done:  # per-period output covers the warm-up too
        I[outp_ + I[G_PERIOD] * I[O_OUTP + 2] + jt] += 1
    if I[G_WARM] == 0:
        return
    released = F[jf_ + j]
    F[kjf_ + jt * KF_N + KF_SOJOURN] += now - max(released, F[sc_ + SC_WARMUP])
    if not done:
        I[kji_ + jt * K_N + K_SCRAP] += 1
        return
    lead = now - released
    I[kji_ + jt * K_N + K_DONE] += 1
    I[kji_ + jt * K_N + K_FIRST_PASS] += I[ji_ + j * J_N + J_FIRST_PASS]
    F[kjf_ + jt * KF_N + KF_LEAD_SUM] += lead
    F[kjf_ + jt * KF_N + KF_LEAD_SQ] += lead * lead
    position = (math.log10(max(lead, 1e-300)) - F[sc_ + SC_HIST_LO]) * F[sc_ + SC_HIST_PER_DECADE]
    I[hist_ + (min(max(int(position), 0), HIST_BINS - 1))] += 1


@nb.njit(**JIT)
def complete(I, F, j, now):
    """Job ``j`` finished its routing: a product leaves, a sub-assembly goes to stock."""
    ji_ = I[O_JI]
    kji_ = I[O_KJI]
    mi_ = I[O_MI]
    sc_ = I[O_SC]
    jt = I[ji_ + j * J_N + J_TYPE]
    n_products = int(F[sc_ + SC_N_PRODUCTS])
    log_row(I, F, now, L_COMPLETE, jt, j, -1, -1)
    if jt < n_products:
        _departure(I, F, j, now, True)
    else:
        if I[G_WARM] == 1:
            I[kji_ + jt * K_N + K_DONE] += 1
        m = int(F[sc_ + SC_N_PARTS]) + jt - n_products
        material_touch(I, F, m, now)
        I[mi_ + m * M_N + M_STOCK] += 1
        todo_push(I, F, A_MATERIAL, m)
    _free_job(I, F, j)


@nb.njit(**JIT)
def scrap(I, F, j, now):
    """Job ``j`` failed its test too often; a scrapped sub-assembly is made again."""
    bl_ = I[O_BL]
    ji_ = I[O_JI]
    jti_ = I[O_JTI]
    kji_ = I[O_KJI]
    sc_ = I[O_SC]
    jt = I[ji_ + j * J_N + J_TYPE]
    log_row(I, F, now, L_SCRAP, jt, j, -1, -1)
    if jt < int(F[sc_ + SC_N_PRODUCTS]):
        _departure(I, F, j, now, False)
    else:
        if I[G_WARM] == 1:
            I[kji_ + jt * K_N + K_SCRAP] += 1
        I[bl_ + jt] += 1
        todo_push(I, F, A_RELEASE, I[jti_ + jt * JT_N + JT_FIRST_WC])
    _free_job(I, F, j)


# ---- waking waiting stations -----------------------------------------------------------------
@nb.njit(**JIT)
def material_arrived(I, F, m, now):
    """Stock of ``m`` rose: stations waiting for it retry in FIFO order."""
    mi_ = I[O_MI]
    sti_ = I[O_STI]
    for _ in range(I[mi_ + m * M_N + M_NWAIT]):
        s = I[mi_ + m * M_N + M_WHEAD]
        if s < 0:
            break
        material_touch(I, F, m, now)
        I[mi_ + m * M_N + M_WHEAD] = I[sti_ + s * T_N + T_NEXT]
        if I[mi_ + m * M_N + M_WHEAD] < 0:
            I[mi_ + m * M_N + M_WTAIL] = -1
        I[mi_ + m * M_N + M_NWAIT] -= 1
        missing = try_consume(I, F, s, now)
        if missing >= 0:
            wait_material(I, F, s, missing, now)
        else:
            after_material(I, F, s, now)


@nb.njit(**JIT)
def worker_freed(I, F, q, now):
    """Workers of pool ``q`` became free: waiting stations take them in FIFO order."""
    poi_ = I[O_POI]
    sti_ = I[O_STI]
    opi_ = I[O_OPI]
    while I[poi_ + q * Q_N + Q_WHEAD] >= 0:
        s = I[poi_ + q * Q_N + Q_WHEAD]
        need = I[opi_ + I[sti_ + s * T_N + T_OP] * O_N + O_WORKERS]
        if I[poi_ + q * Q_N + Q_BUSY] + need > I[poi_ + q * Q_N + Q_CAP]:
            break
        I[poi_ + q * Q_N + Q_WHEAD] = I[sti_ + s * T_N + T_NEXT]
        if I[poi_ + q * Q_N + Q_WHEAD] < 0:
            I[poi_ + q * Q_N + Q_WTAIL] = -1
        pool_touch(I, F, q, now)
        I[poi_ + q * Q_N + Q_BUSY] += need
        I[sti_ + s * T_N + T_POOL] = q
        after_worker(I, F, s, now)


@nb.njit(**JIT)
def drain(I, F, now):
    """Run every to-do action queued at this instant."""
    sti_ = I[O_STI]
    wci_ = I[O_WCI]
    while I[G_TODO_N] > 0:
        action, arg = todo_pop(I, F)
        if action == A_PULL:
            # only fresh stations (empty, marked blocked) are pulled here
            if I[sti_ + arg * T_N + T_JOB] < 0 and I[sti_ + arg * T_N + T_PHASE] == PH_BLOCKED:
                pull(I, F, arg, now)
        elif action == A_SLOT:
            slot_freed(I, F, arg, now)
        elif action == A_RELEASE:
            if I[wci_ + arg * W_N + W_BHEAD] < 0:
                release_at(I, F, arg, now)
        elif action == A_MATERIAL:
            material_arrived(I, F, arg, now)
        else:
            worker_freed(I, F, arg, now)
