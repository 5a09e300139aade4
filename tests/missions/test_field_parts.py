"""MultiPolygon fields (a field split by a track) are planned part by part."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import shapely
from shapely.geometry import Polygon, mapping

from droneworks.core.errors import ConfigError
from droneworks.missions.field import load_field_parts, parse_field_geojson, parse_field_parts
from tests.cli.conftest import Run

FIELDS = Path(__file__).resolve().parents[2] / "examples" / "fields"
TRACK_HALF_WIDTH_DEG = 0.00005  # a ~7 m farm track


def _split_field() -> tuple[dict[str, Any], Polygon]:
    """The 20 ha example cut north–south by a track through its middle, and the track."""
    data: dict[str, Any] = json.loads((FIELDS / "field_20ha.geojson").read_text())
    feature = next(f for f in data["features"] if f["properties"].get("kind") == "field")
    rings = feature["geometry"]["coordinates"]
    outer = Polygon(rings[0], rings[1:])
    west, south, east, north = outer.bounds
    middle = (west + east) / 2
    track = shapely.box(
        middle - TRACK_HALF_WIDTH_DEG, south - 0.01, middle + TRACK_HALF_WIDTH_DEG, north + 0.01
    )
    feature["geometry"] = mapping(outer.difference(track))
    return data, track


def test_parts_are_separate_fields() -> None:
    data, track = _split_field()
    parts = parse_field_parts(data, "split.geojson", "split")
    assert len(parts) == 2
    assert [p.name for p in parts] == [
        f"{parts[0].name[:-7]} part 1",
        f"{parts[0].name[:-7]} part 2",
    ]
    whole = parse_field_geojson(json.loads((FIELDS / "field_20ha.geojson").read_text()), "x")
    track_m2 = (
        whole.projection.geometry_to_local(track)
        .intersection(Polygon(whole.boundary.exterior))
        .area
    )
    assert math.isclose(sum(p.area_m2 for p in parts), whole.area_m2 - track_m2, rel_tol=2e-3)
    with pytest.raises(ConfigError, match="MultiPolygon of 2 parts"):
        parse_field_geojson(data, "split.geojson")


def test_spray_plans_every_part_and_never_the_track(run: Run, tmp_path: Path) -> None:
    data, track = _split_field()
    path = tmp_path / "split.geojson"
    path.write_text(json.dumps(data))
    out = tmp_path / "out"
    outcome = run("mission", "spray", str(path), "--out", str(out), "--json")
    assert outcome.code == 0, outcome.err
    result = json.loads(outcome.out)
    assert len(result["parts"]) == 2
    for key in ("area_ha", "volume_l", "sorties", "flight_time_min"):
        assert math.isclose(result[key], sum(p[key] for p in result["parts"]))
    assert all(p["covered_ratio"] >= 0.99 for p in result["parts"])
    assert {Path(f).name.split("-")[1] for f in result["files"] if f.endswith(".plan")} == {
        "part1",
        "part2",
    }
    parts = load_field_parts(path)
    for part in parts:
        local_track = part.projection.geometry_to_local(track)
        assert not part.sprayable().intersects(local_track.buffer(-0.5))
    table = run("mission", "spray", str(path))
    assert "The field has 2 parts" in table.out and "part 2" in table.out


def test_kml_multigeometry_is_a_field_in_parts(tmp_path: Path) -> None:
    data, _ = _split_field()
    feature = next(f for f in data["features"] if f["properties"].get("kind") == "field")
    polygons = "".join(
        "<Polygon><outerBoundaryIs><LinearRing><coordinates>"
        + " ".join(f"{x},{y}" for x, y in polygon[0])
        + "</coordinates></LinearRing></outerBoundaryIs></Polygon>"
        for polygon in feature["geometry"]["coordinates"]
    )
    path = tmp_path / "split.kml"
    path.write_text(
        '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>split</name>'
        f"<MultiGeometry>{polygons}</MultiGeometry></Placemark></Document></kml>"
    )
    assert len(load_field_parts(path)) == 2
