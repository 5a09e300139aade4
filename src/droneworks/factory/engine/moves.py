# ruff: noqa: E741  (I and F are the kernel's flat int and float memory)
# numba kernel code: untyped by nature, checked by its tests
# mypy: ignore-errors
"""Moving jobs: queues, idle stations, blocking, batches, and releases into the plant."""

from __future__ import annotations

import numba as nb

from droneworks.factory.engine import tables
from droneworks.factory.engine.core import (
    JIT,
    log_row,
    order_pool_touch,
    order_taken,
    todo_push,
    wip_change,
)  # fmt: skip
from droneworks.factory.engine.departures import (
    complete,
    scrap,
)  # fmt: skip
from droneworks.factory.engine.dispatch import fastest_idle, job_ready, rank_of, take_best
from droneworks.factory.engine.fifo import (
    fifo_append,
)  # fmt: skip
from droneworks.factory.engine.loading import join_batch, start_or_wait
from droneworks.factory.engine.routing import (
    DONE,
    SCRAPPED,
    job_op,
    locate,
)  # fmt: skip
from droneworks.factory.engine.spec import (
    A_RELEASE,
    A_SLOT,
    DISPATCH_FIFO,
    G_FREE_HEAD,
    G_FREE_N,
    G_GROW,
    G_WIP,
    INF,
    L_RELEASE,
    PH_IDLE,
    RELEASE_SATURATE,
)  # fmt: skip
from droneworks.factory.engine.stations import (
    refresh,
)  # fmt: skip
from droneworks.factory.engine.transport import depart


# ---- moving jobs -----------------------------------------------------------------------------
@nb.njit(inline="always", **JIT)
def _enqueue(I, F, w, j):
    centres, jobs = tables.centres(I, F), tables.jobs(I, F)
    if centres.rule[w] != DISPATCH_FIFO:
        jobs.rank[j] = rank_of(I, F, j, w)
    fifo_append(centres.queue_head, centres.queue_tail, w, jobs.next, j)
    centres.queue_len[w] += 1


@nb.njit(inline="always", **JIT)
def _assign(I, F, s, j, now):
    jobs = tables.jobs(I, F)
    stations = tables.stations(I, F)
    jobs.next[j] = -1
    stations.job[s] = j
    stations.n_jobs[s] = 1
    stations.op[s] = job_op(I, F, j)


@nb.njit(inline="always", **JIT)
def room(I, F, w):
    """True when work centre ``w`` can take a job now (idle station or buffer space)."""
    centres = tables.centres(I, F)
    cap = centres.buffer[w]
    incoming = centres.incoming[w]
    if incoming > 0 or centres.kitting[w] == 1:
        # places reserved for jobs moving here count as taken; at a kitting centre the
        # idle stations' places count as buffer places (jobs wait there for parts)
        return cap < 0 or centres.queue_len[w] + incoming < cap + centres.idle[w]
    return centres.idle[w] > 0 or cap < 0 or centres.queue_len[w] < cap


@nb.njit(**JIT)
def place(I, F, j, w, now):
    """Give job ``j`` to an idle station of ``w`` or its buffer; False when ``w`` is full."""
    centres = tables.centres(I, F)
    stations = tables.stations(I, F)
    if centres.batching[w] > 0 and join_batch(I, F, j, w, now):
        return True
    if centres.incoming[w] > 0 and not room(I, F, w):
        return False  # the idle stations wait for the jobs moving here
    if centres.idle[w] > 0 and (centres.kitting[w] == 0 or job_ready(I, F, j)):
        first = centres.station_start[w]
        for s in range(first, first + centres.max_stations[w]):
            if (
                stations.job[s] < 0
                and stations.phase[s] == PH_IDLE
                and stations.present[s] == 1
                and stations.retire[s] == 0
            ):
                if centres.fastest[w] == 1:
                    s = fastest_idle(I, F, w)
                centres.idle[w] -= 1
                _assign(I, F, s, j, now)
                start_or_wait(I, F, s, now)
                return True
    if not room(I, F, w):
        return False
    _enqueue(I, F, w, j)
    return True


@nb.njit(**JIT)
def hand_over(I, F, j, o, w, now):
    """Send job ``j`` to its operation ``o`` at ``w``: placed there now, or sent on the
    operation's move with a place reserved; False when ``w`` is full."""
    if tables.ops(I, F).move_stream[o] < 0:
        return place(I, F, j, w, now)
    if not room(I, F, w):
        return False
    depart(I, F, j, o, w, now)
    return True


