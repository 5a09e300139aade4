"""The runs database: round trips, transactions, no half-written run ever looks complete.

Every test taking ``store`` or ``db_url`` runs on SQLite and on PostgreSQL (conftest).
"""

from __future__ import annotations

import math
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from droneworks.core.errors import MissingExtraError, StoreError
from droneworks.core.store import RunStore, database_url, text_sha256
from droneworks.core.store_location import default_db_path, redact

PLANT = '[plant]\nname = "tiny"\n'


@pytest.fixture
def store(db_url: str) -> RunStore:
    return RunStore(db_url)


def test_database_url_accepts_paths_and_urls(tmp_path: Path) -> None:
    assert database_url(None) == f"sqlite:///{tmp_path / 'default-runs.db'}"  # conftest
    assert database_url("x/runs.db") == "sqlite:///x/runs.db"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:///a.db") == "sqlite:///a.db"


def test_the_environment_variable_takes_urls_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRONEWORKS_DB", "sqlite:////tmp/x/runs.db")
    assert database_url(None) == "sqlite:////tmp/x/runs.db"
    monkeypatch.setenv("DRONEWORKS_DB", "postgresql://u@h/db")
    assert database_url(None) == "postgresql+psycopg://u@h/db"


def test_default_database_is_in_the_user_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DRONEWORKS_DB")
    monkeypatch.setenv("XDG_DATA_HOME", "/somewhere/data")
    assert default_db_path() == Path("/somewhere/data/droneworks/runs.db")


def test_first_use_creates_the_file_and_says_so(tmp_path: Path) -> None:
    first = RunStore(tmp_path / "new" / "runs.db")
    assert first.created and first.file == tmp_path / "new" / "runs.db"
    assert first.file.exists()
    assert not RunStore(tmp_path / "new" / "runs.db").created


def test_reading_a_missing_file_is_an_error_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"no runs database at .*typo\.db \(check --db\)"):
        RunStore(tmp_path / "typo.db", create=False)
    assert not (tmp_path / "typo.db").exists()
    (tmp_path / "empty.db").touch()  # an empty file is an empty SQLite database
    with pytest.raises(StoreError, match="is not a droneworks runs database"):
        RunStore(tmp_path / "empty.db", create=False)
    assert (tmp_path / "empty.db").stat().st_size == 0  # no tables written into it


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


def test_non_finite_kpis_survive_the_round_trip(store: RunStore) -> None:
    """PostgreSQL's JSON rejects NaN: a run with NaN or infinite KPIs is still stored."""
    run_id = store.create_run("replicate", "tiny", PLANT, seed=0, settings={"cap": math.inf})
    kpis = {"units": 3.0, "lead_time_p99_min": math.nan, "ratio": math.inf, "low": -math.inf}
    store.add_replication(run_id, 0, 0, kpis)
    summary = {"kpis": {"units": {"mean": 3.0, "halfwidth": math.nan}}, "tags": ["nan"]}
    store.complete_run(run_id, summary, expected_replications=1)
    (stored,) = store.replications(run_id)
    assert stored.kpis["units"] == 3.0 and math.isnan(stored.kpis["lead_time_p99_min"])
    assert stored.kpis["ratio"] == math.inf and stored.kpis["low"] == -math.inf
    run = store.get_run(run_id)
    assert math.isnan(run.summary["kpis"]["units"]["halfwidth"])
    assert run.summary["tags"] == ["nan"]  # a string stays a string
    assert run.settings == {"cap": math.inf}


def test_two_resumes_of_one_run_get_one_clear_message(db_url: str) -> None:
    first, second = RunStore(db_url), RunStore(db_url)
    run_id = first.create_run("replicate", "tiny", PLANT, seed=0, settings={})
    first.mark_interrupted(run_id)
    first.mark_running(run_id)  # the first resume claims the run
    with pytest.raises(StoreError, match=f"run {run_id} is being run by another process"):
        second.mark_running(run_id)
    assert first.owned_run_id == run_id and second.owned_run_id is None


def test_a_duplicate_replication_names_the_likely_cause(store: RunStore) -> None:
    run_id = store.create_run("replicate", "tiny", PLANT, seed=0, settings={})
    store.add_replication(run_id, 0, 0, {"units": 1.0})
    with pytest.raises(StoreError, match="another process running this run"):
        store.add_replication(run_id, 0, 0, {"units": 1.0})


def test_a_run_left_running_by_a_dead_process_can_be_resumed(db_url: str) -> None:
    script = (
        "import sys; from droneworks.core.store import RunStore; "
        "print(RunStore(sys.argv[1]).create_run('replicate', 't', 'x', 0, {}))"
    )
    done = subprocess.run([sys.executable, "-c", script, db_url], capture_output=True,
                          text=True, check=True)  # fmt: skip
    run_id = int(done.stdout)
    store = RunStore(db_url)
    assert store.get_run(run_id).status == "running"  # its owner exited without a word
    store.mark_running(run_id)
    assert store.owned_run_id == run_id


def test_passwords_are_never_shown(tmp_path: Path) -> None:
    url = "postgresql://alice:s3cr%40t@127.0.0.1:1/runs?connect_timeout=1"
    assert redact(url) == "postgresql://alice:***@127.0.0.1:1/runs?connect_timeout=1"
    assert "s3cr" not in redact(f"error: could not connect with {url} (x)")
    with pytest.raises(StoreError) as raised:
        RunStore(url)
    assert "s3cr" not in str(raised.value) and "alice:***@" in str(raised.value)


def test_a_missing_driver_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if not installed
    with pytest.raises(MissingExtraError, match=r"droneworks\[postgres\]"):
        RunStore("postgresql://u@localhost/runs")


def test_a_database_from_before_run_owners_is_upgraded(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    store = RunStore(old)
    run_id = store.create_run("replicate", "tiny", PLANT, seed=0, settings={})
    store.close()
    with sqlite3.connect(old) as connection:
        connection.execute("ALTER TABLE runs DROP COLUMN owner")
    assert RunStore(old).get_run(run_id).name == "tiny"


@pytest.mark.parametrize("run_id", [2**63, 10**22, 0])
def test_a_run_id_beyond_64_bits_is_no_run(store: RunStore, run_id: int) -> None:
    """`runs show 99999999999999999999` overflowed the driver (an InternalError before)."""
    with pytest.raises(StoreError, match=f"no run {run_id} in the runs database") as missing:
        store.get_run(run_id)
    assert str(missing.value).endswith(str(store.file or store.url))  # which database
    with pytest.raises(StoreError, match=f"no run {run_id}"):
        store.replications(run_id)
