# ruff: noqa: E741  (I and F are the kernel's flat int and float memory)
# numba kernel code: untyped by nature, checked by its tests
# mypy: ignore-errors
"""Repair crews: a failed station waits for a free technician of its failure mode's crew,
the technician is held until the repair ends, then takes the longest-waiting repair.

An outage row (station × source) waits in its crew's FIFO list through ``outages.next``
(a station may wait for a worker through ``stations.next`` at the same time). The repair
time is drawn when the station fails, so a failure stream is read in the same order with
or without a crew. While a repair waits or runs, ``outages.remain`` holds the repair time
left and ``outages.segment_start`` when the current wait or segment began. A crew that
works ``on_shift_only`` pauses its repairs while the station's work centre is off shift.
"""

from __future__ import annotations

import numba as nb

from droneworks.factory.engine import tables
from droneworks.factory.engine.core import JIT, set_timer, todo_push
from droneworks.factory.engine.fifo import fifo_append
from droneworks.factory.engine.spec import (
    A_CREW,
    G_WARM,
    INF,
    OU_DOWN,
    OU_WAIT_CREW,
)  # fmt: skip


@nb.njit(**JIT)
def crew_touch(I, F, c, now):
    """Account technician-minutes of crew ``c`` (busy) up to ``now``."""
    crews = tables.crews(I, F)
    if I[G_WARM] == 1:
        crews.busy_area[c] += crews.busy[c] * (now - crews.since[c])
    crews.since[c] = now


@nb.njit(**JIT)
def _repairing(I, F, c, s):
    """True when a repair of station ``s`` by crew ``c`` progresses now."""
    if tables.crews(I, F).shift_only[c] == 0:
        return True
    return tables.centres(I, F).on_shift[tables.stations(I, F).wc[s]] == 1


@nb.njit(**JIT)
def _run(I, F, row, c, now):
    """Outage ``row`` has its technician: its repair runs (or waits for the shift)."""
    outages = tables.outages(I, F)
    ts = int(tables.params(I, F).timers_per_station)
    s = row // (ts - 1)
    slot = s * ts + 1 + row - s * (ts - 1)
    outages.phase[row] = OU_DOWN
    outages.segment_start[row] = now
    set_timer(I, F, slot, now + outages.remain[row] if _repairing(I, F, c, s) else INF)


@nb.njit(**JIT)
def request_repair(I, F, row, c, repair, now):
    """Outage ``row`` failed now and needs ``repair`` minutes of a technician of ``c``."""
    crews = tables.crews(I, F)
    outages = tables.outages(I, F)
    outages.remain[row] = repair
    if crews.busy[c] < crews.cap[c] and crews.wait_head[c] < 0:
        _take(I, F, c, row, now, now)
        return
    ts = int(tables.params(I, F).timers_per_station)
    s = row // (ts - 1)
    outages.phase[row] = OU_WAIT_CREW
    outages.segment_start[row] = now
    set_timer(I, F, s * ts + 1 + row - s * (ts - 1), INF)
    fifo_append(crews.wait_head, crews.wait_tail, c, outages.next, row)


@nb.njit(**JIT)
def _take(I, F, c, row, failed_at, now):
    crews = tables.crews(I, F)
    crew_touch(I, F, c, now)
    crews.busy[c] += 1
    if I[G_WARM] == 1:
        crews.repairs[c] += 1
        crews.wait_sum[c] += now - failed_at
    _run(I, F, row, c, now)


@nb.njit(**JIT)
def repair_done(I, F, c, now):
    """A repair by crew ``c`` ended: its technician is free for the next one."""
    crew_touch(I, F, c, now)
    tables.crews(I, F).busy[c] -= 1
    todo_push(I, F, A_CREW, c)


@nb.njit(**JIT)
def crew_freed(I, F, c, now):
    """Technicians of crew ``c`` became free: waiting repairs take them in FIFO order."""
    crews = tables.crews(I, F)
    outages = tables.outages(I, F)
    while crews.wait_head[c] >= 0 and crews.busy[c] < crews.cap[c]:
        row = crews.wait_head[c]
        crews.wait_head[c] = outages.next[row]
        if crews.wait_head[c] < 0:
            crews.wait_tail[c] = -1
        _take(I, F, c, row, outages.segment_start[row], now)


@nb.njit(**JIT)
def shift_changed(I, F, now):
    """A calendar's shift started or ended: repairs of on-shift-only crews resume or pause
    where their work centre's shift changed."""
    crews = tables.crews(I, F)
    outages = tables.outages(I, F)
    params = tables.params(I, F)
    sources = tables.sources(I, F)
    stations = tables.stations(I, F)
    centres = tables.centres(I, F)
    timer_at = tables.timer_at(I, F)
    ts = int(params.timers_per_station)
    for row in range(outages.n):
        if outages.phase[row] != OU_DOWN:
            continue
        s = row // (ts - 1)
        k = row - s * (ts - 1)
        c = sources.crew[centres.source_start[stations.wc[s]] + k]
        if c < 0 or crews.shift_only[c] == 0:
            continue
        slot = s * ts + 1 + k
        paused = timer_at[slot] == INF
        if _repairing(I, F, c, s) and paused:
            outages.segment_start[row] = now
            set_timer(I, F, slot, now + outages.remain[row])
        elif not _repairing(I, F, c, s) and not paused:
            outages.remain[row] -= now - outages.segment_start[row]
            set_timer(I, F, slot, INF)


@nb.njit(**JIT)
def any_shift_only(I, F):
    """True when some crew repairs only on shift (shift changes must pause its repairs)."""
    crews = tables.crews(I, F)
    for c in range(crews.n):  # noqa: SIM110  (numba: a plain loop, not any(generator))
        if crews.shift_only[c] == 1:
            return True
    return False
