"""Capacity sizing finds the known cheapest change on a tiny plant with a fake simulator."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from scipy import stats

from droneworks.factory.model import load_plant
from droneworks.factory.plan.roughcut import rough_cut
from droneworks.factory.plan.sizing import size
from droneworks.factory.plan.sizing_space import Configuration, Limits, annual_cost
from tests.factory.plan.fakes import (
    FAKE_CV,
    FAKE_EFFICIENCY,
    capacity_simulate,
    identity_compile,
)

DATA = Path(__file__).parent / "data"


def brute_force_cheapest(plant, target: float, confidence: float) -> tuple[float, Configuration]:
    """Every allowed configuration, with the fake's exact probability (no simulation)."""
    base = Configuration.of(plant)
    best: tuple[float, Configuration] | None = None
    for frame, test, workers, shifts in itertools.product(
        range(2, 7), range(1, 4), range(2, 7), range(1, 4)
    ):
        config = base.with_value("stations", "frame", frame).with_value("stations", "test", test)
        config = config.with_value("workers", "assemblers", workers)
        config = config.with_value("shifts", "shifts", shifts)
        mean = FAKE_EFFICIENCY * rough_cut(config.apply(plant)).max_output_per_year
        probability = stats.norm.sf(target, loc=mean, scale=FAKE_CV * mean)
        cost = annual_cost(plant, config) - annual_cost(plant, base)
        if probability >= confidence and (best is None or cost < best[0]):
            best = (cost, config)
    assert best is not None
    return best


def test_sizing_finds_the_known_cheapest_change() -> None:
    plant = load_plant(DATA / "tiny_cell.toml")
    expected_cost, expected = brute_force_cheapest(plant, 15000.0, 0.95)
    result = size(
        plant, 15000.0, 0.95, reps=10, simulate_fn=capacity_simulate, compile_fn=identity_compile
    )
    assert result.best is not None and result.verified
    assert result.best.config == expected
    assert result.best.extra_cost_per_year == pytest.approx(expected_cost)
    assert result.best.changes == "frame 2→3 stations, assemblers 2→3 workers/shift"
    assert not result.base.feasible
    labels = [e.label for e in result.tried]
    assert labels[:2] == ["plant as is", "rough-cut bound"]
    assert len({e.config for e in result.tried}) == len(result.tried)  # each tried once
    assert result.verification is not None and result.verification.seed != result.best.seed
    for evaluation in result.tried:
        assert 0.0 <= evaluation.probability <= 1.0
        assert evaluation.wilson[0] <= evaluation.successes / evaluation.n <= evaluation.wilson[1]


def test_sizing_reports_infeasible_targets_and_met_targets() -> None:
    plant = load_plant(DATA / "tiny_cell.toml")
    hopeless = size(plant, 1e7, reps=3, simulate_fn=capacity_simulate, compile_fn=identity_compile)
    assert hopeless.best is None and "limit" in hopeless.reason
    easy = size(plant, 1000.0, reps=3, simulate_fn=capacity_simulate, compile_fn=identity_compile)
    assert easy.best is easy.base and easy.best.extra_cost_per_year == 0.0
    assert easy.verified


def test_limits_come_from_the_plant_file() -> None:
    plant = load_plant(DATA / "tiny_cell.toml")
    limits = Limits.of(plant)
    assert limits.max_stations == {"frame": 6, "test": 3}
    assert limits.max_workers == {"assemblers": 6}
    assert limits.max_shifts == 3
    with pytest.raises(ValueError, match="levers"):
        Limits.of(plant, ("robots",))
