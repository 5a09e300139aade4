"""One answer to "can this plant build N a year?", the same in every command and report.

Two measured numbers answer it:

- **capacity**: annual output with orders always waiting, in the demand's product mix
  (:func:`~droneworks.factory.plan.sizing.capacity_view`), with the probability that a year
  reaches N (Student-t predictive, as sizing uses);
- **delivered**: annual output under the file's own demand — never more than it releases.

When they differ the verdict says why (the demand caps output, capacity below the demand,
a start-up from an empty plant, material shortages, stalls), and a plan that delivered runs
short of flags the miss with its size and an exact breakdown that adds up to it: every
order of the measured window was either delivered, is still open at the end (waiting for
release or in process, counted against those open at the warm-up) or was scrapped (a
scrapped product is not rebuilt); what is left is the plan's own timing (orders in the
measured window against its yearly average). The binding constraint is the work centre
that the active-period method (Roser) names in the capacity runs — measured, never a rough
cut.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from droneworks.core.units import MINUTES_PER_YEAR
from droneworks.factory.plan.replications import ReplicationStudy
from droneworks.factory.plan.statistics import Interval, normal_exceedance

__all__ = ["Verdict", "make_verdict", "order_balance", "plan_miss", "sum_text"]

OUTPUT = "throughput_per_year"
NOTABLE = 0.01  # a difference under 1 % of output is not explained


@dataclass(frozen=True)
class Verdict:
    """The answer and the numbers behind it (all per year)."""

    target_per_year: float | None
    target_source: str  # "target" (asked) or "demand" (the file's)
    confidence: float
    capacity: Interval
    probability: float  # P(capacity in a year ≥ target); nan without a target or with n = 1
    delivered: Interval
    demanded_per_year: float | None
    plan_miss_per_year: float  # demanded − delivered when delivered falls short, else 0
    binding: str | None
    binding_share: float  # its active-period bottleneck share (sole + shifting)
    reasons: tuple[str, ...]  # why delivered output is below capacity
    # demanded − delivered per year, in parts that add up to it exactly: (what, per year)
    shortfall: tuple[tuple[str, float], ...] = ()
    stalls: tuple[str, ...] = ()  # findings of the delivered runs

    @property
    def answer(self) -> str:
        """ "yes", "no" or "unsure" (one run cannot give a probability)."""
        if self.target_per_year is None:
            return "unsure"
        if math.isnan(self.probability):
            return "yes" if self.capacity.mean >= self.target_per_year else "no"
        return "yes" if self.probability >= self.confidence else "no"

    def lines(self) -> list[str]:
        """The verdict in a few sentences: capacity first, then the plan as demanded."""
        out = []
        band = _band(self.capacity)
        if self.target_per_year is not None:
            chance = " (one run: no probability)"
            if not math.isnan(self.probability):
                close = abs(self.probability - self.confidence) < 0.01
                shown = f"{self.probability:.3f}" if close else f"{self.probability:.2f}"
                chance = f", P(a year ≥ {self.target_per_year:,.0f}) = {shown}"
                if self.answer == "no":
                    chance += f", below the {self.confidence:.0%} asked"
            source = "asked" if self.target_source == "target" else "the file's demand"
            out.append(
                f"Capacity — can it build {self.target_per_year:,.0f} a year ({source})? "
                f"{self.answer.upper()}: {band}/yr with orders always waiting{chance}."
            )
        else:
            out.append(f"Capacity: {band}/yr with orders always waiting (demand's mix).")
        delivered = f"Plan as demanded: delivered {_band(self.delivered)}/yr"
        if self.demanded_per_year is None:
            out.append(delivered + " (no demand plan: orders always waiting).")
        elif self.plan_miss_per_year > 0:
            share = self.plan_miss_per_year / self.demanded_per_year
            out.append(
                f"{delivered} of {self.demanded_per_year:,.0f}/yr ordered — PLAN MISSED by "
                f"{self.plan_miss_per_year:,.0f}/yr ({share:.1%})."
            )
        else:
            out.append(f"{delivered} of {self.demanded_per_year:,.0f}/yr ordered — plan met.")
        if self.plan_miss_per_year > 0 and self.shortfall:
            out.append(f"The miss adds up: {sum_text(self.shortfall)}.")
        out += self._capacity_against_demand()
        out += [f"{finding[:1].upper()}{finding[1:]}." for finding in self.stalls]
        if self.reasons:
            out.append("Delivered is below capacity because " + "; ".join(self.reasons) + ".")
        if self.binding is not None:
            out.append(
                f"Binding constraint: {self.binding} (active-period bottleneck "
                f"{self.binding_share:.0%} of the time, orders always waiting)."
            )
        return out

    def _capacity_against_demand(self) -> list[str]:
        """Whether a plan miss is a lack of capacity (only said when the plan is missed)."""
        demanded = self.demanded_per_year
        if not self.plan_miss_per_year > 0 or demanded is None:
            return []
        margin = self.capacity.mean - demanded
        if margin < 0:
            return [f"Capacity is {-margin:,.0f}/yr short of the demand: the plant as it is "
                    "cannot build the plan."]  # fmt: skip
        return [f"Capacity exceeds the demand by {margin:,.0f}/yr: the miss is not a "
                "shortage of capacity."]  # fmt: skip

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["capacity"] = self.capacity.as_dict()
        data["delivered"] = self.delivered.as_dict()
        data["answer"] = self.answer
        data["shortfall"] = [{"what": what, "per_year": value} for what, value in self.shortfall]
        lines = self.lines()
        data["lines"] = lines
        data["text"] = " ".join(lines)
        return data


def sum_text(parts: Sequence[tuple[str, float]]) -> str:
    """``a/yr what + b/yr what − c/yr what`` (per-year parts of a sum)."""
    return "".join(
        f"{'' if k == 0 else (' + ' if value >= 0 else ' − ')}"
        f"{value if k == 0 else abs(value):,.0f}/yr {what}"
        for k, (what, value) in enumerate(parts)
    )


def plan_miss(delivered: Interval, demanded_per_year: float | None) -> float:
    """How far delivered output falls short of the demand per year, when by more than its
    interval and 1 % of the demand (else 0: the plan is met)."""
    if demanded_per_year is None:
        return 0.0
    short = demanded_per_year - delivered.mean
    noise = delivered.halfwidth if math.isfinite(delivered.halfwidth) else 0.0
    return short if short > max(noise, NOTABLE * demanded_per_year) else 0.0


def _band(interval: Interval) -> str:
    if interval.n < 2 or not math.isfinite(interval.halfwidth):
        return f"{interval.mean:,.0f}"
    return f"{interval.mean:,.0f} ± {interval.halfwidth:,.0f}"


def _binding(study: ReplicationStudy) -> tuple[str | None, float]:
    shares = {
        key.removeprefix("bottleneck.").removesuffix(".total"): interval.mean
        for key, interval in study.intervals.items()
        if key.startswith("bottleneck.") and key.endswith(".total")
    }
    if not shares:
        return None, math.nan
    name = max(shares, key=lambda key: shares[key])
    return name, shares[name]


def _per_year(study: ReplicationStudy, key: str) -> float | None:
    measured = study.intervals.get("measured_min")
    value = study.intervals.get(key)
    if measured is None or value is None or not measured.mean > 0:
        return None
    return value.mean * MINUTES_PER_YEAR / measured.mean


def order_balance(delivered: ReplicationStudy, demanded: float) -> tuple[tuple[str, float], ...]:
    """demanded − delivered per year in parts that add up to it exactly (means over the
    replications; an order balance of the measured window)."""
    rates = {key: _per_year(delivered, key)
             for key in ("orders", "released", "units", "scrapped_products")}  # fmt: skip
    if any(value is None for value in rates.values()):
        return ()  # a study without the order counts (stored before they existed)
    orders, released, units, scrapped = (float(v) for v in rates.values())  # type: ignore[arg-type]
    parts = (
        ("more orders waiting for release at the end than at the warm-up", orders - released),
        ("more units in process at the end than at the warm-up", released - units - scrapped),
        ("scrapped (a scrapped product is not rebuilt)", scrapped),
        ("plan timing (orders in the measured window vs the plan's yearly average)",
         demanded - orders),
    )  # fmt: skip
    return tuple((what, value) for what, value in parts if abs(value) >= 0.5)


def _reasons(
    capacity: Interval, delivered: ReplicationStudy, demanded: float | None, warmup_min: float
) -> list[str]:
    """Why delivered output is below capacity, each with its size where measurable."""
    gap = capacity.mean - delivered.intervals[OUTPUT].mean
    if gap <= NOTABLE * max(capacity.mean, 1.0):
        return []
    reasons = []
    if demanded is not None and demanded < capacity.mean * (1 - NOTABLE):
        below = capacity.mean - demanded
        reasons.append(
            f"the demand orders only {demanded:,.0f}/yr ({below:,.0f}/yr below capacity)"
        )
    outputs = [o.series.get("output_by_period") for o in delivered.outcomes]
    period = delivered.outcomes[0].series.get("period_min") if delivered.outcomes else None
    first = math.ceil(warmup_min / float(period) - 1e-9) if period is not None else 0
    if all(x is not None and np.ndim(x) == 2 and len(x) >= first + 4 for x in outputs):
        per_period = np.mean([np.asarray(x).sum(axis=1) for x in outputs], axis=0)[first:]
        typical = float(np.median(per_period))
        if typical > 0 and per_period[0] < 0.8 * typical:
            reasons.append(f"a start-up from an empty plant (first measured period "
                           f"{per_period[0]:,.0f} units, typical {typical:,.0f})")  # fmt: skip
    starving = sorted(
        (key.split(".")[1], interval.mean / 60)
        for key, interval in delivered.intervals.items()
        if key.startswith("part.") and key.endswith(".starved_min") and interval.mean > 0
    )
    if starving:
        worst = sorted(starving, key=lambda item: -item[1])[:3]
        reasons.append("material: stations waited for " + ", ".join(
            f"{part} ({hours:,.0f} h)" for part, hours in worst))  # fmt: skip
    return reasons


def make_verdict(
    capacity: ReplicationStudy,
    delivered: ReplicationStudy,
    demanded_per_year: float | None,
    target_per_year: float | None = None,
    stalls: tuple[str, ...] = (),
    warmup_min: float = 0.0,
) -> Verdict:
    """The verdict from replications with orders always waiting (``capacity``) and under the
    file's demand (``delivered``, the same study when the demand is already unlimited);
    ``stalls`` are findings of the delivered runs."""
    source = "target" if target_per_year is not None else "demand"
    target = target_per_year if target_per_year is not None else demanded_per_year
    outputs = capacity.values(OUTPUT)
    probability = (
        normal_exceedance(outputs, target) if target is not None and len(outputs) > 1 else math.nan
    )
    shipped = delivered.intervals[OUTPUT]
    miss = plan_miss(shipped, demanded_per_year)
    binding, share = _binding(capacity)
    reasons = _reasons(capacity.intervals[OUTPUT], delivered, demanded_per_year, warmup_min)
    if miss > 0 and reasons:
        reasons.append(f"the plan was missed ({miss:,.0f}/yr, above)")
    shortfall = (
        order_balance(delivered, demanded_per_year) if miss > 0 and demanded_per_year else ()
    )
    return Verdict(
        target,
        source,
        capacity.confidence,
        capacity.intervals[OUTPUT],
        probability,
        shipped,
        demanded_per_year,
        miss,
        binding,
        share,
        tuple(reasons),
        shortfall,
        stalls,
    )
