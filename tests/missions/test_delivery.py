"""Delivery planning: range per sortie, windows met or reported, reasons for infeasible drops."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest

from droneworks.catalogue import default_catalogue
from droneworks.core.errors import ConfigError
from droneworks.core.geo import LocalProjection
from droneworks.missions.delivery import (
    Base,
    DeliveryParams,
    DeliveryProblem,
    DroneOps,
    Drop,
    FleetGroup,
    fly_sortie,
    load_deliveries,
    plan_deliveries,
)
from droneworks.missions.delivery.plan import delivery_grid_wind, delivery_projection
from droneworks.missions.energy import EnergyModel
from droneworks.missions.wind import Wind
from tests.missions.delivery_checks import (
    assert_drones_not_double_booked,
    assert_sorties_within_range,
    assert_windows_met_or_reported,
)

MANNA = default_catalogue()["manna-class-cargo"]
DEPOT = Base("depot", 27.693, 53.864, 210.0)
METRES_PER_DEG_LAT = 111_320.0


def _at(east_m: float, north_m: float) -> tuple[float, float]:
    lon = DEPOT.lon + east_m / (METRES_PER_DEG_LAT * math.cos(math.radians(DEPOT.lat)))
    return lon, DEPOT.lat + north_m / METRES_PER_DEG_LAT


def _problem(drops: list[Drop], drones: int = 1) -> DeliveryProblem:
    return DeliveryProblem("t", (DEPOT,), (FleetGroup(MANNA, drones, "depot"),), tuple(drops))


@pytest.fixture
def ok_small() -> DeliveryProblem:
    """Six drops 1–4.5 km out, two windows, one drone."""
    spots = [(1000, 0, 1.0), (0, 2000, 2.0), (-3000, 0, 0.5), (0, -4500, 3.0),
             (2500, 2500, 1.5), (-2000, -2000, 0.8)]  # fmt: skip
    drops = [Drop(f"D{i}", *_at(e, n), kg) for i, (e, n, kg) in enumerate(spots)]
    drops[1] = Drop("D1", drops[1].lon, drops[1].lat, 2.0, 9 * 60, 10 * 60)
    drops[4] = Drop("D4", drops[4].lon, drops[4].lat, 1.5, 8 * 60, 8 * 60 + 30)
    return _problem(drops)


def test_small_plan_meets_every_invariant(ok_small: DeliveryProblem) -> None:
    plan = plan_deliveries(ok_small, iterations=300, seed=1)
    assert plan.infeasible == () and plan.served == 6
    assert_sorties_within_range(plan)
    assert_windows_met_or_reported(plan)
    assert_drones_not_double_booked(plan)


def test_too_heavy_out_of_range_and_impossible_window_are_reported() -> None:
    drops = [
        Drop("ok", *_at(1000, 1000), 1.0),
        Drop("heavy", *_at(500, 0), 4.0),
        Drop("far", *_at(0, 9000), 1.0),
        Drop("early", *_at(3000, 0), 1.0, 7 * 60, 8 * 60 + 1),
    ]
    plan = plan_deliveries(_problem(drops), iterations=300)
    reasons = {item.drop_id: item.reason for item in plan.infeasible}
    assert reasons == {"heavy": "too heavy", "far": "out of range", "early": "window impossible"}
    details = {item.drop_id: item.detail for item in plan.infeasible}
    assert "3.5 kg" in details["heavy"] and "Wh" in details["far"] and "08:01" in details["early"]
    assert [s.drop_id for sortie in plan.sorties for s in sortie.stops] == ["ok"]
    assert_windows_met_or_reported(plan)


def test_out_of_range_threshold_matches_the_energy_model() -> None:
    """Just inside and just outside the one-drop radius for 3 kg (bisection on fly_sortie)."""
    ops = DroneOps.of(MANNA, _problem([Drop("x", DEPOT.lon, DEPOT.lat, 1.0)]).params)
    low, high = 100.0, 20_000.0
    for _ in range(40):
        mid = (low + high) / 2
        fits = fly_sortie(ops, (0, 0), [(mid, 0)], [3.0]).within(ops.budget_wh)
        low, high = (mid, high) if fits else (low, mid)
    inside = Drop("in", *_at(low - 50, 0), 3.0)
    outside = Drop("out", *_at(high + 50, 0), 3.0)
    plan = plan_deliveries(_problem([inside, outside]), iterations=300)
    assert [item.drop_id for item in plan.infeasible] == ["out"]
    # Lighter parcels go further: the radius falls with payload.
    empty_range = EnergyModel.from_drone(MANNA).range_m(0.5)
    assert empty_range > EnergyModel.from_drone(MANNA).range_m(3.0)


def test_sorties_are_split_where_pyvrp_trips_exceed_the_battery() -> None:
    """Light drops far out on opposite sides: PyVRP's capacity allows one trip, the battery not."""
    drops = [Drop(f"D{i}", *_at(e, n), 0.5) for i, (e, n) in
             enumerate([(4000, 0), (0, 4000), (-4000, 0), (0, -4000), (2800, 2800)])]  # fmt: skip
    plan = plan_deliveries(_problem(drops), iterations=500, energy_share=None)
    assert plan.pyvrp_trips_over_budget >= 1  # what plain PyVRP multi-trip does
    assert plan.sorties_split >= 1
    assert plan.served == 5
    assert_sorties_within_range(plan)
    assert_windows_met_or_reported(plan)


