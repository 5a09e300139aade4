"""GIS layers of `watch coverage|place|simulate --out`: GeoJSON and KML in lon, lat order."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from shapely.geometry import Point, shape

from .test_bad_input import cli, wall_file

KML = "{http://www.opengis.net/kml/2.2}"
# the test line runs north from 23.0° E, 52.0° N: longitude ≈ 23, latitude ≈ 52
LON, LAT = (22.8, 23.2), (51.9, 52.2)


def load_layers(path: Path) -> dict[str, list[dict]]:  # type: ignore[type-arg]
    data = json.loads(path.read_text(encoding="utf-8"))
    by_layer: dict[str, list[dict]] = {}  # type: ignore[type-arg]
    for feature in data["features"]:
        geometry = shape(feature["geometry"])
        assert geometry.is_valid
        min_x, min_y, max_x, max_y = geometry.bounds
        assert LON[0] < min_x <= max_x < LON[1] and LAT[0] < min_y <= max_y < LAT[1]
        by_layer.setdefault(feature["properties"]["layer"], []).append(feature)
    return by_layer


def kml_points(path: Path) -> list[tuple[float, float]]:
    root = ET.parse(path).getroot()
    points = []
    for element in root.iter(f"{KML}coordinates"):
        for token in (element.text or "").split():
            lon, lat = (float(v) for v in token.split(",")[:2])
            points.append((lon, lat))
    return points


def test_coverage_layers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = wall_file(tmp_path)
    code, _ = cli(capsys, "watch", "coverage", path, "--out", tmp_path / "out")
    assert code == 0
    layers = load_layers(tmp_path / "out/coverage.geojson")
    assert set(layers) == {"border", "sensor", "footprint", "gap"}
    (border,) = layers["border"]
    assert border["properties"]["map_length_km"] == pytest.approx(10.0, rel=0.01)
    sensors = {f["properties"]["id"]: f for f in layers["sensor"]}
    assert len(sensors) == 10 and all(
        f["properties"]["kind"] == "acoustic" for f in sensors.values()
    )
    for footprint in layers["footprint"]:
        props = footprint["properties"]
        sensor = shape(sensors[props["sensor"]]["geometry"])
        assert shape(footprint["geometry"]).contains(sensor) and props["threat"] == "mr"
    # acoustic nodes every 1 km with a 300 m half range leave gaps between them
    gaps = layers["gap"]
    assert gaps and all(0 < g["properties"]["length_km"] < 1 for g in gaps)
    first = gaps[0]["properties"]
    start = Point(first["start_lon"], first["start_lat"])
    assert shape(gaps[0]["geometry"]).distance(start) < 1e-6
    points = kml_points(tmp_path / "out/coverage.kml")
    assert points and all(LON[0] < x < LON[1] and LAT[0] < y < LAT[1] for x, y in points)


def test_coverage_json_names_the_layers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = wall_file(tmp_path)
    code, out = cli(capsys, "watch", "coverage", path, "--out", tmp_path / "o", "--json")
    data = json.loads(out)
    assert code == 0
    assert [Path(p).name for p in data["layers"]] == ["coverage.geojson", "coverage.kml"]


def test_place_layers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = wall_file(tmp_path)
    code, _ = cli(capsys, "watch", "place", path, "--target", "0.9", "--out", tmp_path / "out")
    assert code == 0
    layers = load_layers(tmp_path / "out/placement.geojson")
    placed = list(csv.DictReader((tmp_path / "out/placement.csv").open(encoding="utf-8")))
    assert len(layers["sensor"]) == len(placed) > 0
    assert {f["properties"]["id"] for f in layers["sensor"]} == {row["id"] for row in placed}


def test_simulate_layers_and_logs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = wall_file(
        tmp_path,
        ('every = "1 km"', 'every = "300 m"'),
        ('altitude = "50 m"', 'altitude = "50 m"\ncount = 3'),
    )
    code, err = cli(capsys, "watch", "simulate", path, "--out", tmp_path / "out")
    assert code == 0, err
    layers = load_layers(tmp_path / "out/simulate.geojson")
    tracks = list(csv.DictReader((tmp_path / "out/tracks.csv").open(encoding="utf-8")))
    alerts = list(csv.DictReader((tmp_path / "out/alerts.csv").open(encoding="utf-8")))
    assert tracks and alerts
    assert {int(row["track_id"]) for row in tracks} >= {f["properties"]["track_id"]
                                                        for f in layers["track"]}  # fmt: skip
    assert len(layers["alert"]) == len(alerts)
    for row in tracks[:50] + alerts:
        assert LON[0] < float(row["lon"]) < LON[1] and LAT[0] < float(row["lat"]) < LAT[1]
    assert all(row["false_alert"] in {"True", "False"} for row in alerts)
    import pyarrow.parquet as pq

    table = pq.read_table(tmp_path / "out/tracks.parquet")
    assert table.num_rows == len(tracks) and table.column_names == list(tracks[0])
    assert table.column("lon").to_pylist()[:3] == [float(row["lon"]) for row in tracks[:3]]
    assert pq.read_table(tmp_path / "out/alerts.parquet").num_rows == len(alerts)


def test_reports_say_what_per_km_figures_are_per(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = wall_file(tmp_path)
    geometry = json.loads((tmp_path / "line.geojson").read_text(encoding="utf-8"))
    props = {"official_length_km": 12.5, "official_length_source": "survey of 2024"}
    line = {"type": "Feature", "properties": props, "geometry": geometry}
    (tmp_path / "line.geojson").write_text(json.dumps(line), encoding="utf-8")
    code, out = cli(capsys, "watch", "coverage", path, "--out", tmp_path / "o", "--json")
    per_km = json.loads(out)["per_km"]
    assert code == 0 and per_km["official_length_km"] == 12.5
    (border,) = load_layers(tmp_path / "o/coverage.geojson")["border"]
    assert border["properties"]["official_length_source"] == "survey of 2024"
    assert per_km["sensors_per_map_km"] == pytest.approx(10 / per_km["map_length_km"])
    assert per_km["sensors_per_official_km"] == pytest.approx(10 / 12.5)
    assert per_km["cost_eur_per_official_km"] == pytest.approx(10 * 500 / 12.5)
    code, out = cli(capsys, "watch", "coverage", path)  # the table only: no --out, no files
    text = " ".join(out.split())
    assert "per km of the map line (10.0 km)" in text and "per official km (12.5 km)" in text


def test_footprints_follow_the_altitudes_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = wall_file(tmp_path)
    code, _ = cli(capsys, "watch", "coverage", path, "--altitude", "30 m", "--altitude", "80 m",
                  "--out", tmp_path / "out")  # fmt: skip
    layers = load_layers(tmp_path / "out/coverage.geojson")
    assert code == 0
    assert {f["properties"]["altitude_m"] for f in layers["footprint"]} == {30.0, 80.0}
