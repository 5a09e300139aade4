"""`droneworks mission survey|spray` on the shipped example fields."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Run

FIELDS = Path(__file__).resolve().parents[2] / "examples" / "fields"


def test_spray_json_has_the_promised_keys(run: Run) -> None:
    outcome = run(
        "mission", "spray", str(FIELDS / "concave_pond.geojson"), "--rate", "15L/ha", "--json"
    )
    assert outcome.code == 0, outcome.err
    data = json.loads(outcome.out)
    for key in (
        "area_ha",
        "covered_ratio",
        "path_m",
        "turns",
        "sorties",
        "flight_time_min",
        "volume_l",
    ):
        assert key in data
    assert data["covered_ratio"] >= 0.99
    assert data["sorties"] == len(data["sortie_list"])


def test_spray_with_ndvi_wind_drones_writes_files(run: Run, tmp_path: Path) -> None:
    outcome = run(
        "mission", "spray", str(FIELDS / "field_20ha.geojson"), "--rate", "15 L/ha",
        "--ndvi", str(FIELDS / "field_20ha_multispectral.tif"), "--wind", "4m/s@270",
        "--drones", "2", "--out", str(tmp_path), "--json",
    )  # fmt: skip
    assert outcome.code == 0, outcome.err
    data = json.loads(outcome.out)
    assert {row["drone"] for row in data["sortie_list"]} == {1, 2}
    suffixes = {Path(name).suffix for name in data["files"]}
    assert suffixes == {".plan", ".waypoints", ".geojson", ".kml", ".png", ".tif"}
    assert all(Path(name).exists() for name in data["files"])


def test_survey_table_and_json(run: Run) -> None:
    outcome = run(
        "mission", "survey", str(FIELDS / "v_field.kml"), "--gsd", "2cm", "--overlap", "80/70"
    )
    assert outcome.code == 0, outcome.err
    assert "photos" in outcome.out and "Battery sorties" in outcome.out
    outcome = run(
        "mission", "survey", str(FIELDS / "convex.geojson"), "--altitude", "80 m", "--json"
    )
    data = json.loads(outcome.out)
    assert data["altitude_m"] == 80.0 and data["batteries"] >= 1


def test_bad_input_is_one_clear_error(run: Run) -> None:
    field = str(FIELDS / "convex.geojson")
    cases = [
        (("mission", "spray", field, "--rate", "15"), "no unit"),
        (("mission", "spray", field, "--wind", "5m/s"), "not a wind"),
        (("mission", "spray", field, "--objective", "fast"), "unknown objective"),
        (("mission", "survey", field), "exactly one of --gsd and --altitude"),
        (("mission", "spray", field, "--drone", "nope"), "unknown drone type"),
        (("mission", "spray", field, "--base", "north"), "not LON,LAT"),
    ]
    for args, message in cases:
        outcome = run(*args)
        assert outcome.code == 1
        assert message in outcome.err and "Traceback" not in outcome.err


def test_base_option_moves_the_base(run: Run) -> None:
    field = str(FIELDS / "field_100ha.geojson")
    corner = json.loads(run("mission", "spray", field, "--json").out)
    middle = json.loads(run("mission", "spray", field, "--base", "27.8591,54.0538", "--json").out)
    assert middle["transit_to_base_m"] < 0.8 * corner["transit_to_base_m"]
