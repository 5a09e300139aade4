"""Fixtures for the export tests: a small plan using every builder, the shared formats."""

from __future__ import annotations

from pathlib import Path

import pytest
from shapely.geometry import LineString, Polygon

from droneworks.missions.export import (
    AltitudeMode,
    DisplayPoint,
    DisplayZone,
    FenceCircle,
    FencePolygon,
    MissionDisplay,
    MissionPlan,
    RallyPoint,
    camera_trigger_distance,
    change_speed,
    gripper,
    land,
    return_to_launch,
    set_servo,
    sprayer,
    takeoff,
    waypoint,
)

SHARED_FORMATS = Path(__file__).resolve().parents[3].parent / "shared" / "formats"


@pytest.fixture
def shared_formats() -> Path:
    """../shared/formats beside the repository; skip with the reason when it is absent."""
    if not SHARED_FORMATS.is_dir():
        pytest.skip(f"shared formats folder {SHARED_FORMATS} is absent in this checkout")
    return SHARED_FORMATS


@pytest.fixture
def every_builder_plan() -> MissionPlan:
    """A plan near Minsk with one item of every builder and sub-millimetre coordinates."""
    lon, lat = 27.56123456, 53.90234567
    items = (
        takeoff(lon, lat, 30.0),
        change_speed(12.0),
        waypoint(lon + 0.00123456, lat + 0.00098765, 40.0, hold_s=2.0),
        camera_trigger_distance(18.5),
        sprayer(True),
        waypoint(lon + 0.00234567, lat + 0.00012345, 35.5, mode=AltitudeMode.AMSL),
        sprayer(False),
        set_servo(9, 1900),
        waypoint(lon + 0.00300001, lat - 0.00050001, 15.0, mode=AltitudeMode.TERRAIN),
        gripper(release=True),
        land(lon, lat),
        return_to_launch(),
    )
    field = Polygon(
        [(lon, lat), (lon + 0.004, lat), (lon + 0.004, lat + 0.002), (lon, lat + 0.002)],
        [[(lon + 0.001, lat + 0.0005), (lon + 0.0015, lat + 0.0005), (lon + 0.0015, lat + 0.001)]],
    )
    return MissionPlan(
        name="every-builder",
        home_lon=lon,
        home_lat=lat,
        home_alt_amsl_m=221.5,
        items=items,
        cruise_speed_mps=12.0,
        hover_speed_mps=4.0,
        fence_polygons=(
            FencePolygon(((lat, lon), (lat, lon + 0.01), (lat + 0.01, lon + 0.01)), True),
        ),
        fence_circles=(FenceCircle(lat, lon, 50.0, inclusion=False),),
        rally_points=(RallyPoint(lat + 0.001, lon + 0.001, 20.0),),
        display=MissionDisplay(
            field=field,
            sortie_paths=(LineString([(lon, lat), (lon + 0.003, lat + 0.001)]),),
            zones=(DisplayZone("high", field, 25.0, "L/ha"),),
            points=(DisplayPoint("base", lon, lat, "base"),),
        ),
    )
