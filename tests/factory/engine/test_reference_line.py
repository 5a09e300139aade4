"""The reference line: general kernel, serial fast path and the SimPy program agree exactly."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from droneworks.factory.engine import simulate

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))

from simpy_line import reference_line, simulate_simpy  # type: ignore[import-not-found, unused-ignore]


@pytest.mark.parametrize("exponential", [False, True])
@pytest.mark.parametrize("seed", [0, 7])
def test_engine_and_simpy_count_the_same_units(exponential: bool, seed: int) -> None:
    problem = reference_line(horizon_min=5_000.0, exponential=exponential)
    general = simulate(problem, seed=seed, fast_path=False)
    fast = simulate(problem, seed=seed)
    units_simpy, _ = simulate_simpy(problem, seed=seed)
    assert general.units == fast.units == units_simpy > 1_000


def test_fast_path_gives_the_same_kpis_as_the_general_kernel() -> None:
    problem = reference_line(horizon_min=30_000.0)
    general = simulate(problem, seed=3, fast_path=False)
    fast = simulate(problem, seed=3)
    assert general.kpis.keys() == fast.kpis.keys()
    for name, value in general.kpis.items():
        assert fast.kpis[name] == pytest.approx(value, rel=1e-9, nan_ok=True), name
    assert (general.output_by_period == fast.output_by_period).all()


def test_benchmark_smoke() -> None:
    from bench_engine import main  # type: ignore[import-not-found, unused-ignore]

    outcome = main(["--years", "0.01", "--runs", "1"])
    assert outcome["identical_units"] is True
    assert float(str(outcome["wall_s_engine"])) > 0
