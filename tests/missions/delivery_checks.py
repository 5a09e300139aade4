"""Invariant checkers for delivery plans, shared by the delivery tests and the benchmark smoke.

They recompute everything from the mission items each sortie exports, independently of
the planner's own flight code (:mod:`droneworks.missions.flight.replay` walks the items):
a sortie is within range when the energy of its legs (mass aboard falling at each drop; in
a wind at the airspeed the commanded ground speed needs), climbs, descents to the release
height, drop hovers and waits is at most the budget of
:class:`~droneworks.missions.energy.EnergyModel` (usable energy minus reserve).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

from shapely.geometry import LineString, Point

from droneworks.missions.delivery import DeliveryPlan, DroneOps, Sortie
from droneworks.missions.delivery.export import sortie_mission
from droneworks.missions.delivery.plan import delivery_grid_wind, delivery_projection
from droneworks.missions.energy import EnergyModel
from droneworks.missions.export import MissionPlan
from droneworks.missions.flight import Load, Replay, replay_mission

TOLERANCE = 1e-6


def sortie_replay(plan: DeliveryPlan, sortie: Sortie, mission: MissionPlan | None = None) -> Replay:
    """Energy and time of ``sortie`` replayed from the items of its mission (by default the
    one its files are written from; or ``mission``, e.g. a file read back)."""
    problem = plan.problem
    drone = next(g.drone for g in problem.fleet if g.drone.id == sortie.drone_type)
    load = Load(parcels_kg=tuple(stop.payload_kg for stop in sortie.stops))
    projection = delivery_projection(problem)
    params = replace(problem.params, wind=delivery_grid_wind(problem, projection))
    flight = DroneOps.of(drone, params).flight
    mission = mission or sortie_mission(plan, sortie)
    return replay_mission(mission, flight, projection, load)


def sortie_energy_wh(plan: DeliveryPlan, sortie: Sortie, model: EnergyModel) -> float:
    """Energy of ``sortie`` replayed from its mission items (Wh)."""
    assert model.drone_id == sortie.drone_type
    return sortie_replay(plan, sortie).energy_wh


def assert_sorties_within_range(plan: DeliveryPlan) -> None:
    """Every sortie's recomputed energy fits its drone's battery budget after reserve."""
    models = {g.drone.id: EnergyModel.from_drone(g.drone) for g in plan.problem.fleet}
    for sortie in plan.sorties:
        model = models[sortie.drone_type]
        energy = sortie_energy_wh(plan, sortie, model)
        assert math.isclose(energy, sortie.energy_wh, rel_tol=1e-6), (sortie, energy)
        duration = sortie_replay(plan, sortie).time_min
        assert math.isclose(duration, sortie.landing_min - sortie.takeoff_min, rel_tol=1e-6)
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


def assert_legs_avoid_no_fly(plan: DeliveryPlan, mission: MissionPlan) -> int:
    """No level leg of ``mission`` (built, or read back from a file) enters a no-fly zone,
    and every leg between points outside the margin keeps the margin; the legs are taken
    from the mission's own positions, projected afresh. Returns the number of legs checked."""
    problem = plan.problem
    projection = delivery_projection(problem)
    zones = [projection.geometry_to_local(zone.polygon) for zone in problem.no_fly]
    margin = problem.params.no_fly_margin_m
    points = [projection.to_local(lon, lat) for lon, lat in mission.positions_lonlat()]
    xy = [(float(x), float(y)) for x, y in points]
    legs = [(a, b) for a, b in itertools.pairwise(xy) if a != b]
    for a, b in legs:
        leg = LineString([a, b])
        for zone, named in zip(zones, problem.no_fly, strict=True):
            assert not leg.relate_pattern(zone, "T********"), (named.name, a, b)
            ends_clear = min(zone.distance(Point(a)), zone.distance(Point(b)))
            if ends_clear >= margin:
                assert leg.distance(zone) >= margin - 0.02, (named.name, leg.distance(zone))
    return len(legs)


def _fleet_labels(plan: DeliveryPlan) -> dict[str, tuple[str, str]]:
    """Every drone's label (as the sorties name it), with its (type, base)."""
    return {
        f"{group.drone.id} #{number} @{group.base}": (group.drone.id, group.base)
        for group in plan.problem.fleet
        for number in range(1, group.count + 1)
    }


def flight_min_per_drone(plan: DeliveryPlan) -> dict[str, float]:
    """Minutes in the air per drone (take-off to landing of its sorties), idle drones 0."""
    flight = dict.fromkeys(_fleet_labels(plan), 0.0)
    for sortie in plan.sorties:
        flight[sortie.drone] += sortie.landing_min - sortie.takeoff_min
    return flight


def assert_no_simple_rebalancing(plan: DeliveryPlan) -> None:
    """A simple rebalancing cannot lower the busiest drone's flight time: none of its
    sorties fits, at its own take-off and landing (so its windows and energy stay as they
    are), into a gap of another drone of the same type and base — the swap time clear on
    both sides — that would then still fly less than the busiest one does."""
    swap = plan.problem.params.swap_time_min
    kinds = _fleet_labels(plan)
    flight = flight_min_per_drone(plan)
    busiest = max(flight, key=lambda drone: flight[drone])
    for sortie in (s for s in plan.sorties if s.drone == busiest):
        length = sortie.landing_min - sortie.takeoff_min
        for other in flight:
            if other == busiest or kinds[other] != kinds[busiest]:
                continue
            if flight[other] + length >= flight[busiest] - TOLERANCE:
                continue
            clear = all(
                sortie.takeoff_min >= s.landing_min + swap - TOLERANCE
                or sortie.landing_min + swap <= s.takeoff_min + TOLERANCE
                for s in plan.sorties
                if s.drone == other
            )
            assert not clear, (busiest, sortie.number, other, flight)
