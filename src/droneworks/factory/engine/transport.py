# ruff: noqa: E741  (I and F are the kernel's flat int and float memory)
# numba kernel code: untyped by nature, checked by its tests
# mypy: ignore-errors
"""Transport between work centres: a job leaves for its next work centre with a place
reserved there (``centres.incoming``), travels for its operation's move time, and enters
(``moves.arrive``, called by ``flow.move_end``). Without a transporter pool the move
starts at once; with one the job waits in the pool's FIFO list until a vehicle is free,
and a trip carries up to ``capacity`` waiting jobs bound for the same operation.

A trip is one heap event ``EV_MOVE`` (a = first job of the trip, b = pool or −1); the
jobs of a trip are linked by ``jobs.next``.
"""

from __future__ import annotations

import numba as nb

from droneworks.factory.engine import tables
from droneworks.factory.engine.core import JIT, draw, heap_push
from droneworks.factory.engine.fifo import fifo_append
from droneworks.factory.engine.routing import job_op
from droneworks.factory.engine.spec import EV_MOVE, G_WARM


@nb.njit(**JIT)
def transport_touch(I, F, q, now):
    """Account vehicle-minutes busy and job-minutes waiting of pool ``q`` up to ``now``."""
    transporters = tables.transporters(I, F)
    if I[G_WARM] == 1:
        elapsed = now - transporters.since[q]
        transporters.busy_area[q] += transporters.busy[q] * elapsed
        transporters.wait_area[q] += transporters.n_wait[q] * elapsed
    transporters.since[q] = now


@nb.njit(**JIT)
def depart(I, F, j, o, w, now):
    """Job ``j`` leaves for operation ``o`` at work centre ``w``, where a place is now
    reserved: it moves at once, or waits for a vehicle of the operation's pool."""
    centres = tables.centres(I, F)
    jobs = tables.jobs(I, F)
    ops = tables.ops(I, F)
    transporters = tables.transporters(I, F)
    centres.incoming[w] += 1
    q = ops.mover[o]
    if q < 0:
        heap_push(I, F, now + draw(I, F, ops.move_stream[o]), EV_MOVE, j, -1, 0)
        return
    transport_touch(I, F, q, now)
    transporters.n_wait[q] += 1
    fifo_append(transporters.wait_head, transporters.wait_tail, q, jobs.next, j)
    dispatch(I, F, q, now)


@nb.njit(**JIT)
def _take_waiting(I, F, q, j, previous):
    """Unlink job ``j`` (after ``previous``, −1: the head) from pool ``q``'s wait list."""
    jobs = tables.jobs(I, F)
    transporters = tables.transporters(I, F)
    following = jobs.next[j]
    if previous >= 0:
        jobs.next[previous] = following
    else:
        transporters.wait_head[q] = following
    if transporters.wait_tail[q] == j:
        transporters.wait_tail[q] = previous
    transporters.n_wait[q] -= 1
    jobs.next[j] = -1


@nb.njit(**JIT)
def dispatch(I, F, q, now):
    """Free vehicles of pool ``q`` start trips: the first waiting job plus up to
    ``capacity − 1`` more waiting jobs bound for the same operation (FIFO)."""
    jobs = tables.jobs(I, F)
    ops = tables.ops(I, F)
    transporters = tables.transporters(I, F)
    while transporters.busy[q] < transporters.count[q] and transporters.wait_head[q] >= 0:
        transport_touch(I, F, q, now)
        head = transporters.wait_head[q]
        o = job_op(I, F, head)
        _take_waiting(I, F, q, head, -1)
        tail, load, previous = head, 1, -1
        j = transporters.wait_head[q]
        while j >= 0 and load < transporters.capacity[q]:
            following = jobs.next[j]
            if job_op(I, F, j) == o:
                _take_waiting(I, F, q, j, previous)
                jobs.next[tail] = j
                tail, load = j, load + 1
            else:
                previous = j
            j = following
        transporters.busy[q] += 1
        if I[G_WARM] == 1:
            transporters.trips[q] += 1
            transporters.moved[q] += load
        heap_push(I, F, now + draw(I, F, ops.move_stream[o]), EV_MOVE, head, q, 0)


@nb.njit(**JIT)
def trip_done(I, F, q, now):
    """A vehicle of pool ``q`` delivered its load: it takes the next waiting jobs."""
    transporters = tables.transporters(I, F)
    transport_touch(I, F, q, now)
    transporters.busy[q] -= 1
    dispatch(I, F, q, now)
