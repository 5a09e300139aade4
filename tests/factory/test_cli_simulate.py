"""`droneworks factory simulate`: JSON summary, outputs, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from droneworks.cli.main import main

PLANTS = Path(__file__).resolve().parents[2] / "examples" / "plants"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_simulate_json_and_outputs(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    plant = str(PLANTS / "minsk-2k.toml")
    code, out, _ = _run(capsys, "factory", "simulate", plant, "--years", "0.1", "--seed", "3",
                        "--out", str(tmp_path), "--event-log", "--json")  # fmt: skip
    assert code == 0
    data = json.loads(out)
    for key in ("units", "units_by_product", "throughput_per_year", "wip_mean",
                "lead_time_mean_min", "work_centres", "wall_s", "compile_s"):  # fmt: skip
        assert key in data
    assert data["units"] == sum(data["units_by_product"].values()) > 0
    assert data["seed"] == 3
    for name in ("kpis.csv", "output_by_period.csv", "work_centres.csv", "events.parquet"):
        assert (tmp_path / name).stat().st_size > 0


def test_simulate_table_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "factory", "simulate", str(PLANTS / "reference-line.toml"),
                        "--years", "0.01")  # fmt: skip
    assert code == 0
    assert "Work centres" in out and "units" in out


def test_simulate_bad_file_is_one_error_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[plant]\nname = "x"\nhorizon = "2,5 min"\n')
    code, _, err = _run(capsys, "factory", "simulate", str(bad))
    assert code == 1
    assert "Traceback" not in err and "Error" in err
