"""Spray missions: coverage, holes, tank and battery sorties, variable rate, wind, fleets."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from affine import Affine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, Polygon

from droneworks.catalogue import DroneType, default_catalogue
from droneworks.core.errors import ConfigError, InfeasibleError
from droneworks.core.geo import LocalProjection
from droneworks.missions.coverage import CoveragePath, LegKind, SwathObjective
from droneworks.missions.field import Field
from droneworks.missions.flight.replay import servo_rate
from droneworks.missions.prescription import (
    NdviRaster,
    Prescription,
    classify_zones,
    ndvi_from_bands,
    read_ndvi_geotiff,
)
from droneworks.missions.spray import SprayParams, SprayPlan, plan_spray
from droneworks.missions.wind import Wind
from tests.missions.checkers import (
    assert_field_covered,
    assert_no_leg_crosses,
    assert_path_in_field,
    assert_sorties_resume,
    assert_sorties_within_limits,
)


@pytest.fixture(scope="module")
def t40() -> DroneType:
    return default_catalogue()["agras-t40-class"]


def _as_path(plan: SprayPlan, drone: int = 0) -> CoveragePath:
    table = plan.tables[drone]
    kind = np.where(table.spraying, LegKind.SWATH, LegKind.TRANSIT).astype(np.int8)
    return CoveragePath(table.start, table.end, kind, plan.swath_width_m)


def _check_invariants(plan: SprayPlan) -> None:
    field = plan.field
    sprayable = field.sprayable(plan.params.clearance_m)
    flyable = field.flyable(plan.params.margin_m, plan.params.clearance_m)
    assert plan.covered_ratio >= 0.99
    for drone in range(plan.params.drones):
        path = _as_path(plan, drone)
        assert_path_in_field(path, flyable)
        assert_no_leg_crosses(path, field.keep_out)
        own = [s for s in plan.sorties if s.drone == drone]
        if len(plan.tables[drone]):
            assert_sorties_resume(own, len(plan.tables[drone]))
        else:  # an idle drone (more drones than swath lines) flies nothing
            assert not own
    assert_sorties_within_limits(plan.sorties, plan.drone.tank, plan.energy.budget_wh)
    merged = [_as_path(plan, d) for d in range(plan.params.drones)]
    starts = np.vstack([p.start for p in merged])
    ends = np.vstack([p.end for p in merged])
    kinds = np.concatenate([p.kind for p in merged])
    assert_field_covered(CoveragePath(starts, ends, kinds, plan.swath_width_m), sprayable)


@pytest.mark.parametrize("name", ["convex_field", "concave_field", "field_20ha"])
def test_spray_plans_keep_every_invariant(
    name: str, t40: DroneType, request: pytest.FixtureRequest
) -> None:
    field: Field = request.getfixturevalue(name)
    plan = plan_spray(field, t40, SprayParams(15.0))
    _check_invariants(plan)
    summary = plan.summary()
    # the volume is the sprayed length times swath times rate
    assert summary["volume_l"] == pytest.approx(summary["sprayed_path_m"] * 11.0 * 15.0 / 1e4)
    assert summary["sorties"] >= summary["volume_l"] / 40.0


def test_tank_limits_sorties_at_high_rate_battery_at_low_rate(
    field_20ha: Field, t40: DroneType
) -> None:
    high = plan_spray(field_20ha, t40, SprayParams(20.0))
    full_tanks = [s for s in high.sorties[:-1] if s.sprayed_l >= 40.0 - 1e-6]
    assert len(full_tanks) >= len(high.sorties) - 2  # tank-bound: each sortie empties the tank
    low = plan_spray(field_20ha, t40, SprayParams(5.0))
    budget = low.energy.budget_wh
    assert all(s.energy_wh > 0.97 * budget for s in low.sorties[:-1])  # battery-bound
    assert all(s.sprayed_l < 40.0 for s in low.sorties[:-1])
    # battery-bound sorties carry (almost) only what they spray: a lighter drone flies further
    assert all(s.loaded_l - s.sprayed_l <= 0.7 for s in low.sorties)


def test_three_drones_share_the_field(field_20ha: Field, t40: DroneType) -> None:
    one = plan_spray(field_20ha, t40, SprayParams(15.0))
    three = plan_spray(field_20ha, t40, SprayParams(15.0, drones=3))
    _check_invariants(three)
    assert {s.drone for s in three.sorties} == {0, 1, 2}
    # no strip sprayed twice: the same sprayed length as one drone
    assert three.summary()["sprayed_path_m"] == pytest.approx(
        one.summary()["sprayed_path_m"], rel=0.01
    )
    times = [three.drone_time_min(d) for d in range(3)]
    assert max(times) < 0.5 * one.summary()["mission_time_min"]


def test_strong_wind_turns_the_best_heading_crosswind(t40: DroneType, convex_field: Field) -> None:
    calm = plan_spray(convex_field, t40, SprayParams(15.0, objective=SwathObjective.TIME))
    windy = plan_spray(
        convex_field, t40, SprayParams(15.0, objective=SwathObjective.TIME, wind=Wind(7.0, 270.0))
    )
    assert calm.coverage.heading_deg == pytest.approx(85.0, abs=10)  # along the long side (E-W)
    assert windy.coverage.heading_deg < 30 or windy.coverage.heading_deg > 150  # N-S: crosswind
    _check_invariants(windy)
    assert windy.summary()["energy_wh"] > calm.summary()["energy_wh"]


def test_wind_stronger_than_top_speed_is_infeasible(t40: DroneType, convex_field: Field) -> None:
    with pytest.raises(InfeasibleError, match="wind"):
        plan_spray(convex_field, t40, SprayParams(15.0, wind=Wind(12.0, 90.0)))


def test_survey_drone_cannot_spray(convex_field: Field) -> None:
    with pytest.raises(ConfigError, match="not a sprayer"):
        plan_spray(convex_field, default_catalogue()["mavic-3m-class"], SprayParams(15.0))


def test_ndvi_closed_form_and_zones() -> None:
    ndvi = ndvi_from_bands([[0.1, 0.0]], [[0.3, 0.0]])
    assert ndvi[0, 0] == pytest.approx(0.5)
    assert np.isnan(ndvi[0, 1])
    values = np.linspace(0.0, 1.0, 300).reshape(10, 30)
    zones = classify_zones(values, 3)
    assert np.bincount(zones.ravel()).tolist() == [100, 100, 100]
    two_clusters = np.concatenate([np.full(50, 0.2), np.full(150, 0.8)])
    assert np.bincount(classify_zones(two_clusters, 2, "kmeans")).tolist() == [50, 150]


def test_variable_rate_follows_the_prescription(
    field_20ha: Field, fields_dir: Path, t40: DroneType
) -> None:
    raster = read_ndvi_geotiff(fields_dir / "field_20ha_multispectral.tif")
    assert float(np.nanmin(raster.values)) >= 0.05 and float(np.nanmax(raster.values)) <= 0.91
    prescription = Prescription.from_ndvi(raster, 15.0, zones=3)
    assert prescription.rates_lpha == pytest.approx((18.0, 15.0, 12.0))
    plan = plan_spray(field_20ha, t40, SprayParams(15.0, prescription=prescription))
    _check_invariants(plan)
    table, zones = plan.tables[0], plan.zones[0]
    sprayed = table.spraying
    assert set(np.unique(zones[sprayed])) <= {-1, 0, 1, 2}
    assert {0, 1, 2} <= set(np.unique(zones[sprayed]))
    # every sprayed sub-leg's rate is its zone's rate; midpoints sampled agree with the zone
    # (as the rate servo commands it, in 1 µs PWM steps of the top rate / 1000)
    wanted = np.array([prescription.rate_at(int(z)) for z in zones[sprayed]])
    commanded = np.array([servo_rate(rate, max(prescription.rates_lpha)) for rate in wanted])
    assert np.array_equal(table.rate_lpha[sprayed], commanded)
    assert np.allclose(commanded, wanted, rtol=1e-3)
    mid = (table.start[sprayed] + table.end[sprayed]) / 2
    agree = prescription.zone_at(mid, field_20ha.projection) == zones[sprayed]
    assert agree.mean() > 0.95


def test_prescription_from_array_with_transform(field_20ha: Field, t40: DroneType) -> None:
    x0, y0 = field_20ha.boundary.bounds[0], field_20ha.boundary.bounds[3]
    west_half_low = np.tile(np.where(np.arange(120) < 60, 0.2, 0.8), (120, 1))
    raster = NdviRaster(
        west_half_low, Affine(5.0, 0, x0 - 20, 0, -5.0, y0 + 20), field_20ha.projection.crs
    )
    prescription = Prescription.from_ndvi(raster, 10.0, zones=2, rates_lpha=(20.0, 5.0))
    plan = plan_spray(field_20ha, t40, SprayParams(10.0, prescription=prescription))
    table = plan.tables[0]
    centre_x = (table.start[:, 0] + table.end[:, 0]) / 2
    west = table.spraying & (centre_x < x0 + 250)
    east = table.spraying & (centre_x > x0 + 350)
    assert np.all(table.rate_lpha[west] == 20.0)
    assert np.all(table.rate_lpha[east] == 5.0)


@st.composite
def random_fields(draw: st.DrawFn) -> Field:
    count = draw(st.integers(4, 9))
    radii = draw(st.lists(st.floats(120.0, 300.0), min_size=count, max_size=count))
    angles = [2 * math.pi * (i + draw(st.floats(-0.2, 0.2))) / count for i in range(count)]
    cx, cy = 500_000.0, 5_970_000.0
    outer = [
        (cx + r * math.cos(a), cy + r * math.sin(a)) for r, a in zip(radii, angles, strict=True)
    ]
    holes = []
    if draw(st.booleans()):
        hole = Point(cx + draw(st.floats(-30, 30)), cy + draw(st.floats(-30, 30)))
        holes.append(hole.buffer(draw(st.floats(10.0, 40.0)), quad_segs=4).exterior.coords)
    boundary = Polygon(outer, holes)
    base = (cx - 350.0, cy - 350.0)  # outside the field, as a base by the road often is
    return Field("random", boundary, (), base, LocalProjection.from_crs("EPSG:32635"))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=random_fields(), rate=st.sampled_from([5.0, 15.0, 30.0]), drones=st.integers(1, 3))
def test_random_fields_keep_every_invariant(field: Field, rate: float, drones: int) -> None:
    plan = plan_spray(
        field, default_catalogue()["agras-t40-class"], SprayParams(rate, drones=drones)
    )
    _check_invariants(plan)


def test_field_narrower_than_the_headland_is_still_sprayed(t40: DroneType) -> None:
    from droneworks.missions.field import field_from_lonlat

    strip = field_from_lonlat(  # about 7 m x 60 m: narrower than two half-swaths of headland
        "strip", [(27.5, 53.9), (27.5009, 53.9), (27.5009, 53.90006), (27.5, 53.90006)]
    )
    plan = plan_spray(strip, t40, SprayParams(15.0))
    assert plan.covered_ratio >= 0.99
    assert plan.summary()["sorties"] == 1


def test_rebalancing_never_makes_the_slowest_drone_slower(
    field_20ha: Field, t40: DroneType
) -> None:
    equal = plan_spray(field_20ha, t40, SprayParams(15.0, drones=3, balance_rounds=0))
    balanced = plan_spray(field_20ha, t40, SprayParams(15.0, drones=3))
    slowest = max(balanced.drone_time_min(d) for d in range(3))
    assert slowest <= max(equal.drone_time_min(d) for d in range(3))
    _check_invariants(balanced)


@pytest.mark.parametrize("extra", [1, 7])
def test_more_drones_than_swath_lines_leaves_the_rest_idle(
    convex_field: Field, t40: DroneType, extra: int
) -> None:
    """A fleet larger than the field's swath lines (a fuzz find: IndexError): every line is
    still sprayed once, the drones beyond the lines get no sortie."""
    lines = len(plan_spray(convex_field, t40, SprayParams(15.0)).coverage.swaths.line_v)
    plan = plan_spray(convex_field, t40, SprayParams(15.0, drones=lines + extra))
    _check_invariants(plan)
    assert len({s.drone for s in plan.sorties}) <= lines
    assert min(plan.drone_time_min(d) for d in range(lines + extra)) == 0.0


def test_more_drones_than_swath_lines_on_a_strip(t40: DroneType) -> None:
    from droneworks.missions.field import field_from_lonlat

    strip = field_from_lonlat(  # one swath line and its headland
        "strip", [(27.5, 53.9), (27.5009, 53.9), (27.5009, 53.90006), (27.5, 53.90006)]
    )
    plan = plan_spray(strip, t40, SprayParams(15.0, drones=4))
    assert plan.covered_ratio >= 0.99
    assert len({s.drone for s in plan.sorties}) == 1
