"""Rough-cut capacity: load per work centre and worker pool from routings, before simulating.

For every product of the mix, the routing (through its sub-assemblies) gives the expected
station minutes per good unit at each work centre — processing time ÷ batch, times the
expected visits (scrapped units are replaced by new starts, failed tests add rework
operations and retests; :func:`droneworks.factory.model.expected_test_visits`). Worker
minutes per pool follow the same visits for operations that hold workers (× workers needed;
a skill shared by several pools is split in proportion to their head counts).

Available minutes per year: stations (or workers) × working minutes of the calendar in one
year × the long-run availability of the work centre's time-based failures and maintenance.
Utilisation = load ÷ available; the resource with the highest utilisation is the rough-cut
bottleneck and ``max_output_per_year`` the mix volume at which it reaches 100 %.

Not included (the simulation captures them): setups (they depend on the sequence),
blocking, starvation, variability, failures by operation count, dated capacity changes and
learning curves (first-unit times are used; yields at ``tested = 0``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from droneworks.core.units import MINUTES_PER_YEAR
from droneworks.factory.model import Plant, expected_test_visits
from droneworks.factory.model.demand import AfterPlan, ReleaseKind
from droneworks.factory.model.products import Operation, ReworkOperation

__all__ = [
    "ResourceLoad",
    "RoughCut",
    "annual_demand",
    "cumulative_demand",
    "product_mix",
    "rough_cut",
    "steps_per_mix_unit",
]


@dataclass(frozen=True)
class ResourceLoad:
    """Load and capacity of one work centre (``kind="work_centre"``) or worker pool."""

    kind: str
    name: str
    count: int  # stations or workers per shift
    minutes_per_unit: float  # per unit of the product mix
    available_min_per_year: float
    availability: float
    volume_per_year: float  # mix units per year the load refers to

    @property
    def load_min_per_year(self) -> float:
        return self.minutes_per_unit * self.volume_per_year

    @property
    def utilisation(self) -> float:
        if self.available_min_per_year <= 0:
            return math.inf if self.load_min_per_year > 0 else 0.0
        return self.load_min_per_year / self.available_min_per_year

    @property
    def capacity_per_year(self) -> float:
        """Mix units per year this resource alone allows."""
        if self.minutes_per_unit <= 0:
            return math.inf
        return self.available_min_per_year / self.minutes_per_unit

    def count_needed(self, volume_per_year: float, max_utilisation: float = 1.0) -> int:
        """Smallest station/worker count keeping utilisation ≤ ``max_utilisation``."""
        if self.minutes_per_unit <= 0 or self.count == 0:
            return self.count
        per_unit_capacity = self.available_min_per_year / self.count
        needed = self.minutes_per_unit * volume_per_year / (per_unit_capacity * max_utilisation)
        return max(1, math.ceil(needed - 1e-9))


@dataclass(frozen=True)
class RoughCut:
    """Rough-cut capacity of a plant for a yearly volume of its product mix."""

    mix: dict[str, float]  # product → share of the volume
    volume_per_year: float
    working_min_per_year: float
    resources: tuple[ResourceLoad, ...]

    @property
    def bottleneck(self) -> ResourceLoad:
        """The most utilised resource."""
        return max(self.resources, key=lambda r: (r.utilisation, r.kind == "work_centre"))

    @property
    def max_output_per_year(self) -> float:
        """Mix units per year at which the bottleneck is fully used."""
        return min((r.capacity_per_year for r in self.resources), default=math.inf)

    def work_centres(self) -> tuple[ResourceLoad, ...]:
        return tuple(r for r in self.resources if r.kind == "work_centre")

    def pools(self) -> tuple[ResourceLoad, ...]:
        return tuple(r for r in self.resources if r.kind == "workers")


def product_mix(plant: Plant) -> dict[str, float]:
    """Share of each product in the released volume (plan totals, rates or mix weights)."""
    demand = plant.demand
    if demand.release is ReleaseKind.PLAN:
        weights = {p: float(sum(q)) for p, q in demand.plan.items()}
    elif demand.release is ReleaseKind.RATE:
        weights = dict(demand.rate_per_min)
    else:
        weights = dict(demand.mix) or dict.fromkeys(plant.products, 1.0)
    total = sum(weights.values())
    if total <= 0:
        weights, total = dict.fromkeys(plant.products, 1.0), float(len(plant.products))
    return {product: weight / total for product, weight in weights.items()}


def annual_demand(plant: Plant) -> float | None:
    """Released units per year over the horizon (None when release is unlimited)."""
    demand = plant.demand
    if demand.release is ReleaseKind.RATE:
        return sum(demand.rate_per_min.values()) * MINUTES_PER_YEAR
    if demand.release is ReleaseKind.UNLIMITED:
        return None
    period = demand.plan_period_min or plant.period_min
    count = max(1, math.ceil(plant.horizon_min / period - 1e-9))
    totals = [sum(quantities) for quantities in zip(*demand.plan.values(), strict=True)]
    if count > len(totals):
        extra = totals[-1] if demand.after_plan is AfterPlan.REPEAT_LAST else 0
        totals += [extra] * (count - len(totals))
    # a period's units are released evenly over it: a period cut by the horizon counts in part
    cut = min(1.0, float(plant.horizon_min / period) - (count - 1))
    released = float(sum(totals[: count - 1])) + cut * totals[count - 1]
    return float(released * MINUTES_PER_YEAR / plant.horizon_min)


def cumulative_demand(plant: Plant, ends_min: np.ndarray) -> np.ndarray | None:
    """Units ordered from the start up to each time of ``ends_min`` (a plan period's units
    arrive evenly over it; a rate as its mean); None when release is unlimited."""
    demand = plant.demand
    ends = np.asarray(ends_min, dtype=float)
    if demand.release is ReleaseKind.RATE:
        return np.asarray(sum(demand.rate_per_min.values()) * ends, dtype=float)
    if demand.release is ReleaseKind.UNLIMITED:
        return None
    period = demand.plan_period_min or plant.period_min
    count = max(1, math.ceil(float(ends.max(initial=0.0)) / period - 1e-9))
    totals = np.array(
        [sum(demand.plan_quantity(p, k) for p in demand.plan) for k in range(count)], dtype=float
    )
    before = np.concatenate([[0.0], np.cumsum(totals)])  # ordered by each period's start
    index = np.minimum((ends // period).astype(int), count - 1)
    fraction = np.clip(ends / period - index, 0.0, 1.0)
    return np.asarray(before[index] + fraction * totals[index], dtype=float)


def _step_visits(
    plant: Plant, item: str, units: float
) -> Iterator[tuple[Operation | ReworkOperation, float]]:
    """(operation or rework step, expected executions) per ``units`` good units of item."""
    operations: tuple[Operation, ...] = plant.items[item].operations
    needed = units
    visits = [0.0] * len(operations)
    for index in range(len(operations) - 1, -1, -1):
        test = operations[index].test
        if test is not None:
            needed /= max(expected_test_visits(test)[0], 1e-12)
        visits[index] = needed
    for operation, count in zip(operations, visits, strict=True):
        reworks = expected_test_visits(operation.test)[1] if operation.test else 0.0
        yield operation, count * (1.0 + reworks)
        if operation.test is not None:
            for step in operation.test.rework:
                yield step, count * reworks
        for child, quantity in operation.consumes.items():
            if child in plant.assemblies:
                yield from _step_visits(plant, child, count * quantity)


def steps_per_mix_unit(plant: Plant, mix: Mapping[str, float]) -> float:
    """Expected operation and rework steps (sub-assemblies included) per unit of the mix."""
    return sum(
        count for product, share in mix.items() for _, count in _step_visits(plant, product, share)
    )


def minutes_per_mix_unit(
    plant: Plant, mix: Mapping[str, float]
) -> tuple[dict[str, float], dict[str, float]]:
    """Station minutes per work centre and worker minutes per pool, per unit of the mix."""
    station: dict[str, float] = dict.fromkeys(plant.work_centres, 0.0)
    labour: dict[str, float] = dict.fromkeys(plant.workers, 0.0)
    for product, share in mix.items():
        for step, count in _step_visits(plant, product, share):
            minutes = count * step.time.mean_min / step.batch
            station[step.work_centre] += minutes
            pools = plant.pools_for(step.worker, step.skill)
            heads = sum(plant.workers[pool].count for pool in pools)
            for pool in pools:
                weight = plant.workers[pool].count / heads if heads else 1.0 / len(pools)
                labour[pool] += minutes * step.workers_needed * weight
    return station, labour


def rough_cut(plant: Plant, volume_per_year: float | None = None) -> RoughCut:
    """Load and utilisation of every work centre and pool at ``volume_per_year`` units of the
    product mix (default: the plant's own demand; for unlimited release the volume at which
    the bottleneck is fully used)."""
    mix = product_mix(plant)
    working = plant.calendar.working_minutes(plant.plant.start_date, MINUTES_PER_YEAR)
    station, labour = minutes_per_mix_unit(plant, mix)
    rows: list[ResourceLoad] = []
    start = plant.plant.start_date
    for name, centre in plant.work_centres.items():
        availability = centre.availability
        own = working if centre.calendar is None else None
        if own is None:
            own = plant.calendar_of(name).working_minutes(start, MINUTES_PER_YEAR)
        available = centre.stations * own * availability
        rows.append(
            ResourceLoad(
                "work_centre", name, centre.stations, station[name], available, availability, 0.0
            )
        )
    for name, pool in plant.workers.items():
        heads = sum(pool.shift_counts) / len(pool.shift_counts) if pool.shift_counts else pool.count
        rows.append(
            ResourceLoad("workers", name, pool.count, labour[name], heads * working, 1.0, 0.0)
        )
    volume = volume_per_year if volume_per_year is not None else annual_demand(plant)
    if volume is None:
        volume = min((r.capacity_per_year for r in rows), default=0.0)
    resources = tuple(
        ResourceLoad(
            r.kind,
            r.name,
            r.count,
            r.minutes_per_unit,
            r.available_min_per_year,
            r.availability,
            float(volume),
        )
        for r in rows
    )
    return RoughCut(mix, float(volume), working, resources)
