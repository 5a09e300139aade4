"""`factory replicate | size | simulate --reps` end to end on tiny plants with the real engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from droneworks.core.store import RunStore
from droneworks.factory import compile_plant, load_plant
from droneworks.factory.plan.replications import RunRecording, replicate
from tests.cli.conftest import Run, run  # noqa: F401
from tests.factory.plan.fakes import interrupted_engine_simulate

DATA = Path(__file__).parent / "data"
OK_SMALL = Path(__file__).parents[1] / "data" / "ok_small.toml"


def test_replicate_stores_reports_and_shows(run: Run, tmp_path: Path) -> None:  # noqa: F811
    db, report = tmp_path / "runs.db", tmp_path / "rep.html"
    done = run(
        "factory",
        "replicate",
        str(OK_SMALL),
        "--reps",
        "3",
        "--workers",
        "1",
        "--db",
        str(db),
        "--report",
        str(report),
        "--json",
    )
    assert done.code == 0, done.err
    data = json.loads(done.out)
    assert data["replications"] == 3 and data["kpis"]["units"]["n"] == 3
    assert data["bottleneck"]["table"] and report.is_file()
    assert (tmp_path / "rep_csv").is_dir()
    shown = json.loads(
        run("factory", "runs", "show", str(data["run_id"]), "--db", str(db), "--json").out
    )
    assert shown["status"] == "complete" and shown["replications"] == 3
    human = run(
        "factory", "replicate", str(OK_SMALL), "--reps", "2", "--workers", "1", "--db", str(db)
    )
    assert human.code == 0 and "Work centres under the file" in human.out
    assert human.out.startswith("Capacity — can it build")


def test_simulate_with_reps_replicates_and_without_keeps_one_run(run: Run, tmp_path: Path) -> None:  # noqa: F811
    db = tmp_path / "runs.db"
    many = json.loads(
        run(
            "factory",
            "simulate",
            str(OK_SMALL),
            "--reps",
            "2",
            "--db",
            str(db),
            "--until-halfwidth",
            "units=1000",
            "--json",
        ).out
    )
    assert many["replications"] == 2 and many["stop_reason"] == "half-widths met"
    one = run(
        "factory", "simulate", str(OK_SMALL), "--report", str(tmp_path / "one.html"), "--json"
    )
    assert one.code == 0, one.err
    assert isinstance(json.loads(one.out)["units"], int)
    assert (tmp_path / "one.html").is_file()


def test_size_reports_every_configuration(run: Run, tmp_path: Path) -> None:  # noqa: F811
    done = run(
        "factory",
        "size",
        str(DATA / "tiny_cell.toml"),
        "--target",
        "15000/yr",
        "--reps",
        "3",
        "--verify-reps",
        "3",
        "--max-evaluations",
        "6",
        "--workers",
        "1",
        "--report",
        str(tmp_path / "size.html"),
        "--db",
        str(tmp_path / "runs.db"),
        "--json",
    )
    assert done.code == 0, done.err
    data = json.loads(done.out)
    assert data["tried"][0]["label"] == "plant as is"
    assert (tmp_path / "size.html").is_file() and (tmp_path / "size_csv").is_dir()
    assert len(data["tried"]) <= 7
    assert "normal" in data["probability_method"]
    for row in data["tried"]:
        assert 0.0 <= row["probability"] <= 1.0
    if data["best"] is not None:
        assert data["verification"]["seed"] != data["best"]["seed"]
    bad = run(
        "factory",
        "size",
        str(DATA / "tiny_cell.toml"),
        "--target",
        "15000",
        "--db",
        str(tmp_path / "runs.db"),
    )
    assert bad.code == 1 and "ConfigError" in bad.err


def test_interrupted_run_resumes_from_the_cli(run: Run, tmp_path: Path) -> None:  # noqa: F811
    db = tmp_path / "runs.db"
    store = RunStore(db)
    plant = load_plant(OK_SMALL)
    recording = RunRecording(store, plant.name, OK_SMALL.read_text(encoding="utf-8"))
    with pytest.raises(KeyboardInterrupt):
        replicate(
            compile_plant(plant), 3, simulate_fn=interrupted_engine_simulate, recording=recording
        )
    (stored,) = store.list_runs()
    assert stored.status == "interrupted" and stored.replications == 1
    done = run(
        "factory",
        "replicate",
        str(OK_SMALL),
        "--resume",
        str(stored.id),
        "--workers",
        "1",
        "--db",
        str(db),
        "--json",
    )
    assert done.code == 0, done.err
    data = json.loads(done.out)
    assert data["run_id"] == stored.id and data["replications"] == 3
    fresh = json.loads(
        run(
            "factory",
            "replicate",
            str(OK_SMALL),
            "--reps",
            "3",
            "--workers",
            "1",
            "--db",
            str(db),
            "--json",
        ).out
    )
    assert data["kpis"]["units"] == fresh["kpis"]["units"]
    assert store.get_run(stored.id).status == "complete"


def test_replicate_and_size_take_any_executor_with_the_same_answer(
    run: Run,  # noqa: F811
    tmp_path: Path,
) -> None:
    pytest.importorskip("distributed")
    common = ("factory", "replicate", str(OK_SMALL), "--reps", "2", "--years", "0.05", "--json")
    answers = {}
    for executor in ("serial", "local", "dask"):
        done = run(
            *common,
            "--executor",
            executor,
            "--workers",
            "2",
            "--db",
            str(tmp_path / f"{executor}.db"),
        )
        assert done.code == 0, done.err
        answers[executor] = json.loads(done.out)["kpis"]["units"]
    assert answers["serial"] == answers["local"] == answers["dask"]
    bad = run(*common, "--executor", "daks")
    assert bad.code == 1 and '--executor "daks"' in bad.err and "Traceback" not in bad.err
    sized = run(
        "factory", "size", str(OK_SMALL), "--target", "1/yr", "--reps", "2", "--years", "0.05",
        "--executor", "serial", "--db", str(tmp_path / "size.db"), "--json",
    )  # fmt: skip
    assert sized.code == 0, sized.err
