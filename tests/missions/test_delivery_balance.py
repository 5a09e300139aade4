"""Deliveries balanced across drones: the last landing as early as whole sorties allow."""

from __future__ import annotations

import math

from droneworks.core.geo import LocalProjection
from droneworks.missions.delivery import Base, DeliveryProblem, DroneOps, Drop, FleetGroup
from droneworks.missions.delivery.balance import balance_days, finish_min
from droneworks.missions.delivery.schedule import DroneDay, day_is_clean
from tests.missions.test_delivery_files import MANNA

DEPOT = Base("depot", 27.693, 53.864, 210.0)


XY = tuple[float, float]


def _problem(drones: int) -> tuple[DeliveryProblem, list[XY], XY]:
    """Eight drops 1–3 km around the depot, no windows."""
    projection = LocalProjection.for_lonlat(DEPOT.lon, DEPOT.lat)
    bx, by = (float(v) for v in projection.to_local(DEPOT.lon, DEPOT.lat))
    xy = [
        (bx + r * math.cos(a), by + r * math.sin(a))
        for r, a in zip([1000, 1500, 2000, 2500, 3000, 1200, 1800, 2200], range(8), strict=True)
    ]
    drops = tuple(
        Drop(f"D{i}", *(float(v) for v in projection.to_wgs84(x, y)), 1.0)
        for i, (x, y) in enumerate(xy)
    )
    fleet = (FleetGroup(MANNA, drones, "depot"),)
    return DeliveryProblem("balance", (DEPOT,), fleet, drops), xy, (bx, by)


def test_sorties_piled_on_one_drone_are_spread() -> None:
    problem, xy, base_xy = _problem(drones=3)
    ops = DroneOps.of(MANNA, problem.params)
    days = [DroneDay(0, n + 1, ops, base_xy, []) for n in range(3)]
    days[0].trips = [[i] for i in range(8)]  # eight one-drop sorties on drone 1
    before = max(finish_min(day, problem, xy) for day in days)
    moves = balance_days(days, problem, xy)
    after = [finish_min(day, problem, xy) for day in days]
    assert moves > 0 and max(after) < before
    assert all(day.trips for day in days)  # every drone flies
    assert sorted(i for day in days for trip in day.trips for i in trip) == list(range(8))
    assert all(day_is_clean(day, problem, xy) for day in days)
    # no single move of a whole sortie lands the fleet earlier (a local optimum)
    assert balance_days(days, problem, xy) == 0
    # with 3 drones, the makespan is at most the busiest drone's third of the work + 1 sortie
    one = [finish_min(DroneDay(0, 1, ops, base_xy, [[i]]), problem, xy) for i in range(8)]
    busy = [f - problem.params.shift_start_min for f in one]
    bound = problem.params.shift_start_min + (sum(busy) + 8 * problem.params.swap_time_min) / 3
    assert max(after) <= bound + max(busy) + problem.params.swap_time_min


def test_one_merged_sortie_is_shared_drop_by_drop() -> None:
    """Three drops merged into one sortie of one drone, the other idle: moving the whole
    sortie lands no earlier, moving one drop lands both drones earlier."""
    problem, xy, base_xy = _problem(drones=2)
    ops = DroneOps.of(MANNA, problem.params)
    days = [DroneDay(0, n + 1, ops, base_xy, []) for n in range(2)]
    days[0].trips = [[0, 5, 1]]  # 1.0, 1.2 and 1.5 km out: one sortie within the budget
    assert day_is_clean(days[0], problem, xy)
    before = finish_min(days[0], problem, xy)
    assert balance_days(days, problem, xy) >= 1
    after = [finish_min(day, problem, xy) for day in days]
    assert max(after) < before and all(day.trips for day in days)
    assert sorted(i for day in days for trip in day.trips for i in trip) == [0, 1, 5]
    assert all(day_is_clean(day, problem, xy) for day in days)
