"""Smoke test of benchmarks/bench_missions.py's code path on a small size (no timing)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_missions", BENCHMARKS / "bench_missions.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_missions_runs_small() -> None:
    result = _module().bench_field("convex.geojson", repeats=1, headings=6)
    ours, peer = result["droneworks"], result["replan_every_heading"]
    assert ours["covered_ratio"] >= 0.99 and peer["covered_ratio"] >= 0.99
    assert ours["turns"] <= peer["turns"]  # 180 cheap headings vs 6 full plans
    assert result["survey_2cm_gsd"]["photos"] > 0


def test_bench_wind_runs_small() -> None:
    rows = _module().bench_wind("convex.geojson", winds=("6 m/s@180",))
    assert (
        rows[0]["wind_aware_time"]["flight_time_min"]
        <= rows[0]["wind_blind_turns"]["flight_time_min"]
    )
