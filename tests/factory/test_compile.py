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


def test_hiring_steps_follow_the_linear_learning_ramp() -> None:
    from droneworks.factory.compile import hiring_steps

    steps = hiring_steps(1000.0, before=10, after=18, hiring_period_min=400.0)
    assert [at for at, _ in steps] == [1050.0, 1150.0, 1250.0, 1350.0]
    assert [count for _, count in steps] == [12, 14, 16, 18]
    # Worker-minutes lost against full productivity equal the linear ramp's: Δ·H/2.
    lost = sum((at - 1000.0) * (count - prev) for (at, count), prev in
               zip(steps, [10, 12, 14, 16], strict=True))  # fmt: skip
    assert lost == pytest.approx(8 * 400.0 / 2)
    assert hiring_steps(5.0, before=10, after=6, hiring_period_min=400.0) == [(5.0, 6)]
    assert hiring_steps(5.0, before=1, after=3, hiring_period_min=0.0) == [(5.0, 3)]


CREW_PLANT = """
[plant]
name = "crew-bound"
horizon = "3 wk"
seed = 1
[products.drone]
drone_type = "small-multirotor"
[[products.drone.operations]]
work_centre = "bench"
time = "60 min"
worker = "crew"
[work_centres.bench]
stations = 10
[workers.crew]
count = 1
hiring_period = "{hiring}"
[demand]
release = "unlimited"
[[capacity_changes]]
at = "1 wk"
pool = "crew"
workers = 5
"""


def test_hiring_period_delays_output_of_new_workers(tmp_path: Path) -> None:
    def units(hiring: str) -> float:
        path = tmp_path / "crew.toml"
        path.write_text(CREW_PLANT.format(hiring=hiring))
        return simulate(compile_plant(load_plant(path)), seed=3).units

    # Labour-bound: 1 worker for a week (168 units), then 5 (840/week for 2 weeks).
    assert units("0 min") == pytest.approx(168 + 2 * 840, abs=5)
    # Hired workers learning over 2 weeks lose 4 workers x 2 wk / 2 = 672 units' worth.
    assert units("2 wk") == pytest.approx(168 + 2 * 840 - 672, abs=15)
