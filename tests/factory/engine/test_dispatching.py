"""Dispatching rules and stations of different speeds against closed forms and SimPy.

- Shortest processing time and product priority at one station with two Poisson product
  streams are the non-pre-emptive priority M/G/1 queue (Cobham's formula).
- Earliest due date is checked against a SimPy ``PriorityResource`` keyed by due date.
- Two stations of different speeds, an arriving job taking the fastest idle one, are a
  small Markov chain solved here exactly.
"""

from __future__ import annotations

import numpy as np
import pytest
import simpy

from droneworks.factory import Dist, ProblemBuilder, simulate
from droneworks.factory.problem import (
    DISPATCH_EDD,
    DISPATCH_FIFO,
    DISPATCH_PRIORITY,
    DISPATCH_SPT,
)

from .checks import assert_little_law, interval_99

REPLICATIONS = 6
HORIZON, WARMUP = 40_000.0, 2_000.0


def _two_products(rule: int, means: dict[str, float], rate: float,
                  due_in: dict[str, float] | None = None,
                  priority: dict[str, int] | None = None) -> ProblemBuilder:  # fmt: skip
    b = ProblemBuilder(horizon_min=HORIZON, warmup_min=WARMUP, period_min=10_000.0)
    b.add_work_centre("w", dispatch=rule)
    b.release_by_rate()
    for name, mean in means.items():
        b.add_product(name, interarrival=Dist.exponential(1.0 / rate))
        b.add_operation(name, "op", "w", Dist.exponential(mean))
        b.set_due(name, (due_in or {}).get(name, np.inf), (priority or {}).get(name, 0))
    return b


def _floor_times(b: ProblemBuilder, names: list[str]) -> dict[str, list[float]]:
    problem = b.build()
    results = [simulate(problem, seed=9, replication=r) for r in range(REPLICATIONS)]
    for result in results:
        assert_little_law(result)
    return {name: [r.kpis[f"floor_time_mean_min.{name}"] for r in results] for name in names}


def _cobham(rate: float, first: float, second: float) -> tuple[float, float]:
    """Mean times in system of the first and second class of a non-pre-emptive priority
    M/M/1 queue (equal arrival rates, exponential service means ``first``, ``second``)."""
    residual = rate * (2 * first**2 + 2 * second**2) / 2  # Σ λ E[S²] / 2
    sigma1 = rate * first
    sigma2 = sigma1 + rate * second
    return (residual / (1 - sigma1) + first,
            residual / ((1 - sigma1) * (1 - sigma2)) + second)  # fmt: skip


@pytest.mark.parametrize(("rule", "priority", "served_first"), [
    (DISPATCH_SPT, None, "short"),
    (DISPATCH_PRIORITY, {"long": 5}, "long"),
])  # fmt: skip
def test_spt_and_priority_are_cobhams_priority_queue(
    rule: int, priority: dict[str, int] | None, served_first: str
) -> None:
    rate, means = 0.3, {"short": 0.5, "long": 1.5}
    times = _floor_times(_two_products(rule, means, rate, priority=priority), list(means))
    other = "long" if served_first == "short" else "short"
    expected = _cobham(rate, means[served_first], means[other])
    for name, value in zip((served_first, other), expected, strict=True):
        low, high = interval_99(times[name])
        assert low <= value <= high, (name, low, value, high)


def test_fifo_serves_both_products_alike() -> None:
    rate, means = 0.3, {"short": 0.5, "long": 1.5}
    times = _floor_times(_two_products(DISPATCH_FIFO, means, rate), list(means))
    wait = rate * (2 * 0.25 + 2 * 2.25) / 2 / (1 - rate * 2.0)  # Pollaczek–Khinchine
    for name, mean in means.items():
        low, high = interval_99(times[name])
        assert low <= wait + mean <= high


def _simpy_edd(seed: int, rate: float, mean: float, due_in: dict[str, float]
               ) -> dict[str, tuple[float, float]]:  # fmt: skip
    """Mean time in system and on-time share per product, a station serving the queued
    unit with the earliest due date (arrival + due_in)."""
    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    station = simpy.PriorityResource(env, 1)
    leads: dict[str, list[float]] = {name: [] for name in due_in}

    def job(name: str):  # type: ignore[no-untyped-def]
        arrived = env.now
        with station.request(priority=arrived + due_in[name]) as turn:  # type: ignore[arg-type]
            yield turn
            yield env.timeout(rng.exponential(mean))
        if arrived >= WARMUP:
            leads[name].append(env.now - arrived)

    def source(name: str):  # type: ignore[no-untyped-def]
        while True:
            yield env.timeout(rng.exponential(1.0 / rate))
            env.process(job(name))

    for name in due_in:
        env.process(source(name))
    env.run(until=HORIZON)
    return {name: (float(np.mean(values)), float(np.mean(np.asarray(values) <= due_in[name])))
            for name, values in leads.items()}  # fmt: skip


