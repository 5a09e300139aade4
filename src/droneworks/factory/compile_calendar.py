"""The time side of compiling a plant: working windows of the plant calendar (with dated
``shifts_per_day`` changes) and of each work centre's own calendar, and the headcount
steps of worker pools staffed per shift.

Every shift, break, overtime and extra day is resolved here into plain [start, end)
windows in minutes; the engine only switches work centres on and off at their edges.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np

from droneworks.core.units import MINUTES_PER_DAY
from droneworks.factory.model import Calendar, Plant

__all__ = ["centre_windows", "plant_windows", "staffing_steps"]

_ALWAYS = np.array([[0.0, 1e18]])


def _segments(plant: Plant, until_min: float) -> Iterator[tuple[float, float, Calendar]]:
    """Spans [begin, end) of the run with the plant calendar in force in each (dated
    ``shifts_per_day`` changes cut the run into spans)."""
    shift_changes = sorted(
        (plant.change_at_min(c), c.shifts_per_day)
        for c in plant.capacity_changes
        if c.shifts_per_day is not None
    )
    bounds = [0.0] + [at for at, _ in shift_changes] + [until_min]
    shifts = [plant.calendar.shifts_per_day] + [n for _, n in shift_changes]
    for (begin, end), count in zip(itertools.pairwise(bounds), shifts, strict=True):
        yield begin, end, plant.calendar.model_copy(update={"shifts_per_day": count})


def _merged(pieces: list[np.ndarray]) -> np.ndarray:
    merged: list[list[float]] = []
    for start, end in np.concatenate(pieces) if pieces else np.zeros((0, 2)):
        if merged and start <= merged[-1][1] + 1e-9:
            merged[-1][1] = max(merged[-1][1], float(end))
        else:
            merged.append([float(start), float(end)])
    return np.array(merged).reshape(-1, 2)


def plant_windows(plant: Plant, until_min: float) -> np.ndarray:
    """Working windows [start, end) of the plant calendar up to ``until_min``, with dated
    shift changes (one endless window for a plant that never stops)."""
    has_changes = any(c.shifts_per_day is not None for c in plant.capacity_changes)
    if plant.calendar.is_continuous and not has_changes:
        return _ALWAYS.copy()
    pieces = []
    for begin, end, calendar in _segments(plant, until_min):
        windows = calendar.working_windows_min(plant.plant.start_date, end)
        windows = np.clip(windows, begin, end)
        pieces.append(windows[windows[:, 1] > windows[:, 0]])
    return _merged(pieces)


def centre_windows(plant: Plant, until_min: float) -> dict[str, np.ndarray]:
    """Working windows of each calendar of ``[calendars]``, by id (plant-wide
    ``shifts_per_day`` changes do not apply to them)."""
    return {
        key: _ALWAYS.copy()
        if calendar.is_continuous
        else calendar.working_windows_min(plant.plant.start_date, until_min)
        for key, calendar in plant.calendars.items()
    }


def _shift_starts(plant: Plant, until_min: float) -> list[tuple[float, int]]:
    """(start, shift number of the day) of every shift of the plant calendar; a shift
    already under way when a span begins (at time 0, at a shift change) starts there."""
    starts = []
    for begin, end, calendar in _segments(plant, until_min):
        first_day = int(begin // MINUTES_PER_DAY) - 1
        last_day = int(end // MINUTES_PER_DAY) + 1
        for day in range(first_day, last_day + 1):
            for shift, start, stop in calendar.shifts_of_day(day, plant.plant.start_date):
                if start < end and stop > begin:
                    starts.append((max(start, begin), shift))
    return starts


def staffing_steps(plant: Plant, until_min: float) -> dict[str, list[tuple[float, int]]]:
    """Per pool with ``shift_counts``: (time, headcount) at the start of every shift, up to
    the pool's first dated capacity change (which sets one count for every shift)."""
    staffed = {key: pool for key, pool in plant.workers.items() if pool.shift_counts}
    if not staffed:
        return {}
    starts = _shift_starts(plant, until_min)
    steps = {}
    for key, pool in staffed.items():
        counts = pool.shift_counts or ()
        changed = [plant.change_at_min(c) for c in plant.capacity_changes if c.pool == key]
        stop = min(changed, default=until_min)
        steps[key] = [(at, counts[shift]) for at, shift in starts if at < stop]
    return steps
