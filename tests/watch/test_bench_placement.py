"""Smoke test: the placement benchmark's code path on a tiny wall (no timing asserted)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).parents[2] / "benchmarks" / "bench_placement.py"

TINY = """
name = "tiny"
[border]
geojson = "line.geojson"
[[threats]]
id = "mr"
drone = "small-multirotor"
[placement]
types = ["acoustic", "rf"]
spacing = "1 km"
offsets = ["0 m"]
"""


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_placement", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_runs_both_solvers_side_by_side(tmp_path: Path) -> None:
    line = {"type": "LineString", "coordinates": [[23.0, 52.0], [23.0, 52.1]]}
    (tmp_path / "line.geojson").write_text(json.dumps(line), encoding="utf-8")
    wall = tmp_path / "tiny.toml"
    wall.write_text(TINY, encoding="utf-8")
    result = load_bench().run(wall, 0.9, 30.0)
    json.dumps(result)
    assert result["greedy_feasible"] and result["milp_feasible"]
    assert result["milp_cost_eur"] <= result["greedy_cost_eur"]
    assert result["rows_after_merge"] <= result["rows_before_merge"]


def test_bench_compares_point_coverage_with_the_barrier(tmp_path: Path) -> None:
    line = {"type": "LineString", "coordinates": [[23.0, 52.0], [23.0, 52.1]]}
    (tmp_path / "line.geojson").write_text(json.dumps(line), encoding="utf-8")
    wall = tmp_path / "tiny.toml"
    wall.write_text(TINY, encoding="utf-8")
    result = load_bench().compare_barrier(wall, 0.9, 0.9, 30.0)
    json.dumps(result)
    assert result["barrier_worst_path_pd"] >= 0.9
    assert result["point_paths_below_p"] >= 0 and 0 <= result["point_worst_path_pd"] <= 1
