"""`droneworks mission deliver`: table, --json, --out files that load back, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from droneworks.cli.main import main
from droneworks.missions.export import read_qgc_plan, read_wpl


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_deliver_json_and_files(
    capsys: pytest.CaptureFixture[str], examples: Path, tmp_path: Path
) -> None:
    drops = examples / "deliveries" / "minsk_30.toml"
    code, out, _ = _run(capsys, "mission", "deliver", str(drops), "--drone",
                        "manna-class-cargo", "--drones", "2", "--runtime", "0.5",
                        "--out", str(tmp_path), "--json")  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["served"] + len(data["infeasible"]) == data["drops"] == 33
    assert data["all_sorties_within_range"] is True
    assert {i["reason"] for i in data["infeasible"]} >= {"too heavy", "out of range"}
    assert len(data["drones"]) <= 2
    plans = sorted(tmp_path.glob("*.plan"))
    assert len(plans) == data["sorties"]
    first = read_qgc_plan(plans[0]).plan
    assert [i.command for i in first.items][:2] == [22, 178] and first.items[-1].command == 21
    assert 211 in [i.command for i in first.items]  # gripper release at each drop
    assert len(read_wpl(plans[0].with_suffix(".waypoints")).items) == len(first.items)
    assert (tmp_path / "deliveries_map.png").read_bytes()[:4] == b"\x89PNG"
    assert json.loads((tmp_path / "deliveries.geojson").read_text())["type"] == "FeatureCollection"
    assert (tmp_path / "deliveries.kml").stat().st_size > 0


def test_deliver_table(capsys: pytest.CaptureFixture[str], examples: Path) -> None:
    drops = examples / "deliveries" / "minsk_30.toml"
    code, out, _ = _run(capsys, "mission", "deliver", str(drops), "--runtime", "0.3")
    assert code == 0
    assert "sorties" in out and "too heavy" in out and "window impossible" in out
    args = ("mission", "deliver", str(drops), "--runtime", "0.3", "--strategy", "sorties")
    code, out, _ = _run(capsys, *args, "--json")
    assert code == 0 and json.loads(out)["all_sorties_within_range"] is True
    code, _, err = _run(capsys, "mission", "deliver", str(drops), "--strategy", "x")
    assert code == 1 and "--strategy" in err
    code, out, _ = _run(capsys, *args[:3], "--wind", "12 m/s@200", "--iterations", "100", "--json")
    data = json.loads(out)
    assert code == 0 and data["wind"] == "12 m/s from 200°" and data["all_sorties_within_range"]
    code, _, err = _run(capsys, *args[:3], "--wind", "fast")
    assert code == 1 and "wind" in err


def test_deliver_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _run(capsys, "mission", "deliver", str(tmp_path / "none.toml"))
    assert code == 1 and "ConfigError" in err
    bad = tmp_path / "d.toml"
    bad.write_text('[[bases]]\nname = "b"\nlon = 27.6\nlat = 53.9\n\n'
                   '[[drops]]\nid = "A"\nlon = 27.61\nlat = 53.9\npayload = "1 kg"\n')  # fmt: skip
    code, _, err = _run(capsys, "mission", "deliver", str(bad))
    assert code == 1 and "--drone" in err
    code, _, err = _run(
        capsys, "mission", "deliver", str(bad), "--drone", "no-such", "--drones", "1"
    )
    assert code == 1 and "unknown drone type" in err


def test_deliver_geojson_example_needs_a_fleet(
    capsys: pytest.CaptureFixture[str], examples: Path
) -> None:
    drops = examples / "deliveries" / "minsk_12.geojson"
    code, _, err = _run(capsys, "mission", "deliver", str(drops))
    assert code == 1 and "--drone" in err
    args = ("mission", "deliver", str(drops), "--drone", "manna-class-cargo", "--drones", "2")
    code, out, _ = _run(capsys, *args, "--iterations", "200", "--json")
    data = json.loads(out)
    again = json.loads(_run(capsys, *args, "--iterations", "200", "--json")[1])
    assert again["sortie_list"] == data["sortie_list"]  # reproducible
    assert code == 0 and data["drops"] == 12 and len(data["drones"]) == 2
    assert data["served"] + len(data["infeasible"]) == 12 and data["all_sorties_within_range"]
