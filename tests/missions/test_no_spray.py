"""No-spray buffers: water (holes and water zones) and named no-spray zones keep their distance."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry import Point, Polygon

from droneworks.catalogue import default_catalogue
from droneworks.missions.field import Field, parse_field_geojson
from droneworks.missions.spray import SprayParams, SprayPlan, plan_spray
from tests.cli.conftest import Run

FIELDS = Path(__file__).resolve().parents[2] / "examples" / "fields"
T40 = default_catalogue()["agras-t40-class"]


def _with_zones() -> dict[str, Any]:
    """The 20 ha example plus a stream along its south edge (outside the field) and a
    beehive (a no-spray Point with a radius, 8 m buffer) inside it."""
    data: dict[str, Any] = json.loads((FIELDS / "field_20ha.geojson").read_text())
    field = next(f for f in data["features"] if f["properties"].get("kind", "field") == "field")
    outer = Polygon(field["geometry"]["coordinates"][0])
    west, south, east, _ = outer.bounds
    stream = shapely.box(west, south - 0.0003, east, south - 0.0001)
    centre = outer.representative_point()
    data["features"] += [
        {"type": "Feature", "properties": {"kind": "water", "name": "stream"},
         "geometry": shapely.geometry.mapping(stream)},
        {"type": "Feature",
         "properties": {"kind": "no-spray", "name": "beehive", "radius": "5 m", "buffer": "8 m"},
         "geometry": {"type": "Point", "coordinates": [centre.x, centre.y]}},
    ]  # fmt: skip
    return data


def _sprayed(plan: SprayPlan) -> shapely.Geometry:
    half = plan.swath_width_m / 2
    strips = [
        shapely.LineString([tuple(a), tuple(b)]).buffer(half, cap_style="flat")
        for table in plan.tables
        for a, b in zip(table.start[table.spraying], table.end[table.spraying], strict=True)
    ]
    return shapely.union_all(strips)


@pytest.fixture(scope="module")
def zoned_field() -> Field:
    return parse_field_geojson(_with_zones(), "zones.geojson")


def test_no_spray_zones_and_water_keep_their_buffers(zoned_field: Field) -> None:
    field = zoned_field.with_spray_buffers(water_m=20.0, no_spray_m=None)
    plan = plan_spray(field, T40, SprayParams(15.0))
    sprayed = _sprayed(plan)
    names = {zone.name: zone for zone in field.no_spray}
    assert set(names) == {"stream", "beehive"} and names["beehive"].buffer_m == 8.0
    for zone, distance in ((names["stream"], 20.0), (names["beehive"], 8.0)):
        assert sprayed.intersection(zone.polygon.buffer(distance - 0.5)).area < 1.0
    for ring in field.boundary.interiors:  # the pond is water too
        assert sprayed.intersection(Polygon(ring).buffer(19.5)).area < 1.0
    assert plan.covered_ratio >= 0.99  # of what may be sprayed
    plain = plan_spray(zoned_field, T40, SprayParams(15.0))
    assert plan.summary()["volume_l"] < plain.summary()["volume_l"]


def test_the_drone_may_fly_over_a_no_spray_zone(zoned_field: Field) -> None:
    beehive = next(z for z in zoned_field.no_spray if z.name == "beehive")
    assert not zoned_field.keep_out.intersects(beehive.polygon)
    assert zoned_field.flyable().contains(Point(beehive.polygon.centroid))


def test_spray_cli_buffers(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "zones.geojson"
    path.write_text(json.dumps(_with_zones()))
    base = json.loads(run("mission", "spray", str(path), "--json").out)
    wide = run("mission", "spray", str(path), "--water-buffer", "30m", "--json")
    assert wide.code == 0, wide.err
    assert json.loads(wide.out)["volume_l"] < base["volume_l"]
    for value, message in (("-5m", "--water-buffer must be ≥ 0"), ("900m", "0–500 m")):
        bad = run("mission", "spray", str(path), "--water-buffer", value)
        assert bad.code == 1 and message in bad.err
