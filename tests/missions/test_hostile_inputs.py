"""Issue 13: hostile field and delivery files end in one ConfigError naming where."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from droneworks.core.errors import ConfigError
from droneworks.missions.delivery import load_deliveries
from droneworks.missions.field import load_field, parse_field_geojson
from droneworks.missions.field_checks import MAX_FIELD_AREA_HA

SQUARE = [[27.0, 53.0], [27.001, 53.0], [27.001, 53.001], [27.0, 53.001], [27.0, 53.0]]
FIELD = {"type": "Feature", "properties": {"kind": "field"},
         "geometry": {"type": "Polygon", "coordinates": [SQUARE]}}  # fmt: skip


HEXAGON = {"type": "Feature", "properties": {}, "geometry": {"type": "Hexagon", "coordinates": []}}


def _collection(*extra: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [copy.deepcopy(FIELD), *extra]}


def _base(coordinates: Any) -> dict[str, Any]:
    point: dict[str, Any] = {"type": "Point"}
    if coordinates is not None:
        point["coordinates"] = coordinates
    return {"type": "Feature", "properties": {"kind": "base"}, "geometry": point}


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (_collection(_base([])), r"features\[1\].geometry: the geometry has no coordinates"),
        (_collection(_base(None)), r"features\[1\].geometry: not a valid GeoJSON geometry"),
        (_collection(_base([27.0, float("nan")])), "coordinates must be finite"),
        (_collection(_base([200.0, 55.0])), "the base: coordinate .200.0, 55.0. is not WGS84"),
        (_collection(HEXAGON), "Unknown geometry type"),
        (_collection("a string"), r"features\[1\]: not a GeoJSON Feature object"),
        ({"type": "FeatureCollection", "features": "x"}, "features: must be a list"),
        ({"type": "Feature", "properties": "x", "geometry": {}}, "must be objects"),
    ],
)
def test_bad_geojson_is_a_config_error(data: Any, fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        parse_field_geojson(data, "f.geojson")


def test_field_too_large() -> None:
    huge = [[20.0, 50.0], [21.0, 50.0], [21.0, 51.0], [20.0, 51.0], [20.0, 50.0]]
    data = {"type": "Polygon", "coordinates": [huge]}
    with pytest.raises(ConfigError, match=f"the limit is {MAX_FIELD_AREA_HA:,.0f} ha"):
        parse_field_geojson(data, "f.geojson")


# A W-shaped field 26 km wide whose middle vertex lies 1.1 m above the bottom edge in
# degrees: valid in lon/lat, but the parallel bows in metres and the vertex lands below the
# edge (a GEOS TopologyException in planning before; the fuzzer's sliver field).
W_FIELD = [
    [27.0, 53.78],
    [27.4, 53.78],
    [27.4, 53.8],
    [27.2, 53.78001],
    [27.0, 53.8],
    [27.0, 53.78],
]


def _w_field_as(kind: str) -> dict[str, Any]:
    w_ring = {"type": "Polygon", "coordinates": [W_FIELD]}
    if kind == "field":
        return {"type": "Feature", "properties": {"kind": "field"}, "geometry": w_ring}
    around = [[26.99, 53.775], [27.41, 53.775], [27.41, 53.805], [26.99, 53.805], [26.99, 53.775]]
    outer = {"type": "Polygon", "coordinates": [around]}
    return _collection_of(
        {"type": "Feature", "properties": {"kind": "field"}, "geometry": outer},
        {"type": "Feature", "properties": {"kind": kind}, "geometry": w_ring},
    )


def _collection_of(*features: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


@pytest.mark.parametrize(
    ("kind", "where"),
    [("field", "the field"), ("obstacle", "obstacle 1"), ("water", "water zone 1")],
)
def test_polygon_valid_in_degrees_crossing_itself_in_metres(kind: str, where: str) -> None:
    from shapely.geometry import Polygon

    assert Polygon(W_FIELD).is_valid  # the premise: only the projection breaks it
    with pytest.raises(ConfigError) as caught:
        parse_field_geojson(_w_field_as(kind), "w.geojson")
    message = str(caught.value)
    assert message.startswith(f"w.geojson: {where}: the polygon crosses itself once projected")
    assert "self-intersection near (27.19" in message


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"<kml><Document>" + "Mi\xf1sk".encode("latin-1"), "not UTF-8"),
        (b"<a>" * 100 + b"</a>" * 100, "nested more than 64"),
    ],
)
def test_bad_kml(tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "f.kml"
    path.write_bytes(content)
    with pytest.raises(ConfigError, match=fragment):
        load_field(path)


def _drops(tmp_path: Path, features: Any, name: str = "d.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


def _drop(coordinates: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": coordinates},
            "properties": {"id": "D1", "payload": "1 kg"}}  # fmt: skip


@pytest.mark.parametrize(
    ("features", "fragment"),
    [
        ([_drop([])], r"features\[0\].geometry.coordinates: a Point needs \[lon, lat\]"),
        (["text"], r"features\[0\]: not a GeoJSON Feature object"),
        ({"a": 1}, "features: must be a list"),
        ([_drop([True, 53.0])], "lon: true/false is not a number"),
    ],
)
def test_bad_delivery_geojson(tmp_path: Path, features: Any, fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        load_deliveries(_drops(tmp_path, features))


def test_delivery_lat_true_in_toml(tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    path.write_text(
        'name = "x"\n[[bases]]\nname = "b"\nlon = 27.0\nlat = true\n'
        '[[drops]]\nid = "D1"\nlon = 27.0\nlat = 53.0\npayload = "1 kg"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"bases\[0\]: lat: true/false is not a number"):
        load_deliveries(path)


def test_obstacle_point_out_of_range() -> None:
    pylon = {"type": "Feature", "properties": {"kind": "obstacle", "radius": "6 m"},
             "geometry": {"type": "Point", "coordinates": [-9.2e18, 53.0]}}  # fmt: skip
    with pytest.raises(ConfigError, match="is not WGS84 lon/lat"):
        parse_field_geojson(_collection(pylon), "f.geojson")


def test_obstacle_covering_the_whole_field() -> None:
    cover = copy.deepcopy(FIELD)
    cover["properties"] = {"kind": "obstacle"}
    with pytest.raises(ConfigError, match="holes and obstacles cover the whole field"):
        parse_field_geojson(_collection(cover), "f.geojson")
