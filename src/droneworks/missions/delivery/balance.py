"""Balance the fleet's day: the last landing as early as the sorties allow.

Routing and merging minimise distance and sorties, not the finish time: on ``minsk_100``
the drones landed between 13:53 and 16:17 (15:35 at the latest after balancing), and
merging puts the drops of two drones' sorties into one whenever it fits, which can leave a
drone idle while another flies them all. :func:`balance_days` moves work from the drone
that lands last to a drone of the same type at the same base whenever both then land
earlier than the giver did, keeping every window, the shift, the payload limit and the
battery budget:

1. a whole sortie (drops and order unchanged), at the best position in the receiver's day;
2. else one drop out of one of the giver's sorties, into a sortie of the receiver (at any
   position in it) or as a sortie of its own.

It stops when no move helps (a local optimum). When a window holds the last landing (a
late drop that cannot be served earlier), that order gives no reason to share the rest of
the work: one drone may fly nine sorties while another flies one. :func:`spread_work` then
moves work the same two ways from the drone that flies longest to one that flies less,
whenever the receiver still flies less than the giver did and neither lands after the
fleet's last landing — the busiest drone's flight time goes down, the last landing never
moves later, and every window, the shift, the payload and the battery stay kept.
"""

from __future__ import annotations

from collections.abc import Iterator

from droneworks.missions.delivery.model import DeliveryProblem
from droneworks.missions.delivery.schedule import (
    EPS_MIN,
    DroneDay,
    day_is_clean,
    payload_kg,
    time_day,
)
from droneworks.missions.delivery.sortie import XY

__all__ = ["balance_days", "finish_min", "flight_min", "spread_work"]


def finish_min(day: DroneDay, problem: DeliveryProblem, xy: list[XY]) -> float:
    """The drone's last landing (the shift start when it does not fly)."""
    timed = time_day(day, problem, xy)
    return timed[-1].landing_min if timed else problem.params.shift_start_min


def flight_min(day: DroneDay, problem: DeliveryProblem, xy: list[XY]) -> float:
    """The drone's time in the air: its sorties' durations (swaps and waits not counted)."""
    return sum(timed.flight.duration_min for timed in time_day(day, problem, xy))


def _with_trips(day: DroneDay, trips: list[list[int]]) -> DroneDay:
    return DroneDay(day.group, day.number, day.ops, day.base_xy, trips)


def _best_move(
    latest: DroneDay, days: list[DroneDay], problem: DeliveryProblem, xy: list[XY]
) -> tuple[DroneDay, DroneDay, DroneDay] | None:
    """(receiver, its new day, the latest drone's new day) of the first improving move."""
    finish = {id(day): finish_min(day, problem, xy) for day in days}
    target = finish[id(latest)] - EPS_MIN
    receivers = _receivers(latest, days, problem, finish)
    for index in reversed(range(len(latest.trips))):
        trip = latest.trips[index]
        giver = _with_trips(latest, latest.trips[:index] + latest.trips[index + 1 :])
        if finish_min(giver, problem, xy) >= target or not day_is_clean(giver, problem, xy):
            continue
        for receiver in receivers:
            if finish[id(receiver)] >= target:
                break
            for position in reversed(range(len(receiver.trips) + 1)):
                trips = [*receiver.trips[:position], trip, *receiver.trips[position:]]
                trial = _with_trips(receiver, trips)
                if finish_min(trial, problem, xy) < target and day_is_clean(trial, problem, xy):
                    return receiver, trial, giver
    return None


def _receivers(
    latest: DroneDay, days: list[DroneDay], problem: DeliveryProblem, finish: dict[int, float]
) -> list[DroneDay]:
    """The drones that could take work from ``latest``: its type and base, earliest first."""
    group = problem.fleet[latest.group]
    same = [
        d
        for d in days
        if d is not latest
        and (problem.fleet[d.group].drone.id, problem.fleet[d.group].base)
        == (group.drone.id, group.base)
    ]
    return sorted(same, key=lambda d: finish[id(d)])


def _drop_insertions(
    receiver: DroneDay, drop: int, problem: DeliveryProblem
) -> Iterator[list[list[int]]]:
    """The receiver's trips with ``drop`` added: into each sortie the payload allows (at
    every position), then as a sortie of its own (at every place in the day)."""
    room = receiver.ops.payload_max_kg + 1e-9 - problem.drops[drop].payload_kg
    for index, trip in enumerate(receiver.trips):
        if payload_kg(problem, trip) <= room:
            for position in range(len(trip) + 1):
                grown = [*trip[:position], drop, *trip[position:]]
                yield [*receiver.trips[:index], grown, *receiver.trips[index + 1 :]]
    for position in reversed(range(len(receiver.trips) + 1)):
        yield [*receiver.trips[:position], [drop], *receiver.trips[position:]]


