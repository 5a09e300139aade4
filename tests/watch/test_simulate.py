"""Monte Carlo over incursions on the shipped example wall (short horizon)."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pytest

from droneworks.core.progress import RecordingProgress
from droneworks.watch.simulate import simulate

EXAMPLE_WALL = Path(__file__).resolve().parents[2] / "examples" / "walls" / "belarus-poland.toml"


@pytest.fixture(scope="module")
def short_wall():  # type: ignore[no-untyped-def]
    from droneworks.watch.wall import load_wall

    return dataclasses.replace(load_wall(EXAMPLE_WALL), horizon_s=1800.0)


@pytest.mark.slow
def test_monte_carlo_summary_has_intervals(short_wall) -> None:  # type: ignore[no-untyped-def]
    progress = RecordingProgress()
    result = simulate(short_wall, runs=2, progress=progress)
    assert progress.updates == [1, 2]
    share = result.overall["detected_share"]
    assert 0.0 <= share.mean <= 1.0 and share.n == 2
    assert set(result.by_threat) == {t.id for t in short_wall.threats}
    rate = result.overall["false_alerts_per_100km_h"]
    assert rate.mean >= 0 and (math.isnan(rate.low) or rate.low <= rate.mean <= rate.high)
    # the example's radar layout sees every drone: each incursion is alerted on
    assert share.mean > 0.8
    # runs are reproducible and independent of where they run (here: two processes)
    from droneworks.core.executor import LocalExecutor

    with LocalExecutor(2) as executor:
        parallel = simulate(short_wall, runs=2, executor=executor)
    assert np.array_equal(result.first_run.log.xy_m, parallel.first_run.log.xy_m)
    for a, b in zip(result.per_run, parallel.per_run, strict=True):
        assert np.array_equal(list(a.values()), list(b.values()), equal_nan=True)


def test_runs_must_be_positive(short_wall) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="runs"):
        simulate(short_wall, runs=0)


# --- CLI and demo ----------------------------------------------------------------------


def _short_wall_file(tmp_path: Path) -> Path:
    text = EXAMPLE_WALL.read_text(encoding="utf-8").replace('horizon = "2 h"', 'horizon = "30 min"')
    assert 'horizon = "30 min"' in text
    path = tmp_path / "short.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _cli(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from droneworks.cli.main import main

    try:
        main(list(args))
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.slow
def test_cli_simulate_json_and_map(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wall_file = _short_wall_file(tmp_path)
    code, out, _ = _cli("watch", "simulate", str(wall_file), "--runs", "1",
                        "--out", str(tmp_path / "out"), "--json", capsys=capsys)  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["runs"] == 1
    assert len(data["first_run"]["incursions"]) == data["incursions_per_run"] == 6
    assert set(data["by_threat"]) == {"multirotor-100m", "multirotor-autonomous-50m",
                                      "fixed-wing-300m"}  # fmt: skip
    assert Path(data["map"]).read_bytes()[:4] == b"\x89PNG"


def test_cli_simulate_rejects_zero_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _cli("watch", "simulate", str(EXAMPLE_WALL), "--runs", "0", capsys=capsys)
    assert code == 1
    assert "ConfigError" in err and "--runs" in err


def test_demo_answer_states_the_few_runs(short_wall) -> None:  # type: ignore[no-untyped-def]
    from droneworks.watch.demo_incursions import incursion_answer

    result = simulate(short_wall, runs=1)
    lines = incursion_answer(result, short_wall)
    assert "1 simulated runs" in lines[0] or "no incursion" in lines[0]
    assert any("Few runs" in line for line in lines)
