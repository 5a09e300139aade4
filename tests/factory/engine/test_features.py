"""Features F2/F3 build on, each against a count that can be worked out by hand."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pytest

from droneworks.factory import Dist, ProblemBuilder, simulate
from droneworks.factory.problem import BASIS_OPERATIONS, CHANGE_WORKERS

from .checks import assert_little_law, assert_shares_sum_to_one


@dataclass(frozen=True)
class Order:
    release_min: float
    part: str
    quantity: int


def _station(horizon_min: float, time_min: float = 1.0) -> ProblemBuilder:
    b = ProblemBuilder(horizon_min=horizon_min, period_min=horizon_min / 4)
    b.add_work_centre("w")
    b.add_product("p")
    return b


def test_purchase_orders_are_the_only_supply_of_an_mrp_part() -> None:
    b = _station(5_000.0)
    b.add_part("motor", initial=0, lead_time=Dist.constant(100.0))
    b.add_operation("p", "o", "w", Dist.constant(1.0), consumes={"motor": 2})
    orders = [Order(0.0, "motor", 50), Order(1_000.0, "motor", 30)]
    result = simulate(b.build(), seed=0, purchase_orders=orders)
    assert result.units == 40  # 80 motors, 2 per unit
    assert result.output_by_period[0, 0] == 40  # all within the first 1,250 min
    assert result.kpis["part.motor.starved_min"] > 4_000


def test_short_deliveries_lose_their_missing_share() -> None:
    b = _station(10_000.0)
    b.add_part("motor", initial=0, reorder_point=0, reorder_qty=10,
               lead_time=Dist.constant(50.0), short_prob=1.0, short_fraction=0.5)  # fmt: skip
    b.add_operation("p", "o", "w", Dist.constant(1.0), consumes={"motor": 1})
    result = simulate(b.build(), seed=0)
    # 10 ordered, 5 delivered 50 min later; the 5th unit (4 min after the delivery) empties
    # the stock and triggers the next order: 5 units per 54 min
    assert result.units == pytest.approx(10_000 / 54 * 5, abs=5)


def test_worker_capacity_change_doubles_output() -> None:
    b = _station(2_000.0)
    b.add_work_centre("w2", stations=3)
    b.add_pool("crew", 1)
    b.add_operation("p", "o", "w", Dist.constant(0.1))
    b.add_operation("p", "o2", "w2", Dist.constant(2.0), pool="crew")
    b.add_change(1_000.0, CHANGE_WORKERS, "crew", 2)
    result = simulate(b.build(), seed=0)
    first, second = result.output_by_period[:2, 0].sum(), result.output_by_period[2:, 0].sum()
    assert first == pytest.approx(500, abs=2) and second == pytest.approx(1_000, abs=2)
    assert result.kpis["worker.crew.utilisation"] == pytest.approx(1.0, abs=0.01)


def test_learning_curve_follows_wright() -> None:
    horizon, first, rate, floor = 3_000.0, 10.0, 0.8, 0.5
    b = _station(horizon)
    b.add_operation("p", "o", "w", Dist.constant(first), learning=(rate, floor, 0))
    result = simulate(b.build(), seed=0)
    elapsed, expected = 0.0, 0
    while True:
        elapsed += first * max(floor, (expected + 1) ** math.log2(rate))
        if elapsed >= horizon:
            break
        expected += 1
    assert result.units == pytest.approx(expected, abs=1)


def test_planned_maintenance_and_failures_by_count() -> None:
    b = _station(10_000.0)
    b.add_maintenance("w", every_min=100.0, duration_min=10.0)
    b.add_operation("p", "o", "w", Dist.constant(1.0))
    maintained = simulate(b.build(), seed=0)
    assert maintained.units == pytest.approx(9_000, abs=10)
    assert maintained.kpis["wc.w.down"] == pytest.approx(0.1, abs=0.002)

    c = _station(10_000.0)
    c.add_failures("w", repair=Dist.constant(5.0), basis=BASIS_OPERATIONS, ops_between=10)
    c.add_operation("p", "o", "w", Dist.constant(1.0))
    counted = simulate(c.build(), seed=0)
    assert counted.units == pytest.approx(10_000 / 15 * 10, abs=10)
    assert_shares_sum_to_one(counted)


def test_plan_is_released_evenly_and_conwip_caps_wip() -> None:
    import numpy as np

    b = _station(4 * 1_000.0)
    b.add_operation("p", "o", "w", Dist.constant(1.0))
    b.release_by_plan(1_000.0, np.array([[100], [200], [0], [300]]))
    result = simulate(b.build(), seed=0)
    assert result.output_by_period[:, 0].tolist() == [100, 200, 0, 300]
    assert result.kpis["lead_time_mean_min"] == pytest.approx(1.0)

    c = ProblemBuilder(horizon_min=2_000.0, period_min=1_000.0)
    c.add_work_centre("w")
    c.add_product("p", interarrival=Dist.exponential(0.5))
    c.release_by_rate()
    c.conwip_cap = 5
    c.add_operation("p", "o", "w", Dist.exponential(1.0))
    capped = simulate(c.build(), seed=0)
    assert capped.kpis["wip_floor_mean"] <= 5.0  # CONWIP caps the floor; orders wait
    # orders arrive at twice the station's rate: the pool grows, only the identity holds
    assert_little_law(capped, stationary=False)


def test_lead_time_and_wip_run_from_order_not_release() -> None:
    """Orders at 0, 1 and 2 min for a 10-minute station without a buffer: the second and
    third wait in the order pool until the station is free (0, 9 and 18 min), so they are
    delivered at 10, 20 and 30 min. Lead time (order → delivery): 10, 19, 28 → mean 19;
    floor time (release → completion): 10 each. Pool area 1×1 + 2×8 + 1×10 = 27 unit-min,
    floor area 30 unit-min over the 40-minute horizon."""
    import numpy as np

    b = ProblemBuilder(horizon_min=40.0, period_min=10.0)
    b.add_work_centre("w", buffer=0)
    b.add_product("p")
    b.add_operation("p", "o", "w", Dist.constant(10.0))
    b.release_by_plan(3.0, np.array([[3]]))
    result = simulate(b.build(), seed=0)
    k = result.kpis
    assert k["units"] == 3
    assert k["floor_time_mean_min"] == pytest.approx(10.0)
    assert k["order_wait_mean_min"] == pytest.approx(9.0)
    assert k["lead_time_mean_min"] == pytest.approx(19.0)
    # percentiles of each unit's order → delivery time (log bins: 2.3 % wide)
    assert k["lead_time_p50_min"] == pytest.approx(19.0, rel=0.03)
    assert k["lead_time_p99_min"] == pytest.approx(28.0, rel=0.03)
    assert k["floor_time_p99_min"] == pytest.approx(10.0, rel=0.03)
    assert result.order_to_delivery_hist.sum() == 3
    assert k["orders_untimed"] == 0
    assert (k["orders"], k["released"], k["scrapped_products"]) == (3, 3, 0)
    assert k["wip_floor_mean"] == pytest.approx(30.0 / 40.0)
    assert k["order_pool_mean"] == pytest.approx(27.0 / 40.0)
    assert k["wip_mean"] == pytest.approx(57.0 / 40.0)
    assert k["little.wip_area_min"] == pytest.approx(k["little.sojourn_min"])