def _drop_move(
    latest: DroneDay, days: list[DroneDay], problem: DeliveryProblem, xy: list[XY]
) -> tuple[DroneDay, DroneDay, DroneDay] | None:
    """(receiver, its new day, the latest drone's new day) of the first improving move of
    one drop out of a sortie of two or more."""
    finish = {id(day): finish_min(day, problem, xy) for day in days}
    target = finish[id(latest)] - EPS_MIN
    receivers = [d for d in _receivers(latest, days, problem, finish) if finish[id(d)] < target]
    for index in reversed(range(len(latest.trips))):
        trip = latest.trips[index]
        for drop in trip if len(trip) > 1 else ():
            rest = [i for i in trip if i != drop]
            giver = _with_trips(latest, [*latest.trips[:index], rest, *latest.trips[index + 1 :]])
            if finish_min(giver, problem, xy) >= target or not day_is_clean(giver, problem, xy):
                continue
            for receiver in receivers:
                for trips in _drop_insertions(receiver, drop, problem):
                    trial = _with_trips(receiver, trips)
                    if finish_min(trial, problem, xy) < target and day_is_clean(trial, problem, xy):
                        return receiver, trial, giver
    return None


def _any_move(
    latest: DroneDay, days: list[DroneDay], problem: DeliveryProblem, xy: list[XY]
) -> tuple[DroneDay, DroneDay, DroneDay] | None:
    return _best_move(latest, days, problem, xy) or _drop_move(latest, days, problem, xy)


def balance_days(days: list[DroneDay], problem: DeliveryProblem, xy: list[XY]) -> int:
    """Move sorties (or single drops) off the drone that lands last, then (when its landing
    is held by a window) off the next latest, while a move lands both drones earlier than
    the giver did: the landings sorted latest first decrease lexicographically, so the loop
    ends. Returns the number of moves."""
    moves = 0
    for _ in range(sum(len(day.trips) for day in days) * max(len(days), 1)):
        givers = sorted(days, key=lambda day: finish_min(day, problem, xy), reverse=True)
        move = next(
            (m for giver in givers if (m := _any_move(giver, days, problem, xy)) is not None),
            None,
        )
        if move is None:
            break
        _apply(days, move)
        moves += 1
    return moves


Move = tuple[DroneDay, DroneDay, DroneDay]  # receiver, its new day, the giver's new day


def _giver_days(giver: DroneDay) -> Iterator[tuple[list[int], DroneDay]]:
    """(the work moved, the giver's day without it): each whole sortie, latest first, then
    each drop of a sortie of two or more."""
    trips = giver.trips
    for index in reversed(range(len(trips))):
        yield trips[index], _with_trips(giver, [*trips[:index], *trips[index + 1 :]])
    for index in reversed(range(len(trips))):
        for drop in trips[index] if len(trips[index]) > 1 else ():
            rest = [i for i in trips[index] if i != drop]
            yield [drop], _with_trips(giver, [*trips[:index], rest, *trips[index + 1 :]])


def _receiver_days(receiver: DroneDay, work: list[int], problem: DeliveryProblem) -> Iterator[
    list[list[int]]
]:  # fmt: skip
    """The receiver's trips with ``work`` added: a whole sortie at every place in the day;
    a single drop also into each of its sorties."""
    if len(work) == 1:
        yield from _drop_insertions(receiver, work[0], problem)
        return
    for position in reversed(range(len(receiver.trips) + 1)):
        yield [*receiver.trips[:position], work, *receiver.trips[position:]]


def _spread_move(
    giver: DroneDay, days: list[DroneDay], problem: DeliveryProblem, xy: list[XY]
) -> Move | None:
    """The first move of work off ``giver`` that leaves both drones flying less than the
    giver did and landing no later than the fleet's last landing."""
    airborne = {id(day): flight_min(day, problem, xy) for day in days}
    finish = {id(day): finish_min(day, problem, xy) for day in days}
    latest = max(finish.values()) + EPS_MIN
    target = airborne[id(giver)] - EPS_MIN
    receivers = [r for r in _receivers(giver, days, problem, finish) if airborne[id(r)] < target]
    receivers.sort(key=lambda r: airborne[id(r)])
    for work, rest in _giver_days(giver):
        if finish_min(rest, problem, xy) > latest or not day_is_clean(rest, problem, xy):
            continue
        for receiver in receivers:
            for trips in _receiver_days(receiver, work, problem):
                trial = _with_trips(receiver, trips)
                if (
                    flight_min(trial, problem, xy) < target
                    and finish_min(trial, problem, xy) <= latest
                    and day_is_clean(trial, problem, xy)
                ):
                    return receiver, trial, rest
    return None


def spread_work(days: list[DroneDay], problem: DeliveryProblem, xy: list[XY]) -> int:
    """Move sorties or single drops off the drone that flies longest (then the next) while
    the receiver then flies less than the giver did, no landing passes the fleet's last one
    and every sortie stays clean: the flight times sorted longest first decrease
    lexicographically, so the loop ends. Returns the number of moves."""
    moves = 0
    for _ in range(sum(len(day.trips) for day in days) * max(len(days), 1)):
        givers = sorted(days, key=lambda day: flight_min(day, problem, xy), reverse=True)
        move = next(
            (m for g in givers if (m := _spread_move(g, days, problem, xy)) is not None), None
        )
        if move is None:
            break
        _apply(days, move)
        moves += 1
    return moves


def _apply(days: list[DroneDay], move: Move) -> None:
    receiver, new_receiver, new_giver = move
    receiver.trips = new_receiver.trips
    next(d for d in days if d is not receiver and d.group == new_giver.group
         and d.number == new_giver.number).trips = new_giver.trips  # fmt: skip
