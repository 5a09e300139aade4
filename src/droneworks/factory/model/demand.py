"""Demand and release of work into the plant.

::

    [demand]
    release = "plan"                    # "plan", "rate" or "unlimited"
    policy = "conwip"                   # "push" (default) or "conwip"
    conwip_cap = 400                    # units in process at most (conwip only)
    plan_period = "1 wk"                # default: plant.period
    plan = {agras-t40 = [200, 400, 800], survey-quad = [100, 100, 200]}
    after_plan = "repeat_last"          # or "stop"

    # release = "rate":      rate = {agras-t40 = "50000/yr"}, arrivals = "even" | "poisson"
    # release = "unlimited": the first operation never waits for work (infinite raw
    #                        material); with several products, mix = {a = 2, b = 1}

Released units join an unlimited order pool in front of their first operation. Under a
plan, each period's quantity is released evenly over the period (push to plan); under
CONWIP a unit is released only while fewer than ``conwip_cap`` units are in process.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Annotated

from pydantic import Field, model_validator

from droneworks.core.limits import MAX_COUNT
from droneworks.core.units import Duration, Rate
from droneworks.core.validation import UserModel

__all__ = ["AfterPlan", "Arrivals", "Demand", "ReleaseKind", "ReleasePolicy"]

PlanQuantity = Annotated[int, Field(ge=0, le=MAX_COUNT)]


class ReleaseKind(StrEnum):
    """Where released work comes from."""

    PLAN = "plan"
    RATE = "rate"
    UNLIMITED = "unlimited"


class ReleasePolicy(StrEnum):
    """Whether releases are capped by work in process."""

    PUSH = "push"
    CONWIP = "conwip"


class Arrivals(StrEnum):
    """Spacing of rate releases."""

    EVEN = "even"
    POISSON = "poisson"


class AfterPlan(StrEnum):
    """What is released after the last period of the plan."""

    REPEAT_LAST = "repeat_last"
    STOP = "stop"


class Demand(UserModel):
    """How units are released into the plant."""

    release: ReleaseKind
    policy: ReleasePolicy = ReleasePolicy.PUSH
    conwip_cap: Annotated[int, Field(ge=1, le=MAX_COUNT)] | None = None
    plan_period_min: Annotated[Duration, Field(gt=0)] | None = Field(
        default=None, alias="plan_period"
    )
    plan: dict[str, tuple[Annotated[int, Field(ge=0, le=MAX_COUNT)], ...]] = Field(
        default_factory=dict
    )
    after_plan: AfterPlan = AfterPlan.REPEAT_LAST
    rate_per_min: Annotated[dict[str, Rate], Field(alias="rate")] = Field(default_factory=dict)
    arrivals: Arrivals = Arrivals.EVEN
    mix: dict[str, Annotated[float, Field(gt=0.0)]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> Demand:
        if (self.policy is ReleasePolicy.CONWIP) != (self.conwip_cap is not None):
            raise ValueError('policy "conwip" and "conwip_cap" go together')
        given = {
            ReleaseKind.PLAN: bool(self.plan),
            ReleaseKind.RATE: bool(self.rate_per_min),
            ReleaseKind.UNLIMITED: bool(self.mix),
        }
        keys = {ReleaseKind.PLAN: "plan", ReleaseKind.RATE: "rate", ReleaseKind.UNLIMITED: "mix"}
        for kind, present in given.items():
            if kind is not self.release and present:
                raise ValueError(f'release "{self.release.value}" does not use "{keys[kind]}"')
        if self.release is ReleaseKind.PLAN and not self.plan:
            raise ValueError('release "plan" needs a "plan"')
        if self.release is ReleaseKind.RATE and not self.rate_per_min:
            raise ValueError('release "rate" needs a "rate" per product')
        for product, rate in self.rate_per_min.items():
            if rate <= 0:
                raise ValueError(f"rate.{product}: must be positive")
        lengths = {len(quantities) for quantities in self.plan.values()}
        if len(lengths) > 1:
            raise ValueError("every product of the plan needs the same number of periods")
        if self.plan and lengths == {0}:
            raise ValueError("the plan lists no period")
        return self

    def products(self) -> list[str]:
        """Product ids named by the demand (plan, rate or mix)."""
        return list(self.plan) + list(self.rate_per_min) + list(self.mix)

    def plan_quantity(self, product: str, period: int) -> int:
        """Units of ``product`` released in plan period ``period`` (0-based), after the
        last listed period per ``after_plan``; 0 for a product not in the plan."""
        quantities = self.plan.get(product, ())
        if period < 0 or not quantities:
            return 0
        if period < len(quantities):
            return quantities[period]
        return quantities[-1] if self.after_plan is AfterPlan.REPEAT_LAST else 0

    def periods_in(self, horizon_min: float, default_period_min: float) -> int:
        """Plan periods in ``horizon_min`` (the last one may be partial)."""
        period = float(self.plan_period_min or default_period_min)
        return max(1, math.ceil(horizon_min / period - 1e-9))

    def released_units(self, horizon_min: float, default_period_min: float) -> float:
        """Units released over ``horizon_min`` by a plan or a rate (expected, for Poisson
        arrivals); 0 for ``release = "unlimited"``, which only releases what the first
        operation can start."""
        if self.release is ReleaseKind.RATE:
            return sum(self.rate_per_min.values()) * horizon_min
        if self.release is ReleaseKind.UNLIMITED:
            return 0.0
        periods = self.periods_in(horizon_min, default_period_min)
        total = 0.0
        for quantities in self.plan.values():
            listed = quantities[:periods]
            rest = periods - len(listed)
            repeated = quantities[-1] if self.after_plan is AfterPlan.REPEAT_LAST else 0
            total += float(sum(listed)) + float(rest) * repeated
        return total

    def mix_weights(self, products: list[str]) -> dict[str, float]:
        """Release shares (summing to 1) for ``release = "unlimited"``: ``mix`` if given,
        else equal shares over ``products``."""
        weights = dict(self.mix) if self.mix else dict.fromkeys(products, 1.0)
        total = sum(weights.values())
        return {key: value / total for key, value in weights.items()}

    @property
    def plan_periods(self) -> int:
        """Number of periods in the plan (0 without a plan)."""
        return len(next(iter(self.plan.values()), ()))
