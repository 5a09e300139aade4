"""Our readers load the real QGroundControl / Mission Planner files in ../shared/formats."""

from __future__ import annotations

import json
import math
from pathlib import Path

from droneworks.missions.export import AltitudeMode, read_qgc_plan, read_wpl, write_qgc_plan


def test_simple_square(shared_formats: Path) -> None:
    result = read_qgc_plan(shared_formats / "qgc_simple_square.plan")
    plan = result.plan
    assert result.skipped == ()
    assert [item.command for item in plan.items] == [22, 16, 16, 16, 16]
    assert (plan.home_lat, plan.home_lon, plan.home_alt_amsl_m) == (47.397742, 8.545594, 488)
    assert plan.items[1].lat == 47.398742 and plan.items[1].lon == 8.546594
    assert all(item.altitude_mode is AltitudeMode.RELATIVE for item in plan.items)
    assert int(plan.firmware) == 12


def test_legacy_v1_items_with_coordinates(shared_formats: Path) -> None:
    result = read_qgc_plan(shared_formats / "qgc_SectionTest_legacy_v1.plan")
    items = result.plan.items
    assert [item.command for item in items] == [22, 16, 16, 205, 16]
    assert (items[0].lat, items[0].lon, items[0].alt) == (47.63311996, -122.090763, 20)
    assert items[3].altitude_mode is None  # mount control, frame 2: no position


def test_terrain_plan_keeps_altitude_modes(shared_formats: Path, tmp_path: Path) -> None:
    source = shared_formats / "qgc_TerrainTest-ArduCopter.plan"
    plan = read_qgc_plan(source).plan
    original = json.loads(source.read_text())["mission"]["items"]
    assert len(plan.items) == len(original)
    modes = [item.altitude_mode for item in plan.items]
    assert AltitudeMode.TERRAIN in modes and AltitudeMode.CALC_ABOVE_TERRAIN in modes
    calc = plan.items[modes.index(AltitudeMode.CALC_ABOVE_TERRAIN)]
    assert math.isnan(calc.alt) and calc.display_alt_m == 80
    # Writing it back gives QGroundControl's item dictionaries again.
    rewritten = json.loads(write_qgc_plan(plan, tmp_path / "t.plan").read_text())
    assert rewritten["mission"]["items"] == original


def test_mission_planner_waypoints(shared_formats: Path) -> None:
    plan = read_wpl(shared_formats / "MissionPlanner.waypoints")
    assert (plan.home_lat, plan.home_lon) == (47.660459, -122.103167)
    assert len(plan.items) == 5
    assert all(item.command == 16 and item.frame == 3 for item in plan.items)
    assert plan.items[0].alt == 100.0


def test_complex_items_are_expanded_or_reported(tmp_path: Path) -> None:
    """A survey ComplexItem (QGroundControl layout) is expanded; one without items is listed."""
    simple = {"autoContinue": True, "command": 16, "doJumpId": 2, "frame": 3,
              "params": [0, 0, 0, None, 47.1, 8.1, 50], "type": "SimpleItem",
              "Altitude": 50, "AltitudeMode": 1, "AMSLAltAboveTerrain": None}  # fmt: skip
    trigger = {"autoContinue": True, "command": 206, "doJumpId": 3, "frame": 2,
               "params": [25, 0, 1, 0, 0, 0, 0], "type": "SimpleItem"}  # fmt: skip
    survey = {
        "type": "ComplexItem", "complexItemType": "survey", "version": 5,
        "polygon": [[47.0, 8.0], [47.0, 8.2], [47.2, 8.2], [47.2, 8.0]],
        "TransectStyleComplexItem": {"Items": [simple, trigger], "version": 2},
    }  # fmt: skip
    scan = {"type": "ComplexItem", "complexItemType": "StructureScan", "version": 3}
    plan_file = tmp_path / "survey.plan"
    plan_file.write_text(json.dumps({
        "fileType": "Plan", "version": 1, "groundStation": "QGroundControl",
        "mission": {"version": 2, "firmwareType": 12, "vehicleType": 2, "cruiseSpeed": 15,
                    "hoverSpeed": 5, "plannedHomePosition": [47.0, 8.0, 400],
                    "items": [survey, scan]},
        "geoFence": {"version": 2, "polygons": [], "circles": []},
        "rallyPoints": {"version": 2, "points": []},
    }))  # fmt: skip
    result = read_qgc_plan(plan_file)
    assert [item.command for item in result.plan.items] == [16, 206]
    assert len(result.notes) == 1 and "survey" in result.notes[0]
    assert len(result.skipped) == 1 and "StructureScan" in result.skipped[0]
    assert result.plan.display is not None and result.plan.display.field is not None
