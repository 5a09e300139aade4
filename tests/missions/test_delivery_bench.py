"""Smoke test of the deliveries benchmark's code path on a small size (no timings checked)."""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from pathlib import Path


def test_bench_deliveries_small(repo: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "bench_deliveries", repo / "benchmarks" / "bench_deliveries.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.benchmark(drops=12, drones=2, runtime_s=0.2, seeds=[0])
    ours = result["droneworks"]["median"]
    assert ours["trips_over_range"] == 0 and ours["late_drops"] == 0
    assert ours["served"] + len(result["droneworks"]["runs"][0]["infeasible"]) == 12
    for peer in ("pyvrp_multitrip", "pyvrp_route_max_distance"):
        assert result[peer]["median"]["trips"] >= 1
        assert result[peer]["median"]["trips_over_range"] >= 0


def test_bench_delivery_descents_small(repo: Path) -> None:
    from droneworks.catalogue import default_catalogue
    from droneworks.missions.delivery import load_deliveries

    spec = importlib.util.spec_from_file_location(
        "bench_delivery_descents", repo / "benchmarks" / "bench_delivery_descents.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    problem = load_deliveries(repo / "examples" / "deliveries" / "minsk_12.geojson")
    problem = problem.with_fleet(default_catalogue()["manna-class-cargo"], 1)
    params = problem.params
    flat = replace(problem, params=replace(params, release_height_m=params.cruise_alt_m))
    with_descents, without = module.pair_figures(problem), module.pair_figures(flat)
    assert with_descents["median_one_drop_share"] > without["median_one_drop_share"]
    assert with_descents["feasible_pairs"] <= without["feasible_pairs"]
    assert module.plan_figures(problem, iterations=200)["served"] == 12
