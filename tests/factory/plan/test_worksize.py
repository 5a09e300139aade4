"""Work-size guards: a factory run estimated at hours of CPU or millions of units a
replication is refused before it starts, with the estimate, the limit and the override."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from droneworks.core.errors import ConfigError
from droneworks.core.limits import MAX_SIMULATED_STEPS, MAX_UNITS_PER_RUN
from droneworks.core.units import MINUTES_PER_YEAR
from droneworks.factory.model import with_changes
from droneworks.factory.plan.roughcut import annual_demand, rough_cut, steps_per_mix_unit
from droneworks.factory.plan.runs import load_for_run
from droneworks.factory.plan.worksize import check_work_size, run_size
from tests.cli.conftest import Run, run  # noqa: F401  (the CLI fixture)

EXAMPLES = Path(__file__).parents[3] / "examples"
LINE = EXAMPLES / "plants" / "reference-line.toml"
PLANT_2K = EXAMPLES / "plants" / "minsk-2k.toml"


def test_unlimited_release_makes_the_bottleneck_capacity() -> None:
    plant, _ = load_for_run(LINE, 3.0)
    size = run_size(plant)
    cut = rough_cut(plant)
    assert size.years == 3.0
    assert size.units == pytest.approx(3.0 * cut.max_output_per_year)
    assert size.steps == pytest.approx(size.units * 10)  # ten stations in series, no rework


def test_a_demand_below_capacity_makes_the_demand() -> None:
    plant, _ = load_for_run(PLANT_2K)
    demand, cut = annual_demand(plant), rough_cut(plant)
    assert demand is not None and demand < cut.max_output_per_year
    years = plant.horizon_min / MINUTES_PER_YEAR
    assert run_size(plant).units == pytest.approx(demand * years)
    capacity = run_size(plant, capacity=True)  # orders always waiting: the bottleneck's rate
    assert capacity.units == pytest.approx(cut.max_output_per_year * years)
    assert capacity.steps == pytest.approx(capacity.units * steps_per_mix_unit(plant, cut.mix))


def test_units_of_one_run_are_bounded() -> None:
    plant, _ = load_for_run(LINE)
    per_year = run_size(plant).units / (plant.horizon_min / MINUTES_PER_YEAR)
    over = math.ceil(MAX_UNITS_PER_RUN / per_year) + 1
    long = with_changes(plant, horizon_min=over * MINUTES_PER_YEAR)
    with pytest.raises(ConfigError, match=r"makes about [\d,]+ units .*at most 10,000,000"):
        check_work_size(long, 1, "--years")
    check_work_size(long, 1, "--years", guard=False)  # --no-size-guard
    short = with_changes(plant, horizon_min=(over - 2) * MINUTES_PER_YEAR)
    check_work_size(short, 1, "--years")


def test_steps_over_all_replications_are_bounded() -> None:
    plant, _ = load_for_run(LINE)
    most = int(MAX_SIMULATED_STEPS // run_size(plant).steps)
    check_work_size(plant, most, "--reps")
    with pytest.raises(ConfigError, match=r"--reps: [\d,]+ runs of 1 yr .* operation steps"):
        check_work_size(plant, most + 1, "--reps")
    check_work_size(plant, most + 1, "--reps", guard=False)


def _one_line(invoke: Run, *args: str) -> str:
    outcome = invoke(*args)
    assert outcome.code == 1 and outcome.out == "", outcome
    lines = outcome.err.strip().splitlines()
    assert lines[-1].startswith("ConfigError: ") and "--no-size-guard" in lines[-1], lines
    return lines[-1]


def test_cli_refuses_hours_of_work(run: Run, tmp_path: Path) -> None:  # noqa: F811
    db = str(tmp_path / "runs.db")
    line = _one_line(run, "factory", "simulate", str(LINE), "--years", "1000")
    assert "1,000 yr of reference serial line" in line
    line = _one_line(
        run, "factory", "replicate", str(PLANT_2K), "--reps", "10000", "--max-reps", "10000",
        "--years", "100", "--db", db,
    )  # fmt: skip
    assert line.startswith("ConfigError: --reps 10000 (twice:")
    line = _one_line(
        run, "factory", "size", str(LINE), "--target", "200000/yr", "--reps", "2000",
        "--max-evaluations", "1000", "--db", db,
    )  # fmt: skip
    assert "--max-evaluations 1000 × --reps 2000" in line
    assert not Path(db).exists()  # refused before the runs database was created


def test_cli_refuses_an_experiment_of_hours(run: Run, tmp_path: Path) -> None:  # noqa: F811
    source = (EXAMPLES / "experiments" / "minsk-100k-risk.toml").read_text(encoding="utf-8")
    big = source.replace("points = 32", "points = 5000").replace("reps = 5", "reps = 100")
    big = big.replace('plant = "../plants/', f'plant = "{EXAMPLES}/plants/')
    path = tmp_path / "big.toml"
    path.write_text(big, encoding="utf-8")
    line = _one_line(run, "factory", "experiment", str(path), "--db", str(tmp_path / "r.db"))
    assert "5,000 points × 100 replications" in line


def test_cli_refuses_a_delivery_search_of_hours(run: Run) -> None:  # noqa: F811
    drops = str(EXAMPLES / "deliveries" / "minsk_100.toml")
    line = _one_line(run, "mission", "deliver", drops, "--iterations", "5000000")
    assert "--iterations 5,000,000 on 100 drops" in line
