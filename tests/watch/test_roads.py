"""Routes along the user's roads: on the road, from the neighbour's side, never inside early."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from shapely.geometry import LineString, Point

from droneworks.core.errors import ConfigError
from droneworks.watch.incursions import generate_incursions
from droneworks.watch.routes import plan_routes
from droneworks.watch.wall import load_wall

from .test_bad_input import wall_file

# The test line runs north along 23.0° E (protected side west). A winding road from the east
# crosses it once; a zigzag one three times (in, out, in).
WINDING = [[23.08, 52.01], [23.04, 52.02], [23.02, 52.05], [22.98, 52.045], [22.90, 52.06]]
ZIGZAG = [[23.05, 52.01], [22.97, 52.02], [23.03, 52.04], [22.95, 52.06]]


def road_wall(tmp_path: Path, *roads: list[list[float]], extra: str = "count = 40"):  # type: ignore[no-untyped-def]
    lines = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": f"road {i}"},
         "geometry": {"type": "LineString", "coordinates": road}}
        for i, road in enumerate(roads)
    ]}  # fmt: skip
    (tmp_path / "roads.geojson").write_text(json.dumps(lines), encoding="utf-8")
    change = ('altitude = "50 m"', f'altitude = "50 m"\nroads = "roads.geojson"\n{extra}')
    return load_wall(wall_file(tmp_path, change))


def assert_outside_until_crossing(wall, route) -> None:  # type: ignore[no-untyped-def]
    times = np.linspace(route.start_s, route.end_s, 400)
    _, offset = wall.border.locate(route.positions_m(times))
    before = times < route.cross_s - 2.0 / route.speed_mps
    assert np.all(offset[before] <= 1e-6), "inside before its crossing"
    _, after = wall.border.locate(route.positions_m(np.array([route.cross_s + 5.0])))
    assert after[0] > 0  # inside just after (a zigzag road may take it out again later)


def test_routes_follow_the_road_across_its_crossing(tmp_path: Path) -> None:
    wall = road_wall(tmp_path, WINDING, extra='count = 20\napproach = "3 km"')
    (road,) = wall.threats[0].roads
    crossing_xy = np.asarray(road.intersection(wall.border.line_m).coords)[0]
    for route in plan_routes(wall, np.random.default_rng(1)):
        points = np.asarray(route.waypoints_xy_m)
        assert max(road.distance(Point(p)) for p in points) < 1e-6  # on the road throughout
        assert LineString(points).length == pytest.approx(route.route_m)
        assert route.approach_m == pytest.approx(3000.0)  # the road is longer than that
        at_cross = route.positions_m(np.array([route.cross_s]))[0]
        assert np.hypot(*(at_cross - crossing_xy)) < 1.0
        assert_outside_until_crossing(wall, route)


def test_a_road_that_crosses_back_and_forth_never_starts_inside(tmp_path: Path) -> None:
    wall = road_wall(tmp_path, ZIGZAG, extra='count = 60\napproach = "20 km"')
    routes = plan_routes(wall, np.random.default_rng(2))
    alongs = sorted({round(r.cross_along_m) for r in routes})
    assert len(alongs) == 3  # all three meetings are crossed, whichever way the road runs
    for route in routes:
        assert_outside_until_crossing(wall, route)
        assert route.approach_m < 20_000.0  # cut at the road's end or its earlier meeting


def test_crossings_pick_the_nearest_road_crossing(tmp_path: Path) -> None:
    wall = road_wall(tmp_path, ZIGZAG, [[23.03, 52.08], [22.97, 52.085]], extra=(
        'count = 4\ncrossings = ["9 km", "1 km"]'))  # fmt: skip
    routes = plan_routes(wall, np.random.default_rng(3))
    alongs = [r.cross_along_m for r in routes]
    assert alongs[0] == pytest.approx(alongs[2]) and alongs[1] == pytest.approx(alongs[3])
    assert alongs[0] > 8_500 and alongs[1] < 2_500  # the second road and the zigzag's first


def test_simulation_runs_on_road_routes(tmp_path: Path) -> None:
    wall = road_wall(tmp_path, WINDING)
    scenario = generate_incursions(wall)
    assert len(scenario.incursions) == 40 and np.any(scenario.det_target >= 0)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("count = 1", "threats[0].roads: no road in"),  # the road below misses the line
        ('max_crossing_angle = "10 deg"', '"roads" replaces "route" and "max_crossing_angle"'),
    ],
)
def test_bad_road_files_are_refused_by_name(tmp_path: Path, extra: str, message: str) -> None:
    road = [[23.05, 52.01], [23.02, 52.05]] if extra == "count = 1" else WINDING
    with pytest.raises(ConfigError, match="threats") as error:
        road_wall(tmp_path, road, extra=extra)
    assert message in str(error.value)


def test_a_missing_or_wrong_road_file_names_the_key(tmp_path: Path) -> None:
    change = ('altitude = "50 m"', 'altitude = "50 m"\nroads = "nowhere.geojson"')
    with pytest.raises(ConfigError, match=r"threats\[0\]\.roads: .*nowhere.geojson: no such file"):
        load_wall(wall_file(tmp_path, change))
    (tmp_path / "point.geojson").write_text('{"type": "Point", "coordinates": [23.05, 52.01]}')
    change = ('altitude = "50 m"', 'altitude = "50 m"\nroads = "point.geojson"')
    with pytest.raises(ConfigError, match=r"threats\[0\]\.roads: .*a line must be a LineString"):
        load_wall(wall_file(tmp_path, change))
