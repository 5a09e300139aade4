"""Alerts and their scores on hand-built tracks over a straight 10 km border."""

from __future__ import annotations

import numpy as np
import pytest
from shapely.geometry import LineString

from droneworks.core.geo import LocalProjection
from droneworks.watch.alerts import AlertParams, TrackLog, TruthLog, find_alerts, score_run
from droneworks.watch.border import Border, BorderSegment

# The line runs west → east along y = 0; the protected side is on its left: y > 0.
BORDER = Border(
    name="straight",
    line_m=LineString([(0.0, 0.0), (10_000.0, 0.0)]),
    projection=LocalProjection.for_lonlat(23.5, 52.0),
    segments=(BorderSegment("straight", "Straight", 0.0, 10_000.0, 10.0),),
)


def _northbound(track_id: int, ticks: np.ndarray, x_m: float = 5000.0) -> TrackLog:
    """A track at 10 m/s due north from y = −1000 m at tick 0 (1 s ticks)."""
    y = -1000.0 + 10.0 * ticks
    return TrackLog(
        tick=ticks.astype(np.int64),
        track_id=np.full(len(ticks), track_id, np.int64),
        xy_m=np.column_stack([np.full(len(ticks), x_m), y]),
        velocity_mps=np.tile([0.0, 10.0], (len(ticks), 1)),
        detection=np.full(len(ticks), -1, np.int64),
    )


def _concat(*logs: TrackLog) -> TrackLog:
    return TrackLog(*(np.concatenate([getattr(g, f) for g in logs]) for f in
                      ("tick", "track_id", "xy_m", "velocity_mps", "detection")))  # fmt: skip


def _truth(ticks: np.ndarray) -> TruthLog:
    y = -1000.0 + 10.0 * ticks
    xy = np.column_stack([np.full(len(ticks), 5000.0), y])
    return TruthLog(ticks.astype(np.int64), np.zeros(len(ticks), np.int64), xy, 1, (3,))


TICKS = np.arange(0, 201)


def test_predicted_crossing_alerts_lookahead_before_the_line() -> None:
    # y + 10·τ > 0 for some τ ≤ 60 s first holds when y > −600 m: tick 41 (y = −590 m)
    rows, crossed = find_alerts(_northbound(1, TICKS), BORDER, AlertParams(lookahead_s=60.0))
    assert rows.tolist() == [41]
    assert crossed.tolist() == [0]


def test_alert_time_and_depth_are_exact() -> None:
    score = score_run(_northbound(1, TICKS), _truth(TICKS), BORDER, 1.0, 3600.0,
                      AlertParams(lookahead_s=60.0))  # fmt: skip
    (outcome,) = score.outcomes
    assert outcome.detected
    assert outcome.cross_s == 101.0  # first tick past the line: y = +10 m
    assert outcome.first_alert_s == 41.0
    assert outcome.alert_after_cross_s == -60.0
    assert outcome.depth_at_alert_m == pytest.approx(-590.0)
    assert (outcome.fragments, outcome.switches, outcome.sensors_seen) == (1, 0, 3)
    assert outcome.fragments_to_cross == 1
    assert score.false_alerts == 0
    assert score.gospa_mean_m == pytest.approx(0.0, abs=1e-9)


def test_without_lookahead_the_alert_comes_at_the_crossing() -> None:
    score = score_run(_northbound(1, TICKS), _truth(TICKS), BORDER, 1.0, 3600.0,
                      AlertParams(lookahead_s=0.0))  # fmt: skip
    (outcome,) = score.outcomes
    assert outcome.alert_after_cross_s == 0.0
    assert outcome.depth_at_alert_m == pytest.approx(10.0)
    assert score.alerts.crossed.tolist() == [True]


def test_a_track_far_from_every_drone_is_a_false_alert() -> None:
    ghost = _northbound(7, TICKS, x_m=9000.0)  # 4 km east of the only drone
    score = score_run(_concat(_northbound(1, TICKS), ghost), _truth(TICKS), BORDER, 1.0, 3600.0,
                      AlertParams(lookahead_s=60.0))  # fmt: skip
    assert score.false_alerts == 1
    # 1 false alert over 10 km × 1 h = 0.1 (100 km·h)
    assert score.false_alerts_per_100km_h == pytest.approx(10.0)
    assert score.alerts.target[score.alerts.track_id == 7].tolist() == [-1]


def test_a_broken_track_counts_fragments_and_switches() -> None:
    first, second = _northbound(1, np.arange(0, 51)), _northbound(2, np.arange(56, 201))
    score = score_run(_concat(first, second), _truth(TICKS), BORDER, 1.0, 3600.0, AlertParams())
    (outcome,) = score.outcomes
    assert (outcome.fragments, outcome.switches) == (2, 1)
    assert outcome.fragments_to_cross == 2  # the second track starts at tick 56, crossing 101


def test_a_drone_without_tracks_is_not_detected() -> None:
    empty = _northbound(1, np.arange(0))
    score = score_run(empty, _truth(TICKS), BORDER, 1.0, 3600.0, AlertParams())
    (outcome,) = score.outcomes
    assert not outcome.detected
    assert np.isnan(outcome.first_alert_s)
    assert outcome.fragments == 0
