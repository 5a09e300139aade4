"""Write → read round trips of .plan and WPL files, pymavlink loads our WPL, GeoJSON/KML."""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from droneworks.core.errors import ConfigError
from droneworks.missions.export import (
    MissionItem,
    MissionPlan,
    read_qgc_plan,
    read_wpl,
    waypoint,
    write_geojson,
    write_kml,
    write_qgc_plan,
    write_wpl,
)
from droneworks.missions.export.kml import KML_NS


def _same(a: float, b: float, tol: float = 0.0) -> bool:
    return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= tol


def assert_items_equal(
    expected: tuple[MissionItem, ...], actual: tuple[MissionItem, ...], tol: float = 0.0,
    nan_as_zero: bool = False,
) -> None:  # fmt: skip
    assert len(actual) == len(expected)
    for want, got in zip(expected, actual, strict=True):
        assert (got.command, got.frame, got.autocontinue, got.altitude_mode) == (
            want.command, want.frame, want.autocontinue, want.altitude_mode,
        )  # fmt: skip
        for w, g in zip(want.params7, got.params7, strict=True):
            w = 0.0 if nan_as_zero and math.isnan(w) else w
            assert _same(w, g, tol), (want, got)


def test_plan_round_trip_keeps_everything(every_builder_plan: MissionPlan, tmp_path: Path) -> None:
    path = write_qgc_plan(every_builder_plan, tmp_path / "m.plan")
    result = read_qgc_plan(path)
    assert result.skipped == ()
    plan = result.plan
    assert_items_equal(every_builder_plan.items, plan.items)
    assert (plan.home_lon, plan.home_lat, plan.home_alt_amsl_m) == (
        every_builder_plan.home_lon, every_builder_plan.home_lat, 221.5,
    )  # fmt: skip
    assert plan.fence_polygons == every_builder_plan.fence_polygons
    assert plan.fence_circles == every_builder_plan.fence_circles
    assert plan.rally_points == every_builder_plan.rally_points
    assert (plan.cruise_speed_mps, plan.hover_speed_mps) == (12.0, 4.0)


def test_plan_json_has_the_qgc_layout(every_builder_plan: MissionPlan, tmp_path: Path) -> None:
    data = json.loads(write_qgc_plan(every_builder_plan, tmp_path / "m.plan").read_text())
    assert (data["fileType"], data["groundStation"], data["version"]) == (
        "Plan",
        "QGroundControl",
        1,
    )
    mission = data["mission"]
    assert mission["version"] == 2 and mission["firmwareType"] == 3 and mission["vehicleType"] == 2
    assert mission["plannedHomePosition"] == [every_builder_plan.home_lat,
                                              every_builder_plan.home_lon, 221.5]  # fmt: skip
    assert data["geoFence"]["version"] == 2 and data["rallyPoints"]["version"] == 2
    for index, item in enumerate(mission["items"]):
        assert item["type"] == "SimpleItem" and len(item["params"]) == 7
        assert item["doJumpId"] == index + 1
        positional = every_builder_plan.items[index].has_position
        assert ("Altitude" in item) == positional and ("AltitudeMode" in item) == positional
    takeoff_item = mission["items"][0]
    assert takeoff_item["params"][3] is None  # NaN yaw → null
    assert {m["AltitudeMode"]: m["frame"] for m in mission["items"] if "AltitudeMode" in m} == {
        1: 3,
        2: 0,
        4: 10,
    }


def test_wpl_round_trip_and_decimals(every_builder_plan: MissionPlan, tmp_path: Path) -> None:
    path = write_wpl(every_builder_plan, tmp_path / "m.waypoints")
    lines = path.read_text().splitlines()
    assert lines[0] == "QGC WPL 110"
    home = lines[1].split("\t")
    assert home[:4] == ["0", "1", "0", "16"]
    for line in lines[1:]:
        fields = line.split("\t")
        assert len(fields) == 12
        for coordinate in fields[8:10]:
            assert re.fullmatch(r"-?\d+\.\d{7,}", coordinate), coordinate
    plan = read_wpl(path)
    assert_items_equal(every_builder_plan.items, plan.items, tol=1e-6, nan_as_zero=True)
    assert abs(plan.home_lat - every_builder_plan.home_lat) < 1e-8
    assert abs(plan.home_alt_amsl_m - 221.5) < 1e-6


def test_pymavlink_loads_our_wpl(every_builder_plan: MissionPlan, tmp_path: Path) -> None:
    mavwp = pytest.importorskip("pymavlink.mavwp")
    path = write_wpl(every_builder_plan, tmp_path / "m.waypoints")
    loader = mavwp.MAVWPLoader()
    count = loader.load(str(path))
    assert count == len(every_builder_plan.items) + 1
    home = loader.wp(0)
    assert abs(home.x - every_builder_plan.home_lat) < 1e-7
    for seq, item in enumerate(every_builder_plan.items, start=1):
        loaded = loader.wp(seq)
        assert (loaded.command, loaded.frame) == (item.command, item.frame)
        if item.has_position:
            assert abs(loaded.x - item.lat) < 1e-7 and abs(loaded.y - item.lon) < 1e-7
            assert abs(loaded.z - item.alt) < 1e-4


@settings(max_examples=40, deadline=None)
@given(
    points=st.lists(
        st.tuples(
            st.floats(-179.9, 179.9), st.floats(-84, 84), st.floats(0, 500), st.floats(0, 60)
        ),
        min_size=1,
        max_size=6,
    )
)
def test_waypoint_round_trip_property(
    points: list[tuple[float, float, float, float]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    items = tuple(waypoint(lon, lat, alt, hold_s=hold) for lon, lat, alt, hold in points)
    plan = MissionPlan("p", points[0][0], points[0][1], 100.0, items=items)
    folder = tmp_path_factory.mktemp("rt")
    assert_items_equal(items, read_qgc_plan(write_qgc_plan(plan, folder / "p.plan")).plan.items)
    wpl_items = read_wpl(write_wpl(plan, folder / "p.waypoints")).items
    assert_items_equal(items, wpl_items, tol=5e-7, nan_as_zero=True)


def test_bad_files_raise_config_errors(tmp_path: Path) -> None:
    (tmp_path / "x.plan").write_text('{"fileType": "Other"}')
    (tmp_path / "x.waypoints").write_text("garbage\n")
    with pytest.raises(ConfigError, match="fileType"):
        read_qgc_plan(tmp_path / "x.plan")
    with pytest.raises(ConfigError, match="QGC WPL 110"):
        read_wpl(tmp_path / "x.waypoints")


def test_geojson_and_kml(every_builder_plan: MissionPlan, tmp_path: Path) -> None:
    data = json.loads(write_geojson(every_builder_plan, tmp_path / "m.geojson").read_text())
    roles = [feature["properties"]["role"] for feature in data["features"]]
    positional = sum(item.has_position for item in every_builder_plan.items)
    assert roles.count("item") == positional and roles.count("home") == 1
    assert {"field", "zone", "path", "point"} <= set(roles)
    field = next(f for f in data["features"] if f["properties"]["role"] == "field")
    assert len(field["geometry"]["coordinates"]) == 2  # exterior + one hole
    root = ET.parse(write_kml(every_builder_plan, tmp_path / "m.kml")).getroot()
    ns = {"k": KML_NS}
    assert len(root.findall(".//k:Placemark", ns)) >= 4
    polygon = root.find(".//k:Polygon", ns)
    assert polygon is not None and polygon.find("k:innerBoundaryIs", ns) is not None