@nb.njit(**JIT)
def arrive(I, F, j, w, now):
    """Job ``j`` ends its move and enters ``w``, where its place was reserved."""
    centres = tables.centres(I, F)
    centres.incoming[w] -= 1
    if not place(I, F, j, w, now):
        _enqueue(I, F, w, j)  # its place went with a station a capacity change took away


@nb.njit(**JIT)
def unload(I, F, s, now):
    """Hand the finished job(s) of ``s`` on; block on the first full work centre."""
    centres = tables.centres(I, F)
    jobs = tables.jobs(I, F)
    ops = tables.ops(I, F)
    stations = tables.stations(I, F)
    while stations.n_jobs[s] > 0:
        j = stations.job[s]
        following = jobs.next[j]
        position = jobs.pos[j]
        if position == DONE:
            complete(I, F, j, now)
        elif position == SCRAPPED:
            scrap(I, F, j, now)
        else:
            o = job_op(I, F, j)
            w = ops.wc[o]
            jobs.next[j] = -1
            if not hand_over(I, F, j, o, w, now):
                jobs.next[j] = following
                fifo_append(centres.blocked_head, centres.blocked_tail, w, stations.next, s)
                refresh(I, F, s, now)
                return
        stations.job[s] = following
        stations.n_jobs[s] -= 1
    stations.job[s] = -1
    pull(I, F, s, now)


@nb.njit(**JIT)
def pull(I, F, s, now):
    """Empty station ``s`` takes the next job(s) of its queue, or waits for one."""
    centres = tables.centres(I, F)
    jobs = tables.jobs(I, F)
    ops = tables.ops(I, F)
    stations = tables.stations(I, F)
    w = stations.wc[s]
    stations.phase[s] = PH_IDLE
    if stations.retire[s] == 1:
        stations.retire[s] = 0
        stations.present[s] = 0
        refresh(I, F, s, now)
        return
    if stations.present[s] == 0:
        return
    j = -1
    if centres.queue_len[w] > 0 and centres.rule[w] == DISPATCH_FIFO and centres.kitting[w] == 0:
        j = centres.queue_head[w]
        centres.queue_head[w] = jobs.next[j]
        centres.queue_len[w] -= 1
        if centres.queue_len[w] == 0:
            centres.queue_tail[w] = -1
    elif centres.queue_len[w] > 0:
        j = take_best(I, F, w)  # −1: at a kitting centre, no queued job has its parts
    if j < 0:
        centres.idle[w] += 1
        refresh(I, F, s, now)
        if centres.blocked_head[w] >= 0:  # unbuffered: a blocked upstream hands over
            todo_push(I, F, A_SLOT, w)
        if centres.first_types_len[w] > 0:
            todo_push(I, F, A_RELEASE, w)
        return
    _assign(I, F, s, j, now)
    batch = ops.batch[stations.op[s]]
    if batch > 1:
        _gather_batch(I, F, s, j, batch)
    start_or_wait(I, F, s, now)
    if centres.blocked_head[w] >= 0 or centres.first_types_len[w] > 0:
        todo_push(I, F, A_SLOT, w)  # someone may use the freed buffer place


@nb.njit(**JIT)
def _gather_batch(I, F, s, head, batch):
    """Add queued jobs at the same operation to the batch of ``s`` (up to ``batch``)."""
    centres = tables.centres(I, F)
    jobs = tables.jobs(I, F)
    stations = tables.stations(I, F)
    w = stations.wc[s]
    o = stations.op[s]
    tail = head
    previous = -1
    j = centres.queue_head[w]
    while j >= 0 and stations.n_jobs[s] < batch:
        following = jobs.next[j]
        if job_op(I, F, j) == o:
            if previous >= 0:
                jobs.next[previous] = following
            else:
                centres.queue_head[w] = following
            if centres.queue_tail[w] == j:
                centres.queue_tail[w] = previous
            centres.queue_len[w] -= 1
            jobs.next[tail] = j
            jobs.next[j] = -1
            tail = j
            stations.n_jobs[s] += 1
        else:
            previous = j
        j = following


