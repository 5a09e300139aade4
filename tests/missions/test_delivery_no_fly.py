"""No-fly zones of deliveries: validated in the file, flown around, kept out of every file."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from shapely.geometry import LineString, Point, Polygon, box

from droneworks.catalogue import default_catalogue
from droneworks.core.errors import ConfigError
from droneworks.missions.delivery import airspace as airspace_module
from droneworks.missions.delivery import load_deliveries, parse_deliveries, plan_deliveries
from droneworks.missions.delivery.airspace import Airspace
from droneworks.missions.delivery.export import (
    FENCE_CORNERS,
    sortie_file_stem,
    write_delivery_files,
)
from droneworks.missions.delivery.plan import OUT_OF_RANGE, delivery_projection
from droneworks.missions.export import read_qgc_plan, read_wpl
from tests.cli.conftest import Run
from tests.missions.delivery_checks import (
    assert_legs_avoid_no_fly,
    assert_sorties_within_range,
    assert_windows_met_or_reported,
    sortie_replay,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "deliveries" / "minsk_no_fly.toml"
METRES_PER_DEG_LAT = 111_320.0
LON0, LAT0 = 27.693, 53.864


def _at(east_m: float, north_m: float) -> list[float]:
    lon = LON0 + east_m / (METRES_PER_DEG_LAT * math.cos(math.radians(LAT0)))
    return [lon, LAT0 + north_m / METRES_PER_DEG_LAT]


def _square(east_m: float, north_m: float, half_m: float) -> list[list[float]]:
    corners = [(-1, -1), (1, -1), (1, 1), (-1, 1)]
    return [_at(east_m + sx * half_m, north_m + sy * half_m) for sx, sy in corners]


def _file(drops: list[dict[str, Any]], zones: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "bases": [{"name": "depot", "lon": LON0, "lat": LAT0}],
        "fleet": [{"drone": "manna-class-cargo", "count": 1}],
        "drops": drops,
        "no_fly": zones,
    }


def _drop(drop_id: str, east_m: float, north_m: float) -> dict[str, Any]:
    lon, lat = _at(east_m, north_m)
    return {"id": drop_id, "lon": lon, "lat": lat, "payload": "1 kg"}


def test_a_blocked_leg_goes_around_the_zone_by_the_shortest_way() -> None:
    half, margin, far = 200.0, 20.0, 1000.0
    airspace = Airspace([box(-half, -half, half, half)], margin)
    path = airspace.path((-far, 0.0), (far, 0.0))
    assert path is not None and len(path) > 2
    line = LineString(path)
    assert line.distance(box(-half, -half, half, half)) >= margin - 0.01
    # shorter than over the square corners grown by the margin, longer than over the
    # square's own corners (which no path keeping the margin can beat)
    grown = [(-far, 0.0), (-half - margin, half + margin), (half + margin, half + margin)]
    tight = [(-far, 0.0), (-half, half), (half, half), (far, 0.0)]
    assert LineString(tight).length < line.length < LineString([*grown, (far, 0.0)]).length
    assert airspace.path((-far, 0.0), (-far, 500.0)) == ((-far, 0.0), (-far, 500.0))
    assert airspace.length_m((far, 0.0), (-far, 0.0)) == pytest.approx(line.length)


def test_an_enclosed_point_has_no_path() -> None:
    walls = [box(-300, -300, 300, -250), box(-300, 250, 300, 300), box(-300, -300, -250, 300),
             box(250, -300, 300, 300)]  # fmt: skip
    airspace = Airspace(walls, 10.0)
    assert airspace.path((0.0, 0.0), (1000.0, 0.0)) is None
    assert math.isinf(airspace.length_m((0.0, 0.0), (1000.0, 0.0)))


def _coastline(vertices: int, radius_m: float) -> Polygon:
    """A simple polygon of ``vertices`` corners: a wobbly circle with metre-scale jags."""
    rng = np.random.default_rng(7)
    angles = np.linspace(0.0, 2 * math.pi, vertices, endpoint=False)
    radii = radius_m * (1 + 0.08 * np.sin(5 * angles)) + rng.uniform(-3.0, 3.0, vertices)
    return Polygon(np.column_stack([radii * np.cos(angles), radii * np.sin(angles)]))


def _legs_across(radius_m: float, count: int) -> list[tuple[tuple[float, float], ...]]:
    far = 3 * radius_m
    ends = [(far * math.cos(2 * math.pi * k / count), far * math.sin(2 * math.pi * k / count))
            for k in range(count)]  # fmt: skip
    return [(a, (-a[0], 100.0 - a[1])) for a in ends]


def test_a_detailed_zone_is_searched_on_a_simplified_outline_that_keeps_the_margin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    zone, margin = _coastline(2000, 1500.0), 20.0
    simplified = Airspace([zone], margin)
    assert 0 < simplified.tolerance_m <= margin / 2
    assert simplified.corners <= airspace_module._TARGET_CORNERS
    monkeypatch.setattr(airspace_module, "_TARGET_CORNERS", 10**9)  # the exact search
    monkeypatch.setattr(airspace_module, "MAX_CORNERS", 10**9)
    exact = Airspace([zone], margin)
    assert exact.tolerance_m == 0 and exact.corners > 3 * simplified.corners
    # the outline lies within 2 tolerances (+ the 5 cm node offset) of the blocked area, so
    # a path around it turning by at most 2π is at most that distance times 2π longer
    slack = 2 * math.pi * (2 * simplified.tolerance_m + 0.05)
    for a, b in _legs_across(1500.0, 6):
        for airspace in (simplified, exact):
            path = airspace.path(a, b)
            assert path is not None and LineString(path).distance(zone) >= margin - 0.01
        shortest = exact.length_m(a, b)
        assert shortest - 1e-6 <= simplified.length_m(a, b) <= shortest + slack


def test_zones_too_detailed_even_simplified_are_refused_with_a_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(airspace_module, "MAX_CORNERS", 4)
    zone = {"name": "z", "polygon": _square(1000, 0, 200)}
    problem = parse_deliveries(_file([_drop("A", 2000, 0)], [zone]), "drops.toml")
    with pytest.raises(
        ConfigError,
        match=r"no_fly: the no-fly zones \(1\) keep \d+ corners \(at most 4\): too many or too",
    ):
        plan_deliveries(problem, iterations=10)


def test_a_10000_corner_zone_is_planned_around_and_checked(tmp_path: Path) -> None:
    local = _coastline(10_000, 600.0)
    ring = [_at(x + 1500.0, y) for x, y in local.exterior.coords[:-1]]
    zone = {"name": "lake", "polygon": ring}
    data = _file([_drop("A", 3000, 0), _drop("B", 3000, 400)], [zone])
    problem = parse_deliveries(data, "drops.toml")
    plan = plan_deliveries(problem, iterations=50, seed=0)
    assert plan.served == 2 and any(any(sortie.bends_lonlat) for sortie in plan.sorties)
    write_delivery_files(plan, tmp_path)
    for sortie in plan.sorties:
        mission = read_qgc_plan((tmp_path / sortie_file_stem(sortie)).with_suffix(".plan")).plan
        assert assert_legs_avoid_no_fly(plan, mission) > 0
        replay = sortie_replay(plan, sortie, mission)
        assert replay.energy_wh == pytest.approx(sortie.energy_wh, rel=1e-5)
        [exclusion] = [fence for fence in mission.fence_polygons if not fence.inclusion]
        assert len(exclusion.vertices_latlon) <= FENCE_CORNERS + 1  # an autopilot takes it
        fenced = Polygon([(lon, lat) for lat, lon in exclusion.vertices_latlon])
        projection = delivery_projection(problem)
        lake = projection.geometry_to_local(problem.no_fly[0].polygon)
        # the fence's own 0.2 m simplification (fence.py) is all it may cut from the zone
        assert projection.geometry_to_local(fenced).buffer(0.2).contains(lake)


def test_the_example_flies_around_its_zones_in_every_file(tmp_path: Path) -> None:
    problem = load_deliveries(EXAMPLE)
    assert len(problem.no_fly) == 3
    plan = plan_deliveries(problem, iterations=300, seed=0)
    assert plan.served == len(problem.drops) and not plan.infeasible
    assert_sorties_within_range(plan)
    assert_windows_met_or_reported(plan)
    assert any(any(sortie.bends_lonlat) for sortie in plan.sorties)  # the zones are in the way
    write_delivery_files(plan, tmp_path)
    for sortie in plan.sorties:
        stem = tmp_path / sortie_file_stem(sortie)
        written = read_qgc_plan(stem.with_suffix(".plan")).plan
        for mission in (written, read_wpl(stem.with_suffix(".waypoints"))):
            assert assert_legs_avoid_no_fly(plan, mission) > 0
            replay = sortie_replay(plan, sortie, mission)  # the detour's energy is planned
            assert replay.energy_wh == pytest.approx(sortie.energy_wh, rel=1e-5)
            assert replay.energy_wh <= sortie.budget_wh
        exclusions = [f for f in written.fence_polygons if not f.inclusion]
        if any(sortie.bends_lonlat):
            assert exclusions  # the zone it flew around is fenced off
    geo = json.loads((tmp_path / "deliveries.geojson").read_text())
    zones = {
        f["properties"]["name"] for f in geo["features"] if f["properties"]["role"] == "no-fly"
    }
    assert zones == {f"no-fly: {zone.name}" for zone in problem.no_fly}


def test_without_zones_the_example_flies_straight_and_shorter() -> None:
    problem = load_deliveries(EXAMPLE)
    around = plan_deliveries(problem, iterations=300, seed=0)
    from dataclasses import replace

    straight = plan_deliveries(replace(problem, no_fly=()), iterations=300, seed=0)
    assert not any(any(s.bends_lonlat) for s in straight.sorties)
    assert straight.total_distance_m < around.total_distance_m


def test_a_drop_or_base_inside_a_zone_is_named() -> None:
    zone = {"name": "airport", "polygon": _square(1000, 0, 300)}
    data = _file([_drop("A", 2000, 0), _drop("B", 1100, 50)], [zone])
    with pytest.raises(ConfigError) as error:
        parse_deliveries(data, "drops.toml")
    message = str(error.value)
    assert "drops[1] ('B') is inside the no-fly zone 'airport'" in message
    assert message.startswith("drops.toml:") and "\n" not in message
    data["no_fly"] = [{"name": "depot-zone", "polygon": _square(0, 0, 100)}]
    with pytest.raises(ConfigError, match=r"bases\[0\] \('depot'\) is inside .*'depot-zone'"):
        parse_deliveries(data, "drops.toml")


@pytest.mark.parametrize(
    ("zone", "where"),
    [
        ({"name": "z", "polygon": [_at(0, 500), _at(100, 600)]}, r"no_fly\[0\]\.polygon"),
        ({"name": "z", "polygon": [_at(0, 500), _at(300, 800), _at(300, 500), _at(0, 600)]},
         r"no_fly\[0\]\.polygon: not a simple polygon: the ring crosses itself at \[27\."),
        ({"name": "z", "polygon": [_at(0, 500), _at(100, 600), _at(200, 700)]},
         r"no_fly\[0\]\.polygon: the polygon has no area"),
        ({"name": "z", "polygon": [[27.7, 153.9], [27.8, 53.9], [27.8, 54.0]]},
         r"no_fly\[0\]\.polygon: .*not \[lon, lat\]"),
        ({"polygon": _square(0, 800, 100)}, r"no_fly\[0\]\.name"),
    ],
)  # fmt: skip
def test_bad_zones_are_named_by_key_path(zone: dict[str, Any], where: str) -> None:
    with pytest.raises(ConfigError, match=where):
        parse_deliveries(_file([_drop("A", 2000, 0)], [zone]), "drops.toml")


def test_the_margin_is_checked() -> None:
    data = {**_file([_drop("A", 2000, 0)], []), "no_fly_margin": "0 m"}
    with pytest.raises(ConfigError, match="no-fly margin must be 1–1000 m"):
        parse_deliveries(data, "drops.toml")


def test_a_drop_enclosed_by_zones_is_out_of_range_with_the_reason() -> None:
    walls = [
        [_at(1500, 1500), _at(2500, 1500), _at(2500, 1560), _at(1500, 1560)],
        [_at(1500, 2440), _at(2500, 2440), _at(2500, 2500), _at(1500, 2500)],
        [_at(1500, 1500), _at(1560, 1500), _at(1560, 2500), _at(1500, 2500)],
        [_at(2440, 1500), _at(2500, 1500), _at(2500, 2500), _at(2440, 2500)],
    ]
    zones = [{"name": f"wall{i}", "polygon": ring} for i, ring in enumerate(walls)]
    problem = parse_deliveries(_file([_drop("in", 2000, 2000), _drop("out", -800, 0)], zones))
    plan = plan_deliveries(problem, iterations=100)
    [rejected] = plan.infeasible
    assert rejected.drop_id == "in" and rejected.reason == OUT_OF_RANGE
    assert "no-fly zones enclose it" in rejected.detail
    assert [s.drop_id for sortie in plan.sorties for s in sortie.stops] == ["out"]


def test_a_zone_in_geojson(tmp_path: Path) -> None:
    ring = [*_square(1000, 0, 200), _square(1000, 0, 200)[0]]
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [LON0, LAT0]},
         "properties": {"role": "base", "name": "depot"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": _at(2000, 0)},
         "properties": {"id": "A", "payload": "1 kg"}},
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
         "properties": {"role": "no-fly", "name": "stadium"}},
    ]  # fmt: skip
    path = tmp_path / "drops.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    problem = load_deliveries(path)
    assert [zone.name for zone in problem.no_fly] == ["stadium"]
    assert problem.no_fly[0].polygon.contains(Point(_at(1000, 0)))
    features[2]["properties"] = {"role": "drop"}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    with pytest.raises(ConfigError, match=r"features\[2\]: only no-fly zones"):
        load_deliveries(path)
    fleet = problem.with_fleet(default_catalogue()["manna-class-cargo"], 1)
    [sortie] = plan_deliveries(fleet, iterations=50).sorties
    assert sortie.bends(0) and sortie.bends(1)  # out and back around the stadium


def test_deliver_command_on_the_example(run: Run, tmp_path: Path) -> None:
    outcome = run("mission", "deliver", str(EXAMPLE), "--iterations", "200", "--out",
                  str(tmp_path), "--json")  # fmt: skip
    assert outcome.code == 0, outcome.err
    data = json.loads(outcome.out)
    assert data["served"] == 12 and data["all_sorties_within_range"]
    assert data["no_fly_zones"] == ["hospital-helipad", "substation", "prison"]
