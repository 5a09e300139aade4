"""`watch experiment`: the factory's sweep machinery over wall files."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from droneworks.core.errors import ConfigError
from droneworks.core.executor import LocalExecutor
from droneworks.core.store import RunStore
from droneworks.watch.experiment import (
    load_wall_experiment,
    prepare_walls,
    run_wall_experiment,
)
from droneworks.watch.simulate import simulate
from tests.watch.test_simulate import EXAMPLE_WALL, _cli

EXAMPLE = EXAMPLE_WALL.parents[1] / "experiments" / "belarus-poland-acoustic.toml"


def _files(tmp_path: Path, factors: str, metric: str = "sensors_seen", target: float = 3) -> Path:
    wall = EXAMPLE_WALL.read_text(encoding="utf-8").replace('horizon = "2 h"', 'horizon = "10 min"')
    (tmp_path / "wall.toml").write_text(wall, encoding="utf-8")
    experiment = tmp_path / "experiment.toml"
    experiment.write_text(
        f'[experiment]\nwall = "wall.toml"\nmetric = "{metric}"\ntarget = {target}\nruns = 2\n'
        f"{factors}",
        encoding="utf-8",
    )
    return experiment


SPACING = '[[factors]]\npath = "sensors[2].every"\nlevels = ["500 m", "5 km"]\n'


@pytest.mark.slow
def test_points_are_the_wall_simulated_with_the_factor_written_in(tmp_path: Path) -> None:
    experiment = load_wall_experiment(_files(tmp_path, SPACING))
    result = run_wall_experiment(experiment)
    dense, sparse = result.points
    for point, prepared in zip(result.points, prepare_walls(experiment), strict=True):
        direct = simulate(prepared.wall, runs=2).per_run
        assert point.values == tuple(run["sensors_seen"] for run in direct)
    assert dense.metric.mean > sparse.metric.mean  # ten times the acoustic nodes
    ((factor, levels),) = result.effects()
    assert factor.path == "sensors[2].every"
    assert [level.label for level in levels] == ["500 m", "5 km"]
    assert levels[0].metric == dense.metric and levels[1].metric == sparse.metric
    assert all((p in result.missed()) == (not p.meets) for p in result.points)
    with LocalExecutor(2) as pool:  # the same answer on a process pool
        assert run_wall_experiment(experiment, pool).points == result.points


class InterruptAfter:
    """An executor that runs tasks serially and raises KeyboardInterrupt after ``limit``."""

    workers = 1

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def map_unordered(self, fn: Any, tasks: Any) -> Any:
        for index, task in enumerate(tasks):
            if index == self.limit:
                raise KeyboardInterrupt
            yield index, fn(task)

    def close(self) -> None:
        pass


@pytest.mark.slow
def test_points_are_stored_reused_by_content_and_continued_after_ctrl_c(tmp_path: Path) -> None:
    experiment = load_wall_experiment(_files(tmp_path, SPACING))
    fresh = run_wall_experiment(experiment)  # no store
    store = RunStore(tmp_path / "runs.db")
    with pytest.raises(KeyboardInterrupt):
        run_wall_experiment(experiment, InterruptAfter(3), store=store)  # type: ignore[arg-type]
    runs = store.list_runs()
    assert len(runs) == 2 and {r.kind for r in runs} == {"watch-experiment"}
    assert {r.status for r in runs} == {"interrupted"}
    assert sum(r.replications for r in runs) == 3
    resumed = run_wall_experiment(experiment, store=store)
    assert resumed.reused == 3 and resumed.points == tuple(
        replace(p, run_id=r.run_id) for p, r in zip(fresh.points, resumed.points, strict=True)
    )
    assert {r.status for r in store.list_runs()} == {"complete"}
    # a second experiment judging another metric simulates nothing: every figure is stored
    other_file = _files(tmp_path, SPACING, metric="alert_after_cross_s", target=600)
    other = load_wall_experiment(other_file)
    again = run_wall_experiment(other, InterruptAfter(0), store=store)  # type: ignore[arg-type]
    assert again.reused == 4 and len(store.list_runs()) == 2
    direct = simulate(prepare_walls(other)[0].wall, runs=2).per_run
    assert again.points[0].values == tuple(run["alert_after_cross_s"] for run in direct)
    summary = store.get_run(again.points[0].run_id or 0).summary
    assert summary["kpis"]["sensors_seen"]["mean"] == fresh.points[0].metric.mean


def test_bad_files_name_the_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"factors\[0\]\.path"):
        load_wall_experiment(
            _files(tmp_path, '[[factors]]\npath = "sensors[9].every"\nlevels = [1]\n')
        )
    with pytest.raises(ConfigError, match="metric"):
        load_wall_experiment(_files(tmp_path, SPACING, metric="detection"))
    bad_value = _files(tmp_path, '[[factors]]\npath = "runs"\nlevels = [0]\n')
    with pytest.raises(ConfigError, match=r"point 0 \(runs = 0\).*runs"):
        prepare_walls(load_wall_experiment(bad_value))


def test_the_example_is_valid() -> None:
    experiment = load_wall_experiment(EXAMPLE)
    assert len(prepare_walls(experiment)) == 4


@pytest.mark.slow
def test_cli_json_and_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    experiment = _files(tmp_path, SPACING)
    code, out, err = _cli("watch", "experiment", str(experiment), "--workers", "1", "--json",
                          capsys=capsys)  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["metric"] == "sensors_seen" and len(data["points"]) == 2
    assert data["effects"][0]["factor"] == "sensors[2].every"
    assert data["answer"].endswith("over 2 runs).")
    assert data["runs_reused"] == 0 and all(p["run_id"] for p in data["points"])
    code, out, err = _cli("factory", "runs", "show", str(data["points"][0]["run_id"]),
                          capsys=capsys)  # fmt: skip
    assert code == 0 and "watch-experiment" in out and "Run figures" in out, err
    assert "sensors_seen" in out and "No verdict" not in out
    assert "wall sha256" in out and "plant sha256" not in out  # a watch point runs a wall
    code, out, _ = _cli("watch", "experiment", str(experiment), "--executor", "serial",
                        capsys=capsys)  # fmt: skip
    assert code == 0 and "Main effects" in out and "sensors[2].every" in out
    code, _, err = _cli("watch", "experiment", str(experiment), "--executor", "nope", capsys=capsys)
    assert code == 1 and "--executor" in err


def test_the_docs_watch_experiment_is_valid(tmp_path: Path) -> None:
    text = (EXAMPLE_WALL.parents[2] / "docs" / "scale.md").read_text(encoding="utf-8")
    section = text.split("## Watch experiments", 1)[1]
    block = section.split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "docs-watch.toml"
    path.write_text(block.replace('"../walls/', f'"{EXAMPLE_WALL.parent}/'), encoding="utf-8")
    assert len(prepare_walls(load_wall_experiment(path))) == 2
