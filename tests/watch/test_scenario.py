"""Scenario generators: reproducible by seed, with the stated statistics."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from droneworks.watch.incursions import generate_incursions
from droneworks.watch.scenario import ReferenceScenarioParams, reference_tracker_scenario
from droneworks.watch.wall import Wall, load_wall


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


# --- incursions over a wall ------------------------------------------------------------

EXAMPLE_WALL = Path(__file__).resolve().parents[2] / "examples" / "walls" / "belarus-poland.toml"


@pytest.fixture(scope="module")
def short_wall() -> Wall:
    """The Belarus–Poland example over 40 minutes."""
    return dataclasses.replace(load_wall(EXAMPLE_WALL), horizon_s=2400.0)


def test_incursions_are_reproducible_by_seed_and_replication(short_wall: Wall) -> None:
    a = generate_incursions(short_wall, replication=1)
    b = generate_incursions(short_wall, replication=1)
    c = generate_incursions(short_wall, replication=2)
    assert np.array_equal(a.det_xy_m, b.det_xy_m) and np.array_equal(a.det_tick, b.det_tick)
    assert a.incursions == b.incursions
    assert a.incursions != c.incursions


def test_every_route_crosses_the_line_inwards(short_wall: Wall) -> None:
    scenario = generate_incursions(short_wall)
    assert len(scenario.incursions) == sum(t.count for t in short_wall.threats)
    for inc in scenario.incursions:
        start, cross, end = inc.positions_m(np.array([inc.start_s, inc.cross_s, inc.end_s]))
        offsets = short_wall.border.locate(np.array([start, end]))[1]
        assert offsets[0] < 0 < offsets[1]
        assert short_wall.border.locate(cross[None])[1][0] == pytest.approx(0.0, abs=1.0)


def test_sensors_report_only_on_their_scan_ticks(short_wall: Wall) -> None:
    eoir = dataclasses.replace(
        short_wall.sensors[0].type, scan_period_s=3.0, false_alarms_per_h=300.0
    )
    slow = dataclasses.replace(short_wall.sensors[0], type=eoir)
    wall = short_wall.with_sensors((slow, *short_wall.sensors[1:]))
    scenario = generate_incursions(wall)
    ticks = scenario.det_tick[scenario.det_sensor == 0]
    assert len(ticks) > 0
    assert len(np.unique(ticks % 3)) == 1


def test_detections_carry_their_sensor_noise(short_wall: Wall) -> None:
    scenario = generate_incursions(short_wall)
    assert scenario.det_noise.shape == (len(scenario.det_tick), 2, 2)
    assert np.all(np.linalg.eigvalsh(scenario.det_noise) > 0)
    assert np.all(np.diff(scenario.det_tick) >= 0)
    assert (scenario.det_target >= 0).sum() > 0 and (scenario.det_target < 0).sum() > 0
