# ruff: noqa: E741  (I and F are the kernel's flat int and float memory)
# numba kernel code: untyped by nature, checked by its tests
# mypy: ignore-errors
"""Batches that wait for a full load: a station holding fewer than ``batch`` jobs of an
operation with ``batch_wait`` > 0 waits (phase ``PH_WAIT_BATCH``, its processing timer
set to the end of the wait) while arriving jobs of that operation join it; it starts when
the batch is full or the wait is over."""

from __future__ import annotations

import numba as nb

from droneworks.factory.engine import tables
from droneworks.factory.engine.core import JIT, set_timer
from droneworks.factory.engine.routing import job_op
from droneworks.factory.engine.spec import INF, PH_WAIT_BATCH
from droneworks.factory.engine.stations import begin, refresh


@nb.njit(**JIT)
def start_or_wait(I, F, s, now):
    """Station ``s`` holds its job(s): begin, or wait for a full batch."""
    ops = tables.ops(I, F)
    stations = tables.stations(I, F)
    o = stations.op[s]
    if ops.batch_wait[o] > 0.0 and stations.n_jobs[s] < ops.batch[o]:
        stations.phase[s] = PH_WAIT_BATCH
        tables.centres(I, F).batching[stations.wc[s]] += 1
        ts = int(tables.params(I, F).timers_per_station)
        set_timer(I, F, s * ts, now + ops.batch_wait[o])
        refresh(I, F, s, now)
        return
    begin(I, F, s, now)


@nb.njit(**JIT)
def end_wait(I, F, s, now):
    """The batch of ``s`` is full, or its wait is over: begin."""
    stations = tables.stations(I, F)
    tables.centres(I, F).batching[stations.wc[s]] -= 1
    set_timer(I, F, s * int(tables.params(I, F).timers_per_station), INF)
    begin(I, F, s, now)


@nb.njit(**JIT)
def join_batch(I, F, j, w, now):
    """Job ``j`` joins a station of ``w`` waiting for a batch of its operation; False when
    none waits."""
    centres = tables.centres(I, F)
    jobs = tables.jobs(I, F)
    stations = tables.stations(I, F)
    o = job_op(I, F, j)
    first = centres.station_start[w]
    for s in range(first, first + centres.max_stations[w]):
        if stations.phase[s] != PH_WAIT_BATCH or stations.op[s] != o:
            continue
        tail = stations.job[s]
        while jobs.next[tail] >= 0:
            tail = jobs.next[tail]
        jobs.next[tail] = j
        jobs.next[j] = -1
        stations.n_jobs[s] += 1
        if stations.n_jobs[s] >= tables.ops(I, F).batch[o]:
            end_wait(I, F, s, now)
        return True
    return False
