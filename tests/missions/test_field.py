"""Field files: GeoJSON and KML, holes, obstacles, base, and clear errors for bad files."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import Polygon

from droneworks.core.errors import ConfigError
from droneworks.missions.field import Field, field_from_lonlat, load_field, parse_field_geojson

SQUARE = [[27.5, 53.9], [27.503, 53.9], [27.503, 53.902], [27.5, 53.902], [27.5, 53.9]]


def _write(tmp_path: Path, data: object, name: str = "f.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_example_fields_load_with_their_parts(concave_field: Field, field_20ha: Field) -> None:
    assert len(concave_field.boundary.interiors) == 1  # the pond
    assert len(concave_field.obstacles) == 1  # the pylon
    assert concave_field.projection.crs == "EPSG:32635"
    assert 20e4 < field_20ha.area_m2 < 23e4
    # the pylon (6 m radius) is removed from the sprayable area with its clearance
    pylon = concave_field.obstacles[0]
    assert pylon.area == pytest.approx(3.14159 * 36, rel=0.1)
    assert concave_field.sprayable(2.0).area < concave_field.area_m2 - pylon.area


def test_all_shipped_fields_load(fields_dir: Path) -> None:
    paths = sorted(fields_dir.glob("*.geojson")) + sorted(fields_dir.glob("*.kml"))
    assert len(paths) >= 5
    for path in paths:
        field = load_field(path)
        assert field.area_m2 > 1e4, path


def test_kml_field_loads(fields_dir: Path) -> None:
    field = load_field(fields_dir / "v_field.kml")
    assert field.name == "V-shaped field (synthetic)"
    assert field.area_m2 == pytest.approx(260 * 200 - 260 * 80 / 2, rel=0.01)


def test_bare_polygon_is_a_field() -> None:
    field = parse_field_geojson({"type": "Polygon", "coordinates": [SQUARE]}, "x")
    assert field.area_m2 == pytest.approx(200 * 222, rel=0.02)
    assert field.boundary.exterior.distance(shapely.Point(field.base_xy)) < 1e-6


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"type": "LineString", "coordinates": SQUARE}, "not a polygon"),
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [[27.5, 53.9], [27.503, 53.902], [27.503, 53.9], [27.5, 53.902], [27.5, 53.9]]
                ],
            },
            "Self-intersection",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [[500000, 6000000], [500300, 6000000], [500300, 6000300], [500000, 6000000]]
                ],
            },
            "not WGS84",
        ),
        (
            {
                "type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": "EPSG:32635"}},
                "features": [],
            },
            "unknown CRS",
        ),
        ({"type": "FeatureCollection", "features": []}, "no field polygon"),
        ({"foo": 1}, "not a GeoJSON"),
        (
            {
                "type": "Feature",
                "properties": {"kind": "lake"},
                "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
            },
            "unknown kind",
        ),
        ({"type": "Polygon", "coordinates": "nonsense"}, "not a valid GeoJSON geometry"),
    ],
)
def test_bad_geojson_is_a_clear_config_error(tmp_path: Path, data: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_field(_write(tmp_path, data))


def test_point_obstacle_needs_radius(tmp_path: Path) -> None:
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
            },
            {
                "type": "Feature",
                "properties": {"kind": "obstacle"},
                "geometry": {"type": "Point", "coordinates": [27.501, 53.901]},
            },
        ],
    }
    with pytest.raises(ConfigError, match="radius"):
        load_field(_write(tmp_path, data))


def test_invalid_obstacle_polygon(tmp_path: Path) -> None:
    bowtie = [
        [27.5005, 53.9005],
        [27.501, 53.901],
        [27.501, 53.9005],
        [27.5005, 53.901],
        [27.5005, 53.9005],
    ]
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
            },
            {
                "type": "Feature",
                "properties": {"kind": "obstacle"},
                "geometry": {"type": "Polygon", "coordinates": [bowtie]},
            },
        ],
    }
    with pytest.raises(
        ConfigError, match=r"features\[1\].geometry: the obstacle polygon is invalid"
    ):
        load_field(_write(tmp_path, data))


def test_bad_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_field(tmp_path / "missing.geojson")
    with pytest.raises(ConfigError, match="unknown field file type"):
        load_field(_write(tmp_path, {}, "f.shp"))
    bad_kml = tmp_path / "f.kml"
    bad_kml.write_text("<kml><Placemark>", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid KML"):
        load_field(bad_kml)


@settings(max_examples=30, deadline=None)
@given(
    lon=st.floats(23.0, 32.0),
    lat=st.floats(51.0, 56.0),
    width_m=st.floats(50.0, 2000.0),
    height_m=st.floats(50.0, 2000.0),
)
def test_projected_area_matches_the_geodesic_area(
    lon: float, lat: float, width_m: float, height_m: float
) -> None:
    # a lon/lat rectangle anywhere in Belarus: the local (UTM) area is within 0.3 % of the
    # ellipsoidal area (UTM scale error < 0.1 % within a zone, squared for areas)
    dlon = width_m / (111_320 * math.cos(math.radians(lat)))
    dlat = height_m / 111_000
    ring = [(lon, lat), (lon + dlon, lat), (lon + dlon, lat + dlat), (lon, lat + dlat)]
    field = field_from_lonlat("r", ring)
    geodesic_m2, _ = Geod(ellps="WGS84").polygon_area_perimeter(*zip(*ring, strict=True))
    assert field.area_m2 == pytest.approx(abs(geodesic_m2), rel=3e-3)
    back = field.to_wgs84(field.boundary)
    assert back.hausdorff_distance(Polygon(ring)) < 1e-8  # degrees: ~1 mm


def test_kml_with_hole_obstacle_and_base(tmp_path: Path) -> None:
    ring = " ".join(f"{x},{y},0" for x, y in SQUARE)
    hole = " ".join(
        f"{x},{y}"
        for x, y in [
            (27.501, 53.9005),
            (27.502, 53.9005),
            (27.502, 53.9012),
            (27.501, 53.9012),
            (27.501, 53.9005),
        ]
    )
    text = f"""<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Placemark><name>field</name><Polygon>
<outerBoundaryIs><LinearRing><coordinates>{ring}</coordinates></LinearRing></outerBoundaryIs>
<innerBoundaryIs><LinearRing><coordinates>{hole}</coordinates></LinearRing></innerBoundaryIs>
</Polygon></Placemark>
<Placemark><name>pylon</name><ExtendedData><Data name="kind"><value>obstacle</value></Data>
<Data name="radius"><value>5 m</value></Data></ExtendedData>
<Point><coordinates>27.5025,53.9015,0</coordinates></Point></Placemark>
<Placemark><name>base</name><Point><coordinates>27.4995,53.8995,0</coordinates></Point></Placemark>
</Document></kml>"""
    path = tmp_path / "f.kml"
    path.write_text(text, encoding="utf-8")
    field = load_field(path)
    assert len(field.boundary.interiors) == 1
    assert len(field.obstacles) == 1
    assert field.obstacles[0].area == pytest.approx(math.pi * 25, rel=0.1)
    assert not field.boundary.covers(shapely.Point(field.base_xy))  # the base is by the field
