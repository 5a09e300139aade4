"""The files policy every writing command follows (docs/cli.md "Files"), at the CLI surface."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from droneworks.cli.factory_plan import _interrupted
from droneworks.core.store import RunStore
from tests.cli.conftest import Run
from tests.cli.test_watch_coverage import tiny_wall

OK_SMALL = Path(__file__).parents[1] / "factory" / "data" / "ok_small.toml"


def test_existing_outputs_need_force_and_force_says_how_many(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run("factory", "simulate", str(OK_SMALL), "--years", "0.2", "--out", str(out))
    assert first.code == 0, first.err
    written = {path.name: path.read_bytes() for path in out.iterdir()}
    assert set(written) == {"kpis.csv", "output_by_period.csv", "work_centres.csv"}
    again = run("factory", "simulate", str(OK_SMALL), "--years", "0.2", "--seed", "9",
                "--out", str(out))  # fmt: skip
    assert again.code == 1
    assert "OutputError: 3 output files exist already" in again.err and "--force" in again.err
    assert {path.name: path.read_bytes() for path in out.iterdir()} == written  # untouched
    forced = run("factory", "simulate", str(OK_SMALL), "--years", "0.2", "--seed", "9",
                 "--out", str(out), "--force")  # fmt: skip
    assert forced.code == 0 and "Replaced 3 existing files (--force)." in forced.err
    assert sorted(path.name for path in out.iterdir()) == sorted(written)  # no temporaries


def test_bad_out_and_report_targets_are_one_line_errors(run: Run, tmp_path: Path) -> None:
    a_file = tmp_path / "file.txt"
    a_file.write_text("keep me")
    cases = [
        (["factory", "simulate", str(OK_SMALL), "--out", str(a_file)], "is an existing file"),
        (["factory", "simulate", str(OK_SMALL), "--report", str(tmp_path)], "is a folder"),
        (["factory", "replicate", str(OK_SMALL), "--report", str(tmp_path)], "is a folder"),
        (["factory", "simulate", str(OK_SMALL), "--report", str(a_file / "r.html")],
         "is a file, not a folder"),
        (["factory", "schema", "--out", str(a_file)], "exists already; pass --force"),
        (["factory", "schema", "--out", "a" * 5000], "File name too long"),
        (["demo", "--quick", "--out", str(tmp_path / ("b" * 300))], "File name too long"),
        (["serve", "--data", str(a_file)], "--data names a folder"),
    ]  # fmt: skip
    for args, message in cases:
        outcome = run(*args)
        assert outcome.code == 1, args
        assert outcome.err.startswith("OutputError: ") and message in outcome.err, outcome.err
        assert "Traceback" not in outcome.err
    assert a_file.read_text() == "keep me"


def test_read_commands_never_create_a_database(run: Run, tmp_path: Path) -> None:
    typo = tmp_path / "typo.db"
    for args in (["runs", "show", "1"], ["runs", "list"], ["runs", "compare", "1", "2"]):
        outcome = run("factory", *args, "--db", str(typo))
        assert outcome.code == 1 and "no runs database at" in outcome.err and "--db" in outcome.err
    assert not typo.exists()


def test_ctrl_c_names_the_run_this_process_owns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Another process's newer run in the same database is not the one reported."""
    db = tmp_path / "runs.db"
    mine = RunStore(db)
    run_id = mine.create_run("replicate", "mine", "x", 0, {})
    mine.add_replication(run_id, 0, 0, {"units": 1.0})
    mine.add_replication(run_id, 1, 0, {"units": 1.0})
    RunStore(db).create_run("replicate", "theirs", "y", 0, {})  # newer, another owner
    with pytest.raises(Exception) as stopped:
        _interrupted(mine)
    assert getattr(stopped.value, "exit_code", None) == 130
    err = capsys.readouterr().err
    assert f"2 finished replications kept in run {run_id}; continue with --resume {run_id}" in err


def test_the_default_database_is_announced_once(run: Run, tmp_path: Path) -> None:
    default = Path(os.environ["DRONEWORKS_DB"])  # conftest: a temporary file
    args = ("factory", "replicate", str(OK_SMALL), "--reps", "2", "--years", "0.2",
            "--workers", "1", "--json")  # fmt: skip
    first = run(*args)
    assert first.code == 0, first.err
    assert f"Runs database created: {default}" in first.err
    assert "Runs database created" not in run(*args).err
    assert not (Path.cwd() / "droneworks_runs.db").exists()


def test_watch_writes_nothing_without_out(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wall = tiny_wall(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    outcome = run("watch", "coverage", wall, "--json")
    assert outcome.code == 0, outcome.err
    assert list(work.iterdir()) == []
