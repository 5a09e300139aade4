"""Lot-sizing rules against hand-computed lots; Wagner–Whitin against brute force."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from droneworks.factory.plan.lotsizing import (
    ConstrainedSizer,
    EoqSizer,
    FixedQuantitySizer,
    LotForLotSizer,
    LotSizer,
    PeriodOrderQuantitySizer,
    SilverMealSizer,
    WagnerWhitinSizer,
    economic_order_quantity,
)


def test_lot_for_lot() -> None:
    assert LotForLotSizer().lot_size(17, [5, 5]) == 17


def test_fixed_quantity_orders_whole_lots() -> None:
    sizer = FixedQuantitySizer(40)
    assert sizer.lot_size(20, []) == 40
    assert sizer.lot_size(80, []) == 80
    assert sizer.lot_size(85, []) == 120


def test_eoq_by_hand() -> None:
    # √(2 · 100 · 50 / 1) = 100.
    assert economic_order_quantity(100, 50, 1) == pytest.approx(100)
    sizer = EoqSizer.from_costs(100, 50, 1)
    assert sizer.lot_size(30, []) == pytest.approx(100)
    assert sizer.lot_size(150, []) == pytest.approx(150)


def test_period_order_quantity() -> None:
    assert PeriodOrderQuantitySizer(3).lot_size(10, [20, 30, 40]) == 60
    assert PeriodOrderQuantitySizer(3).lot_size(10, [-5]) == 10  # receipts cover period 2
    assert PeriodOrderQuantitySizer.from_eoq(100, 50).periods == 2


def test_silver_meal_by_hand() -> None:
    # S = 100, H = 1, needs 50, 60, 70, 40: cost per period 100, (100 + 60)/2 = 80,
    # (100 + 60 + 2·70)/3 = 100 > 80 → stop after two periods: 50 + 60.
    assert SilverMealSizer(100, 1).lot_size(50, [60, 70, 40]) == 110


def test_wagner_whitin_by_hand() -> None:
    # S = 100, H = 1, needs 50, 60, 70, 40. Best plan: orders in 0 (50 + 60) and 2 (70 + 40):
    # 100 + 60 + 100 + 40 = 300, below e.g. four orders (400) or 0 | 1 | 2-3 (340).
    assert WagnerWhitinSizer(100, 1).lot_size(50, [60, 70, 40]) == 110
    # Expensive orders: one lot for everything (1000 + 5·1 + 5·2 = 1015 < two orders).
    assert WagnerWhitinSizer(1000, 1).lot_size(5, [5, 5]) == 15


def test_constrained_sizer_applies_minimum_then_multiple() -> None:
    assert ConstrainedSizer(LotForLotSizer(), minimum=50, multiple=12).lot_size(30, []) == 60
    assert ConstrainedSizer(LotForLotSizer(), multiple=10).lot_size(41, []) == 50


@pytest.mark.parametrize(
    "sizer",
    [LotForLotSizer(), FixedQuantitySizer(7), EoqSizer(30), PeriodOrderQuantitySizer(2),
     SilverMealSizer(20, 1), WagnerWhitinSizer(20, 1), ConstrainedSizer(EoqSizer(3), 5, 4)],
)  # fmt: skip
def test_every_rule_covers_the_net_requirement(sizer: LotSizer) -> None:
    assert isinstance(sizer, LotSizer)
    assert sizer.lot_size(12.5, [3, 4, 5]) >= 12.5
    with pytest.raises(ValueError, match="net_requirement"):
        sizer.lot_size(0, [])


def _brute_force_cost(needs: list[float], order_cost: float, holding: float) -> float:
    """Cheapest cost over every set of order periods (period 0 always orders)."""
    best = float("inf")
    for mask in itertools.product([False, True], repeat=len(needs) - 1):
        starts = [0] + [k + 1 for k, on in enumerate(mask) if on]
        cost = 0.0
        for index, start in enumerate(starts):
            end = starts[index + 1] if index + 1 < len(starts) else len(needs)
            cost += order_cost if any(needs[start:end]) or start == 0 else 0.0
            cost += sum((k - start) * needs[k] * holding for k in range(start, end))
        best = min(best, cost)
    return best


def _plan_cost(sizer: LotSizer, needs: list[float], order_cost: float, holding: float) -> float:
    """Cost of the plan that applies ``sizer`` period after period."""
    stock, cost = 0.0, 0.0
    for period, need in enumerate(needs):
        if stock < need:
            lot = sizer.lot_size(need - stock, needs[period + 1 :])
            cost += order_cost
            stock += lot
        stock -= need
        cost += stock * holding
    return cost


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 40).map(float), min_size=1, max_size=6),
    st.integers(1, 200).map(float),
    st.integers(1, 5).map(float),
)
def test_wagner_whitin_is_optimal(later: list[float], order_cost: float, holding: float) -> None:
    needs = [10.0, *later]
    optimum = _brute_force_cost(needs, order_cost, holding)
    assert _plan_cost(WagnerWhitinSizer(order_cost, holding), needs, order_cost, holding) == (
        pytest.approx(optimum)
    )
    assert _plan_cost(SilverMealSizer(order_cost, holding), needs, order_cost, holding) >= (
        optimum - 1e-9
    )
