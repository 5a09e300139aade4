"""Invariant checkers for delivery plans, shared by the delivery tests and the benchmark smoke.

They recompute everything from the plan's coordinates and the catalogue, independently of
the planner's own flight code: a sortie is within range when the energy of its legs (mass
aboard falling at each drop; in a wind at the ground speed of the wind triangle), climbs,
drop hovers and waits is at most the budget of
:class:`~droneworks.missions.energy.EnergyModel` (usable energy minus reserve).
"""

from __future__ import annotations

import itertools
import math

from droneworks.core.geo import LocalProjection
from droneworks.missions.delivery import DeliveryPlan, Sortie
from droneworks.missions.energy import EnergyModel

TOLERANCE = 1e-6


def sortie_energy_wh(plan: DeliveryPlan, sortie: Sortie, model: EnergyModel) -> float:
    """Energy of ``sortie`` recomputed from its stops (Wh)."""
    problem = plan.problem
    base = problem.base(sortie.base)
    projection = LocalProjection.for_lonlat(base.lon, base.lat)
    speed = problem.fleet[0].drone.cruise_speed
    for group in problem.fleet:
        if group.drone.id == sortie.drone_type:
            speed = group.drone.cruise_speed
    climb_s = problem.params.cruise_alt_m / problem.params.vertical_speed_mps
    drop_s = problem.params.drop_time_min * 60
    points = (
        [(base.lon, base.lat)] + [(s.lon, s.lat) for s in sortie.stops] + [(base.lon, base.lat)]
    )
    xy = [tuple(float(v) for v in projection.to_local(lon, lat)) for lon, lat in points]
    aboard = sum(s.payload_kg for s in sortie.stops)
    joules = model.payload_power_w(aboard, 0) * climb_s
    wind = problem.params.wind
    air_to = math.radians(wind.from_deg + 180.0)
    wind_e, wind_n = wind.speed_mps * math.sin(air_to), wind.speed_mps * math.cos(air_to)
    for leg in range(len(xy) - 1):
        metres = math.dist(xy[leg], xy[leg + 1])
        ground = speed
        if metres > 0 and wind.speed_mps > 0:  # wind triangle, crabbing to hold the track
            track_e = (xy[leg + 1][0] - xy[leg][0]) / metres
            track_n = (xy[leg + 1][1] - xy[leg][1]) / metres
            along = track_e * wind_e + track_n * wind_n
            ground = along + math.sqrt(speed**2 - (wind.speed_mps**2 - along**2))
        joules += model.payload_power_w(aboard, speed) * metres / ground
        if leg < len(sortie.stops):
            stop = sortie.stops[leg]
            joules += model.payload_power_w(aboard, 0) * (drop_s + stop.wait_min * 60)
            aboard = max(0.0, aboard - stop.payload_kg)
    joules += model.payload_power_w(aboard, 0) * climb_s
    return joules / 3600


def assert_sorties_within_range(plan: DeliveryPlan) -> None:
    """Every sortie's recomputed energy fits its drone's battery budget after reserve."""
    models = {g.drone.id: EnergyModel.from_drone(g.drone) for g in plan.problem.fleet}
    for sortie in plan.sorties:
        model = models[sortie.drone_type]
        energy = sortie_energy_wh(plan, sortie, model)
        assert math.isclose(energy, sortie.energy_wh, rel_tol=1e-6), (sortie, energy)
        assert energy <= model.budget_wh * (1 + TOLERANCE), (
            f"{sortie.drone} sortie {sortie.number}: {energy:.0f} Wh > {model.budget_wh:.0f} Wh"
        )
        payload = sum(s.payload_kg for s in sortie.stops)
        assert payload <= (model.max_takeoff_mass_kg - model.empty_mass_kg) + TOLERANCE


def assert_windows_met_or_reported(plan: DeliveryPlan) -> None:
    """Every drop is served exactly once inside its window and the shift, or reported."""
    params = plan.problem.params
    served = [stop.drop_id for sortie in plan.sorties for stop in sortie.stops]
    reported = [item.drop_id for item in plan.infeasible]
    assert len(served) == len(set(served)), "a drop is served twice"
    assert sorted(served + reported) == sorted(d.id for d in plan.problem.drops)
    for sortie in plan.sorties:
        assert sortie.takeoff_min >= params.shift_start_min - TOLERANCE
        assert sortie.landing_min <= params.shift_end_min + TOLERANCE
        for stop in sortie.stops:
            assert stop.window_open_min - TOLERANCE <= stop.arrival_min, stop
            assert stop.arrival_min <= stop.window_close_min + TOLERANCE, stop


def assert_drones_not_double_booked(plan: DeliveryPlan) -> None:
    """A drone's sorties do not overlap and leave the swap time between them."""
    swap = plan.problem.params.swap_time_min
    by_drone: dict[str, list[Sortie]] = {}
    for sortie in plan.sorties:
        by_drone.setdefault(sortie.drone, []).append(sortie)
    for sorties in by_drone.values():
        ordered = sorted(sorties, key=lambda s: s.takeoff_min)
        for before, after in itertools.pairwise(ordered):
            assert after.takeoff_min >= before.landing_min + swap - TOLERANCE