def test_edd_agrees_with_simpy() -> None:
    rate, mean, due_in = 0.4, 1.0, {"rush": 3.0, "standard": 15.0}
    b = _two_products(DISPATCH_EDD, dict.fromkeys(due_in, mean), rate, due_in=due_in)
    problem = b.build()
    engine = [simulate(problem, seed=2, replication=r).kpis for r in range(REPLICATIONS)]
    peer = [_simpy_edd(50 + r, rate, mean, due_in) for r in range(REPLICATIONS)]
    for k, name in enumerate(due_in):
        ours = [kpis[f"floor_time_mean_min.{name}"] for kpis in engine]
        theirs = [run[name][0] for run in peer]
        spread = np.sqrt(np.var(ours, ddof=1) / len(ours) + np.var(theirs, ddof=1) / len(theirs))
        assert abs(np.mean(ours) - np.mean(theirs)) < 4 * spread, (name, ours, theirs)
        on_time = [kpis[f"on_time.{name}"] for kpis in engine]
        assert np.mean(on_time) == pytest.approx(np.mean([run[name][1] for run in peer]),
                                                 abs=0.02)  # fmt: skip
        assert k == 0 or np.mean(ours) > np.mean([kpis["floor_time_mean_min.rush"]
                                                  for kpis in engine])  # fmt: skip


def _fastest_free_mm2(rate: float, fast: float, slow: float, states: int = 400) -> float:
    """Mean time in system of an M/M/2 queue whose servers have rates ``fast`` and
    ``slow``, an arrival taking the fast server when both are free (exact CTMC)."""
    # states: 0 empty, 1 fast busy, 2 slow busy, then k + 1 = k jobs (k ≥ 2)
    n = states
    q = np.zeros((n, n))
    q[0, 1] = rate
    q[1, 0], q[1, 3] = fast, rate
    q[2, 0], q[2, 3] = slow, rate
    q[3, 1], q[3, 2] = slow, fast  # from 2 jobs: the slow or the fast one finishes
    for state in range(3, n - 1):
        q[state, state + 1] = rate
    for state in range(4, n):
        q[state, state - 1] = fast + slow
    np.fill_diagonal(q, -q.sum(axis=1))
    a = np.vstack([q.T, np.ones(n)])
    pi = np.linalg.lstsq(a, np.r_[np.zeros(n), 1.0], rcond=None)[0]
    jobs = np.r_[0, 1, 1, np.arange(2, n - 1)]
    return float(pi @ jobs / rate)


def test_stations_of_different_speeds_are_the_fastest_free_mm2() -> None:
    rate, mean, speeds = 1.0, 1.0, (1.0, 0.5)
    b = ProblemBuilder(horizon_min=HORIZON, warmup_min=WARMUP, period_min=10_000.0)
    b.add_work_centre("w", stations=2, speeds=speeds)
    b.add_product("job", interarrival=Dist.exponential(1.0 / rate))
    b.release_by_rate()
    b.add_operation("job", "op", "w", Dist.exponential(mean))
    low, high = interval_99(_floor_times(b, ["job"])["job"])
    expected = _fastest_free_mm2(rate, speeds[0] / mean, speeds[1] / mean)
    assert low <= expected <= high
    assert not low <= 1 / (1.0 - rate / 1.5) <= high  # not a single server of rate 1.5


def test_a_slower_station_makes_proportionally_less() -> None:
    b = ProblemBuilder(horizon_min=4_000.0, period_min=1_000.0)
    b.add_work_centre("w", stations=2, speeds=(1.0, 0.5))
    b.add_product("job")
    b.add_operation("job", "op", "w", Dist.constant(2.0), setup=Dist.constant(0.0))
    result = simulate(b.build(), seed=0)
    assert result.units == pytest.approx(4_000 / 2 + 4_000 / 4, abs=2)
