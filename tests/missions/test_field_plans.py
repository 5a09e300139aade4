"""Survey/spray plans as MAVLink missions: commands, round trips through our readers and
pymavlink, files written by ``write_mission_files``."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
import shapely
from pymavlink import mavwp

from droneworks.catalogue import default_catalogue
from droneworks.missions.export import MavCmd, read_qgc_plan, read_wpl
from droneworks.missions.field import Field
from droneworks.missions.field_plans import (
    spray_missions,
    survey_missions,
    write_mission_files,
    zone_polygons,
)
from droneworks.missions.prescription import Prescription, read_ndvi_geotiff
from droneworks.missions.spray import SprayParams, SprayPlan, plan_spray
from droneworks.missions.survey import SurveyParams, plan_survey


@pytest.fixture(scope="module")
def spray_plan(concave_field: Field) -> SprayPlan:
    return plan_spray(concave_field, default_catalogue()["agras-t40-class"], SprayParams(15.0))


def _commands(mission: object) -> list[int]:
    return [item.command for item in mission.items]  # type: ignore[attr-defined]


def test_one_mission_per_sortie_with_sprayer_on_and_off(spray_plan: SprayPlan) -> None:
    missions = spray_missions(spray_plan)
    assert len(missions) == len(spray_plan.sorties)
    for mission in missions:
        commands = _commands(mission)
        assert commands[0] == MavCmd.NAV_TAKEOFF and commands[-1] == MavCmd.NAV_LAND
        assert MavCmd.NAV_RETURN_TO_LAUNCH not in commands  # RTL's straight line could cross a hole
        switches = [item.params[0] for item in mission.items if item.command == MavCmd.DO_SPRAYER]
        assert switches and switches[0] == 1.0 and switches[-1] == 0.0
        assert all(a != b for a, b in itertools.pairwise(switches))  # alternate


def test_mission_waypoints_avoid_holes(spray_plan: SprayPlan) -> None:
    field = spray_plan.field
    keep_out = field.to_wgs84(field.keep_out.buffer(spray_plan.params.clearance_m - 0.05))
    for mission in spray_missions(spray_plan):
        line = shapely.LineString(mission.positions_lonlat())
        assert not line.intersects(keep_out), mission.name


def test_prescription_writes_a_servo_rate_per_zone(field_20ha: Field, fields_dir: Path) -> None:
    raster = read_ndvi_geotiff(fields_dir / "field_20ha_multispectral.tif")
    prescription = Prescription.from_ndvi(raster, 15.0)
    plan = plan_spray(field_20ha, default_catalogue()["agras-t40-class"],
                      SprayParams(15.0, prescription=prescription))  # fmt: skip
    missions = spray_missions(plan, zone_polygons(plan))
    pwms = {
        item.params[1] for m in missions for item in m.items if item.command == MavCmd.DO_SET_SERVO
    }
    assert pwms == {2000.0, round(1000 + 1000 * 15 / 18), round(1000 + 1000 * 12 / 18)}
    zones = zone_polygons(plan)
    assert {zone.value for zone in zones} == {18.0, 15.0, 12.0}


def test_survey_missions_trigger_by_distance(concave_field: Field) -> None:
    plan = plan_survey(
        concave_field, default_catalogue()["mavic-3m-class"], SurveyParams(gsd_m=0.025)
    )
    missions = survey_missions(plan)
    triggers = [
        i.params[0] for m in missions for i in m.items if i.command == MavCmd.DO_SET_CAM_TRIGG_DIST
    ]
    # one trigger-on per flown line (a line cut by a battery change is turned on twice)
    assert triggers.count(plan.trigger_distance_m) >= plan.swaths.pieces
    assert triggers.count(0.0) == triggers.count(plan.trigger_distance_m)


def test_files_round_trip(spray_plan: SprayPlan, tmp_path: Path) -> None:
    missions = spray_missions(spray_plan)[:2]
    written = write_mission_files(missions, tmp_path, "spray", "test")
    names = {path.suffix for path in written}
    assert names == {".plan", ".waypoints", ".geojson", ".kml", ".png"}
    plan_file = tmp_path / f"spray-{missions[0].name}.plan"
    back = read_qgc_plan(plan_file).plan
    assert [i.command for i in back.items] == _commands(missions[0])
    wpl_file = tmp_path / f"spray-{missions[0].name}.waypoints"
    wpl = read_wpl(wpl_file)
    ours = np.array([(i.lat, i.lon) for i in missions[0].items if i.has_position])
    theirs = np.array([(i.lat, i.lon) for i in wpl.items if i.has_position])
    assert np.allclose(ours, theirs, atol=1e-7)
    loader = mavwp.MAVWPLoader()
    assert loader.load(str(wpl_file)) == len(missions[0].items) + 1  # + home line
