"""Model slips fixed: long segments follow the data, routes follow the border, false alerts
come from clutter only, intervals of non-negative figures stay non-negative."""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pytest
from pyproj import Geod
from shapely.geometry import LineString

from droneworks.core.geo import LocalProjection
from droneworks.watch.alerts import AlertParams, TrackLog, TruthLog, score_run
from droneworks.watch.border import Border, BorderSegment, border_from_ids
from droneworks.watch.incursions import generate_incursions
from droneworks.watch.metrics import mean_interval
from droneworks.watch.sensor_defaults import DEFAULT_SENSOR_TYPES
from droneworks.watch.simulate import simulate_run

from .straight_wall import make_wall, place_along, straight_border, threat


@pytest.mark.parametrize("edges", ["geodesic", "lonlat"])
def test_long_segment_follows_the_geodesic_or_the_lonlat_line(edges: str) -> None:
    from droneworks.watch.border import _shipped

    coords = np.asarray(_shipped()["kaliningrad-poland"]["geometry"]["coordinates"])
    geod = Geod(ellps="WGS84")
    steps = [geod.inv(*a, *b)[2] for a, b in itertools.pairwise(coords)]
    longest = int(np.argmax(steps))
    assert steps[longest] > 150_000  # the long straight stretch the issue measured
    start, end = coords[longest], coords[longest + 1]
    on_geodesic = np.asarray(geod.npts(*start, *end, 1))  # pyproj's own midpoint
    on_lonlat = (start + end) / 2
    border = border_from_ids(["kaliningrad-poland"], edges=edges)
    _, offset = border.locate(border.to_local(np.vstack([on_geodesic, on_lonlat])))
    followed, other = (offset[0], offset[1]) if edges == "geodesic" else (offset[1], offset[0])
    assert abs(followed) < 5.0  # it was 1,054 m with the segment straight in the projection
    assert 1_000 < abs(other) < 1_100  # the two readings of the segment part by 1.05 km


def test_lengths_are_pyproj_geodesic_lengths() -> None:
    """Geodesic points keep the line's geodesic length; the local line keeps it to 0.05 %."""
    from droneworks.watch.border import _shipped, densify

    geod = Geod(ellps="WGS84")
    for border_id, feature in _shipped().items():
        line = LineString(feature["geometry"]["coordinates"])
        exact = geod.geometry_length(line)
        assert geod.geometry_length(densify(line)) == pytest.approx(exact, rel=1e-9)
        assert geod.geometry_length(densify(line, edges="lonlat")) >= exact - 1e-6
        border = border_from_ids([border_id])
        assert border.segments[0].map_length_km * 1000 == pytest.approx(exact, rel=1e-9)
        assert border.length_m == pytest.approx(exact, rel=5e-4), border_id  # UTM/TM scale


def sawtooth_border() -> Border:
    """30 km of teeth 2.5 km high, 3 km wide, along +x; the protected side is +y (left)."""
    points = [(1500.0 * i, 2500.0 * (i % 2)) for i in range(21)]
    line = LineString(points)
    segment = BorderSegment("saw", "saw", 0.0, line.length, line.length / 1000)
    return Border("saw", line, LocalProjection.from_crs("EPSG:32634"), (segment,))


def test_routes_start_outside_and_stay_outside_until_they_cross() -> None:
    border = sawtooth_border()
    drones = dataclasses.replace(threat(), count=300, max_crossing_angle_deg=60.0)
    wall = make_wall(border, [], [drones])
    scenario = generate_incursions(wall)
    shortened = 0
    for inc in scenario.incursions:
        times = inc.start_s + np.linspace(0.0, max(inc.approach_m - 10.0, 0.0), 200) / inc.speed_mps
        _, offset = border.locate(inc.positions_m(times))
        assert offset.max() <= 1e-6, inc.index  # never on the protected side before crossing
        shortened += inc.approach_m < drones.approach_m
    # the teeth force some approaches to be drawn again or shortened, never into the area
    assert len(scenario.incursions) == 300 and shortened < 300


def test_false_alerts_come_from_clutter_only() -> None:
    border = straight_border(40_000.0)
    rf = dataclasses.replace(DEFAULT_SENSOR_TYPES["rf"], false_alarms_per_h=0.0)
    sensors = place_along(border, rf, np.arange(2_000.0, 40_000.0, 4_000.0), 1_000.0)
    drones = dataclasses.replace(threat(altitude_m=100.0), count=12)
    wall = dataclasses.replace(make_wall(border, sensors, [drones], [rf]), horizon_s=3600.0)
    runs = [simulate_run(wall, r) for r in range(3)]
    assert sum(len(run.score.alerts.tick) for run in runs) > 0  # the RF wall alerts
    # no clutter: every alert comes from a drone's own emissions, none is false
    assert [run.score.false_alerts for run in runs] == [0, 0, 0]


def _track(track_id: int, rows: np.ndarray) -> TrackLog:
    """Westbound at 10 m/s from 2 km east of the straight border: alerted at tick 141."""
    n = len(rows)
    ticks = np.arange(n)
    return TrackLog(
        ticks.astype(np.int64), np.full(n, track_id, np.int64),
        np.column_stack([502_000.0 - 10.0 * ticks, np.full(n, 5_805_000.0)]),
        np.tile([-10.0, 0.0], (n, 1)), rows.astype(np.int64),
    )  # fmt: skip


def test_alert_goes_to_the_origin_of_the_tracks_detections() -> None:
    border = straight_border(10_000.0)
    # one track fed by detections 0..199; they came from incursion 0 or from clutter
    log = _track(7, np.arange(200))
    far_truth = TruthLog(np.arange(200), np.zeros(200, np.int64), np.full((200, 2), 1e6), 1)
    params = AlertParams(lookahead_s=60.0)
    for origin, false in [(np.zeros(200, np.int64), 0), (np.full(200, -1, np.int64), 1)]:
        truth = dataclasses.replace(far_truth, detection_origin=origin)
        score = score_run(log, truth, border, 1.0, 3600.0, params)
        assert score.false_alerts == false  # truth 1,000 km away: distance would say false
    mixed = np.where(np.arange(200) % 4 == 0, 0, -1)  # one detection in four from the drone
    score = score_run(log, dataclasses.replace(far_truth, detection_origin=mixed), border, 1.0,
                      3600.0, params)  # fmt: skip
    assert score.false_alerts == 1  # mostly clutter


def test_interval_of_a_non_negative_figure_stays_non_negative() -> None:
    values = [0.0, 0.0, 0.0, 0.0, 3.0]
    plain = mean_interval(values)
    assert plain.low < 0  # the symmetric t interval crosses zero
    bounded = mean_interval(values, bounds=(0.0, math.inf))
    assert bounded.low == 0.0 and bounded.high == pytest.approx(plain.high)
    share = mean_interval([1.0] * 19 + [0.0], bounds=(0.0, 1.0))
    assert share.high == 1.0 and share.low > 0


def test_false_alerts_are_counted_per_operator_shift() -> None:
    border = straight_border(10_000.0)
    log = _track(7, np.arange(200))  # a clutter track alerting at tick 141
    truth = TruthLog(np.arange(200), np.zeros(200, np.int64), np.full((200, 2), 1e6), 1,
                     detection_origin=np.full(200, -1, np.int64))  # fmt: skip
    params = AlertParams(lookahead_s=60.0, shift_s=100.0)
    score = score_run(log, truth, border, 1.0, 300.0, params)
    assert int(score.alerts.tick[0]) == 141
    assert score.false_alerts_by_shift == (0, 1, 0)
    assert score.false_alerts_per_shift == pytest.approx(1 / 3)
