"""Lot-sizing rules for MRP: one small class per rule behind one :class:`LotSizer` protocol.

MRP calls a lot sizer when an item's projected stock in some period would fall below its
safety stock. The sizer gets the *net requirement* of that period (what is missing to get
back to safety stock) and the *later requirements* (gross requirements less scheduled
receipts of the following periods, as if no further order were placed) and returns the
quantity of the planned receipt in that period. Every rule returns at least the net
requirement, so a planned receipt always restores safety stock.

=========================  ===============================================================
rule                       planned receipt
=========================  ===============================================================
``LotForLotSizer``         exactly the net requirement
``FixedQuantitySizer``     the smallest multiple of the fixed quantity covering the net
``EoqSizer``               the economic order quantity, or the net if it is larger
``PeriodOrderQuantitySizer``  the net plus the requirements of the next ``periods − 1``
``SilverMealSizer``        cover periods while the cost per period covered falls
``WagnerWhitinSizer``      the first lot of the cost-optimal plan over the later periods
``ConstrainedSizer``       any rule, raised to a minimum order and rounded to a multiple
=========================  ===============================================================

Costs are per order (``order_cost``) and per unit held for one period
(``holding_cost_per_unit_period``), in the same currency.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

__all__ = [
    "ConstrainedSizer",
    "EoqSizer",
    "FixedQuantitySizer",
    "LotForLotSizer",
    "LotSizer",
    "PeriodOrderQuantitySizer",
    "SilverMealSizer",
    "WagnerWhitinSizer",
    "economic_order_quantity",
]


@runtime_checkable
class LotSizer(Protocol):
    """Decides the quantity of one planned receipt."""

    def lot_size(self, net_requirement: float, later_requirements: Sequence[float]) -> float:
        """Quantity to receive now; ``net_requirement`` > 0 is this period's shortfall.

        ``later_requirements[j]`` is the gross requirement less scheduled receipts of the
        ``j + 1``-th period after this one (may be empty near the end of the horizon).
        """
        ...


def _check_net(net_requirement: float) -> None:
    if not net_requirement > 0:
        raise ValueError(f"net_requirement must be > 0, not {net_requirement!r}")


@dataclass(frozen=True)
class LotForLotSizer:
    """Order exactly what is missing (no stock carried beyond safety stock)."""

    def lot_size(self, net_requirement: float, later_requirements: Sequence[float]) -> float:
        """The net requirement itself."""
        _check_net(net_requirement)
        return net_requirement


@dataclass(frozen=True)
class FixedQuantitySizer:
    """Order in multiples of a fixed quantity (a pallet, a supplier's minimum lot)."""

    quantity: float

    def __post_init__(self) -> None:
        if not self.quantity > 0:
            raise ValueError(f"fixed lot quantity must be > 0, not {self.quantity!r}")

    def lot_size(self, net_requirement: float, later_requirements: Sequence[float]) -> float:
        """The smallest multiple of ``quantity`` that covers the net requirement."""
        _check_net(net_requirement)
        # Round the ratio first so 3 × 100 / 100 does not become 4 lots by float noise.
        lots = math.ceil(round(net_requirement / self.quantity, 9))
        return lots * self.quantity


def economic_order_quantity(
    demand_per_period: float, order_cost: float, holding_cost_per_unit_period: float
) -> float:
    """Wilson's EOQ: √(2·D·S / H), with D and H in the same period unit."""
    if demand_per_period < 0 or order_cost < 0 or not holding_cost_per_unit_period > 0:
        raise ValueError(
            "EOQ needs demand >= 0, order cost >= 0 and holding cost > 0, not "
            f"{demand_per_period!r}, {order_cost!r}, {holding_cost_per_unit_period!r}"
        )
    return math.sqrt(2.0 * demand_per_period * order_cost / holding_cost_per_unit_period)


@dataclass(frozen=True)
class EoqSizer:
    """Order the economic order quantity; if the net requirement is larger, order the net."""

    quantity: float

    def __post_init__(self) -> None:
        if not self.quantity > 0:
            raise ValueError(f"EOQ must be > 0, not {self.quantity!r}")

    @classmethod
    def from_costs(
        cls, demand_per_period: float, order_cost: float, holding_cost_per_unit_period: float
    ) -> EoqSizer:
        """The sizer for Wilson's EOQ computed from average demand and costs."""
        eoq = economic_order_quantity(demand_per_period, order_cost, holding_cost_per_unit_period)
        return cls(max(eoq, 1e-9))

    def lot_size(self, net_requirement: float, later_requirements: Sequence[float]) -> float:
        """``max(EOQ, net requirement)``."""
        _check_net(net_requirement)
        return max(self.quantity, net_requirement)


@dataclass(frozen=True)
class PeriodOrderQuantitySizer:
    """Cover the requirements of a fixed number of periods with one order (POQ)."""

    periods: int

    def __post_init__(self) -> None:
        if isinstance(self.periods, bool) or not isinstance(self.periods, int):
            raise ValueError(f"POQ periods must be an integer, not {self.periods!r}")
        if self.periods < 1:
            raise ValueError(f"POQ periods must be >= 1, not {self.periods!r}")

    @classmethod
    def from_eoq(cls, eoq: float, demand_per_period: float) -> PeriodOrderQuantitySizer:
        """POQ interval = EOQ / average demand per period, rounded, at least 1."""
        if not demand_per_period > 0:
            return cls(1)
        return cls(max(1, round(eoq / demand_per_period)))

    def lot_size(self, net_requirement: float, later_requirements: Sequence[float]) -> float:
        """The net plus the positive requirements of the next ``periods − 1`` periods."""
        _check_net(net_requirement)
        ahead = later_requirements[: self.periods - 1]
        return net_requirement + sum(max(0.0, value) for value in ahead)


def _requirements(net_requirement: float, later: Sequence[float], limit: int) -> list[float]:
    """This period's net, then the positive later requirements, at most ``limit`` in all."""
    return [net_requirement, *(max(0.0, value) for value in later[: limit - 1])]


@dataclass(frozen=True)
class SilverMealSizer:
    """Silver–Meal heuristic: extend the lot while the average cost per period falls."""

    order_cost: float
    holding_cost_per_unit_period: float

    def lot_size(self, net_requirement: float, later_requirements: Sequence[float]) -> float:
        """The net plus the requirements of the periods the heuristic covers."""
        _check_net(net_requirement)
        needs = _requirements(net_requirement, later_requirements, 520)
        holding = 0.0
        best = self.order_cost
        covered = 1
        for offset in range(1, len(needs)):
            holding += offset * needs[offset] * self.holding_cost_per_unit_period
            average = (self.order_cost + holding) / (offset + 1)
            if average > best:
                break
            best = average
            covered = offset + 1
        return sum(needs[:covered])


@dataclass(frozen=True)
class WagnerWhitinSizer:
    """Wagner–Whitin: the first lot of the least-cost plan over the next ``horizon`` periods."""

    order_cost: float
    holding_cost_per_unit_period: float
    horizon: int = 104

    def lot_size(self, net_requirement: float, later_requirements: Sequence[float]) -> float:
        """Dynamic programme over the remaining requirements; returns the first lot."""
        _check_net(net_requirement)
        needs = _requirements(net_requirement, later_requirements, self.horizon)
        count = len(needs)
        cost = [0.0] * (count + 1)  # cost[i]: cover periods i.. with no stock at i
        first_end = [count] * (count + 1)
        for start in range(count - 1, -1, -1):
            if needs[start] <= 0 and start > 0:
                cost[start], first_end[start] = cost[start + 1], start + 1
                continue
            best, best_end, holding = float("inf"), start + 1, 0.0
            for end in range(start + 1, count + 1):  # the lot covers start .. end-1
                holding += (end - 1 - start) * needs[end - 1] * self.holding_cost_per_unit_period
                total = self.order_cost + holding + cost[end]
                if total < best - 1e-12:
                    best, best_end = total, end
            cost[start], first_end[start] = best, best_end
        return sum(needs[: first_end[0]])


@dataclass(frozen=True)
class ConstrainedSizer:
    """Any rule, then at least ``minimum`` and rounded up to a multiple of ``multiple``."""

    inner: LotSizer
    minimum: float = 0.0
    multiple: float = 1.0

    def __post_init__(self) -> None:
        if self.minimum < 0 or not self.multiple > 0:
            raise ValueError("minimum must be >= 0 and multiple > 0")

    def lot_size(self, net_requirement: float, later_requirements: Sequence[float]) -> float:
        """The inner rule's lot, raised to the minimum, rounded up to the multiple."""
        quantity = max(self.minimum, self.inner.lot_size(net_requirement, later_requirements))
        return math.ceil(round(quantity / self.multiple, 9)) * self.multiple
