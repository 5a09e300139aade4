"""Scenario generators: reproducible by seed, with the stated statistics."""

from __future__ import annotations

import numpy as np
import pytest

from droneworks.watch.scenario import ReferenceScenarioParams, reference_tracker_scenario


def test_reference_scenario_is_reproducible_by_seed() -> None:
    params = ReferenceScenarioParams(n_targets=10, n_scans=20)
    a = reference_tracker_scenario(params, seed=3)
    b = reference_tracker_scenario(params, seed=3)
    c = reference_tracker_scenario(params, seed=4)
    assert np.array_equal(a.truth, b.truth)
    assert all(
        np.array_equal(x.positions_m, y.positions_m) for x, y in zip(a.scans, b.scans, strict=True)
    )
    assert not np.array_equal(a.truth, c.truth)


def test_reference_scenario_statistics() -> None:
    params = ReferenceScenarioParams(n_targets=100, n_scans=50)
    scenario = reference_tracker_scenario(params, seed=0)
    assert scenario.truth.shape == (50, 100, 4)
    speeds = np.hypot(scenario.truth[0, :, 1], scenario.truth[0, :, 3])
    assert speeds.min() >= 10.0 and speeds.max() <= 40.0
    assert scenario.truth[0, :, [0, 2]].min() >= 0.0
    assert scenario.truth[0, :, [0, 2]].max() <= params.side_m
    target_detections = sum(len(s) for s in scenario.scans) - sum(scenario.n_clutter)
    assert target_detections / (50 * 100) == pytest.approx(0.9, abs=0.02)
    assert np.mean(scenario.n_clutter) == pytest.approx(10.0, abs=1.5)
    assert [s.time_s for s in scenario.scans] == [float(k) for k in range(50)]
