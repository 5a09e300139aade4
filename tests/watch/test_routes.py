"""Waypoint routes: turns and altitude changes relative to the crossing point."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from droneworks.core.errors import ConfigError
from droneworks.watch.incursions import generate_incursions
from droneworks.watch.wall import load_wall

from .test_bad_input import wall_file

ROUTE = """route = [
  { offset = "-4 km", altitude = "120 m" },
  { along = "1 km", offset = "-1 km", altitude = "30 m" },
  { offset = "0 m" },
  { along = "-2 km", offset = "2 km", altitude = "80 m" },
  { offset = "3 km" },
]
crossings = ["5 km"]
count = 2"""


def test_route_turns_and_changes_altitude_around_the_crossing(tmp_path: Path) -> None:
    path = wall_file(tmp_path, ('altitude = "50 m"', 'altitude = "50 m"\n' + ROUTE))
    wall = load_wall(path)
    scenario = generate_incursions(wall)
    first = scenario.incursions[0]
    border = wall.border
    expected = border.points_at(np.array([5000.0, 6000.0, 5000.0, 3000.0, 5000.0]),
                                np.array([-4000.0, -1000.0, 0.0, 2000.0, 3000.0]))  # fmt: skip
    assert np.allclose(first.waypoints_xy_m, expected)
    assert first.waypoints_alt_m == (120.0, 30.0, 30.0, 80.0, 80.0)
    # the drone reaches the crossing waypoint at cross_s, at 30 m
    at_cross = first.positions_m(np.array([first.cross_s]))
    assert np.allclose(at_cross, expected[2], atol=1e-6)
    assert first.altitudes_m(np.array([first.cross_s]))[0] == pytest.approx(30.0)
    mine = scenario.truth_target == 0
    altitudes = scenario.truth_alt_m[mine]
    assert altitudes.max() <= 120.0 and altitudes.min() >= 30.0 and np.ptp(altitudes) > 80
    _, offset = border.locate(scenario.truth_xy_m[mine])
    times = scenario.truth_tick[mine] * scenario.tick_s
    assert np.all(offset[times < first.cross_s - 1.0] < 0)  # outside before the crossing


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ('route = [{ offset = "-1 km" }]', "at least two waypoints"),
        ('route = [{ offset = "1 km" }, { offset = "2 km" }]', "starts on the neighbour's side"),
        (
            'route = [{ offset = "-1 km" }, { offset = "1 km" }]\napproach = "2 km"',
            '"route" replaces approach',
        ),
    ],
)
def test_bad_routes_are_refused(tmp_path: Path, route: str, message: str) -> None:
    path = wall_file(tmp_path, ('altitude = "50 m"', 'altitude = "50 m"\n' + route))
    with pytest.raises(ConfigError, match=message):
        load_wall(path)
