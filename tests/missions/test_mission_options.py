"""Bad numbers and bad positions on `mission survey|spray|deliver`: one line, exit 1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import Polygon

from droneworks.core.errors import ConfigError
from droneworks.missions.field import load_field, parse_field_geojson
from droneworks.missions.limits import LEGAL_MAX_HEIGHT_M
from tests.cli.conftest import Run

FIELDS = Path(__file__).resolve().parents[2] / "examples" / "fields"
DELIVERIES = Path(__file__).resolve().parents[2] / "examples" / "deliveries"
POND = str(FIELDS / "concave_pond.geojson")
NDVI = str(FIELDS / "field_20ha_multispectral.tif")

BAD_OPTIONS = [
    (("spray", POND, "--rate", "0L/ha"), "--rate must be positive"),
    (("spray", POND, "--rate", "-5L/ha"), "--rate must be positive"),
    (("spray", POND, "--rate", "nan L/ha"), "--rate"),
    (("spray", POND, "--rate", "5000 L/ha"), "above 500 L/ha"),
    (("spray", POND, "--drones", "0"), "--drones must be between 1"),
    (("spray", POND, "--headlands", "-1"), "--headlands must be between 0"),
    (("spray", POND, "--heading", "nan"), "--heading must be a number"),
    (("spray", POND, "--wind", "-5m/s@270"), "--wind: wind speed must not be negative"),
    (("spray", POND, "--wind-limit", "0"), "--wind-limit must be positive"),
    (("spray", POND, "--zone-rates", "10,20,30"), "--zone-rates needs --ndvi"),
    (("spray", POND, "--ndvi", NDVI, "--zones", "0"), "--zones must be between 1"),
    (("spray", POND, "--ndvi", NDVI, "--zone-rates", "0,0,0"), "at least one zone"),
    (("spray", POND, "--ndvi", NDVI, "--bands", "0,1"), "band numbers start at 1"),
    (("survey", POND, "--gsd", "0cm"), "--gsd must be positive"),
    (("survey", POND, "--gsd", "0.1mm"), "below the 10 m minimum"),
    (("survey", POND, "--altitude", "-10m"), "--altitude must be positive"),
    (("survey", POND, "--altitude", "300m"), "above the legal limit of 120 m"),
    (("survey", POND, "--altitude", "5m"), "below the 10 m minimum"),
    (("survey", POND, "--altitude", "60m", "--heading", "inf"), "--heading"),
    (("spray", POND, "--rally-altitude", "0m"), "--rally-altitude must be positive"),
    (("spray", POND, "--rally-altitude", "-5m"), "--rally-altitude must be positive"),
    (("spray", POND, "--rally-altitude", "nan m"), "--rally-altitude"),
    (("spray", POND, "--rally-altitude", "high"), "--rally-altitude:"),
    (
        ("spray", POND, "--rally-altitude", "5m"),
        "--rally-altitude: a flight height of 5 m is below",
    ),
    (("spray", POND, "--rally-altitude", "300m"), "--rally-altitude: 300 m is above the legal"),
    (("survey", POND, "--gsd", "2cm", "--rally-altitude", "300m"), "give --above-legal-height"),
]


@pytest.mark.parametrize(
    ("args", "message"), BAD_OPTIONS, ids=[" ".join(a[2:]) for a, _ in BAD_OPTIONS]
)
def test_bad_option_is_one_line_exit_1(run: Run, args: tuple[str, ...], message: str) -> None:
    outcome = run("mission", *args)
    assert outcome.code == 1, outcome.out
    assert message in outcome.err
    assert "Traceback" not in outcome.err
    assert len(outcome.err.strip().splitlines()) == 1


def test_spray_has_no_legal_height_flag_so_the_rally_message_offers_none(run: Run) -> None:
    outcome = run("mission", "spray", POND, "--rally-altitude", "300m")
    assert outcome.code == 1 and "--above-legal-height" not in outcome.err


def test_altitude_above_the_legal_limit_with_the_flag(run: Run) -> None:
    height = f"{LEGAL_MAX_HEIGHT_M + 30:g}m"
    outcome = run("mission", "survey", POND, "--altitude", height, "--above-legal-height", "--json")
    assert outcome.code == 0, outcome.err
    assert json.loads(outcome.out)["altitude_m"] == LEGAL_MAX_HEIGHT_M + 30


def test_wind_above_the_spraying_limit_warns(run: Run) -> None:
    outcome = run("mission", "spray", POND, "--wind", "6m/s@270", "--json")
    assert outcome.code == 0, outcome.err
    data = json.loads(outcome.out)
    assert len(data["warnings"]) == 1 and "above the spraying" in data["warnings"][0]
    assert "warning" in outcome.err
    calm = json.loads(run("mission", "spray", POND, "--wind", "3m/s@270", "--json").out)
    assert calm["warnings"] == []
    raised = run("mission", "spray", POND, "--wind", "6m/s@270", "--wind-limit", "8", "--json")
    assert json.loads(raised.out)["warnings"] == []


def test_more_drones_than_swath_lines_warns(run: Run) -> None:
    convex = str(FIELDS / "convex.geojson")
    outcome = run("mission", "spray", convex, "--drones", "50", "--json")
    assert outcome.code == 0, outcome.err
    data = json.loads(outcome.out)
    busy = len({sortie["drone"] for sortie in data["sortie_list"]})
    assert busy < 50
    assert data["warnings"] == [
        f"{50 - busy} of 50 drones have no work on {data['field']} (too few swaths)"
    ]


def _pond_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(Path(POND).read_text())
    return data


def _pond_hole_centre() -> tuple[float, float]:
    field_feature = _pond_data()["features"][0]
    hole = Polygon(field_feature["geometry"]["coordinates"][1])
    point = hole.representative_point()
    return point.x, point.y


def test_base_inside_a_hole_is_refused(run: Run) -> None:
    lon, lat = _pond_hole_centre()
    outcome = run("mission", "spray", POND, "--base", f"{lon},{lat}")
    assert outcome.code == 1 and "inside a hole or an obstacle" in outcome.err
    data = _pond_data()
    data["features"][2]["geometry"]["coordinates"] = [lon, lat]
    with pytest.raises(ConfigError, match=r"base: .* inside a hole"):
        parse_field_geojson(data, "pond.geojson")


def test_base_far_away_or_swapped_is_named(run: Run) -> None:
    field = load_field(POND)
    lon, lat = (float(v) for v in field.projection.to_wgs84(*field.base_xy))
    swapped = run("mission", "spray", POND, "--base", f"{lat},{lon}")
    assert swapped.code == 1 and "looks like LAT,LON swapped" in swapped.err
    far = run("mission", "spray", POND, "--base", f"{lon + 0.5},{lat}")
    assert far.code == 1 and "km from the field" in far.err


def test_swapped_field_coordinates_are_named() -> None:
    data = _pond_data()
    for feature in data["features"]:
        geometry = feature["geometry"]
        if geometry["type"] == "Polygon":
            geometry["coordinates"] = [
                [[lat, lon] for lon, lat in ring] for ring in geometry["coordinates"]
            ]
    # a field in the Americas: swapped, its "latitude" is above 90°
    for feature in data["features"]:
        geometry = feature["geometry"]
        if geometry["type"] == "Polygon":
            geometry["coordinates"] = [
                [[lat, lon - 130.0] for lat, lon in ring] for ring in geometry["coordinates"]
            ]
    with pytest.raises(ConfigError, match=r"look like lat, lon \(swapped\)"):
        parse_field_geojson(data, "swapped.geojson")


def test_one_far_vertex_is_not_a_field() -> None:
    data = _pond_data()
    ring = data["features"][0]["geometry"]["coordinates"][0]
    ring[2] = [ring[2][0] + 1.0, ring[2][1]]  # ~65 km east
    with pytest.raises(ConfigError, match="not a field"):
        parse_field_geojson(data, "far.geojson")


def test_obstacle_covering_the_whole_field(run: Run, tmp_path: Path) -> None:
    data = _pond_data()
    outer = Polygon(data["features"][0]["geometry"]["coordinates"][0]).buffer(0.001)
    data["features"][1] = {
        "type": "Feature",
        "properties": {"kind": "obstacle"},
        "geometry": {"type": "Polygon", "coordinates": [list(outer.exterior.coords)]},
    }
    path = tmp_path / "covered.geojson"
    path.write_text(json.dumps(data))
    outcome = run("mission", "spray", str(path))
    assert outcome.code == 1 and "obstacle 1 covers all of it" in outcome.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--drone", "manna-class-cargo", "--drones", "0"), "--drones must be between 1"),
        (("--iterations", "0"), "--iterations must be between 1"),
        (("--runtime", "-1"), "--runtime must be a positive number"),
        (("--runtime", "nan"), "--runtime must be a positive number"),
        (("--runtime", "1e308"), "--runtime must be at most 3600 s, not 1e+308 s"),
        (("--runtime", "3601"), "--runtime must be at most 3600 s"),
        (("--wind", "-3m/s@90"), "--wind: wind speed must not be negative"),
        (("--rally-altitude", "0m"), "--rally-altitude must be positive"),
        (("--rally-altitude", "500m"), "--rally-altitude: 500 m is above the legal limit"),
    ],
)
def test_deliver_bad_options(run: Run, args: tuple[str, ...], message: str) -> None:
    outcome = run("mission", "deliver", str(DELIVERIES / "minsk_12.geojson"), *args)
    assert outcome.code == 1, outcome.out
    assert message in outcome.err and "Traceback" not in outcome.err


def test_deliver_cruise_altitude_above_the_legal_limit(run: Run, tmp_path: Path) -> None:
    text = (DELIVERIES / "minsk_30.toml").read_text()
    path = tmp_path / "high.toml"
    path.write_text(text.replace('cruise_altitude = "60 m"', 'cruise_altitude = "150 m"'))
    outcome = run("mission", "deliver", str(path))
    assert outcome.code == 1 and "cruise_altitude: 150 m is above the legal limit" in outcome.err
