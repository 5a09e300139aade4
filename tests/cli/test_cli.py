from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from droneworks import __version__
from tests.cli.conftest import Run


def test_version(run: Run) -> None:
    outcome = run("--version")
    assert outcome.code == 0
    assert outcome.out.strip() == f"droneworks {__version__}"


def test_catalogue_list_json_is_one_object(run: Run) -> None:
    outcome = run("catalogue", "list", "--json")
    assert outcome.code == 0
    data = json.loads(outcome.out)
    assert data["drones"]["agras-t40-class"]["tank"] == "40 L"


def test_catalogue_list_table(run: Run) -> None:
    outcome = run("catalogue", "list")
    assert outcome.code == 0
    assert "Drone catalogue" in outcome.out


def test_catalogue_show(run: Run) -> None:
    outcome = run("catalogue", "show", "mavic-3m-class", "--json")
    assert outcome.code == 0
    assert json.loads(outcome.out)["camera"]["image_width_px"] == 2592


def test_error_is_one_line_exit_1_no_traceback(run: Run) -> None:
    outcome = run("catalogue", "show", "nope")
    assert outcome.code == 1
    assert outcome.err.startswith("ConfigError: unknown drone type 'nope'")
    assert "Traceback" not in outcome.err
    assert outcome.out == ""


def test_bad_user_file_exit_1(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("drones = 3")
    outcome = run("catalogue", "list", "--file", str(bad))
    assert outcome.code == 1
    assert outcome.err.startswith(f"ConfigError: {bad}: drones:")


def test_debug_shows_the_traceback(run: Run) -> None:
    from droneworks.core.errors import ConfigError

    with pytest.raises(ConfigError):
        run("--debug", "catalogue", "show", "nope")


@pytest.mark.parametrize(
    "args", [("catalogue", "nonsense"), ("catalogue", "list", "--bogus"), ("--bogus",)]
)
def test_usage_errors_are_one_line_exit_1(run: Run, args: tuple[str, ...]) -> None:
    outcome = run(*args)
    assert outcome.code == 1 and outcome.err.startswith("UsageError: droneworks")
    assert outcome.err.count("\n") == 1


def test_demo_writes_report_and_data(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "demo"
    outcome = run("demo", "--out", str(out), "--json")
    assert outcome.code == 0, outcome.err
    data = json.loads(outcome.out)
    assert "Drone catalogue" in data["answers"]
    assert (out / "report.html").read_text().startswith("<!DOCTYPE html>")
    assert json.loads((out / "summary.json").read_text())
    assert (out / "catalogue.csv").read_text().startswith("id,role")


def test_console_script_runs_as_a_process() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "droneworks", "catalogue", "show", "nope"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("ConfigError:")
    assert "Traceback" not in result.stderr
