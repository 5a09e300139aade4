"""Monte Carlo over incursions on the shipped example wall (short horizon)."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pytest

from droneworks.core.progress import RecordingProgress
from droneworks.watch.simulate import simulate, simulate_run

EXAMPLE_WALL = Path(__file__).resolve().parents[2] / "examples" / "walls" / "belarus-poland.toml"


@pytest.fixture(scope="module")
def short_wall():  # type: ignore[no-untyped-def]
    from droneworks.watch.wall import load_wall

    return dataclasses.replace(load_wall(EXAMPLE_WALL), horizon_s=1800.0)


def test_a_run_is_reproducible(short_wall) -> None:  # type: ignore[no-untyped-def]
    a, b = simulate_run(short_wall, 0), simulate_run(short_wall, 0)
    assert np.array_equal(a.log.xy_m, b.log.xy_m)
    first_alerts = [[o.first_alert_s for o in r.score.outcomes] for r in (a, b)]
    assert np.array_equal(*first_alerts, equal_nan=True)
    assert a.score.false_alerts == b.score.false_alerts


@pytest.mark.slow
def test_monte_carlo_summary_has_intervals(short_wall) -> None:  # type: ignore[no-untyped-def]
    progress = RecordingProgress()
    result = simulate(short_wall, runs=3, progress=progress)
    assert progress.updates == [1, 2, 3]
    share = result.overall["detected_share"]
    assert 0.0 <= share.mean <= 1.0 and share.n == 3
    assert set(result.by_threat) == {t.id for t in short_wall.threats}
    rate = result.overall["false_alerts_per_100km_h"]
    assert rate.mean >= 0 and (math.isnan(rate.low) or rate.low <= rate.mean <= rate.high)
    # the example's radar layout sees every drone: each incursion is alerted on
    assert share.mean > 0.8


def test_runs_must_be_positive(short_wall) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="runs"):
        simulate(short_wall, runs=0)
