"""Deterministic counts, calendars, material limits, seeds, event log, active periods."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from droneworks.factory import simulate

from .checks import assert_little_law, assert_shares_sum_to_one
from .fixtures import assembly_with_parts, deterministic_line


def test_line_without_variability_gives_the_deterministic_count() -> None:
    horizon = 10_000.5
    result = simulate(deterministic_line(horizon), seed=0)
    # first unit leaves after 9 × 1.5 + 2.0 = 15.5 min, then one per 2.0 min (station 6)
    expected = int((horizon - 15.5) // 2.0) + 1
    assert result.units == expected
    general = simulate(deterministic_line(horizon), seed=0)
    assert general.units == expected
    assert_little_law(result)


def test_one_shift_makes_about_a_third_of_around_the_clock() -> None:
    days = 30
    horizon = days * 1440.0
    shifts = [[d * 1440.0 + 360.0, d * 1440.0 + 840.0] for d in range(days)]
    full = simulate(deterministic_line(horizon), seed=0)
    one_shift = simulate(deterministic_line(horizon, windows=shifts), seed=0)
    assert one_shift.units / full.units == pytest.approx(1 / 3, rel=0.03)
    assert one_shift.kpis["wc.s6.off_shift"] == pytest.approx(2 / 3, rel=0.01)
    assert_shares_sum_to_one(one_shift)


def test_units_never_exceed_what_the_parts_allow() -> None:
    result = simulate(assembly_with_parts(tubes=50), seed=1)
    k = result.kpis
    made = k["units"] + k["scrap"]
    assert made <= 120 // 4  # motors
    assert k["assemblies.airframe"] <= 50 // 2  # frames from tubes
    assert made <= k["assemblies.airframe"]
    assert k["part.tube.stockout_min"] > 0 and k["part.tube.starved_min"] > 0
    assert_little_law(result)
    assert_shares_sum_to_one(result)


def test_rework_scrap_and_workers_are_counted() -> None:
    result = simulate(assembly_with_parts(tubes=10_000, horizon_min=2_000.0), seed=2)
    k = result.kpis
    assert k["reworks"] > 0
    assert 0.6 < k["yield_first_pass"] < 1.0
    assert 0 < k["worker.assemblers.utilisation"] <= 1.0
    assert k["wc.assembly.setup"] > 0


def test_same_seed_same_result_other_seed_other_result() -> None:
    problem = assembly_with_parts(tubes=400, horizon_min=5_000.0)
    first, again = simulate(problem, seed=3), simulate(problem, seed=3)
    other = simulate(problem, seed=4)
    assert first.kpis == again.kpis
    assert np.array_equal(first.output_by_period, again.output_by_period)
    assert first.kpis != other.kpis


def test_event_log_and_active_periods(tmp_path: Path) -> None:
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    path = tmp_path / "events.parquet"
    problem = assembly_with_parts(tubes=400, horizon_min=3_000.0)
    result = simulate(problem, seed=0, event_log=path, record_active_periods=True)
    table = pq.read_table(path)
    assert table.num_rows == result.event_log_rows > 0
    completes = table.filter(pc.equal(table["event"], "complete"))
    assert completes.num_rows == result.units + result.kpis["assemblies.airframe"]
    periods = result.active_periods["assembly"]
    assert periods.shape[1] == 2 and len(periods) > 0
    assert np.all(periods[:, 1] >= periods[:, 0])
    plain = simulate(problem, seed=0)
    assert plain.kpis["units"] == result.kpis["units"]


def test_memory_does_not_grow_with_the_horizon() -> None:
    from droneworks.factory.engine.build import build_memory
    from droneworks.factory.engine.variates import problem_streams

    sizes = []
    for years in (1, 4):
        problem = deterministic_line(years * 525_600.0)
        memory = build_memory(
            problem, np.zeros((0, 3)), problem.horizon_min, problem_streams(problem, 0)
        )
        periodic = ("state_min_by_period", "output_by_period", "wip_area_by_period",
                    "stock_by_period")  # fmt: skip
        per_period = sum(memory.view(name).nbytes for name in periodic)
        assert per_period > 0
        sizes.append(memory.I.nbytes + memory.F.nbytes - per_period)
    assert sizes[0] == sizes[1]


def test_progress_is_reported_over_simulated_time() -> None:
    from droneworks.core.progress import RecordingProgress

    progress = RecordingProgress()
    simulate(deterministic_line(5_000.0), seed=0, progress=progress)
    assert progress.started[0][1] == 5_000.0
    assert progress.updates[-1] == pytest.approx(5_000.0)
    assert progress.updates == sorted(progress.updates)
    assert not math.isnan(progress.updates[0])


def test_job_table_grows_with_an_overloaded_station() -> None:
    from .fixtures import queue_network

    # arrivals at twice the service rate: thousands of jobs queue up (the table grows)
    result = simulate(queue_network(2.0, [1.0], horizon_min=5_000.0, warmup_min=0.0), seed=1)
    assert result.kpis["released.job"] > 5_000
    assert result.units == pytest.approx(5_000, rel=0.05)
    assert result.kpis["wip_mean"] > 2_000
    assert_little_law(result, stationary=False)
