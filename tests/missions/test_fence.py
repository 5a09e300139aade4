"""Geofence, rally points and home elevation in every exported field .plan."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from shapely.geometry import Point, Polygon

from droneworks.missions.export import MavCmd, MissionPlan, read_qgc_plan
from droneworks.missions.fence import DEFAULT_RALLY_ALT_M
from droneworks.missions.field import load_field
from tests.cli.conftest import Run

FIELDS = Path(__file__).resolve().parents[2] / "examples" / "fields"
POND = FIELDS / "concave_pond.geojson"
DELIVERIES = FIELDS.parent / "deliveries"


def _lonlat_polygon(vertices_latlon: tuple[tuple[float, float], ...]) -> Polygon:
    return Polygon([(lon, lat) for lat, lon in vertices_latlon])


def _plans(out: Path) -> list[MissionPlan]:
    paths = sorted(out.glob("*.plan"))
    assert paths
    return [read_qgc_plan(path).plan for path in paths]


def _assert_fenced(plan: MissionPlan, field_outer: Polygon, holes: list[Polygon]) -> None:
    inclusions = [p for p in plan.fence_polygons if p.inclusion]
    exclusions = [
        _lonlat_polygon(p.vertices_latlon) for p in plan.fence_polygons if not p.inclusion
    ]
    assert len(inclusions) == 1
    fence = _lonlat_polygon(inclusions[0].vertices_latlon)
    assert fence.is_valid and fence.covers(field_outer)
    for lon, lat in plan.positions_lonlat():
        assert fence.contains(Point(lon, lat))
        assert not any(area.contains(Point(lon, lat)) for area in exclusions)
    for hole in holes:  # every hole is fenced off (within 1e-6°, ~0.1 m of simplification)
        assert any(area.buffer(1e-6).covers(hole) for area in exclusions)


def test_spray_plans_carry_fence_rally_points_and_elevation(run: Run, tmp_path: Path) -> None:
    outcome = run(
        "mission", "spray", str(POND), "--elevation", "212.5m", "--out", str(tmp_path), "--json"
    )
    assert outcome.code == 0, outcome.err
    assert json.loads(outcome.out)["home_alt_amsl_m"] == 212.5
    field = load_field(POND)
    outer = field.to_wgs84(Polygon(field.boundary.exterior))
    holes = [field.to_wgs84(Polygon(ring)) for ring in field.boundary.interiors]
    base_lon, base_lat = (float(v) for v in field.projection.to_wgs84(*field.base_xy))
    assert holes
    for plan in _plans(tmp_path):
        assert plan.home_alt_amsl_m == 212.5
        _assert_fenced(plan, outer, holes)
        first = plan.rally_points[0]
        heights = {item.alt for item in plan.items if item.command == MavCmd.NAV_WAYPOINT}
        # the return to a rally point flies at a safe altitude, not at spray height
        assert {p.alt_m for p in plan.rally_points} == {max(DEFAULT_RALLY_ALT_M, *heights)}
        assert max(heights) < DEFAULT_RALLY_ALT_M
        assert math.isclose(first.lat, base_lat, abs_tol=1e-7)
        assert math.isclose(first.lon, base_lon, abs_tol=1e-7)
        far = max(Point(c).distance(Point(base_lon, base_lat)) for c in outer.exterior.coords)
        assert len(plan.rally_points) == 2
        assert math.isclose(
            Point(plan.rally_points[1].lon, plan.rally_points[1].lat).distance(
                Point(base_lon, base_lat)
            ),
            far,
            rel_tol=1e-6,
        )


def test_the_rally_altitude_is_the_operators_when_given(run: Run, tmp_path: Path) -> None:
    rally_m = DEFAULT_RALLY_ALT_M + 17.5
    outcome = run("mission", "spray", str(POND), "--rally-altitude", f"{rally_m}m",
                  "--out", str(tmp_path / "spray"), "--json")  # fmt: skip
    assert outcome.code == 0, outcome.err
    plans = list(_plans(tmp_path / "spray"))
    assert plans and {p.alt_m for plan in plans for p in plan.rally_points} == {rally_m}
    drops = str(DELIVERIES / "minsk_12.geojson")
    outcome = run("mission", "deliver", drops, "--drone", "manna-class-cargo", "--drones", "2",
                  "--iterations", "50", "--rally-altitude", f"{rally_m}m",
                  "--out", str(tmp_path / "deliver"), "--json")  # fmt: skip
    assert outcome.code == 0, outcome.err
    plans = list(_plans(tmp_path / "deliver"))
    assert plans and {p.alt_m for plan in plans for p in plan.rally_points} == {rally_m}


def test_survey_fence_holds_the_transits_outside_the_field(run: Run, tmp_path: Path) -> None:
    outcome = run(
        "mission", "survey", str(FIELDS / "field_20ha.geojson"), "--gsd", "2cm",
        "--fence-margin", "35", "--out", str(tmp_path), "--json",
    )  # fmt: skip
    assert outcome.code == 0, outcome.err
    assert "base elevation is unknown" in json.loads(outcome.out)["warnings"][0]
    field = load_field(FIELDS / "field_20ha.geojson")
    outer = field.to_wgs84(Polygon(field.boundary.exterior))
    for plan in _plans(tmp_path):
        fence = _lonlat_polygon(next(p for p in plan.fence_polygons if p.inclusion).vertices_latlon)
        for lon, lat in plan.positions_lonlat():  # ≥ 35 m inside the fence (1e-4° ≈ 7–11 m)
            assert fence.contains(Point(lon, lat).buffer(3e-4))
        assert fence.covers(outer)


def test_home_elevation_from_a_dem(run: Run, tmp_path: Path) -> None:
    rasterio = pytest.importorskip("rasterio")
    from affine import Affine

    field = load_field(POND)
    lon, lat = (float(v) for v in field.projection.to_wgs84(*field.base_xy))
    west, north, step = lon - 0.01013, lat + 0.00987, 0.0005  # base inside a pixel
    heights = 180.0 + np.add.outer(np.arange(40) * 0.5, np.arange(40) * 2.0)
    dem = tmp_path / "dem.tif"
    with rasterio.open(
        dem, "w", driver="GTiff", height=40, width=40, count=1, dtype="float64",
        crs="EPSG:4326", transform=Affine(step, 0, west, 0, -step, north),
    ) as target:  # fmt: skip
        target.write(heights, 1)
    row, col = math.floor((north - lat) / step), math.floor((lon - west) / step)
    out = tmp_path / "plans"
    outcome = run("mission", "spray", str(POND), "--dem", str(dem), "--out", str(out), "--json")
    assert outcome.code == 0, outcome.err
    assert json.loads(outcome.out)["home_alt_amsl_m"] == heights[row, col]
    assert {plan.home_alt_amsl_m for plan in _plans(out)} == {heights[row, col]}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--elevation", "200m", "--dem", "x.tif"), "one of --elevation and --dem"),
        (("--elevation", "20000m"), "--elevation: home elevation"),
        (("--elevation", "high"), "--elevation:"),
        (("--fence-margin", "0"), "--fence-margin: fence margin"),
        (("--dem", "missing.tif"), "not a readable GeoTIFF"),
    ],
)
def test_bad_site_options(run: Run, args: tuple[str, ...], message: str) -> None:
    outcome = run("mission", "spray", str(POND), *args)
    assert outcome.code == 1 and message in outcome.err, outcome.err
