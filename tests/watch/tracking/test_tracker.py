"""The tracker: track life cycle on hand-built scans, and equality with Stone Soup."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from droneworks.watch.metrics import gospa
from droneworks.watch.scenario import ReferenceScenarioParams, reference_tracker_scenario
from droneworks.watch.tracking import MultiTargetTracker, Scan, TrackerParams

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"


def _straight_line_scans(n_scans: int, missing: set[int]) -> list[Scan]:
    """One target at 20 m/s along x, measured exactly, absent from the ``missing`` scans."""
    return [
        Scan.uniform(
            float(k),
            np.empty((0, 2)) if k in missing else np.array([[20.0 * k, 0.0]]),
            sigma_m=25.0,
        )
        for k in range(n_scans)
    ]


def test_a_target_is_confirmed_at_its_third_detection() -> None:
    tracker = MultiTargetTracker()
    counts = [len(tracker.step(scan)) for scan in _straight_line_scans(5, set())]
    assert counts == [0, 0, 1, 1, 1]
    assert len(tracker.tentative) == 0
    assert tracker.tracks.means[0, 1] == pytest.approx(20.0, abs=2.0)


def test_a_confirmed_track_dies_after_five_misses() -> None:
    tracker = MultiTargetTracker()
    scans = _straight_line_scans(12, missing=set(range(4, 12)))
    counts = [len(tracker.step(scan)) for scan in scans]
    # confirmed at scan 2, detected at 3, missed at 4..8 → deleted at scan 8 (5th miss)
    assert counts == [0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]


def test_a_tentative_track_dies_after_two_misses() -> None:
    tracker = MultiTargetTracker()
    for scan in _straight_line_scans(4, missing={1, 2, 3}):
        tracker.step(scan)
        if scan.time_s == 1.0:
            assert len(tracker.tentative) == 1
    assert len(tracker.tentative) == 0
    assert len(tracker.tracks) == 0


def test_scans_must_come_in_time_order() -> None:
    tracker = MultiTargetTracker()
    tracker.step(Scan.uniform(5.0, np.empty((0, 2)), 25.0))
    with pytest.raises(ValueError, match="earlier"):
        tracker.step(Scan.uniform(4.0, np.empty((0, 2)), 25.0))


def test_bad_tracker_settings_are_rejected() -> None:
    with pytest.raises(ValueError, match="missed_distance"):
        TrackerParams(missed_distance=0.0)


def _load_stonesoup_peer():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "stonesoup_peer", BENCHMARKS / "stonesoup_peer.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("stonesoup_peer", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_same_gospa_as_stone_soup_on_the_reference_scenario() -> None:
    pytest.importorskip("stonesoup")
    peer = _load_stonesoup_peer()
    params = ReferenceScenarioParams(n_targets=10, n_scans=30)
    scenario = reference_tracker_scenario(params, seed=4)
    tracker = MultiTargetTracker()
    ours = [tracker.step(scan).positions_m() for scan in scenario.scans]
    theirs, _ = peer.run_stonesoup(scenario.scans, TrackerParams(), params.sigma_m)
    assert [len(a) for a in ours] == [len(b) for b in theirs]
    assert sum(len(a) for a in ours) > 100  # the tracker did track
    for k in range(10, 30):
        truth = scenario.truth_positions_m(k)
        assert gospa(truth, ours[k]).distance == pytest.approx(
            gospa(truth, theirs[k]).distance, abs=1e-6
        )
        order_ours = np.lexsort(ours[k].T)
        order_theirs = np.lexsort(theirs[k].T)
        assert ours[k][order_ours] == pytest.approx(theirs[k][order_theirs], abs=1e-6)


def test_benchmark_smoke(capsys: pytest.CaptureFixture[str]) -> None:
    """The benchmark's code path on a tiny size prints the required keys."""
    pytest.importorskip("stonesoup")
    _load_stonesoup_peer()
    spec = importlib.util.spec_from_file_location("bench_tracker", BENCHMARKS / "bench_tracker.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    report = bench.main(["--n", "10", "--scans", "15", "--repeats", "1"])
    (row,) = report["results"]
    keys = {"n", "gospa_ours", "gospa_stonesoup", "s_per_scan_ours", "s_per_scan_stonesoup",
            "ratio"}  # fmt: skip
    assert keys <= set(row)
    assert row["gospa_abs_diff"] < 1e-6
    assert '"gospa_ours"' in capsys.readouterr().out


def _two_sensor_tick(k: int, with_second: bool = True) -> list[Scan]:
    """A target at 20 m/s along x seen by sensor 0 and, optionally, sensor 1 (10 m apart)."""
    first = Scan.uniform(float(k), np.array([[20.0 * k, 0.0]]), 25.0, sensor=0)
    second = Scan.uniform(float(k), np.array([[20.0 * k + 10.0, 0.0]]), 25.0, sensor=1)
    return [first, second] if with_second else [first]


def test_two_sensors_on_one_target_make_one_track() -> None:
    tracker = MultiTargetTracker()
    counts = [len(tracker.step_sensors(float(k), _two_sensor_tick(k))) for k in range(6)]
    # both detections of tick 0 feed one tentative track (2 hits), the 3rd hit confirms it
    assert counts == [0, 1, 1, 1, 1, 1]
    assert len(tracker.tentative) == 0
    assert tracker.tracks.hits[0] == 12
    assert tracker.tracks.sensor[0] == 1  # last updated by the second sensor


def test_a_miss_counts_once_per_tick_whatever_the_number_of_sensors() -> None:
    tracker = MultiTargetTracker()
    for k in range(4):
        tracker.step_sensors(float(k), _two_sensor_tick(k))
    empty = Scan.uniform(4.0, np.empty((0, 2)), 25.0)
    tracker.step_sensors(4.0, [empty, Scan.uniform(4.0, np.empty((0, 2)), 25.0, sensor=1)])
    assert tracker.tracks.misses.tolist() == [1]
    tracker.step_sensors(5.0, _two_sensor_tick(5, with_second=False))
    assert tracker.tracks.misses.tolist() == [0]


def test_step_sensors_with_one_scan_equals_step() -> None:
    scenario = reference_tracker_scenario(ReferenceScenarioParams(n_targets=10, n_scans=25), 2)
    a, b = MultiTargetTracker(), MultiTargetTracker()
    for scan in scenario.scans:
        ta, tb = a.step(scan), b.step_sensors(scan.time_s, [scan])
        assert np.array_equal(ta.means, tb.means) and np.array_equal(ta.ids, tb.ids)
