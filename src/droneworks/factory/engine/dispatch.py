# ruff: noqa: E741  (I and F are the kernel's flat int and float memory)
# numba kernel code: untyped by nature, checked by its tests
# mypy: ignore-errors
"""Dispatching beyond first come, first served, kitting, and stations of different speeds.

A work centre with a rule (``centres.rule``) gives each job a rank when it joins the
queue (``jobs.rank``: mean processing time, due date or −priority); a free station takes
the lowest rank, the first in line on ties. At a kitting centre (``centres.kitting``) a
station takes only a job whose materials are in stock. A work centre whose stations
differ in speed (``centres.fastest``) hands an arriving job to its fastest idle station.
"""

from __future__ import annotations

import numba as nb

from droneworks.factory.engine import tables
from droneworks.factory.engine.core import JIT
from droneworks.factory.engine.routing import job_op
from droneworks.factory.engine.spec import DISPATCH_EDD, DISPATCH_FIFO, DISPATCH_SPT, PH_IDLE


@nb.njit(**JIT)
def rank_of(I, F, j, w):
    """Job ``j``'s dispatching key in work centre ``w``'s queue (lowest goes first)."""
    rule = tables.centres(I, F).rule[w]
    jobs = tables.jobs(I, F)
    if rule == DISPATCH_SPT:
        return tables.ops(I, F).mean[job_op(I, F, j)]
    if rule == DISPATCH_EDD:
        return jobs.due[j]
    return -float(tables.job_types(I, F).priority[jobs.type[j]])


@nb.njit(**JIT)
def job_ready(I, F, j):
    """True when the materials of one unit of job ``j``'s operation are in stock."""
    consumes = tables.consumes(I, F)
    materials = tables.materials(I, F)
    ops = tables.ops(I, F)
    o = job_op(I, F, j)
    for c in range(ops.cons_start[o], ops.cons_start[o] + ops.cons_len[o]):
        if materials.stock[consumes.material[c]] < consumes.qty[c]:
            return False
    return True


@nb.njit(**JIT)
def take_best(I, F, w):
    """Unlink and return the queued job of ``w`` with the lowest rank (the first in line
    under FIFO), among the jobs whose materials are in stock at a kitting centre; −1: none."""
    centres = tables.centres(I, F)
    jobs = tables.jobs(I, F)
    fifo = centres.rule[w] == DISPATCH_FIFO
    kitting = centres.kitting[w] == 1
    best, before_best, previous = -1, -1, -1
    j = centres.queue_head[w]
    while j >= 0:
        if not kitting or job_ready(I, F, j):
            if best < 0 or (not fifo and jobs.rank[j] < jobs.rank[best]):
                best, before_best = j, previous
            if fifo:
                break
        previous, j = j, jobs.next[j]
    if best < 0:
        return -1
    following = jobs.next[best]
    if before_best >= 0:
        jobs.next[before_best] = following
    else:
        centres.queue_head[w] = following
    if centres.queue_tail[w] == best:
        centres.queue_tail[w] = before_best
    centres.queue_len[w] -= 1
    return best


@nb.njit(**JIT)
def fastest_idle(I, F, w):
    """The fastest idle station of ``w`` (the first of equals; −1: none)."""
    centres = tables.centres(I, F)
    stations = tables.stations(I, F)
    chosen = -1
    first = centres.station_start[w]
    for s in range(first, first + centres.max_stations[w]):
        idle = stations.job[s] < 0 and stations.phase[s] == PH_IDLE
        free = idle and stations.present[s] == 1 and stations.retire[s] == 0
        if free and (chosen < 0 or stations.speed[s] > stations.speed[chosen]):
            chosen = s
    return chosen
