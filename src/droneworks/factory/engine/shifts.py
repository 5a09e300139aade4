# ruff: noqa: E741  (I and F are the kernel's flat int and float memory)
# numba kernel code: untyped by nature, checked by its tests
# mypy: ignore-errors
"""Plant-wide events that change what may work: working windows of the calendars (the
plant's, then the work centres' own) and dated capacity changes (stations, workers).

Each calendar has its own chain of shift events on the heap (``EV_SHIFT`` with the
window row and the calendar); a window opening or closing switches ``centres.on_shift``
of the centres on that calendar and refreshes their stations. The plant calendar (0)
also sets the plant-wide flag that worker pools follow.
"""

from __future__ import annotations

import numba as nb

from droneworks.factory.engine import tables
from droneworks.factory.engine.core import JIT, heap_push, pool_touch, todo_push
from droneworks.factory.engine.repairs import any_shift_only, shift_changed
from droneworks.factory.engine.spec import (
    A_PULL,
    A_WORKER,
    CHANGE_STATIONS,
    EV_SHIFT,
    G_ON_SHIFT,
    PH_BLOCKED,
    PH_IDLE,
)  # fmt: skip
from droneworks.factory.engine.stations import refresh


@nb.njit(**JIT)
def start_calendars(I, F):
    """At time 0: every calendar is in its first window or waits for it."""
    calendar = tables.calendar(I, F)
    calendars = tables.calendars(I, F)
    for cal in range(calendars.n):  # the plant calendar first, then the centres' own
        first = calendars.first[cal]
        if calendars.count[cal] > 0 and calendar.start[first] <= 0.0:
            _switch(I, F, cal, 1)
            heap_push(I, F, calendar.end[first], EV_SHIFT, 0, first, cal)
        elif calendars.count[cal] > 0:
            heap_push(I, F, calendar.start[first], EV_SHIFT, 1, first, cal)


@nb.njit(**JIT)
def _switch(I, F, cal, on):
    """Calendar ``cal`` enters (1) or leaves (0) a working window: so do its centres.
    The plant calendar (0) also sets the plant-wide flag that worker pools follow."""
    centres = tables.centres(I, F)
    if cal == 0:
        I[G_ON_SHIFT] = on
    for w in range(centres.n):
        if centres.calendar[w] == cal:
            centres.on_shift[w] = on


@nb.njit(**JIT)
def shift(I, F, on, window, cal, now):
    """Working window ``window`` of calendar ``cal`` starts (on = 1) or ends."""
    calendar = tables.calendar(I, F)
    calendars = tables.calendars(I, F)
    centres = tables.centres(I, F)
    pools = tables.pools(I, F)
    stations = tables.stations(I, F)
    if cal == 0:
        for q in range(pools.n):
            pool_touch(I, F, q, now)
    _switch(I, F, cal, on)
    for s in range(stations.n):
        if centres.calendar[stations.wc[s]] == cal:
            refresh(I, F, s, now)
    if any_shift_only(I, F):
        shift_changed(I, F, now)
    if on == 1:
        heap_push(I, F, calendar.end[window], EV_SHIFT, 0, window, cal)
    elif window + 1 < calendars.first[cal] + calendars.count[cal]:
        heap_push(I, F, calendar.start[window + 1], EV_SHIFT, 1, window + 1, cal)


@nb.njit(**JIT)
def capacity_change(I, F, k, now):
    """Dated capacity change ``k``: stations of a work centre or workers of a pool."""
    centres = tables.centres(I, F)
    changes = tables.changes(I, F)
    pools = tables.pools(I, F)
    stations = tables.stations(I, F)
    kind, target, value = changes.kind[k], changes.target[k], changes.value[k]
    if kind != CHANGE_STATIONS:
        pool_touch(I, F, target, now)
        pools.cap[target] = value
        todo_push(I, F, A_WORKER, target)
        return
    first = centres.station_start[target]
    last = first + centres.max_stations[target]
    count = 0
    for s in range(first, last):
        count += stations.present[s] == 1 and stations.retire[s] == 0
    for s in range(first, last):
        if count >= value:
            break
        if stations.present[s] == 1 and stations.retire[s] == 1:
            stations.retire[s] = 0
            count += 1
        elif stations.present[s] == 0:
            (
                stations.present[s],
                stations.phase[s],
                stations.job[s],
            ) = 1, PH_BLOCKED, -1
            todo_push(I, F, A_PULL, s)
            count += 1
    for s in range(last - 1, first - 1, -1):
        if count <= value:
            break
        if stations.present[s] == 1 and stations.retire[s] == 0:
            count -= 1
            if stations.job[s] < 0 and stations.phase[s] == PH_IDLE:
                centres.idle[target] -= 1
                stations.present[s] = 0
                refresh(I, F, s, now)
            else:
                stations.retire[s] = 1
