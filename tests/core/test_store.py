"""The runs database: round trips, transactions, no half-written run ever looks complete."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from droneworks.core.errors import StoreError
from droneworks.core.store import RunStore, database_url, text_sha256

PLANT = '[plant]\nname = "tiny"\n'


@pytest.fixture
def store(tmp_path: Path) -> RunStore:
    return RunStore(tmp_path / "runs.db")


def test_database_url_accepts_paths_and_urls() -> None:
    assert database_url(None) == "sqlite:///droneworks_runs.db"
    assert database_url("x/runs.db") == "sqlite:///x/runs.db"
    assert database_url("postgresql://u@h/db") == "postgresql://u@h/db"


def test_run_round_trip(store: RunStore) -> None:
    run_id = store.create_run("replicate", "tiny", PLANT, seed=7, settings={"reps": 2})
    series = {"output": np.arange(6.0).reshape(2, 3)}
    store.add_replication(run_id, 0, 7, {"units": 10.0}, series=series, wall_s=0.5)
    store.add_replication(run_id, 1, 7, {"units": 12.0}, wall_s=0.5)
    store.complete_run(run_id, {"units": {"mean": 11.0}}, expected_replications=2, wall_s=1.2)
    run = store.get_run(run_id)
    assert (run.status, run.replications, run.seed) == ("complete", 2, 7)
    assert run.plant_sha256 == text_sha256(PLANT)
    assert run.summary == {"units": {"mean": 11.0}}
    assert store.plant_text(run_id) == PLANT
    stored = store.replications(run_id)
    assert [r.kpis["units"] for r in stored] == [10.0, 12.0]
    assert stored[0].series is not None
    np.testing.assert_array_equal(stored[0].series["output"], series["output"])
    assert stored[1].series is None
    assert [r.id for r in store.list_runs()] == [run_id]


def test_run_is_never_complete_with_replications_missing(store: RunStore) -> None:
    run_id = store.create_run("replicate", "tiny", PLANT, seed=0, settings={})
    store.add_replication(run_id, 0, 0, {"units": 1.0})
    with pytest.raises(StoreError, match="expected 3"):
        store.complete_run(run_id, {}, expected_replications=3)
    assert store.get_run(run_id).status == "running"


def test_interrupted_run_keeps_replications_and_resumes(store: RunStore) -> None:
    run_id = store.create_run("replicate", "tiny", PLANT, seed=0, settings={})
    store.add_replication(run_id, 0, 0, {"units": 1.0})
    store.mark_interrupted(run_id, wall_s=3.0)
    assert store.get_run(run_id).status == "interrupted"
    store.mark_running(run_id)
    store.add_replication(run_id, 1, 0, {"units": 2.0})
    store.complete_run(run_id, {}, expected_replications=2)
    assert store.get_run(run_id).status == "complete"
    with pytest.raises(StoreError, match="complete"):
        store.add_replication(run_id, 2, 0, {"units": 3.0})


def test_failed_write_rolls_back_and_raises_store_error(store: RunStore) -> None:
    run_id = store.create_run("replicate", "tiny", PLANT, seed=0, settings={})
    store.add_replication(run_id, 0, 0, {"units": 1.0})
    with pytest.raises(StoreError):
        store.add_replication(run_id, 0, 0, {"units": 99.0})  # duplicate index
    assert [r.kpis["units"] for r in store.replications(run_id)] == [1.0]


def test_missing_run_and_bad_database_raise_store_error(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "runs.db")
    with pytest.raises(StoreError, match="no run 42"):
        store.get_run(42)
    (tmp_path / "dir.db").mkdir()
    with pytest.raises(StoreError):
        RunStore(tmp_path / "dir.db")
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database" * 100)
    with pytest.raises(StoreError):
        RunStore(garbage)
