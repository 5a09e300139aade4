"""Repair crews: the machine-repairman closed form, identity with an ample crew, and a
SimPy cross-check of repairs that progress only on shift (same random streams)."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pytest
import simpy

from droneworks.factory import Dist, ProblemBuilder, simulate
from droneworks.factory.engine.variates import problem_streams
from droneworks.factory.problem import Problem
from droneworks.factory.problem_builder import failure_stream_name

from .checks import assert_shares_sum_to_one, interval_99


def _machines(stations: int, up_min: float, repair_min: float, technicians: int | None,
              horizon_min: float, on_shift_only: bool = False,
              windows: list[list[float]] | None = None) -> Problem:  # fmt: skip
    """``stations`` machines failing in calendar time (exponential up and repair times),
    repaired by a crew of ``technicians`` (None: no crew); raw material never runs out."""
    b = ProblemBuilder(horizon_min=horizon_min, period_min=horizon_min / 4)
    b.add_work_centre("m", stations=stations)
    crew = None
    if technicians is not None:
        b.add_crew("techs", technicians, on_shift_only=on_shift_only)
        crew = "techs"
    b.add_failures("m", up=Dist.exponential(up_min), repair=Dist.exponential(repair_min),
                   crew=crew)  # fmt: skip
    b.add_product("unit")
    b.add_operation("unit", "work", "m", Dist.constant(1.0))
    if windows is not None:
        b.set_calendar(windows)
    return b.build()


def _mean_down(machines: int, technicians: int, ratio: float) -> float:
    """E[machines down] of the finite-source M/M/c//N queue (machine-repairman), with
    ``ratio`` = failure rate / repair rate."""
    weights = []
    for n in range(machines + 1):
        ways = math.comb(machines, n) * ratio**n
        if n > technicians:  # n − c repairs wait
            queued = n - technicians
            ways *= math.factorial(n) / (math.factorial(technicians) * technicians**queued)
        weights.append(ways)
    probabilities = np.array(weights) / sum(weights)
    return float(np.dot(np.arange(machines + 1), probabilities))


@pytest.mark.parametrize("technicians", [1, 2])
def test_machine_repairman_down_share(technicians: int) -> None:
    machines, up, repair = 5, 60.0, 10.0
    problem = _machines(machines, up, repair, technicians, horizon_min=150_000.0)
    shares = []
    for replication in range(6):
        result = simulate(problem, seed=3, replication=replication)
        assert_shares_sum_to_one(result)
        shares.append(result.kpis["wc.m.down"])
    low, high = interval_99(shares)
    expected = _mean_down(machines, technicians, repair / up) / machines
    assert low <= expected <= high
    assert 0.0 < result.kpis["crew.techs.utilisation"] <= 1.0
    assert result.kpis["crew.techs.repair_wait_mean_min"] > 0.0


def test_a_crew_as_large_as_the_centre_changes_nothing() -> None:
    alone = simulate(_machines(4, 50.0, 15.0, None, horizon_min=30_000.0), seed=1)
    crewed = simulate(_machines(4, 50.0, 15.0, 4, horizon_min=30_000.0), seed=1)
    assert crewed.kpis["crew.techs.repair_wait_mean_min"] == 0.0
    shared = {k: v for k, v in crewed.kpis.items() if not k.startswith("crew.")}
    assert shared == alone.kpis
    assert 0.0 < crewed.kpis["crew.techs.utilisation"] < 1.0


def test_a_short_crew_makes_repairs_wait() -> None:
    alone = simulate(_machines(4, 50.0, 15.0, None, horizon_min=30_000.0), seed=1)
    short = simulate(_machines(4, 50.0, 15.0, 1, horizon_min=30_000.0), seed=1)
    assert short.kpis["wc.m.down"] > alone.kpis["wc.m.down"]
    assert short.kpis["units"] < alone.kpis["units"]


# ---- repairs only on shift: SimPy with the same random streams ----------------------------
def _values(stream: object) -> Iterator[float]:
    while True:
        yield from stream.take(1024).tolist()  # type: ignore[attr-defined]


def _working(env: simpy.Environment, minutes: float, windows: np.ndarray) -> Iterator[object]:
    """Spend ``minutes`` of working time, pausing outside the windows."""
    while minutes > 0:
        k = int(np.searchsorted(windows[:, 1], env.now, side="right"))
        if k >= len(windows):
            yield env.timeout(math.inf)
        start, end = windows[k]
        if env.now < start:
            yield env.timeout(start - env.now)
            continue
        step = min(minutes, end - env.now)
        yield env.timeout(step)
        minutes -= step


def _simpy_down_on_shift(problem: Problem, seed: int, technicians: int) -> float:
    """Station-minutes down during working windows, by a SimPy model of the same rules."""
    windows = np.asarray(problem.calendar_windows)
    streams = dict(zip(problem.stream_names, problem_streams(problem, seed), strict=True))
    env = simpy.Environment()
    crew = simpy.Resource(env, capacity=technicians)
    down: list[tuple[float, float]] = []
    failed_at: dict[int, float] = {}  # stations down now

    def machine(station: int, values: Iterator[float]) -> Iterator[object]:
        while True:
            yield env.timeout(next(values))
            failed_at[station], repair = env.now, next(values)
            with crew.request() as granted:
                yield granted
                yield from _working(env, repair, windows)
            down.append((failed_at.pop(station), env.now))

    for station in range(int(problem.wc_stations[0])):
        values = _values(streams[failure_stream_name("m", station, 0)])
        env.process(machine(station, values))
    env.run(until=problem.horizon_min)
    down += [(start, problem.horizon_min) for start in failed_at.values()]
    total = 0.0
    for start, end in down:
        overlap = np.minimum(windows[:, 1], end) - np.maximum(windows[:, 0], start)
        total += float(np.clip(overlap, 0.0, None).sum())
    return total


@pytest.mark.parametrize("seed", [0, 5])
def test_repairs_on_shift_only_agree_with_simpy(seed: int) -> None:
    day = [[d * 1440.0 + 360.0, d * 1440.0 + 840.0] for d in range(40)]  # 06:00–14:00
    problem = _machines(3, 400.0, 240.0, 1, horizon_min=40 * 1440.0, on_shift_only=True,
                        windows=day)  # fmt: skip
    result = simulate(problem, seed=seed)
    stations, horizon = 3, problem.horizon_min
    engine_down = result.kpis["wc.m.down"] * stations * horizon
    assert engine_down == pytest.approx(_simpy_down_on_shift(problem, seed, 1), rel=1e-9)
    anytime = simulate(_machines(3, 400.0, 240.0, 1, 40 * 1440.0, windows=day), seed=seed)
    assert result.kpis["wc.m.down"] > anytime.kpis["wc.m.down"]
