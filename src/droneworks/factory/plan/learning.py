"""Learning-curve arithmetic: Wright unit curves, floors, yield learning, cumulative units.

Wright's law (unit form): the ``k``-th unit (k = 1, 2, …) takes ``T1 · k^b`` with
``b = log2(rate)``; every doubling of cumulative output multiplies the unit time by
``rate``. An 85 % curve gives unit 2 = 0.85·T1, unit 4 = 0.7225·T1, and 2,000 → 100,000
cumulative units (log2 50 ≈ 5.64 doublings) multiplies labour per unit by ≈ 0.40
(REFERENCE.md §3). A *floor* stops the curve where machine time or physics takes over.

The plant file and the engine use the same convention: after ``n`` completions of an
operation the next one takes ``time × max(floor, (n + initial_units + 1)^b)``
(:class:`droneworks.factory.model.rampup.Learning`). This module holds the arithmetic the
planners need on top: the average factor over a block of units (a period's output), the
units needed to reach a factor, and yield learning
``yield(n) = mature − (mature − initial)·2^(−n / halving_units)``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

__all__ = [
    "average_unit_factor",
    "doublings",
    "factor_after_doublings",
    "period_unit_factors",
    "unit_factor",
    "units_to_reach_factor",
    "wright_exponent",
    "yield_after",
    "yield_units_to_reach",
]


def wright_exponent(rate: float) -> float:
    """``b = log2(rate)`` for a learning rate in (0, 1] (0.85 → −0.2345)."""
    if not 0.0 < rate <= 1.0:
        raise ValueError(f"learning rate must be in (0, 1], not {rate!r}")
    return math.log2(rate)


def unit_factor(unit: float, rate: float, floor: float = 0.0) -> float:
    """Time of unit number ``unit`` (1-based) relative to unit 1: ``max(floor, unit^b)``."""
    if unit < 1:
        raise ValueError(f"unit numbers start at 1, not {unit!r}")
    return max(floor, float(unit ** wright_exponent(rate)))


def doublings(from_units: float, to_units: float) -> float:
    """Doublings of cumulative output from ``from_units`` to ``to_units`` (log2 of the ratio)."""
    if not (from_units > 0 and to_units > 0):
        raise ValueError(f"unit counts must be > 0, not {from_units!r}, {to_units!r}")
    return math.log2(to_units / from_units)


def factor_after_doublings(rate: float, count: float) -> float:
    """Unit-time multiplier after ``count`` doublings: ``rate^count``."""
    wright_exponent(rate)
    return float(rate**count)


def units_to_reach_factor(rate: float, factor: float) -> float:
    """The unit number whose time is ``factor`` × unit 1 (inverse of :func:`unit_factor`)."""
    exponent = wright_exponent(rate)
    if not 0.0 < factor <= 1.0:
        raise ValueError(f"factor must be in (0, 1], not {factor!r}")
    if exponent == 0.0:
        return 1.0 if factor == 1.0 else math.inf
    return float(factor ** (1.0 / exponent))


_EXACT_LIMIT = 2_000_000


def average_unit_factor(start_units: float, count: float, rate: float, floor: float = 0.0) -> float:
    """Mean factor of units ``start_units + 1 … start_units + count`` (a period's output).

    Exact sum of ``max(floor, k^b)`` over the units (a fractional ``count`` weighs its last
    unit by the fraction); blocks of more than two million units use the midpoint integral.
    ``count`` = 0 gives the next unit's factor.
    """
    exponent = wright_exponent(rate)
    if start_units < 0 or count < 0:
        raise ValueError(f"unit counts must be >= 0, not {start_units!r}, {count!r}")
    if count == 0:
        return unit_factor(start_units + 1, rate, floor)
    if count > _EXACT_LIMIT:
        return _midpoint_average(start_units, count, exponent, floor)
    whole = math.floor(count)
    units = np.arange(1, whole + 2, dtype=float) + start_units
    factors = np.maximum(floor, units**exponent)
    weights = np.ones(whole + 1)
    weights[-1] = count - whole
    return float(np.dot(factors, weights) / count)


def _midpoint_average(start_units: float, count: float, exponent: float, floor: float) -> float:
    """Average of ``max(floor, x^b)`` over ``[start + 1/2, start + count + 1/2]``."""
    low, high = start_units + 0.5, start_units + count + 0.5
    knee = math.inf if floor <= 0 or exponent == 0 else floor ** (1.0 / exponent)
    upper = max(low, min(high, knee))
    if exponent == -1.0:
        curved = math.log(upper) - math.log(low)
    else:
        power = exponent + 1.0
        curved = (upper**power - low**power) / power
    return (curved + (high - upper) * floor) / count


def period_unit_factors(
    units_per_period: Sequence[float], rate: float, floor: float = 0.0, initial_units: float = 0
) -> np.ndarray:
    """Average time factor of each period's output, given the units built per period."""
    factors = np.empty(len(units_per_period))
    built = float(initial_units)
    for index, count in enumerate(units_per_period):
        factors[index] = average_unit_factor(built, max(0.0, float(count)), rate, floor)
        built += max(0.0, float(count))
    return factors


def yield_after(tested: float, initial: float, mature: float, halving_units: float) -> float:
    """First-pass yield after ``tested`` units: the gap to mature halves every ``halving_units``."""
    if not 0.0 <= initial <= mature <= 1.0 or not halving_units > 0:
        raise ValueError("need 0 <= initial <= mature <= 1 and halving_units > 0")
    return float(mature - (mature - initial) * 2.0 ** (-tested / halving_units))


def yield_units_to_reach(
    target: float, initial: float, mature: float, halving_units: float
) -> float:
    """Units tested before the yield reaches ``target`` (inf if ``target`` ≥ mature)."""
    if target <= initial:
        return 0.0
    if target >= mature:
        return math.inf
    return float(halving_units * math.log2((mature - initial) / (mature - target)))