@nb.njit(**JIT)
def slot_freed(I, F, w, now):
    """Space appeared at ``w``: blocked stations unload first, then releases."""
    centres = tables.centres(I, F)
    stations = tables.stations(I, F)
    while centres.blocked_head[w] >= 0 and room(I, F, w):
        s = centres.blocked_head[w]
        centres.blocked_head[w] = stations.next[s]
        if centres.blocked_head[w] < 0:
            centres.blocked_tail[w] = -1
        stations.next[s] = -1
        unload(I, F, s, now)
    if centres.blocked_head[w] < 0 and centres.first_types_len[w] > 0:
        release_at(I, F, w, now)


# ---- releases, completions, scrap -------------------------------------------------------------
@nb.njit(**JIT)
def _may_release(I, F, jt):
    job_types = tables.job_types(I, F)
    params = tables.params(I, F)
    product = jt < int(params.n_products)
    if product and params.conwip >= 0 and I[G_WIP] >= params.conwip:
        return False
    if product and int(params.release) == RELEASE_SATURATE:
        return False  # released by _behind_mix
    return job_types.backlog[jt] > 0


@nb.njit(**JIT)
def _behind_mix(I, F, w):
    """Under unlimited raw material: the product starting at ``w`` with the fewest releases
    relative to its mix weight (−1: none may be released)."""
    centres = tables.centres(I, F)
    first_types = tables.first_types(I, F)
    job_types = tables.job_types(I, F)
    params = tables.params(I, F)
    best = -1
    best_ratio = INF
    start = centres.first_types_start[w]
    for k in range(centres.first_types_len[w]):
        jt = first_types.job_type[start + k]
        weight = job_types.mix[jt]
        if jt >= int(params.n_products) or weight <= 0.0:
            continue
        if params.conwip >= 0 and I[G_WIP] >= params.conwip:
            return -1
        ratio = (job_types.released_all[jt] + 1) / weight
        if ratio < best_ratio:
            best, best_ratio = jt, ratio
    return best


@nb.njit(**JIT)
def release_at(I, F, w, now):
    """Release jobs whose routing starts at ``w`` while it has room (round robin)."""
    centres = tables.centres(I, F)
    first_types = tables.first_types(I, F)
    params = tables.params(I, F)
    n = centres.first_types_len[w]
    saturate = int(params.release) == RELEASE_SATURATE
    progress = True
    while progress:
        progress = False
        if saturate and centres.idle[w] > centres.incoming[w] + centres.queue_len[w]:
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
            k = (centres.next_type[w] + i) % n
            jt = first_types.job_type[centres.first_types_start[w] + k]
            if not _may_release(I, F, jt):
                continue
            if I[G_FREE_N] == 0:
                I[G_GROW] = 1
                return
            release_job(I, F, jt, w, now)
            centres.next_type[w] = (k + 1) % n
            progress = True


@nb.njit(**JIT)
def release_job(I, F, jt, w, now):
    """Create a job of type ``jt`` at its first work centre ``w``; release its
    sub-assemblies."""
    job_types = tables.job_types(I, F)
    jobs = tables.jobs(I, F)
    params = tables.params(I, F)
    subs = tables.subs(I, F)
    j = I[G_FREE_HEAD]
    I[G_FREE_HEAD] = jobs.next[j]
    I[G_FREE_N] -= 1
    jobs.type[j], jobs.pos[j], jobs.rework[j] = jt, 0, -1
    locate(I, F, j)
    jobs.reworks[j], jobs.first_pass[j], jobs.next[j] = (
        0,
        1,
        -1,
    )
    jobs.released[j] = now
    jobs.ordered[j] = now
    if jt < int(params.n_products) and job_types.backlog[jt] > 0:
        jobs.ordered[j] = order_taken(I, F, jt, now)
    jobs.due[j] = jobs.ordered[j] + job_types.due_in[jt]
    order_pool_touch(I, F, jt, now)
    job_types.backlog[jt] -= 1
    job_types.released[jt] += 1
    job_types.released_all[jt] += 1
    if jt < int(params.n_products):
        wip_change(I, F, 1, now)
    log_row(I, F, now, L_RELEASE, jt, j, w, -1)
    for k in range(
        job_types.sub_start[jt],
        job_types.sub_start[jt] + job_types.sub_len[jt],
    ):
        sub = subs.job_type[k]
        job_types.backlog[sub] += subs.qty[k]
        todo_push(I, F, A_RELEASE, job_types.first_wc[sub])
    hand_over(I, F, j, job_op(I, F, j), w, now)
