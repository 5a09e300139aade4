"""The reference line: the engine and the SimPy program agree exactly."""

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
    engine = simulate(problem, seed=seed)
    units_simpy, _ = simulate_simpy(problem, seed=seed)
    assert engine.units == units_simpy > 1_000


def test_benchmark_smoke() -> None:
    from bench_engine import main  # type: ignore[import-not-found, unused-ignore]

    outcome = main(["--years", "0.01", "--runs", "1"])
    assert outcome["identical_units"] is True
    assert float(str(outcome["line_cpu_s_engine"])) > 0
    assert float(str(outcome["assembly_units_engine"])) > 0
