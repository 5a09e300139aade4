"""Delivery files: unique names, deterministic CLI plans."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

import pytest
from shapely.geometry import Point, Polygon

from droneworks.catalogue import default_catalogue
from droneworks.missions.delivery import (
    Base,
    DeliveryProblem,
    Drop,
    FleetGroup,
    plan_deliveries,
)
from droneworks.missions.delivery.export import (
    Release,
    release_extra_s,
    with_release_time,
    write_delivery_files,
)
from droneworks.missions.export import MavCmd, MissionPlan, read_qgc_plan, read_wpl
from droneworks.missions.fence import DEFAULT_RALLY_ALT_M
from tests.cli.conftest import Run
from tests.missions.delivery_checks import sortie_replay

MANNA = default_catalogue()["manna-class-cargo"]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "deliveries"
METRES_PER_DEG_LAT = 111_320.0


def _at(base: Base, east_m: float, north_m: float) -> tuple[float, float]:
    lon = base.lon + east_m / (METRES_PER_DEG_LAT * math.cos(math.radians(base.lat)))
    return lon, base.lat + north_m / METRES_PER_DEG_LAT


def two_hubs_with_colliding_names() -> DeliveryProblem:
    """Bases "hub.1" and "hub-1" (the same file-name slug), one drone and three drops each."""
    first = Base("hub.1", 27.693, 53.864, 210.0)
    second = Base("hub-1", 27.720, 53.880, 215.0)
    drops = [
        Drop(f"{base.name}/{index}", *_at(base, 400.0 * index, -300.0 * index), 1.0)
        for base in (first, second)
        for index in (1, 2, 3)
    ]
    fleet = (FleetGroup(MANNA, 1, first.name), FleetGroup(MANNA, 1, second.name))
    return DeliveryProblem("hubs", (first, second), fleet, tuple(drops))


def test_bases_with_the_same_slug_get_distinct_files(tmp_path: Path) -> None:
    plan = plan_deliveries(two_hubs_with_colliding_names(), iterations=200)
    written = write_delivery_files(plan, tmp_path)
    plans = [path for path in written if path.suffix == ".plan"]
    assert len(plans) == len(plan.sorties) == len(set(plans))
    assert len(list(tmp_path.glob("*.plan"))) == len(plan.sorties)
    homes = {read_qgc_plan(path).plan.home_alt_amsl_m for path in plans}
    assert homes == {210.0, 215.0}  # both bases' sorties survived


def test_deliver_is_deterministic_by_default(run: Run) -> None:
    args = ("mission", "deliver", str(EXAMPLES / "minsk_30.toml"), "--json")
    first, second = run(*args), run(*args)
    assert first.code == 0, first.err
    one, two = json.loads(first.out), json.loads(second.out)
    assert one["sortie_list"] == two["sortie_list"]


def test_delivery_plans_carry_a_fence_around_their_drops(tmp_path: Path) -> None:
    problem = two_hubs_with_colliding_names()
    plan = plan_deliveries(problem, iterations=200)
    written = [p for p in write_delivery_files(plan, tmp_path) if p.suffix == ".plan"]
    assert len(written) == len(plan.sorties)
    for path, sortie in zip(written, plan.sorties, strict=True):  # written in sortie order
        mission = read_qgc_plan(path).plan
        fence = [p for p in mission.fence_polygons if p.inclusion]
        assert len(fence) == 1
        polygon = Polygon([(lon, lat) for lat, lon in fence[0].vertices_latlon])
        for lon, lat in mission.positions_lonlat():
            assert polygon.contains(Point(lon, lat))
        for stop in sortie.stops:  # ≥ ~7 m inside (1e-4° of latitude is 11 m)
            assert polygon.contains(Point(stop.lon, stop.lat).buffer(1e-4))
        base = problem.base(sortie.base)
        rally = mission.rally_points[0]
        assert (rally.lat, rally.lon) == (base.lat, base.lon)
        assert rally.alt_m == max(problem.params.cruise_alt_m, DEFAULT_RALLY_ALT_M)


def _drop_items(mission: MissionPlan) -> list[list[int]]:
    """Commands between descending from cruise altitude over a drop and climbing back."""
    cruise = mission.items[0].alt
    tops = [
        index
        for index, item in enumerate(mission.items)
        if item.command == MavCmd.NAV_WAYPOINT and item.alt == cruise
    ]
    return [
        [item.command for item in mission.items[first + 1 : last]]
        for first, last in itertools.pairwise(tops)
        if (mission.items[first].lat, mission.items[first].lon)
        == (mission.items[last].lat, mission.items[last].lon)
    ]


@pytest.mark.parametrize(
    ("release", "commands"),
    [
        (Release.GRIPPER, [MavCmd.NAV_WAYPOINT, MavCmd.DO_GRIPPER]),
        (Release.PAYLOAD_PLACE, [MavCmd.NAV_WAYPOINT, MavCmd.NAV_PAYLOAD_PLACE]),
        (
            Release.WINCH,
            [MavCmd.NAV_WAYPOINT, MavCmd.DO_WINCH, MavCmd.NAV_WAYPOINT, MavCmd.DO_GRIPPER,
             MavCmd.DO_WINCH, MavCmd.NAV_WAYPOINT],
        ),
    ],
)  # fmt: skip
def test_payload_release_modes(release: Release, commands: list[int], tmp_path: Path) -> None:
    problem = with_release_time(two_hubs_with_colliding_names(), release)
    plan = plan_deliveries(problem, iterations=200)
    written = [
        p for p in write_delivery_files(plan, tmp_path, release=release) if p.suffix == ".plan"
    ]
    for path, sortie in zip(written, plan.sorties, strict=True):
        mission = read_qgc_plan(path).plan
        groups = _drop_items(mission)
        assert groups == [commands] * len(sortie.stops)
        hold_s = sum(i.params[0] for i in mission.items if i.command == MavCmd.NAV_WAYPOINT)
        params = problem.params
        drop_s = (params.drop_time_min + params.after_release_min) * 60
        planned_s = sum(s.wait_min * 60 + drop_s for s in sortie.stops)
        assert hold_s == pytest.approx(planned_s)  # the planner counts what the file hovers
        extra_s = release_extra_s(release, problem.params.release_height_m)
        assert (extra_s > 0) == (release is Release.WINCH)
        # every file kind replays to the planned energy and time, within the budget
        for flown in (mission, read_wpl(path.with_suffix(".waypoints"))):
            replay = sortie_replay(plan, sortie, flown)
            assert replay.energy_wh == pytest.approx(sortie.energy_wh, rel=1e-5)
            assert replay.time_min == pytest.approx(sortie.landing_min - sortie.takeoff_min)
            assert replay.energy_wh <= sortie.budget_wh
            assert replay.released_kg == pytest.approx(sortie.takeoff_payload_kg)


def test_deliver_release_option(run: Run, tmp_path: Path) -> None:
    drops = str(EXAMPLES / "minsk_12.geojson")
    fleet = ("--drone", "manna-class-cargo", "--drones", "2", "--iterations", "200")
    bad = run("mission", "deliver", drops, *fleet, "--release", "parachute")
    assert bad.code == 1 and "--release must be one of gripper, payload-place, winch" in bad.err
    gripper = json.loads(run("mission", "deliver", drops, *fleet, "--json").out)
    winch = run("mission", "deliver", drops, *fleet, "--release", "winch", "--json")
    assert winch.code == 0, winch.err
    data = json.loads(winch.out)
    assert data["release"] == "winch"
    assert sum(s["energy_wh"] for s in data["sortie_list"]) > sum(
        s["energy_wh"] for s in gripper["sortie_list"]
    )  # the winch's extra hover is planned, not only flown
