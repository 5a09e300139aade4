"""Purchased parts, their suppliers and replenishment policies.

::

    [suppliers.motor-maker]
    lead_time = {dist = "uniform", low = "4 wk", high = "8 wk"}
    late_probability = 0.1            # share of orders delivered late …
    late_by = {dist = "exponential", mean = "1 wk"}   # … by this much
    short_probability = 0.05          # share of orders delivered short …
    short_fraction = 0.2              # … missing this share of the quantity
    capacity = "5000/wk"              # makes at most this, over all its parts

    [parts.motor]
    supplier = "motor-maker"
    unit_cost = 45
    initial_stock = 4000
    policy = "reorder_point"          # or "mrp" or "unlimited"
    reorder_point = 2500
    reorder_quantity = 4000

A part may override any supplier figure (``lead_time``, ``late_probability``, …).
``policy = "unlimited"`` models free-issue or bulk stock that never runs out.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from pydantic import Field, model_validator

from droneworks.core.limits import MAX_COUNT
from droneworks.core.units import Rate
from droneworks.core.validation import UserModel
from droneworks.factory.model.distributions import Distribution, DistributionSpec

__all__ = ["LotSizing", "Part", "PartPolicy", "Supplier", "SupplyTerms"]

Share = Annotated[float, Field(ge=0.0, le=1.0)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
Money = Annotated[float, Field(ge=0.0)]


class PartPolicy(StrEnum):
    """How a part is replenished."""

    REORDER_POINT = "reorder_point"  # order reorder_quantity when stock position ≤ point
    MRP = "mrp"  # orders come from MRP (planned purchase orders)
    UNLIMITED = "unlimited"  # never runs out; no orders


class LotSizing(StrEnum):
    """MRP lot-sizing rules (parameters in brackets)."""

    LOT_FOR_LOT = "lot_for_lot"
    FIXED = "fixed"  # (lot_size)
    EOQ = "eoq"  # (order_cost, holding_rate_per_year, unit_cost)
    PERIOD_ORDER_QUANTITY = "poq"  # (periods)
    SILVER_MEAL = "silver_meal"  # (order_cost, holding_rate_per_year)
    WAGNER_WHITIN = "wagner_whitin"  # (order_cost, holding_rate_per_year)


class _Reliability(UserModel):
    lead_time: DistributionSpec | None = None
    late_probability: Share | None = None
    late_by: DistributionSpec | None = None
    short_probability: Share | None = None
    short_fraction: Share | None = None
    capacity_per_min: Annotated[Rate, Field(gt=0)] | None = Field(default=None, alias="capacity")


class Supplier(_Reliability):
    """A supplier: default lead time and delivery reliability for its parts."""

    name: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Supplier:
        if (self.late_probability or 0) > 0 and self.late_by is None:
            raise ValueError('late_probability > 0 needs "late_by"')
        return self


class Part(_Reliability):
    """A purchased part."""

    name: str | None = None
    supplier: str | None = None
    unit_cost: Money = 0.0
    initial_stock: Count = 0
    policy: PartPolicy = PartPolicy.REORDER_POINT
    reorder_point: Count | None = None
    reorder_quantity: Annotated[int, Field(ge=1, le=MAX_COUNT)] | None = None
    safety_stock: Count = 0
    lot_sizing: LotSizing = LotSizing.LOT_FOR_LOT
    lot_size: Annotated[int, Field(ge=1, le=MAX_COUNT)] | None = None
    periods: Annotated[int, Field(ge=1, le=10_000)] | None = None
    minimum_order: Count = 0
    order_multiple: Annotated[int, Field(ge=1, le=MAX_COUNT)] = 1
    order_cost: Money = 0.0
    holding_rate_per_year: Annotated[float, Field(ge=0.0)] = 0.25

    @model_validator(mode="after")
    def _check(self) -> Part:
        if self.policy is PartPolicy.REORDER_POINT:
            if self.reorder_point is None or self.reorder_quantity is None:
                raise ValueError(
                    'policy "reorder_point" needs "reorder_point" and "reorder_quantity"'
                )
        elif self.reorder_point is not None or self.reorder_quantity is not None:
            raise ValueError(
                f'policy "{self.policy.value}" does not use reorder_point / reorder_quantity'
            )
        if self.policy is PartPolicy.UNLIMITED and self.capacity_per_min is not None:
            raise ValueError('an "unlimited" part is never ordered: "capacity" does not apply')
        if self.policy is PartPolicy.MRP:
            if self.lot_sizing is LotSizing.FIXED and self.lot_size is None:
                raise ValueError('lot_sizing "fixed" needs "lot_size"')
            if self.lot_sizing is LotSizing.PERIOD_ORDER_QUANTITY and self.periods is None:
                raise ValueError('lot_sizing "poq" needs "periods"')
        return self


@dataclass(frozen=True)
class SupplyTerms:
    """A part's effective supply figures: part values, else its supplier's, else defaults
    (no lead time given anywhere → an error at load time unless the policy is unlimited)."""

    lead_time: Distribution
    late_probability: float
    late_by: Distribution
    short_probability: float
    short_fraction: float


def supply_terms(part: Part, supplier: Supplier | None) -> SupplyTerms | None:
    """Resolve a part's supply figures; None when no lead time is given anywhere."""

    def pick(key: str) -> object:
        own = getattr(part, key)
        if own is not None or supplier is None:
            return own
        return getattr(supplier, key)

    lead_time = pick("lead_time")
    if not isinstance(lead_time, Distribution):
        return None
    late_by = pick("late_by")
    late_probability = pick("late_probability")
    short_probability = pick("short_probability")
    short_fraction = pick("short_fraction")
    return SupplyTerms(
        lead_time=lead_time,
        late_probability=float(late_probability) if isinstance(late_probability, float) else 0.0,
        late_by=late_by if isinstance(late_by, Distribution) else Distribution.constant(0.0),
        short_probability=(
            float(short_probability) if isinstance(short_probability, float) else 0.0
        ),
        short_fraction=float(short_fraction) if isinstance(short_fraction, float) else 0.0,
    )
