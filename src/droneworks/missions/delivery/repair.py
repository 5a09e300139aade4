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
    fit_single_drop,
    split_over_budget,
    split_overloaded,
    time_day,
)
from droneworks.missions.delivery.sortie import XY

__all__ = ["first_late", "place_drop", "repair_days"]


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
