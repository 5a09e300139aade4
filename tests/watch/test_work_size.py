"""Watch work-size guards: runs estimated at over an hour of CPU are refused, and a wall
experiment's points × runs are bounded like `watch simulate --runs` (issue 13)."""

from __future__ import annotations

from pathlib import Path

import pytest

from droneworks.core.errors import ConfigError
from droneworks.watch.limits import (
    CPU_S_PER_DRONE,
    CPU_S_PER_SENSOR_HOUR,
    MAX_RUNS,
    MAX_SIMULATION_CPU_S,
    check_simulation_work,
)
from tests.cli.conftest import Run, run  # noqa: F401  (the CLI fixture)

EXAMPLE = Path(__file__).parents[2] / "examples" / "experiments" / "belarus-poland-acoustic.toml"
WALL = Path(__file__).parents[2] / "examples" / "walls" / "belarus-poland.toml"


def test_cpu_estimate_bounds_runs_drones_and_sensor_hours() -> None:
    per_run = CPU_S_PER_DRONE * 50 + CPU_S_PER_SENSOR_HOUR * 1000 * 2.0
    most = int(MAX_SIMULATION_CPU_S // per_run)
    check_simulation_work("--runs", most, 50, 1000, 2.0)
    with pytest.raises(ConfigError, match=r"--runs: [\d,]+ runs of 50 drones and 1,000 sensors"):
        check_simulation_work("--runs", most + 1, 50, 1000, 2.0)


def test_watch_simulate_refuses_hours_and_names_the_override(run: Run) -> None:  # noqa: F811
    outcome = run("watch", "simulate", str(WALL), "--runs", str(MAX_RUNS), "--json")
    assert outcome.code == 1 and outcome.out == ""
    assert outcome.err.startswith(f"ConfigError: --runs {MAX_RUNS}: {MAX_RUNS:,} runs of 6 drones")
    assert "--no-size-guard" in outcome.err


def test_points_times_runs_past_the_limit_is_refused(run: Run, tmp_path: Path) -> None:  # noqa: F811
    text = EXAMPLE.read_text(encoding="utf-8").replace("../walls/", f"{EXAMPLE.parents[1]}/walls/")
    runs = MAX_RUNS // 4 + 1  # the example's full design has 2 × 2 points
    path = tmp_path / "big.toml"
    path.write_text(text.replace("runs = 3 ", f"runs = {runs} "), encoding="utf-8")
    outcome = run("watch", "experiment", str(path), "--json")
    assert outcome.code == 1 and outcome.out == ""
    assert outcome.err.startswith(
        f"ConfigError: {path}: 4 points × {runs:,} runs makes {4 * runs:,}"
    )
