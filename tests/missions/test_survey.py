"""Survey missions: footprint, GSD/altitude, overlaps, triggers, photos, battery sorties."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from droneworks.catalogue import DroneType, default_catalogue
from droneworks.core.errors import ConfigError
from droneworks.missions.coverage import SwathObjective
from droneworks.missions.coverage.geometry import from_swath_frame
from droneworks.missions.field import Field, field_from_lonlat
from droneworks.missions.survey import SurveyParams, plan_survey
from tests.missions.checkers import assert_path_in_field, assert_sorties_within_limits


@pytest.fixture(scope="module")
def mavic() -> DroneType:
    return default_catalogue()["mavic-3m-class"]


def test_footprint_spacing_trigger_closed_form(mavic: DroneType, convex_field: Field) -> None:
    plan = plan_survey(
        convex_field, mavic, SurveyParams(gsd_m=0.02, front_overlap=0.8, side_overlap=0.7)
    )
    # REFERENCE.md §4: GSD ≈ altitude / 21.9 (cm per m) → 2 cm at ≈ 43.8 m
    assert plan.altitude_m == pytest.approx(2.0 * 21.9, rel=0.01)
    assert plan.footprint_across_m == pytest.approx(0.02 * 2592)
    assert plan.footprint_along_m == pytest.approx(0.02 * 1944)
    assert plan.line_spacing_m == pytest.approx(0.02 * 2592 * 0.3)
    assert plan.trigger_distance_m == pytest.approx(0.02 * 1944 * 0.2)
    assert plan.speed_mps == pytest.approx(min(10.0, plan.trigger_distance_m / 2.0))


def test_altitude_gives_gsd(mavic: DroneType, convex_field: Field) -> None:
    plan = plan_survey(convex_field, mavic, SurveyParams(altitude_m=100.0))
    assert plan.gsd_m * 100 == pytest.approx(100 / 21.9, rel=0.01)


def test_rectangle_lines_and_photos_closed_form(mavic: DroneType) -> None:
    # a 400 m (E-W) x 200 m field near Minsk, lines along E-W
    lon0, lat0, dlon, dlat = 27.5, 53.9, 400 / 65_700, 200 / 111_250
    corners = [(lon0, lat0), (lon0 + dlon, lat0), (lon0 + dlon, lat0 + dlat), (lon0, lat0 + dlat)]
    field = field_from_lonlat("rect", corners)
    plan = plan_survey(field, mavic, SurveyParams(altitude_m=60.0, side_overlap=0.7))
    assert plan.swaths.heading_deg == pytest.approx(90.0, abs=2)  # fewest turns: along 400 m
    height_m = field.boundary.bounds[3] - field.boundary.bounds[1]
    assert plan.swaths.pieces == math.ceil(height_m / plan.line_spacing_m)
    assert_path_in_field(plan.path, field.boundary.buffer(plan.footprint_along_m / 2 + 1.1))
    line_m = plan.swaths.length_m / plan.swaths.pieces
    assert line_m == pytest.approx(
        400 + plan.footprint_along_m, rel=0.03
    )  # overshoot half a frame each end
    per_line = line_m // plan.trigger_distance_m + 1
    assert plan.photos == pytest.approx(per_line * plan.swaths.pieces, rel=0.02)


def test_batteries_split_with_reserve(mavic: DroneType, field_20ha: Field) -> None:
    plan = plan_survey(field_20ha, mavic, SurveyParams(gsd_m=0.015))
    summary = plan.summary()
    assert summary["batteries"] >= 2
    assert_sorties_within_limits(plan.sorties, None, plan.energy.budget_wh)
    assert summary["batteries"] >= summary["energy_wh"] / plan.energy.budget_wh


def test_length_objective_never_longer_than_turns(mavic: DroneType, concave_field: Field) -> None:
    turns = plan_survey(concave_field, mavic, SurveyParams(gsd_m=0.03))
    length = plan_survey(
        concave_field, mavic, SurveyParams(gsd_m=0.03, objective=SwathObjective.LENGTH)
    )
    assert length.path.length_m <= turns.path.length_m * 1.05


def test_bad_survey_input(mavic: DroneType, convex_field: Field) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        SurveyParams(gsd_m=0.02, altitude_m=50.0)
    with pytest.raises(ValueError, match="overlap"):
        SurveyParams(gsd_m=0.02, front_overlap=1.0)
    with pytest.raises(ConfigError, match="no camera"):
        plan_survey(convex_field, default_catalogue()["agras-t40-class"], SurveyParams(gsd_m=0.02))


@pytest.mark.parametrize("name", ["convex_field", "concave_field"])
def test_photo_footprints_cover_the_field_with_the_overlaps(
    name: str, mavic: DroneType, request: pytest.FixtureRequest
) -> None:
    field: Field = request.getfixturevalue(name)
    plan = plan_survey(field, mavic, SurveyParams(gsd_m=0.03, front_overlap=0.7, side_overlap=0.6))
    swaths, half_across, half_along = (
        plan.swaths,
        plan.footprint_across_m / 2,
        plan.footprint_along_m / 2,
    )
    frames = []
    for k, item in enumerate(swaths.intervals):
        v = swaths.line_v[k]
        for u0, u1 in item:
            count = int((u1 - u0) // plan.trigger_distance_m) + 1
            for u in u0 + plan.trigger_distance_m * np.arange(count):
                frames.append(
                    shapely.box(u - half_along, v - half_across, u + half_along, v + half_across)
                )
    assert len(frames) == plan.photos
    mosaic_uv = shapely.union_all(frames, grid_size=0.01)
    mosaic = shapely.transform(mosaic_uv, lambda uv: from_swath_frame(uv, swaths.heading_deg))
    field_polygon = shapely.Polygon(field.boundary.exterior)
    covered = mosaic.intersection(field_polygon).area / field_polygon.area
    assert covered >= 0.999
    # side overlap: neighbouring lines' frames overlap by the asked fraction of the width
    assert swaths.line_v[1] - swaths.line_v[0] == pytest.approx(2 * half_across * (1 - 0.6))
