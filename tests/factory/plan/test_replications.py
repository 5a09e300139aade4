"""Replications: CI coverage on a known-mean fake, half-width stopping, CRN, store, resume."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from droneworks.core.errors import ConfigError
from droneworks.core.executor import LocalExecutor
from droneworks.core.progress import RecordingProgress
from droneworks.core.store import RunStore
from droneworks.factory.plan.replications import (
    HalfwidthTarget,
    RunRecording,
    parse_halfwidth,
    replicate,
)
from droneworks.factory.plan.statistics import t_interval
from tests.factory.plan.fakes import FakeProblem, fake_simulate

PLANT_TEXT = '[plant]\nname = "fake"\n'


def test_t_intervals_cover_the_known_mean_about_95_percent() -> None:
    problem = FakeProblem()
    covered = 0
    runs = 400
    for seed in range(runs):
        study = replicate(
            problem, 8, seed=seed, simulate_fn=fake_simulate, record_active_periods=False
        )
        covered += study.intervals["units"].covers(problem.mean_units)
    # binomial(400, 0.95): 2.6 sd either side is ±0.028
    assert 0.922 <= covered / runs <= 0.978


def test_every_kpi_gets_an_interval_and_constants_have_zero_width() -> None:
    study = replicate(FakeProblem(), 5, simulate_fn=fake_simulate)
    assert {"units", "constant", "bottleneck.slow.total"} <= set(study.intervals)
    assert study.intervals["constant"].halfwidth == 0.0
    # slow is the bottleneck over [0, 0.6 h] of the 0.7 h when anything is active
    assert study.intervals["bottleneck.slow.total"].mean == pytest.approx(0.6 / 0.7)
    assert study.n == 5 and [o.replication for o in study.outcomes] == [0, 1, 2, 3, 4]


def test_halfwidth_rule_stops_once_narrow_enough() -> None:
    progress = RecordingProgress()
    study = replicate(
        FakeProblem(),
        10,
        until_halfwidth={"units": 15.0},
        max_reps=400,
        simulate_fn=fake_simulate,
        progress=progress,
    )
    interval = study.intervals["units"]
    assert interval.halfwidth <= 15.0
    assert study.stop_reason == "half-widths met"
    # (1.96 · 50 / 15)² ≈ 43 replications are needed; the rule must not run far beyond
    assert 30 <= study.n <= 80
    assert progress.updates[-1] == study.n
    # at every earlier batch the rule was not met yet
    assert len(study.batches) >= 2 and study.batches[-1] == study.n
    for total in study.batches[:-1]:
        assert t_interval(study.values("units")[:total]).halfwidth > 15.0


def test_halfwidth_rule_relative_and_capped() -> None:
    assert parse_halfwidth("units=500") == HalfwidthTarget("units", 500.0)
    assert parse_halfwidth("units=1%") == HalfwidthTarget("units", 0.01, relative=True)
    for bad in ("units", "units=x", "units=-1", "=3"):
        with pytest.raises(ConfigError):
            parse_halfwidth(bad)
    study = replicate(
        FakeProblem(),
        5,
        until_halfwidth=(parse_halfwidth("units=0.1%"),),
        max_reps=12,
        simulate_fn=fake_simulate,
    )
    assert study.n == 12 and "max_reps" in study.stop_reason
    with pytest.raises(ConfigError, match="no KPI"):
        replicate(FakeProblem(), 3, until_halfwidth={"nope": 1.0}, simulate_fn=fake_simulate)


def test_common_random_numbers_across_scenarios() -> None:
    base = replicate(FakeProblem(), 6, seed=3, simulate_fn=fake_simulate)
    better = replicate(FakeProblem(mean_units=1100.0), 6, seed=3, simulate_fn=fake_simulate)
    other = replicate(FakeProblem(), 6, seed=4, simulate_fn=fake_simulate)
    np.testing.assert_allclose(better.values("units") - base.values("units"), 100.0)
    assert not np.allclose(other.values("units"), base.values("units"))


def test_local_executor_gives_the_serial_answer() -> None:
    serial = replicate(FakeProblem(), 6, seed=1, simulate_fn=fake_simulate)
    with LocalExecutor(workers=2) as executor:
        parallel = replicate(FakeProblem(), 6, seed=1, simulate_fn=fake_simulate, executor=executor)
    np.testing.assert_array_equal(serial.values("units"), parallel.values("units"))


def test_interrupted_run_is_stored_never_complete_and_resumes(db_url: str) -> None:
    store = RunStore(db_url)
    recording = RunRecording(store, "fake", PLANT_TEXT)
    with pytest.raises(KeyboardInterrupt):
        replicate(
            FakeProblem(interrupt_at=4), 8, seed=2, simulate_fn=fake_simulate, recording=recording
        )
    (run,) = store.list_runs()
    assert run.status == "interrupted" and run.replications == 4
    resumed = replicate(
        FakeProblem(),
        8,
        seed=2,
        simulate_fn=fake_simulate,
        recording=replace(recording, resume_run_id=run.id),
    )
    fresh = replicate(FakeProblem(), 8, seed=2, simulate_fn=fake_simulate)
    np.testing.assert_array_equal(resumed.values("units"), fresh.values("units"))
    final = store.get_run(run.id)
    assert final.status == "complete" and final.replications == 8
    assert math.isclose(final.summary["kpis"]["units"]["mean"], fresh.intervals["units"].mean)
    with pytest.raises(ConfigError, match="already complete"):
        replicate(
            FakeProblem(),
            8,
            seed=2,
            simulate_fn=fake_simulate,
            recording=replace(recording, resume_run_id=run.id),
        )


def test_resume_refuses_a_changed_plant(db_url: str) -> None:
    store = RunStore(db_url)
    recording = RunRecording(store, "fake", PLANT_TEXT)
    with pytest.raises(KeyboardInterrupt):
        replicate(FakeProblem(interrupt_at=1), 3, simulate_fn=fake_simulate, recording=recording)
    changed = RunRecording(store, "fake", PLANT_TEXT + "# edited\n", resume_run_id=1)
    with pytest.raises(ConfigError, match="differs"):
        replicate(FakeProblem(), 3, simulate_fn=fake_simulate, recording=changed)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        replicate(FakeProblem(), 0, simulate_fn=fake_simulate)
    with pytest.raises(ValueError):
        replicate(FakeProblem(), 1, until_halfwidth={"units": 1.0}, simulate_fn=fake_simulate)


CRASHING_RUN = """
import sys
from droneworks.core.store import RunStore
from droneworks.factory.plan.replications import RunRecording, replicate
from tests.factory.plan.fakes import FakeProblem, fake_simulate
store = RunStore(sys.argv[1])
replicate(FakeProblem(crash_at=3), 6, seed=2, simulate_fn=fake_simulate,
          recording=RunRecording(store, "fake", sys.argv[2]))
