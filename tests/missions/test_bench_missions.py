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


def _flyable() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_flyable", BENCHMARKS / "bench_flyable.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_flyable_reads_an_rtl_as_a_straight_return_and_times_20ha() -> None:
    from droneworks.missions.export import MavCmd, MissionPlan, return_to_launch, takeoff, waypoint

    module = _flyable()
    mission = MissionPlan(
        "rtl", 27.6, 53.9, items=(takeoff(27.6, 53.9, 60), waypoint(27.61, 53.9, 60),
                                  return_to_launch()),
    )  # fmt: skip
    items = module._without_rtl(mission).items
    assert [item.command for item in items][-2:] == [MavCmd.NAV_WAYPOINT, MavCmd.NAV_LAND]
    assert (items[-2].lon, items[-2].lat, items[-2].alt) == (27.6, 53.9, 60)
    figures = module.time_20ha(repeats=1)
    assert figures["covered_ratio"] >= 0.995 and figures["legs_through_holes"] == 0
