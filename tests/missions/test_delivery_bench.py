"""Smoke test of the deliveries benchmark's code path on a small size (no timings checked)."""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from pathlib import Path
from types import ModuleType


def _bench(repo: Path, name: str) -> ModuleType:
    """The benchmark script ``benchmarks/<name>.py`` as a module."""
    spec = importlib.util.spec_from_file_location(name, repo / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_deliveries_small(repo: Path) -> None:
    module = _bench(repo, "bench_deliveries")
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

    module = _bench(repo, "bench_delivery_descents")
    problem = load_deliveries(repo / "examples" / "deliveries" / "minsk_12.geojson")
    problem = problem.with_fleet(default_catalogue()["manna-class-cargo"], 1)
    params = problem.params
    flat = replace(problem, params=replace(params, release_height_m=params.cruise_alt_m))
    with_descents, without = module.pair_figures(problem), module.pair_figures(flat)
    assert with_descents["median_one_drop_share"] > without["median_one_drop_share"]
    assert with_descents["feasible_pairs"] <= without["feasible_pairs"]
    assert module.plan_figures(problem, iterations=200)["served"] == 12


def test_the_docs_figures_of_the_drop_descents_are_what_the_script_computes(repo: Path) -> None:
    """docs/deliveries.md ("Why more sorties …") quotes bench_delivery_descents.py
    --pairs-only on minsk_100: recompute them and check the paragraph."""
    from droneworks.missions.delivery import load_deliveries

    module = _bench(repo, "bench_delivery_descents")
    shipped = load_deliveries(repo / "examples" / "deliveries" / "minsk_100.toml")
    params = shipped.params
    flat = replace(shipped, params=replace(params, release_height_m=params.cruise_alt_m))
    ours, without = module.pair_figures(shipped), module.pair_figures(flat)
    text = " ".join((repo / "docs" / "deliveries.md").read_text().split())
    assert (
        f"the median drop's one-drop sortie takes {100 * ours['median_one_drop_share']:.0f} % "
        f"of the budget, {ours['feasible_pairs']:,} pairs of drops fit one sortie and "
        f"{ours['drops_pairing_with_none']} drops fit with no other drop"
    ) in text
    assert (
        f"{100 * without['median_one_drop_share']:.0f} %, {without['feasible_pairs']:,} pairs "
        f"and {without['drops_pairing_with_none']} drops"
    ) in text


def test_bench_airspace_small(repo: Path) -> None:
    module = _bench(repo, "bench_airspace")
    result = module.measure(300)
    assert result["vertices"] == 300 and result["peak_mb"] >= 0
    # every leg goes around the zone: longer than the straight 6 radii across it
    assert result["mean_leg_m"] > 6 * module.RADIUS_M
