"""Site constraints: allowed and excluded polygons, and a site cost per area."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from droneworks.core.errors import ConfigError
from droneworks.watch.placement_problem import build_problem, candidate_costs, candidate_sites
from droneworks.watch.wall import load_wall

from .test_bad_input import wall_file


def box(lat0: float, lat1: float, **props: float) -> dict:  # type: ignore[type-arg]
    ring = [[22.9, lat0], [23.1, lat0], [23.1, lat1], [22.9, lat1], [22.9, lat0]]
    return {"type": "Feature", "properties": props,
            "geometry": {"type": "Polygon", "coordinates": [ring]}}  # fmt: skip


def test_candidates_respect_allowed_and_excluded_areas(tmp_path: Path) -> None:
    allowed = {"type": "FeatureCollection",
               "features": [box(52.0, 52.05, site_cost_eur=1000.0), box(52.07, 52.1)]}  # fmt: skip
    excluded = {"type": "FeatureCollection", "features": [box(52.02, 52.03)]}
    (tmp_path / "allowed.geojson").write_text(json.dumps(allowed), encoding="utf-8")
    (tmp_path / "excluded.geojson").write_text(json.dumps(excluded), encoding="utf-8")
    plain = load_wall(wall_file(tmp_path))
    path = wall_file(
        tmp_path,
        ('offsets = ["0 m"]',
         'offsets = ["0 m"]\nallowed = "allowed.geojson"\nexcluded = "excluded.geojson"'),
    )  # fmt: skip
    wall = load_wall(path)
    every, kept = candidate_sites(plain), candidate_sites(wall)
    assert 0 < len(kept) < len(every) == 20
    lat = wall.border.to_lonlat(np.array([[c.x_m, c.y_m] for c in kept]))[:, 1]
    inside = ((lat < 52.05) | (lat > 52.07)) & ~((lat > 52.02) & (lat < 52.03))
    assert inside.all()
    costs = candidate_costs(wall, kept)
    assert np.allclose(costs, np.where(lat < 52.05, 1500.0, 500.0))  # acoustic €500 + site
    problem = build_problem(wall)
    assert len(problem.candidates) == len(kept) and np.allclose(problem.costs, costs)


def test_bad_site_files_are_refused(tmp_path: Path) -> None:
    line = {"type": "Feature", "properties": {},
            "geometry": {"type": "LineString", "coordinates": [[23, 52], [23, 53]]}}  # fmt: skip
    (tmp_path / "bad.geojson").write_text(json.dumps(line), encoding="utf-8")
    path = wall_file(tmp_path, ('offsets = ["0 m"]', 'offsets = ["0 m"]\nallowed = "bad.geojson"'))
    with pytest.raises(ConfigError, match=r"placement.allowed: features\[0\]: a site area"):
        load_wall(path)
    priced = {"type": "FeatureCollection", "features": [box(52.0, 52.1, site_cost_eur=-5.0)]}
    (tmp_path / "bad.geojson").write_text(json.dumps(priced), encoding="utf-8")
    with pytest.raises(ConfigError, match="site_cost_eur: not an amount"):
        load_wall(path)


def test_placement_keeps_existing_sensors_and_builds_around_them(tmp_path: Path) -> None:
    from droneworks.watch.placement import solve_greedy, solve_milp

    wall = load_wall(wall_file(tmp_path))  # 10 acoustic nodes every 1 km, half the line
    fresh = solve_milp(build_problem(wall), target=0.9, mip_rel_gap=0.0)
    problem = build_problem(wall, keep_existing=True)
    assert problem.n_kept == 10 and not problem.costs[:10].any()
    kept = solve_milp(problem, target=0.9, mip_rel_gap=0.0)
    existing = {s.id for s in wall.sensors}
    assert kept.feasible and min(kept.shares.values()) >= 0.9
    assert not existing & {s.id for s in kept.sensors}  # only new sensors are reported
    assert kept.cost_eur < fresh.cost_eur  # the existing half of the line is free
    greedy = solve_greedy(problem, target=0.9)
    assert greedy.feasible and kept.cost_eur <= greedy.cost_eur
