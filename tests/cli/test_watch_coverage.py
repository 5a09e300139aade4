"""`droneworks watch coverage|place` on the shipped example and a tiny wall."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import Run

EXAMPLE = str(Path(__file__).parents[2] / "examples/walls/belarus-poland.toml")

TINY = """
name = "tiny"
[border]
geojson = "line.geojson"
[[sensors]]
type = "acoustic"
every = "1 km"
[[threats]]
id = "mr"
drone = "small-multirotor"
altitude = "50 m"
[placement]
types = ["acoustic", "rf"]
spacing = "500 m"
offsets = ["0 m"]
"""


def tiny_wall(tmp_path: Path) -> str:
    line = {"type": "LineString", "coordinates": [[23.0, 52.0], [23.0, 52.09]]}
    (tmp_path / "line.geojson").write_text(json.dumps(line), encoding="utf-8")
    path = tmp_path / "tiny.toml"
    path.write_text(TINY, encoding="utf-8")
    return str(path)


def test_coverage_json_on_the_example(run: Run, tmp_path: Path) -> None:
    outcome = run("watch", "coverage", EXAMPLE, "--json", "--out", str(tmp_path))
    assert outcome.code == 0, outcome.err
    data = json.loads(outcome.out)
    assert data["official_length_km"] == 418.0
    assert {p["threat"] for p in data["profiles"]} == {
        "multirotor-100m", "multirotor-autonomous-50m", "fixed-wing-300m"
    }  # fmt: skip
    assert all(0.0 <= p["share"] <= 1.0 for p in data["profiles"])
    assert (tmp_path / "coverage.png").read_bytes()[:4] == b"\x89PNG"


def test_coverage_table_k2_and_altitude_with_gaps(run: Run, tmp_path: Path) -> None:
    wall = tiny_wall(tmp_path)
    outcome = run("watch", "coverage", wall, "--k", "2", "--altitude", "100m", "--out",
                  str(tmp_path))  # fmt: skip
    assert outcome.code == 0, outcome.err
    assert "Longest gaps" in outcome.out and "Map:" in outcome.out
    again = run("watch", "coverage", wall, "--k", "2", "--json", "--out", str(tmp_path))
    assert (
        again.code == 1
        and "already" in again.err
        and "output file" in again.err
        and "--force" in again.err
    )
    data = json.loads(run("watch", "coverage", wall, "--k", "2", "--json").out)
    assert data["profiles"][0]["gap_count"] >= 1 and data["k"] == 2
    assert data["map"] is None  # nothing written without --out


def test_place_greedy_and_milp_reach_the_target(run: Run, tmp_path: Path) -> None:
    wall = tiny_wall(tmp_path)
    for method in ("greedy", "milp"):
        outcome = run("watch", "place", wall, "--target", "0.9", "--method", method, "--json",
                      "--out", str(tmp_path), "--force")  # fmt: skip
        assert outcome.code == 0, outcome.err
        data = json.loads(outcome.out)
        assert data["feasible"] and min(data["shares"].values()) >= 0.9
        assert len(data["sensors"]) == sum(data["counts_by_type"].values())
    assert (tmp_path / "placement.csv").read_text().startswith("id,type,lon,lat")
    table = run("watch", "place", wall, "--budget", "2000", "--out", str(tmp_path), "--force")
    assert table.code == 0 and "Covered share" in table.out


def test_bad_inputs_are_one_line_errors(run: Run, tmp_path: Path) -> None:
    wall = tiny_wall(tmp_path)
    both = run("watch", "place", wall, "--target", "0.9", "--budget", "5")
    assert both.code == 1 and "ConfigError: give --target or --budget" in both.err
    missing = run("watch", "coverage", str(tmp_path / "nope.toml"))
    assert missing.code == 1 and "no such file" in missing.err
    bad_altitude = run("watch", "coverage", wall, "--altitude", "high")
    assert bad_altitude.code == 1 and "ConfigError" in bad_altitude.err


def test_place_targets_the_fused_per_scan_probability(run: Run, tmp_path: Path) -> None:
    wall = tiny_wall(tmp_path)
    outcome = run("watch", "place", wall, "--target", "0.9", "--metric", "fused", "--json")
    assert outcome.code == 0, outcome.err
    data = json.loads(outcome.out)
    assert data["metric"] == "fused" and "fused" in data["covered_means"]
    assert data["feasible"] and min(data["shares"].values()) >= 0.9
    table = run("watch", "place", wall, "--target", "0.9", "--metric", "fused")
    assert table.code == 0 and "one scan of all sensors together" in " ".join(table.out.split())
    typo = run("watch", "place", wall, "--metric", "fussed")
    assert typo.code == 1 and '--metric must be "k" or "fused", not "fussed"' in typo.err
    Path(wall).write_text(TINY + 'metric = "fused"\n', encoding="utf-8")
    from_file = json.loads(run("watch", "place", wall, "--target", "0.9", "--json").out)
    assert from_file["metric"] == "fused"
    Path(wall).write_text(TINY + 'metric = "fuzed"\n', encoding="utf-8")
    bad = run("watch", "place", wall)
    assert bad.code == 1 and "placement.metric" in bad.err and "Traceback" not in bad.err
