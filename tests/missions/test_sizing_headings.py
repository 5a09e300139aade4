"""Sortie sizing for far and long fields, and headings refined below the 1° grid in compass
degrees from true north."""

from __future__ import annotations

import itertools
import math

import pytest
from pyproj import Geod

from droneworks.catalogue import default_catalogue
from droneworks.core.errors import InfeasibleError
from droneworks.missions.field import Field
from droneworks.missions.field_plans import spray_missions
from droneworks.missions.spray import SprayParams, plan_spray
from droneworks.missions.survey import SurveyParams, plan_survey
from droneworks.missions.true_north import grid_to_true_deg, true_to_grid_deg
from tests.missions.field_makers import far_field, rectangle_field, strip_field

T40 = default_catalogue()["agras-t40-class"]
GEOD = Geod(ellps="WGS84")
OVERLAP_MARGIN = 0.01  # stated: whole swaths across the strip, + 1 % at ends and corners


def _long_side_bearing_deg(field: Field) -> float:
    """Geodesic azimuth (compass degrees from true north, mod 180) of the longest edge."""
    ring = list(field.to_wgs84(field.boundary).exterior.coords)
    edges = [GEOD.inv(*a, *b) for a, b in itertools.pairwise(ring)]
    azimuth, _, _ = max(edges, key=lambda edge: edge[2])
    return azimuth % 180.0


def test_a_field_far_from_the_base_is_planned_with_lighter_loads() -> None:
    plan = plan_spray(far_field(), T40, SprayParams(15.0))
    assert plan.covered_ratio >= 0.995
    assert max(s.loaded_l for s in plan.sorties) < T40.tank  # a full tank cannot reach it
    total = sum(s.sprayed_l for s in plan.sorties)
    assert total == pytest.approx(sum(s.loaded_l for s in plan.sorties), rel=1e-6)
    for sortie in plan.sorties:
        assert sortie.energy_wh <= plan.energy.budget_wh


def test_only_a_field_out_of_reach_even_empty_is_refused() -> None:
    beyond = rectangle_field("beyond", 200.0, 200.0, (-9000.0, 0.0))
    with pytest.raises(
        InfeasibleError, match=r"out of reach, 9\d\d\d m from the base.*empty tank.*budget"
    ):
        plan_spray(beyond, T40, SprayParams(15.0))


def test_a_long_strip_gets_no_more_than_rate_times_area_plus_the_stated_margin() -> None:
    field = strip_field()
    rate = 5.0
    plan = plan_spray(field, T40, SprayParams(rate))
    width_m = 40.0
    swaths = math.ceil(width_m / plan.swath_width_m)  # whole swaths across the strip
    bound = rate * plan.sprayable_m2 / 1e4 * swaths * plan.swath_width_m / width_m
    volume = plan.summary()["volume_l"]
    assert volume <= bound * (1 + OVERLAP_MARGIN), (volume, bound)
    assert plan.covered_ratio >= 0.995
    assert plan.legs_crossing_keep_out() == 0
    # the swaths follow the strip to a fraction of a degree (no 1° grid step)
    assert abs(plan.summary()["heading_deg"] - _long_side_bearing_deg(field)) < 0.2


def test_heading_is_compass_degrees_from_true_north() -> None:
    field = strip_field()
    bearing = _long_side_bearing_deg(field)
    plan = plan_spray(field, T40, SprayParams(5.0, heading_deg=bearing))
    assert plan.summary()["heading_deg"] == pytest.approx(bearing, abs=1e-6)
    # the grid heading differs by the meridian convergence (27.6° E is 0.6° east of the
    # zone's central meridian at 53.9° N: ≈ 0.5°)
    assert abs(plan.coverage.heading_deg - bearing) > 0.3
    mission = spray_missions(plan)[0]
    sprayed: list[float] = []
    on = False
    previous = None
    for item in mission.items:
        if item.command == 216:
            on = item.params[0] == 1.0
        elif item.has_position and item.command == 16:
            if on and previous is not None:
                azimuth, _, metres = GEOD.inv(previous.lon, previous.lat, item.lon, item.lat)
                if metres > 500:
                    sprayed.append(azimuth % 180.0)
            previous = item
    assert sprayed
    for azimuth in sprayed:  # long sprayed runs fly along the strip's true bearing (the
        # convergence, taken at the field's centre, changes by ≈ 0.03° over the 2.4 km)
        assert abs(azimuth - bearing) < 0.05


def test_true_and_grid_headings_convert_both_ways() -> None:
    field = strip_field()
    for heading in (0.0, 45.5, 179.9, 359.0):
        assert grid_to_true_deg(field, true_to_grid_deg(field, heading)) == pytest.approx(
            heading % 360.0, abs=1e-9
        )


def test_survey_heading_is_compass_degrees_too() -> None:
    params = SurveyParams(gsd_m=0.02, heading_deg=100.0)
    plan = plan_survey(strip_field(), default_catalogue()["mavic-3m-class"], params)
    assert plan.summary()["heading_deg"] == pytest.approx(100.0, abs=1e-6)
    assert plan.swaths.heading_deg == pytest.approx(true_to_grid_deg(plan.field, 100.0))
