"""Batches that wait for a full load, and kitting, against closed forms.

- Constant arrivals: a batch's wait is worked out by hand.
- Poisson arrivals at a station that is always free: a batch opens with its first unit
  and closes with its ``batch``-th unit or at the maximum wait; by renewal–reward the mean
  wait of a unit is E[∫ units waiting dt] / E[batch size], both integrals of the Poisson
  law (computed here).
- Kitting: a unit waiting for a part that comes late does not hold the station, so the
  other product flows as if the part did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from scipy import integrate, stats

from droneworks.factory import Dist, ProblemBuilder, simulate

from .checks import assert_little_law, interval_99

PROCESS = 0.01  # min: the station is (almost) always free when a batch closes


def _batches(interarrival: Dist, batch: int, wait: float, horizon: float) -> ProblemBuilder:
    b = ProblemBuilder(horizon_min=horizon, warmup_min=100.0, period_min=horizon / 4)
    b.add_work_centre("oven", stations=2)
    b.add_product("job", interarrival=interarrival)
    b.release_by_rate()
    b.add_operation("job", "bake", "oven", Dist.constant(PROCESS), batch=batch,
                    batch_wait=wait)  # fmt: skip
    return b


@pytest.mark.parametrize(("wait", "expected"), [
    (10.0, 1.5),  # full batches of 4: units wait 3, 2, 1 and 0 min
    (2.5, 1.5),  # the wait ends with 3 units: they waited 2.5, 1.5 and 0.5 min
    (0.5, 0.5),  # batches of one unit that waited the whole 0.5 min
])  # fmt: skip
def test_constant_arrivals_wait_as_worked_out(wait: float, expected: float) -> None:
    result = simulate(_batches(Dist.constant(1.0), 4, wait, 10_000.0).build(), seed=0)
    assert result.kpis["floor_time_mean_min"] == pytest.approx(expected + PROCESS, abs=1e-6)


def _poisson_batch_wait(rate: float, batch: int, wait: float) -> float:
    """Mean wait of a unit: a batch opens with a unit and closes with its ``batch``-th
    unit or after ``wait``; units keep arriving as a Poisson stream."""

    def waiting(t: float) -> float:  # expected units waiting t after the batch opened
        k = range(batch - 1)
        return float(sum((1 + n) * stats.poisson.pmf(n, rate * t) for n in k))

    area = integrate.quad(waiting, 0.0, wait)[0]
    size = 1 + sum(min(n, batch - 1) * stats.poisson.pmf(n, rate * wait)
                   for n in range(batch + 200))  # fmt: skip
    return area / size


def test_poisson_arrivals_wait_as_renewal_reward_says() -> None:
    rate, batch, wait = 0.5, 5, 6.0
    problem = _batches(Dist.exponential(1 / rate), batch, wait, 40_000.0).build()
    results = [simulate(problem, seed=4, replication=r) for r in range(6)]
    for result in results:
        assert_little_law(result)
    low, high = interval_99([r.kpis["floor_time_mean_min"] for r in results])
    expected = _poisson_batch_wait(rate, batch, wait) + PROCESS
    assert low <= expected <= high
    assert not low <= wait / 2 <= high  # not a wait of half the maximum


def test_a_waiting_batch_counts_as_starved() -> None:
    result = simulate(_batches(Dist.constant(1.0), 4, 10.0, 10_000.0).build(), seed=0)
    assert result.kpis["wc.oven.starved_work"] > 0.99


@dataclass(frozen=True)
class Order:
    release_min: float
    part: str
    quantity: int


def _shared_station(kitting: bool) -> ProblemBuilder:
    """Products a and b every 10 min at one station; a needs a part that first comes at
    t = 1,000 min."""
    b = ProblemBuilder(horizon_min=3_000.0, period_min=1_000.0)
    b.add_work_centre("cell", kitting=kitting)
    b.add_part("board", initial=0, lead_time=Dist.constant(0.0))
    b.release_by_rate()
    for name, offset in (("a", 10.0), ("b", 10.0)):
        b.add_product(name, interarrival=Dist.constant(offset))
    b.add_operation("a", "fit", "cell", Dist.constant(1.0), consumes={"board": 1})
    b.add_operation("b", "fit", "cell", Dist.constant(1.0))
    return b


def test_kitting_keeps_a_unit_waiting_for_parts_off_the_station() -> None:
    # the part never comes: with kitting, every b takes exactly its 1 min and the a's wait
    # in the buffer; without, the first a holds the station for good
    kitted = simulate(_shared_station(True).build(), seed=0).kpis
    assert kitted["floor_time_mean_min.b"] == pytest.approx(1.0)
    assert kitted["units.b"] == pytest.approx(3_000 / 10, abs=1)
    assert kitted["units.a"] == 0
    held = simulate(_shared_station(False).build(), seed=0).kpis
    assert held["units.b"] <= 1


def test_a_kitting_station_takes_waiting_units_when_parts_come() -> None:
    orders = [Order(1_000.0, "board", 1_000)]
    kpis = simulate(_shared_station(True).build(), seed=0, purchase_orders=orders).kpis
    # the ~100 a's queued until t = 1,000 are made within the next 200 min
    assert kpis["units.a"] == pytest.approx(3_000 / 10, abs=1)
    assert kpis["part.board.starved_min"] == 0.0  # no station ever waited for the part