"""


def test_killed_process_leaves_a_run_that_never_looks_complete(db_url: str) -> None:
    """A hard kill (no exception handler runs) in replication 3 of 6."""
    db = db_url
    repo = Path(__file__).resolve().parents[3]
    env = {**os.environ, "PYTHONPATH": str(repo)}
    done = subprocess.run(
        [sys.executable, "-c", CRASHING_RUN, str(db), PLANT_TEXT],
        env=env,
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 3, done.stderr
    store = RunStore(db)
    (run,) = store.list_runs()
    assert run.status == "running" and run.replications == 3
    recording = RunRecording(store, "fake", PLANT_TEXT, resume_run_id=run.id)
    resumed = replicate(FakeProblem(), 6, seed=2, simulate_fn=fake_simulate, recording=recording)
    fresh = replicate(FakeProblem(), 6, seed=2, simulate_fn=fake_simulate)
    np.testing.assert_array_equal(resumed.values("units"), fresh.values("units"))
    assert store.get_run(run.id).status == "complete"


def test_an_error_marks_the_run_interrupted(db_url: str) -> None:
    store = RunStore(db_url)
    with pytest.raises(ConfigError):
        replicate(
            FakeProblem(),
            3,
            until_halfwidth={"nope": 1.0},
            simulate_fn=fake_simulate,
            recording=RunRecording(store, "fake", PLANT_TEXT),
        )
    (run,) = store.list_runs()
    assert run.status == "interrupted" and run.replications == 3