def test_a_busy_fleet_reports_the_drops_it_cannot_serve_in_time() -> None:
    """Ten drops all due within the same 10 minutes; one drone cannot do them all."""
    drops = [Drop(f"D{i}", *_at(3000 * math.cos(i), 3000 * math.sin(i)), 2.0, 480, 490)
             for i in range(10)]  # fmt: skip
    plan = plan_deliveries(_problem(drops), iterations=300)
    assert 1 <= plan.served < 10
    assert {item.reason for item in plan.infeasible} == {"fleet busy"}
    assert_windows_met_or_reported(plan)
    assert_drones_not_double_booked(plan)


def test_minsk_example_with_two_bases(examples: Path) -> None:
    problem = load_deliveries(examples / "deliveries" / "minsk_30.toml")
    assert len(problem.bases) == 2 and sum(g.count for g in problem.fleet) == 3
    plan = plan_deliveries(problem, iterations=300)
    reasons = {item.drop_id: item.reason for item in plan.infeasible}
    assert reasons["X-heavy"] == "too heavy" and reasons["X-far"] == "out of range"
    assert reasons["X-early"] == "window impossible"
    assert_sorties_within_range(plan)
    assert_windows_met_or_reported(plan)
    assert_drones_not_double_booked(plan)


def test_examples_are_reproduced_by_their_seeded_generator(examples: Path) -> None:
    from droneworks.missions.delivery.synthetic import EXAMPLES

    for name, make in EXAMPLES.items():
        assert (examples / "deliveries" / name).read_text() == make(), name
    assert (examples / "deliveries" / "generate.py").exists()


def test_geojson_and_json_inputs(tmp_path: Path) -> None:
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [DEPOT.lon, DEPOT.lat]},
         "properties": {"role": "base", "name": "depot"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(_at(800, 900))},
         "properties": {"id": "A", "payload": "1.5 kg", "window": ["09:00", "10:00"]}},
    ]  # fmt: skip
    geo = tmp_path / "drops.geojson"
    geo.write_text(json.dumps({"type": "FeatureCollection", "features": features,
                               "droneworks": {"swap_time": "4 min",
                                              "wind": "6 m/s@250"}}))  # fmt: skip
    problem = load_deliveries(geo)
    assert problem.drops[0].window_open_min == 540 and problem.params.swap_time_min == 4
    assert problem.params.wind == Wind(6.0, 250.0)
    assert problem.fleet == ()
    plain = tmp_path / "drops.json"
    plain.write_text(json.dumps({"bases": [{"name": "b", "lon": 27.6, "lat": 53.9}],
                                 "drops": [{"id": "A", "lon": 27.61, "lat": 53.9,
                                            "payload": "2"}]}))  # fmt: skip
    with pytest.raises(ConfigError, match=r"drops\[0\]\.payload"):
        load_deliveries(plain)


def test_energy_proxy_keeps_every_invariant(ok_small: DeliveryProblem) -> None:
    for share in (0.3, 0.6, 1.0):
        plan = plan_deliveries(ok_small, iterations=300, energy_share=share)
        assert plan.served == 6
        assert_sorties_within_range(plan)
        assert_windows_met_or_reported(plan)


def test_routes_as_sorties_strategy(ok_small: DeliveryProblem) -> None:
    plan = plan_deliveries(ok_small, iterations=300, strategy="sorties")
    assert plan.served == 6 and plan.pyvrp_trips_over_budget == 0  # max_distance per sortie
    assert_sorties_within_range(plan)
    assert_windows_met_or_reported(plan)
    assert_drones_not_double_booked(plan)
    with pytest.raises(ValueError, match="strategy"):
        plan_deliveries(ok_small, strategy="greedy")


def test_plans_are_reproducible(ok_small: DeliveryProblem) -> None:
    first = plan_deliveries(ok_small, seed=3, iterations=300)
    second = plan_deliveries(ok_small, seed=3, iterations=300)
    assert first.sorties == second.sorties
    with pytest.raises(ValueError, match="iterations"):
        plan_deliveries(ok_small, iterations=0)


def test_adjacent_sorties_merge_only_when_the_merged_sortie_fits() -> None:
    from droneworks.missions.delivery.schedule import DroneDay, merge_adjacent

    near = [Drop("A", *_at(1000, 0), 1.0), Drop("B", *_at(1200, 300), 1.0)]
    heavy = [Drop("A", *_at(1000, 0), 2.0), Drop("B", *_at(1200, 300), 2.0)]
    for drops, expected in ((near, 1), (heavy, 0)):  # heavy: 4 kg > 3.5 kg together
        problem = _problem(drops)
        ops = DroneOps.of(MANNA, problem.params)
        projection = LocalProjection.for_lonlat(DEPOT.lon, DEPOT.lat)
        xy = [tuple(float(v) for v in projection.to_local(d.lon, d.lat)) for d in drops]
        base = tuple(float(v) for v in projection.to_local(DEPOT.lon, DEPOT.lat))
        day = DroneDay(0, 1, ops, base, [[0], [1]])  # type: ignore[arg-type]
        assert merge_adjacent(day, problem, xy) == expected  # type: ignore[arg-type]
        assert len(day.trips) == 2 - expected


