"""Learning-curve arithmetic against hand-computed values (REFERENCE.md §3)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from droneworks.factory.plan.learning import (
    average_unit_factor,
    doublings,
    factor_after_doublings,
    period_unit_factors,
    unit_factor,
    units_to_reach_factor,
    wright_exponent,
    yield_after,
    yield_units_to_reach,
)


def test_eighty_five_percent_curve_by_hand() -> None:
    assert unit_factor(1, 0.85) == 1.0
    assert unit_factor(2, 0.85) == pytest.approx(0.85)
    assert unit_factor(4, 0.85) == pytest.approx(0.7225)
    assert unit_factor(8, 0.85) == pytest.approx(0.614125)
    assert wright_exponent(0.85) == pytest.approx(-0.234465, abs=1e-6)


def test_two_thousand_to_one_hundred_thousand() -> None:
    # log2(50) = 5.644 doublings; 0.85^5.644 = 0.400, 0.90^5.644 = 0.552 (REFERENCE.md §3).
    count = doublings(2_000, 100_000)
    assert count == pytest.approx(5.643856, abs=1e-6)
    assert factor_after_doublings(0.85, count) == pytest.approx(0.400, abs=0.001)
    assert factor_after_doublings(0.90, count) == pytest.approx(0.552, abs=0.001)
    assert unit_factor(100_000, 0.85) / unit_factor(2_000, 0.85) == pytest.approx(0.400, abs=1e-3)


def test_floor_stops_the_curve() -> None:
    assert unit_factor(1_000_000, 0.85, floor=0.4) == 0.4
    assert unit_factor(2, 0.85, floor=0.4) == pytest.approx(0.85)


def test_units_to_reach_factor_inverts_the_curve() -> None:
    assert units_to_reach_factor(0.85, 0.7225) == pytest.approx(4.0)
    assert units_to_reach_factor(0.9, 0.81) == pytest.approx(4.0)


def test_average_factor_of_a_block_by_hand() -> None:
    # Units 1..4 of an 85 % curve: (1 + 0.85 + 3^b + 0.7225) / 4, 3^b = e^(−0.2345·ln 3) = 0.772915.
    three = 3 ** math.log2(0.85)
    assert three == pytest.approx(0.772915, abs=1e-6)
    assert average_unit_factor(0, 4, 0.85) == pytest.approx((1 + 0.85 + three + 0.7225) / 4)
    # Units 3 and 4 only.
    assert average_unit_factor(2, 2, 0.85) == pytest.approx((three + 0.7225) / 2)
    # A floor of 0.8 lifts unit 3 and 4 to 0.8.
    assert average_unit_factor(0, 4, 0.85, floor=0.8) == pytest.approx((1 + 0.85 + 0.8 + 0.8) / 4)


def test_midpoint_integral_for_huge_blocks_is_close_to_exact() -> None:
    exact = average_unit_factor(1_000, 2_000_000, 0.85, floor=0.3)
    approx = average_unit_factor(1_000, 2_000_001, 0.85, floor=0.3)
    assert approx == pytest.approx(exact, rel=1e-4)


def test_period_factors_follow_cumulative_output() -> None:
    factors = period_unit_factors([1, 1, 2], 0.85)
    assert factors == pytest.approx([1.0, 0.85, (3 ** math.log2(0.85) + 0.7225) / 2])


@given(st.floats(0.5, 1.0), st.integers(1, 10_000), st.integers(1, 10_000))
def test_unit_factor_is_monotone(rate: float, first: int, second: int) -> None:
    low, high = sorted((first, second))
    assert unit_factor(high, rate) <= unit_factor(low, rate) + 1e-12


def test_yield_learning_by_hand() -> None:
    # 0.85 → 0.97 with the gap halving every 5,000 units.
    assert yield_after(0, 0.85, 0.97, 5_000) == pytest.approx(0.85)
    assert yield_after(5_000, 0.85, 0.97, 5_000) == pytest.approx(0.91)
    assert yield_after(10_000, 0.85, 0.97, 5_000) == pytest.approx(0.94)
    assert yield_units_to_reach(0.94, 0.85, 0.97, 5_000) == pytest.approx(10_000)
    assert yield_units_to_reach(0.97, 0.85, 0.97, 5_000) == math.inf


def test_bad_rates_are_rejected() -> None:
    with pytest.raises(ValueError, match="learning rate"):
        unit_factor(2, 1.2)
    with pytest.raises(ValueError, match="start at 1"):
        unit_factor(0, 0.85)


@given(st.integers(0, 5_000), st.integers(1, 300), st.floats(0.6, 1.0), st.floats(0.0, 0.9))
def test_average_factor_is_the_mean_of_unit_factors(
    start: int, count: int, rate: float, floor: float
) -> None:
    expected = sum(unit_factor(start + k, rate, floor) for k in range(1, count + 1)) / count
    assert average_unit_factor(start, count, rate, floor) == pytest.approx(expected, rel=1e-9)
