"""Timing of each drone's day and the repairs that make every sortie fit its battery.

A drone flies its sorties in order; after landing it needs the swap time before the next
take-off. Each sortie takes off as late as helps (so it does not hover waiting for a window
to open) but never so late that a drop misses its window. The repairs:

* a sortie over its energy budget is split into consecutive sorties that each fit
  (the cheapest split by distance, found by dynamic programming over the drop order);
* a drop served after its window closes, or a sortie landing after the shift ends, loses
  that drop, which is then offered to any drone with a gap in its day long enough for a
  one-drop sortie within the window; a drop no gap can take is reported ("fleet busy");
* finally consecutive sorties of a drone are merged wherever the merged sortie still fits
  payload, budget, windows and shift.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from droneworks.missions.delivery.model import DeliveryProblem
from droneworks.missions.delivery.sortie import XY, DroneOps, SortieFlight, fly_sortie

__all__ = [
    "DroneDay",
    "TimedSortie",
    "day_is_clean",
    "fit_single_drop",
    "fly_trip",
    "merge_adjacent",
    "payload_kg",
    "split_over_budget",
    "split_overloaded",
    "time_day",
]

EPS_MIN = 1e-6


@dataclass
class DroneDay:
    """A drone's trips (drop indices) during repair; mutable working state."""

    group: int
    number: int
    ops: DroneOps
    base_xy: XY
    trips: list[list[int]]


@dataclass(frozen=True)
class TimedSortie:
    trip: tuple[int, ...]
    takeoff_min: float
    flight: SortieFlight

    @property
    def landing_min(self) -> float:
        return self.takeoff_min + self.flight.duration_min


def fly_trip(
    day: DroneDay, problem: DeliveryProblem, xy: list[XY], trip: list[int] | tuple[int, ...],
    takeoff_min: float | None = None,
) -> SortieFlight:  # fmt: skip
    drops = [problem.drops[i] for i in trip]
    opens = None if takeoff_min is None else [d.window_open_min for d in drops]
    return fly_sortie(
        day.ops, day.base_xy, [xy[i] for i in trip], [d.payload_kg for d in drops], opens,
        0.0 if takeoff_min is None else takeoff_min,
    )  # fmt: skip


def _takeoff(
    ready_min: float, flight: SortieFlight, opens: list[float], closes: list[float]
) -> float:
    offsets = flight.arrival_offsets_min
    wanted = max(o - off for o, off in zip(opens, offsets, strict=True))
    latest = min(c - off for c, off in zip(closes, offsets, strict=True))
    return max(ready_min, min(wanted, latest))


def time_day(day: DroneDay, problem: DeliveryProblem, xy: list[XY]) -> list[TimedSortie]:
    """Take-off times and flights of the drone's sorties, in order."""
    params = problem.params
    ready = params.shift_start_min
    timed: list[TimedSortie] = []
    for trip in day.trips:
        drops = [problem.drops[i] for i in trip]
        plain = fly_trip(day, problem, xy, trip)
        opens = [d.window_open_min for d in drops]
        start = _takeoff(ready, plain, opens, [d.window_close_min for d in drops])
        waits = any(o > start + t for o, t in zip(opens, plain.arrival_offsets_min, strict=True))
        # without a wait at any drop the timed flight is the plain one, to the last bit
        flight = fly_trip(day, problem, xy, trip, start) if waits else plain
        timed.append(TimedSortie(tuple(trip), start, flight))
        ready = start + flight.duration_min + params.swap_time_min
    return timed


def payload_kg(problem: DeliveryProblem, trip: list[int] | tuple[int, ...]) -> float:
    """Total payload of a trip at take-off."""
    return sum(problem.drops[i].payload_kg for i in trip)


def split_overloaded(day: DroneDay, problem: DeliveryProblem, xy: list[XY]) -> int:
    """Split trips above the payload limit (PyVRP may return one when time is tight)."""
    trips: list[list[int]] = []
    splits = 0
    for trip in day.trips:
        if payload_kg(problem, trip) <= day.ops.payload_max_kg + 1e-9:
            trips.append(trip)
            continue
        parts, rejected = split_over_budget(day, problem, xy, tuple(trip))
        trips.extend(parts)
        trips.extend([i] for i in rejected)  # over budget alone: the next pass reports them
        splits += 1
    day.trips = trips
    return splits