def test_sorties_of_two_drones_merge_when_the_merged_sortie_fits() -> None:
    from droneworks.missions.delivery.repair import merge_sorties
    from droneworks.missions.delivery.schedule import DroneDay

    drops = [Drop("A", *_at(1000, 0), 1.0), Drop("B", *_at(1200, 300), 1.0),
             Drop("C", *_at(-4000, 0), 3.0)]  # fmt: skip
    problem = _problem(drops, drones=2)
    ops = DroneOps.of(MANNA, problem.params)
    projection = LocalProjection.for_lonlat(DEPOT.lon, DEPOT.lat)
    xy = [tuple(float(v) for v in projection.to_local(d.lon, d.lat)) for d in drops]
    base = tuple(float(v) for v in projection.to_local(DEPOT.lon, DEPOT.lat))
    first = DroneDay(0, 1, ops, base, [[0], [2]])  # type: ignore[arg-type]
    second = DroneDay(0, 2, ops, base, [[1]])  # type: ignore[arg-type]
    assert merge_sorties([first, second], problem, xy) == 1  # type: ignore[arg-type]
    trips = sorted(sorted(t) for t in first.trips + second.trips)
    assert trips == [[0, 1], [2]]  # C (3 kg) cannot join A + B (2 kg): 5 kg > 3.5 kg


def test_wind_changes_leg_times_as_the_wind_triangle_says() -> None:
    """Out east with a 10 m/s west wind behind, back against it: d/v + d/(v−w) (the autopilot
    holds its commanded ground speed with the wind behind and slows down against it)."""
    calm = _problem([Drop("E", *_at(3000, 0), 1.0)])
    windy = replace(calm, params=replace(calm.params, wind=Wind(10.0, 270.0)))
    v, w, d = MANNA.cruise_speed, 10.0, 3000.0
    flights = []
    for problem in (calm, windy):
        ops = DroneOps.of(MANNA, problem.params)
        flights.append(fly_sortie(ops, (0, 0), [(d, 0)], [1.0]))
    params = calm.params
    overhead_min = 2 * params.climb_min + params.drop_time_min + params.drop_vertical_min
    assert flights[0].duration_min - overhead_min == pytest.approx(2 * d / v / 60)
    assert flights[1].duration_min - overhead_min == pytest.approx((d / v + d / (v - w)) / 60)
    assert flights[1].energy_wh > flights[0].energy_wh  # the headwind leg costs more


def test_a_strong_wind_puts_a_drop_out_of_range_and_plans_stay_within_range() -> None:
    drops = [Drop("near", *_at(1500, 0), 1.0), Drop("edge", *_at(0, -4400), 3.0)]
    calm = plan_deliveries(_problem(drops), iterations=300)
    assert calm.served == 2
    problem = _problem(drops)
    windy = replace(problem, params=replace(problem.params, wind=Wind(15.0, 180.0)))
    plan = plan_deliveries(windy, iterations=300)
    assert [(i.drop_id, i.reason) for i in plan.infeasible] == [("edge", "out of range")]
    assert_sorties_within_range(plan)
    assert_windows_met_or_reported(plan)


def test_the_wind_blows_from_true_north_not_grid_north() -> None:
    """At the edge of a UTM zone grid north is ≈ 2.3° off true north: a wind "from 0°"
    must blow along the meridian, i.e. straight against a leg to a drop due true north."""
    base = Base("edge", 29.9, 54.0)
    north = Drop("north", 29.9, 54.03, 1.0)
    params = replace(DeliveryParams(), wind=Wind(10.0, 0.0))
    problem = DeliveryProblem("edge", (base,), (FleetGroup(MANNA, 1, "edge"),), (north,), params)
    projection = delivery_projection(problem)
    x0, y0 = projection.to_local(base.lon, base.lat)
    x1, y1 = projection.to_local(north.lon, north.lat)
    dx, dy = float(x1 - x0), float(y1 - y0)
    grid_bearing = math.degrees(math.atan2(dx, dy))
    assert abs(grid_bearing) > 1.5  # the convergence here is material
    wx, wy = delivery_grid_wind(problem, projection).vector_en
    assert abs(dx * wy - dy * wx) < 1e-3 * math.hypot(dx, dy) * 10.0  # along the meridian
    assert dx * wx + dy * wy < 0  # blowing south, against the leg north
    plan = plan_deliveries(problem, iterations=50)
    assert plan.served == 1
    assert_sorties_within_range(plan)  # the replay takes the wind the same way
