"""Repairs of drone days: split what is over budget, drop what is late, fill gaps.

See :mod:`.schedule` for the timing rules; :func:`repair_days` loops until every sortie of
every day is within payload and budget, every served drop within its window and every
landing within the shift, and returns the drops it had to take out.
"""

from __future__ import annotations

from droneworks.missions.delivery.model import DeliveryProblem
from droneworks.missions.delivery.schedule import (
    EPS_MIN,
    DroneDay,
    day_is_clean,
    fit_single_drop,
    fly_trip,
    payload_kg,
    split_over_budget,
    split_overloaded,
    time_day,
)
from droneworks.missions.delivery.sortie import XY

__all__ = ["first_late", "merge_sorties", "place_drop", "repair_days"]


def repair_days(
    days: list[DroneDay], problem: DeliveryProblem, xy: list[XY]
) -> tuple[list[int], int]:
    """Split over-budget sorties and remove late drops until every day is clean.

    Returns the removed drops (to place elsewhere or report) and the number of splits.
    """
    pending: list[int] = []
    splits = sum(split_overloaded(day, problem, xy) for day in days)
    for _ in range(10 * len(problem.drops) + 10):
        changed = False
        for day in days:
            new_trips: list[list[int]] = []
            for timed in time_day(day, problem, xy):
                if timed.flight.within(day.ops.budget_wh):
                    new_trips.append(list(timed.trip))
                    continue
                parts, rejected = split_over_budget(day, problem, xy, timed.trip)
                if parts == [list(timed.trip)]:  # over budget only by hovering for windows
                    waits = timed.flight.waits_min
                    cut = max(1, next(i for i, wait in enumerate(waits) if wait > 0))
                    parts = [list(timed.trip[:cut]), list(timed.trip[cut:])]
                new_trips.extend(parts)
                pending.extend(rejected)
                splits += 1
                changed = True
            day.trips = new_trips
        if changed:
            continue
        for day in days:
            late = first_late(day, problem, xy)
            if late is not None:
                trip_index, drop = late
                day.trips[trip_index].remove(drop)
                day.trips = [trip for trip in day.trips if trip]
                pending.append(drop)
                changed = True
        if not changed:
            return pending, splits
    raise RuntimeError("delivery repair did not converge")  # pragma: no cover


def first_late(day: DroneDay, problem: DeliveryProblem, xy: list[XY]) -> tuple[int, int] | None:
    for trip_index, timed in enumerate(time_day(day, problem, xy)):
        for drop, offset in zip(timed.trip, timed.flight.arrival_offsets_min, strict=True):
            if timed.takeoff_min + offset > problem.drops[drop].window_close_min + EPS_MIN:
                return trip_index, drop
        if timed.landing_min > problem.params.shift_end_min + EPS_MIN:
            return trip_index, timed.trip[-1]
    return None


def place_drop(days: list[DroneDay], problem: DeliveryProblem, xy: list[XY], drop: int) -> bool:
    """Put ``drop`` as a one-drop sortie into the drone day where it takes off earliest."""
    options = []
    for day in days:
        fit = fit_single_drop(day, problem, xy, drop)
        if fit is not None:
            options.append((fit[1], day.group, day.number, fit[0], day))
    if not options:
        return False
    _, _, _, position, day = min(options, key=lambda o: o[:3])
    day.trips.insert(position, [drop])
    return True


def _merge_candidates(
    days: list[DroneDay], problem: DeliveryProblem, xy: list[XY]
) -> list[tuple[float, int, int, int, int, list[int]]]:
    """(distance, host day, host sortie, other day, other sortie, merged trip), shortest first.

    The merged trip is flown by the host drone from its base; only pairs within the host's
    payload limit and energy budget (before any window waits) are listed.
    """
    options = []
    for h, host in enumerate(days):
        for o, other in enumerate(days):
            if other.base_xy != host.base_xy:
                continue
            for i, first in enumerate(host.trips):
                for j, second in enumerate(other.trips):
                    if h == o and j == i:
                        continue
                    if payload_kg(problem, first + second) > host.ops.payload_max_kg + 1e-9:
                        continue
                    for trip in (first + second, second + first):
                        flight = fly_trip(host, problem, xy, trip)
                        if flight.within(host.ops.budget_wh):
                            options.append((flight.distance_m, h, i, o, j, trip))
    options.sort(key=lambda option: option[0])
    return options


def _merged_days(
    days: list[DroneDay], h: int, i: int, o: int, j: int, trip: list[int]
) -> dict[int, list[list[int]]]:
    host_trips = list(days[h].trips)
    host_trips[i] = trip
    if h == o:
        return {h: [t for k, t in enumerate(host_trips) if k != j]}
    return {h: host_trips, o: [t for k, t in enumerate(days[o].trips) if k != j]}


def merge_sorties(days: list[DroneDay], problem: DeliveryProblem, xy: list[XY]) -> int:
    """Merge two sorties from the same base — of one drone or of two — into one, while the
    days stay within payload, budget, windows and shift; shortest merged sortie first.

    A merge saves a climb, a descent and a swap, and by the triangle inequality never flies
    further. Returns the number of merges.
    """
    merges = 0
    while True:
        touched: set[int] = set()  # days changed in this pass: their indices are stale
        for _, h, i, o, j, trip in _merge_candidates(days, problem, xy):
            if h in touched or o in touched:
                continue
            changed = _merged_days(days, h, i, o, j, trip)
            trials = {k: DroneDay(days[k].group, days[k].number, days[k].ops, days[k].base_xy, t)
                      for k, t in changed.items()}  # fmt: skip
            if all(day_is_clean(trial, problem, xy) for trial in trials.values()):
                for k, trips in changed.items():
                    days[k].trips = trips
                touched.update(changed)
                merges += 1
        if not touched:
            return merges
