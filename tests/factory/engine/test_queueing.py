"""Closed forms of queueing theory: M/M/1, M/M/c and a Jackson tandem network.

Each case runs a few independent replications; the closed-form mean time in system must
lie in the 99 % confidence interval of the replication means, and every run obeys
Little's law.
"""

from __future__ import annotations

import math

import pytest

from droneworks.factory import simulate

from .checks import assert_little_law, assert_shares_sum_to_one, interval_99
from .fixtures import queue_network

REPLICATIONS = 6


def _erlang_c(servers: int, offered: float) -> float:
    """Probability of waiting in an M/M/c queue with offered load ``offered`` = λ/μ."""
    rho = offered / servers
    terms = sum(offered**k / math.factorial(k) for k in range(servers))
    last = offered**servers / math.factorial(servers) / (1 - rho)
    return last / (terms + last)


def _lead_times(problem, **kwargs) -> list[float]:  # type: ignore[no-untyped-def]
    results = [simulate(problem, seed=11, replication=r, **kwargs) for r in range(REPLICATIONS)]
    for result in results:
        assert_little_law(result)
        assert_shares_sum_to_one(result)
    return [result.kpis["lead_time_mean_min"] for result in results]


def test_mm1_time_in_system() -> None:
    arrival, service = 0.5, 1.0
    low, high = interval_99(_lead_times(queue_network(arrival, [service])))
    expected = 1.0 / (1.0 / service - arrival)  # W = 1 / (μ − λ) = 2 min
    assert low <= expected <= high


def test_mmc_time_in_system() -> None:
    servers, arrival, service = 3, 2.1, 1.0
    low, high = interval_99(_lead_times(queue_network(arrival, [service], servers=servers)))
    offered = arrival * service
    expected = _erlang_c(servers, offered) / (servers / service - arrival) + service
    assert low <= expected <= high


def test_jackson_tandem_time_in_system() -> None:
    arrival, means = 0.5, [1.0, 0.8]
    low, high = interval_99(_lead_times(queue_network(arrival, means)))
    expected = sum(1.0 / (1.0 / mean - arrival) for mean in means)
    assert low <= expected <= high


def test_mm1_utilisation_and_wip() -> None:
    result = simulate(queue_network(0.5, [1.0], horizon_min=100_000.0), seed=5)
    assert result.kpis["wc.s0.working"] == pytest.approx(0.5, abs=0.02)
    assert result.kpis["wip_mean"] == pytest.approx(1.0, rel=0.1)  # L = ρ / (1 − ρ)