def split_over_budget(
    day: DroneDay, problem: DeliveryProblem, xy: list[XY], trip: tuple[int, ...]
) -> tuple[list[list[int]], list[int]]:
    """Cheapest split of ``trip`` into consecutive sorties within payload limit and budget.

    Returns the new trips and the drops that do not fit even alone (to re-assign).
    """
    alone_ok = [fly_trip(day, problem, xy, [i]).within(day.ops.budget_wh) for i in trip]
    rejected = [i for i, ok in zip(trip, alone_ok, strict=True) if not ok]
    order = [i for i, ok in zip(trip, alone_ok, strict=True) if ok]
    count = len(order)
    best = [math.inf] * (count + 1)
    cut = [0] * (count + 1)
    best[0] = 0.0
    for end in range(1, count + 1):
        for start in range(end - 1, -1, -1):
            if payload_kg(problem, order[start:end]) > day.ops.payload_max_kg + 1e-9:
                break
            flight = fly_trip(day, problem, xy, order[start:end])
            if not flight.within(day.ops.budget_wh):
                break  # a longer segment ending here only costs more energy
            if best[start] + flight.distance_m < best[end]:
                best[end], cut[end] = best[start] + flight.distance_m, start
    trips: list[list[int]] = []
    end = count
    while end > 0:
        trips.insert(0, order[cut[end] : end])
        end = cut[end]
    return trips, rejected


def fit_single_drop(
    day: DroneDay, problem: DeliveryProblem, xy: list[XY], drop_index: int
) -> tuple[int, float] | None:
    """Where a one-drop sortie fits in the drone's day: (position, take-off) or None."""
    drop = problem.drops[drop_index]
    if drop.payload_kg > day.ops.payload_max_kg:
        return None
    flight = fly_trip(day, problem, xy, [drop_index])
    if not flight.within(day.ops.budget_wh):
        return None
    params = problem.params
    offset = flight.arrival_offsets_min[0]
    timed = time_day(day, problem, xy)
    previous_ready = params.shift_start_min
    for position in range(len(timed) + 1):
        if position < len(timed):
            limit = timed[position].takeoff_min - params.swap_time_min - flight.duration_min
        else:
            limit = params.shift_end_min - flight.duration_min
        start = max(previous_ready, drop.window_open_min - offset)
        if start <= min(limit, drop.window_close_min - offset) + EPS_MIN:
            return position, start
        if position < len(timed):
            previous_ready = timed[position].landing_min + params.swap_time_min
    return None


def day_is_clean(day: DroneDay, problem: DeliveryProblem, xy: list[XY]) -> bool:
    """Every sortie within budget, every drop within its window, every landing in the shift."""
    for timed in time_day(day, problem, xy):
        if not timed.flight.within(day.ops.budget_wh):
            return False
        if timed.landing_min > problem.params.shift_end_min + EPS_MIN:
            return False
        for drop, offset in zip(timed.trip, timed.flight.arrival_offsets_min, strict=True):
            if timed.takeoff_min + offset > problem.drops[drop].window_close_min + EPS_MIN:
                return False
    return True


def merge_adjacent(day: DroneDay, problem: DeliveryProblem, xy: list[XY]) -> int:
    """Merge consecutive sorties of a day where the merged sortie still fits everything.

    A merge saves a climb, a descent and a swap, and by the triangle inequality never flies
    further; it is kept only if the whole day stays within payload, budget, windows and shift.
    Returns the number of merges.
    """
    merges = 0
    index = 0
    while index < len(day.trips) - 1:
        first, second = day.trips[index], day.trips[index + 1]
        merged_day = None
        for candidate in (first + second, second + first):
            if payload_kg(problem, candidate) > day.ops.payload_max_kg + 1e-9:
                continue
            trial = DroneDay(day.group, day.number, day.ops, day.base_xy,
                             [*day.trips[:index], candidate, *day.trips[index + 2 :]])  # fmt: skip
            if day_is_clean(trial, problem, xy):
                merged_day = trial
                break
        if merged_day is None:
            index += 1
        else:
            day.trips = merged_day.trips
            merges += 1
    return merges
