"""The assembly benchmark plant: the droneworks engine and the independent SimPy program
(benchmarks/simpy_assembly.py) describe the same plant and agree in distribution."""

from __future__ import annotations

import json
import math
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from droneworks.factory.compile import compile_plant
from droneworks.factory.engine import simulate
from droneworks.factory.model import load_plant
from droneworks.factory.model.distributions import Distribution

REPO = Path(__file__).resolve().parents[3]
PLANT = REPO / "examples" / "plants" / "assembly-benchmark.toml"
sys.path.insert(0, str(REPO / "benchmarks"))

import simpy_assembly as peer  # type: ignore[import-not-found, unused-ignore]  # noqa: E402

SEEDS = range(8)
HORIZON_MIN = 0.1 * peer.MINUTES_PER_YEAR  # five weeks: ~7,500 drones per run
# Two-sided 99.9 % normal quantile: with several KPIs compared, a false alarm stays rare.
Z = 3.29
COMPARED = (
    "units",
    "lead_time_mean_min",
    "wip_mean",
    "reworks",
    "yield_first_pass",
    "wc.test.working",
    "wc.assembly.working",
    "wc.frame-bond.working",
    "wc.harness-solder.working",
)


def _spec(distribution: Distribution) -> tuple[Any, ...]:
    """A plant-file distribution in the SimPy program's notation."""
    kind = distribution.dist.value
    keys = {
        "lognormal": ("mean", "cv"),
        "triangular": ("low", "mode", "high"),
        "uniform": ("low", "high"),
        "exponential": ("mean",),
    }[kind]
    return (kind, *(getattr(distribution, key) for key in keys))


def test_the_simpy_program_models_the_plant_file() -> None:
    plant = load_plant(PLANT)
    operations = {
        op.work_centre: op
        for item in [*plant.products.values(), *plant.assemblies.values()]
        for op in item.operations
    }
    test = operations["test"].test
    assert test is not None
    rework = test.rework[0]
    for name, (spec, stations, buffer, (up, repair)) in peer.WORK_CENTRES.items():
        centre = plant.work_centres[name]
        time = rework.time if name == "rework" else operations[name].time
        assert _spec(time) == spec, name
        assert (centre.stations, centre.buffer) == (stations, buffer), name
        (failure,) = centre.failures
        assert failure.basis.value == "calendar" and failure.preempts, name
        assert (_spec(failure.up_time), _spec(failure.repair)) == (
            ("exponential", up),
            ("exponential", repair),
        ), name
    assert {
        name: [op.work_centre for op in item.operations] for name, item in plant.assemblies.items()
    } == {name: list(line) for name, line in peer.FEEDERS.items()}
    for assembly in plant.assemblies.values():
        assert assembly.target_stock == assembly.initial_stock == peer.BASE_STOCK
    assert [op.work_centre for op in plant.products["drone"].operations] == [
        "assembly",
        "test",
        "pack",
    ]
    assert operations["assembly"].consumes == peer.BOM
    assert (test.first_pass_yield, test.retest_yield, test.max_reworks) == (
        peer.TEST["yield"],
        peer.TEST["retest_yield"],
        peer.TEST["max_reworks"],
    )
    motor = plant.parts["motor"]
    lead = plant.supply_terms("motor").lead_time
    assert (motor.initial_stock, motor.reorder_point, motor.reorder_quantity) == (
        peer.MOTOR["initial"],
        peer.MOTOR["reorder_point"],
        peer.MOTOR["quantity"],
    )
    assert _spec(lead) == ("uniform", *(wk * 10_080 for wk in peer.MOTOR["lead_wk"]))
    assert plant.demand.release.value == "unlimited"
    assert plant.plant.warmup_min == 0.0


def test_the_simpy_calendar_is_the_plant_calendar() -> None:
    plant = load_plant(PLANT)
    windows = plant.calendar.working_windows_min(plant.plant.start_date, peer.MINUTES_PER_YEAR)
    assert len(windows) > 200
    for start, end in windows:
        assert peer.working_window(start) == (start, end)
        assert peer.working_window(end - 1e-6) == (start, end)
    for previous_end, next_start in zip(windows[:-1, 1], windows[1:, 0], strict=True):
        assert peer.working_window(previous_end) == tuple(windows[windows[:, 0] == next_start][0])


def _welch_z(a: list[float], b: list[float]) -> float:
    spread = math.sqrt(statistics.variance(a) / len(a) + statistics.variance(b) / len(b))
    difference = statistics.mean(a) - statistics.mean(b)
    return 0.0 if spread == 0.0 and difference == 0.0 else difference / spread


@pytest.mark.slow
def test_engine_and_simpy_agree_in_distribution() -> None:
    problem = compile_plant(load_plant(PLANT))
    engine = [simulate(problem, seed=seed, horizon_min=HORIZON_MIN).kpis for seed in SEEDS]
    simpy = [peer.simulate_simpy(HORIZON_MIN, seed=seed) for seed in SEEDS]
    assert statistics.mean(run["units"] for run in engine) > 6_000
    assert all(run["reworks"] > 0 and run["scrap"] >= 0 for run in engine + simpy)
    distances = {
        name: _welch_z([run[name] for run in engine], [run[name] for run in simpy])
        for name in COMPARED
    }
    far = {name: round(z, 2) for name, z in distances.items() if abs(z) > Z}
    assert not far, f"engine and SimPy means differ by more than {Z} standard errors: {far}"


def test_the_simpy_program_runs_as_a_script_without_droneworks_or_numpy() -> None:
    script = REPO / "benchmarks" / "simpy_assembly.py"
    probe = (
        "import runpy, sys; "
        f"sys.argv = [{str(script)!r}, '--years', '0.01']; "
        f"runpy.run_path({str(script)!r}, run_name='__main__'); "
        "print(sorted(m for m in ('droneworks', 'numpy') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=300
    )
    output, imported = done.stdout.strip().splitlines()
    kpis = json.loads(output)
    assert imported == "[]"
    assert kpis["units"] > 100
    assert 0.0 < kpis["wc.test.working"] < 1.0
    assert np.isfinite(kpis["lead_time_mean_min"])


def test_the_plant_starts_on_a_monday() -> None:
    """The SimPy calendar puts time 0 at a Monday midnight."""
    assert load_plant(PLANT).plant.start_date.weekday() == 0
