"""compile_plant: every example plant compiles and runs; the problem keeps the names."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from droneworks.factory import compile_plant, load_plant, simulate, with_changes

from .engine.checks import assert_little_law, assert_shares_sum_to_one

PLANTS = Path(__file__).resolve().parents[2] / "examples" / "plants"
WEEK_MIN = 10_080.0


@pytest.mark.parametrize("path", sorted(PLANTS.glob("*.toml")), ids=lambda p: p.stem)
def test_example_plants_compile_and_run(path: Path) -> None:
    plant = load_plant(path)
    problem = compile_plant(plant, horizon_min=max(4 * WEEK_MIN, plant.warmup_min + WEEK_MIN))
    assert problem.products == tuple(plant.products)
    assert problem.work_centres == tuple(plant.work_centres)
    assert problem.parts == tuple(plant.parts)
    result = simulate(problem, seed=1)
    assert result.units > 0
    assert_little_law(result, rel=0.25)
    assert_shares_sum_to_one(result)


def test_reference_line_file_matches_the_built_line() -> None:
    import sys

    sys.path.insert(0, str(PLANTS.parents[1] / "benchmarks"))
    from simpy_line import reference_line  # type: ignore[import-not-found, unused-ignore]

    from_file = compile_plant(load_plant(PLANTS / "reference-line.toml"), horizon_min=20_000.0)
    built = reference_line(horizon_min=20_000.0)
    a, b = simulate(from_file, seed=0), simulate(built, seed=0)
    assert a.units == pytest.approx(b.units, rel=0.05)  # same model, stream names differ


def test_more_flight_test_stations_do_not_reduce_output() -> None:
    plant = load_plant(PLANTS / "minsk-100k.toml")
    horizon = 4 * WEEK_MIN
    base = simulate(compile_plant(plant, horizon_min=horizon), seed=0)
    wc = "flight-test" if "flight-test" in plant.work_centres else next(iter(plant.work_centres))
    more = with_changes(plant, stations={wc: plant.work_centres[wc].stations + 2})
    bigger = simulate(compile_plant(more, horizon_min=horizon), seed=0)
    assert bigger.units >= 0.97 * base.units


def test_capacity_change_adds_stations_midway() -> None:
    from droneworks.factory import Dist, ProblemBuilder
    from droneworks.factory.problem import CHANGE_STATIONS

    def line(change: bool) -> object:
        b = ProblemBuilder(horizon_min=20_000.0, period_min=10_000.0)
        b.add_work_centre("w", stations=1)
        b.add_product("p")
        b.add_operation("p", "o", "w", Dist.constant(2.0))
        if change:
            b.add_change(10_000.0, CHANGE_STATIONS, "w", 2)
        return b.build()

    flat = simulate(line(False), seed=0)  # type: ignore[arg-type]
    grown = simulate(line(True), seed=0)  # type: ignore[arg-type]
    assert flat.units == pytest.approx(10_000, abs=1)
    assert grown.units == pytest.approx(15_000, abs=2)
    assert np.diff(grown.output_by_period[:, 0])[0] == pytest.approx(5_000, abs=2)
