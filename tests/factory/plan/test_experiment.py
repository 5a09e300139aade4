"""Experiments: points as stored runs, reuse by content, resume after Ctrl-C, the same KPIs
on every executor, main effects and the points that miss."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from droneworks.core.errors import ConfigError
from droneworks.core.executor import LocalExecutor, SerialExecutor
from droneworks.core.store import RunStore
from droneworks.factory import simulate
from droneworks.factory.plan.experiment import load_experiment, prepare_points
from droneworks.factory.plan.experiment_analysis import main_effects, missed_points
from droneworks.factory.plan.experiment_run import run_experiment
from tests.cli.conftest import Run, run  # noqa: F401

DATA = Path(__file__).parent / "data"
EXPERIMENT = DATA / "ok_experiment.toml"
EXAMPLE = Path(__file__).parents[3] / "examples" / "experiments" / "minsk-100k-risk.toml"


def write_experiment(tmp_path: Path, body: str) -> Path:
    plant = (Path(__file__).parents[1] / "data" / "ok_small.toml").resolve()
    path = tmp_path / "experiment.toml"
    path.write_text(f'[experiment]\nplant = "{plant}"\ntarget = "440/yr"\n{body}')
    return path


def outputs(result: Any) -> list[list[float]]:
    return [list(point.outputs) for point in result.points]


def test_points_are_stored_and_reused_by_content(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "runs.db")
    experiment = load_experiment(EXPERIMENT)
    first = run_experiment(experiment, store=store)
    assert len(first.points) == 4 and first.simulated == 12 and first.reused == 0
    runs = store.list_runs()
    assert len(runs) == 4 and {r.kind for r in runs} == {"experiment"}
    assert all(r.status == "complete" and r.replications == 3 for r in runs)
    again = run_experiment(experiment, store=store)
    assert again.simulated == 0 and again.reused == 12
    assert outputs(again) == outputs(first)
    assert len(store.list_runs()) == 4  # no new runs for identical inputs
    # simulated replications carry their CPU time (the benchmark compares executors by it),
    # replications read back from the store carry none
    assert all((p.cpu_s > 0).all() and (p.cpu_s <= p.wall_s * 1.05).all() for p in first.points)
    assert all((p.cpu_s == 0).all() for p in again.points)


def test_a_lead_time_factor_changes_the_stored_content(tmp_path: Path) -> None:
    experiment = load_experiment(EXPERIMENT)
    result = run_experiment(experiment, store=RunStore(tmp_path / "runs.db"))
    texts = {RunStore(tmp_path / "runs.db").plant_text(p.run_id) for p in result.points}
    assert len(texts) == 4
    assert all('"high": "4 wk"' in t or '"high": "2 wk"' in t for t in texts)


class InterruptAfter:
    """A simulate function that presses Ctrl-C on its ``limit + 1``-th call."""

    def __init__(self, limit: int) -> None:
        self.calls, self.limit = 0, limit

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        if self.calls > self.limit:
            raise KeyboardInterrupt
        return simulate(*args, **kwargs)


def test_ctrl_c_keeps_finished_replications_and_a_rerun_continues(tmp_path: Path) -> None:
    from droneworks.factory import compile_plant

    store = RunStore(tmp_path / "runs.db")
    experiment = load_experiment(EXPERIMENT)
    with pytest.raises(KeyboardInterrupt):
        run_experiment(
            experiment, store=store, compile_fn=compile_plant, simulate_fn=InterruptAfter(5)
        )
    assert sum(r.replications for r in store.list_runs()) == 5
    assert {r.status for r in store.list_runs()} == {"interrupted"}
    resumed = run_experiment(experiment, store=store)
    assert resumed.reused == 5 and resumed.simulated == 7
    fresh = run_experiment(experiment, store=RunStore(tmp_path / "fresh.db"))
    assert outputs(resumed) == outputs(fresh)


def test_the_same_kpis_on_the_serial_executor_the_local_pool_and_dask(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    from droneworks.core.cluster import DaskExecutor

    experiment = load_experiment(EXPERIMENT)
    serial = run_experiment(experiment, executor=SerialExecutor())
    with LocalExecutor(2) as pool:
        local = run_experiment(experiment, executor=pool)
    with DaskExecutor(workers=2) as cluster:
        dask = run_experiment(experiment, executor=cluster)
        assert cluster.workers == 2
    assert outputs(serial) == outputs(local) == outputs(dask)
    for a, b in zip(serial.points, dask.points, strict=True):
        assert {k: v.mean for k, v in a.intervals.items()} == {
            k: v.mean for k, v in b.intervals.items()
        }


def test_until_halfwidth_adds_replications_per_point(tmp_path: Path) -> None:
    path = write_experiment(
        tmp_path,
        '[design]\nkind = "full"\n[replications]\nreps = 2\nmax_reps = 6\n'
        'until_halfwidth = ["throughput_per_year=0.001"]\n'
        '[[factors]]\npath = "work_centres.assembly.stations"\nlevels = [2, 3]\n',
    )
    result = run_experiment(load_experiment(path))
    assert [point.outputs.size for point in result.points] == [6, 6]  # unreachable → max


def test_one_at_a_time_effects_compare_with_the_base(tmp_path: Path) -> None:
    path = write_experiment(
        tmp_path,
        '[design]\nkind = "oat"\n[replications]\nreps = 3\n'
        '[[factors]]\npath = "workers.assemblers.count"\nlevels = [1, 5]\n'
        '[[factors]]\npath = "work_centres.test.buffer"\nlevels = [5]\n',
    )
    result = run_experiment(load_experiment(path))
    assert len(result.points) == 1 + 2 + 1
    effects = {effect.factor.path: effect for effect in main_effects(result)}
    workers = effects["workers.assemblers.count"]
    assert [level.label for level in workers.levels] == ["file's value", "1", "5"]
    one, base = workers.levels[1].output.mean, workers.levels[0].output.mean
    assert one < base  # one assembler instead of three builds less
    assert main_effects(result)[0].factor.path == "workers.assemblers.count"
    missed = missed_points(result)
    assert result.points[1] in missed  # the one-assembler point misses 440/yr
    assert all(p.probability < 0.95 for p in missed)
    assert all(p.probability >= 0.95 for p in result.points if p not in missed)


def test_a_bad_value_names_the_point_and_the_plant_key(tmp_path: Path) -> None:
    path = write_experiment(
        tmp_path,
        '[[factors]]\npath = "work_centres.assembly.stations"\nlevels = [2, "many"]\n',
    )
    with pytest.raises(ConfigError, match=r"point 1 \(work_centres.assembly.stations = many\)"):
        run_experiment(load_experiment(path))


def test_a_factor_path_not_in_the_plant_is_named(tmp_path: Path) -> None:
    path = write_experiment(
        tmp_path, '[[factors]]\npath = "work_centres.assemby.stations"\nlevels = [2]\n'
    )
    with pytest.raises(ConfigError, match=r"factors\[0\].path: .*work_centres.assemby is not"):
        load_experiment(path)


def test_the_example_experiment_runs(tmp_path: Path) -> None:
    experiment = load_experiment(EXAMPLE)
    spec = experiment.spec.model_copy(
        update={
            "experiment": experiment.spec.experiment.model_copy(update={"years": 0.1}),
            "design": experiment.spec.design.model_copy(update={"points": 4}),
            "replications": experiment.spec.replications.model_copy(update={"reps": 2}),
        }
    )
    small = type(experiment)(**{**experiment.__dict__, "spec": spec})
    result = run_experiment(small)
    assert len(result.points) == 4
    assert all(np.all(point.outputs > 0) for point in result.points)
    assert {e.factor.path for e in main_effects(result)} == {f.path for f in experiment.factors}


def test_cli_json_and_report(tmp_path: Path, run: Run) -> None:  # noqa: F811
    report = tmp_path / "exp.html"
    args = ["factory", "experiment", str(EXPERIMENT), "--executor", "serial"]
    result = run(*args, "--db", str(tmp_path / "r.db"), "--report", str(report), "--json")
    assert result.code == 0, result.err
    assert f"Runs database created: {tmp_path / 'r.db'}" in result.err  # as replicate says
    data = json.loads(result.out)
    assert data["points"] == 4 and data["simulated_replications"] == 12
    assert data["answer"].startswith(f"{4 - len(data['missed'])} of 4 points reach 440/yr")
    html = report.read_text()
    assert "Main effects" in html and "work_centres.assembly.stations" in html
    bad = run("factory", "experiment", str(EXPERIMENT), "--executor", "ray")
    assert bad.code == 1
    assert "use serial, local, dask or a scheduler address" in bad.err


def test_the_docs_experiment_file_is_valid(tmp_path: Path) -> None:
    text = (Path(__file__).parents[3] / "docs" / "scale.md").read_text(encoding="utf-8")
    block = text.split("```toml\n", 1)[1].split("```", 1)[0]
    block = block.replace('"../plants/', f'"{EXAMPLE.parents[1]}/plants/')
    path = tmp_path / "docs-example.toml"
    path.write_text(block, encoding="utf-8")
    experiment = load_experiment(path)
    points = experiment.points()
    assert len(points) == 32 and len(experiment.factors) == 5
    assert {p.values[3] for p in points} == {2, 3}
    assert all(v in ("54000/yr", "60000/yr", "66000/yr") for v in (p.values[4] for p in points))
    assert len(prepare_points(experiment)) == 32  # every point is a valid plant
