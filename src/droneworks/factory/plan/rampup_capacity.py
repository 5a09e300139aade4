"""Rough-cut capacity per period during a ramp-up: learning, yield learning, dated changes.

For each KPI period the plan's releases (spread evenly over each plan period) give the units
of every product and sub-assembly started. The load of each operation in a period is

    units × expected visits × mean time / batch × learning factor

where the learning factor is the *average* Wright factor of the block of units the period
builds (the units numbered after all earlier periods' output, see
:func:`droneworks.factory.plan.learning.average_unit_factor`), and the expected visits
include retests and rework at the test yield reached by the units tested before the period.
Capacity in a period is stations (or workers per shift) × working minutes of the calendar in
that period × the work centre's long-run availability, with every dated capacity change
(stations, workers, shifts per day) applied from its date on.

This is an *analytic* bound: no queueing, blocking, setups or material shortages (the
simulation has them). It is what lets the ramp-up analysis say, for every capacity change,
the latest date it can take effect — the start of the first period in which the resource
without that change would be loaded above ``max_utilisation`` — without re-simulating once
per change and candidate date.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from droneworks.factory.model import expected_test_visits
from droneworks.factory.plan.learning import average_unit_factor
from droneworks.factory.plan.mrp_plant import plan_period_min, plant_demand

if TYPE_CHECKING:
    from droneworks.factory.model.calendar import Calendar
    from droneworks.factory.model.plant import Plant
    from droneworks.factory.model.products import _Step
    from droneworks.factory.model.rampup import CapacityChange

__all__ = [
    "ChangeDeadline",
    "PeriodLoad",
    "RampCapacity",
    "change_deadlines",
    "planned_units_by_period",
    "ramp_capacity",
    "working_minutes_by_period",
]


@dataclass(frozen=True)
class PeriodLoad:
    """Load and capacity of one work centre or worker pool in every period (minutes)."""

    kind: str  # "work_centre" or "workers"
    name: str
    load_min: np.ndarray
    capacity_min: np.ndarray

    @property
    def utilisation(self) -> np.ndarray:
        """Load ÷ capacity per period (inf where there is load and no capacity)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            share = self.load_min / self.capacity_min
        return np.where(self.load_min > 0, share, 0.0)


@dataclass(frozen=True)
class RampCapacity:
    """Per-period rough-cut of a ramp-up."""

    period_min: float
    planned_units: dict[str, np.ndarray]  # product → units released per period
    resources: tuple[PeriodLoad, ...]
    learning_factor: dict[str, np.ndarray]  # "item/operation" → mean factor per period

    @property
    def n_periods(self) -> int:
        """Number of KPI periods."""
        return len(next(iter(self.planned_units.values())))

    def resource(self, kind: str, name: str) -> PeriodLoad:
        """The load row of one work centre or pool."""
        for row in self.resources:
            if row.kind == kind and row.name == name:
                return row
        raise KeyError(f"{kind} {name}")


def planned_units_by_period(plant: Plant, n_periods: int) -> dict[str, np.ndarray]:
    """Units of each product released per KPI period (plan periods spread evenly)."""
    plan_period = plan_period_min(plant)
    kpi_period = plant.period_min
    n_plan = math.ceil(n_periods * kpi_period / plan_period - 1e-9)
    demand = plant_demand(plant, n_plan)
    out = {}
    for product, values in demand.items():
        units = np.zeros(n_periods)
        for index, quantity in enumerate(values):
            start, end = index * plan_period, (index + 1) * plan_period
            for period in range(int(start // kpi_period), n_periods):
                low, high = period * kpi_period, (period + 1) * kpi_period
                if low >= end:
                    break
                overlap = min(end, high) - max(start, low)
                units[period] += quantity * max(0.0, overlap) / plan_period
        out[product] = units
    return out


def _working_between(windows: np.ndarray, low: float, high: float) -> float:
    if high <= low:
        return 0.0
    return float(
        np.clip(np.minimum(windows[:, 1], high) - np.maximum(windows[:, 0], low), 0.0, None).sum()
    )


@functools.lru_cache(maxsize=64)
def _windows(calendar: Calendar, shifts: int, start: dt.date, horizon_min: float) -> np.ndarray:
    """Working windows of the calendar with ``shifts`` shifts per day (cached)."""
    changed = calendar.model_copy(update={"shifts_per_day": shifts})
    return changed.working_windows_min(start, horizon_min)


def working_minutes_by_period(plant: Plant, n_periods: int) -> np.ndarray:
    """Working minutes of the calendar in each period, with dated shift changes applied."""
    period = plant.period_min
    horizon = n_periods * period
    start = plant.plant.start_date
    steps = [(0.0, plant.calendar.shifts_per_day)]
    for change in plant.capacity_changes:
        if change.shifts_per_day is not None:
            steps.append((plant.change_at_min(change), change.shifts_per_day))
    steps.sort(key=lambda step: step[0])
    windows = {shifts: _windows(plant.calendar, shifts, start, horizon) for _, shifts in steps}
    out = np.zeros(n_periods)
    for index, (at, shifts) in enumerate(steps):
        until = steps[index + 1][0] if index + 1 < len(steps) else horizon
        for k in range(n_periods):
            low, high = max(k * period, at), min((k + 1) * period, until)
            out[k] += _working_between(windows[shifts], low, high)
    return out


def _counts_by_period(plant: Plant, kind: str, name: str, n_periods: int) -> np.ndarray:
    """Stations or workers in each period (time-weighted over dated changes)."""
    period = plant.period_min
    if kind == "work_centre":
        base = plant.work_centres[name].stations
        changes = [
            (plant.change_at_min(c), c.stations)
            for c in plant.capacity_changes
            if c.work_centre == name
        ]
    else:
        base = plant.workers[name].count
        changes = [
            (plant.change_at_min(c), c.workers) for c in plant.capacity_changes if c.pool == name
        ]
    counts = np.full(n_periods, float(base))
    for at, value in sorted(changes, key=lambda change: change[0]):
        assert value is not None
        for k in range(n_periods):
            share = min(1.0, max(0.0, ((k + 1) * period - at) / period))
            counts[k] = counts[k] * (1.0 - share) + value * share
    return counts


def _item_units(plant: Plant, products: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Units of every product and sub-assembly started per period (no scrap allowance)."""
    units = {key: np.array(value, dtype=float) for key, value in products.items()}

    def add(item: str, flow: np.ndarray) -> None:
        for child, quantity in plant.items[item].components().items():
            if child in plant.assemblies:
                units[child] = units.get(child, 0.0) + flow * quantity
                add(child, flow * quantity)

    for product, flow in products.items():
        add(product, flow)
    return units


def _steps(plant: Plant, item: str, tested: float) -> Iterator[tuple[str, _Step, float]]:
    """(name, step, executions per unit started) of an item's routing and rework steps."""
    for operation in plant.items[item].operations:
        reworks = 0.0
        if operation.test is not None:
            reworks = expected_test_visits(operation.test, int(tested))[1]
        yield f"{item}/{operation.name}", operation, 1.0 + reworks
        if operation.test is not None:
            for sub, step in enumerate(operation.test.rework):
                yield f"{item}/{operation.name}/rework{sub}", step, reworks


def ramp_capacity(
    plant: Plant, n_periods: int | None = None, loads_of: RampCapacity | None = None
) -> RampCapacity:
    """Load and capacity of every work centre and pool per KPI period of the ramp-up.

    ``loads_of``: reuse the loads of an earlier result for the same plan and routings (a
    variant that only differs in capacity changes) and recompute capacities only.
    """
    count = n_periods or max(1, math.ceil(plant.horizon_min / plant.period_min - 1e-9))
    if loads_of is not None:
        station = {r.name: r.load_min for r in loads_of.resources if r.kind == "work_centre"}
        labour = {r.name: r.load_min for r in loads_of.resources if r.kind == "workers"}
        return _with_capacities(
            plant, count, loads_of.planned_units, station, labour, loads_of.learning_factor
        )
    products = planned_units_by_period(plant, count)
    items = _item_units(plant, products)
    station = {name: np.zeros(count) for name in plant.work_centres}
    labour = {name: np.zeros(count) for name in plant.workers}
    factors: dict[str, np.ndarray] = {}
    for item, flow in items.items():
        built = np.concatenate([[0.0], np.cumsum(flow)[:-1]])
        for period in range(count):
            for name, step, visits in _steps(plant, item, built[period]):
                factor = 1.0
                if step.learning is not None:
                    done = built[period] * visits + step.learning.initial_units
                    rate, floor = step.learning.rate, step.learning.floor
                    factor = average_unit_factor(done, flow[period] * visits, rate, floor)
                factors.setdefault(name, np.ones(count))[period] = factor
                minutes = flow[period] * visits * step.time.mean_min / step.batch * factor
                station[step.work_centre][period] += minutes
                pools = plant.pools_for(step.worker, step.skill)
                for pool in pools:
                    labour[pool][period] += minutes * step.workers_needed / len(pools)
    return _with_capacities(plant, count, products, station, labour, factors)


def _with_capacities(
    plant: Plant,
    count: int,
    products: dict[str, np.ndarray],
    station: dict[str, np.ndarray],
    labour: dict[str, np.ndarray],
    factors: dict[str, np.ndarray],
) -> RampCapacity:
    working = working_minutes_by_period(plant, count)
    rows = [
        PeriodLoad(
            "work_centre",
            name,
            station[name],
            _counts_by_period(plant, "work_centre", name, count)
            * working
            * plant.work_centres[name].availability,
        )
        for name in plant.work_centres
    ]
    rows += [
        PeriodLoad(
            "workers",
            name,
            labour[name],
            _counts_by_period(plant, "workers", name, count) * working,
        )
        for name in plant.workers
    ]
    return RampCapacity(plant.period_min, products, tuple(rows), factors)


@dataclass(frozen=True)
class ChangeDeadline:
    """How late one dated capacity change can take effect for the plan to hold (rough-cut)."""

    index: int  # position in plant.capacity_changes
    description: str  # e.g. "work centre flight-test: 8 stations"
    planned_min: float
    latest_min: float | None  # None: not needed within the horizon
    lead_min: float  # hiring period: the decision is due this long before the change
    binding: str  # the resource that overloads without the change ("" when not needed)
    peak_utilisation_without: float

    @property
    def decide_by_min(self) -> float | None:
        """Latest decision time: the latest effective time minus the hiring period."""
        return None if self.latest_min is None else self.latest_min - self.lead_min

    @property
    def slack_min(self) -> float | None:
        """Latest − planned (negative: the change as planned is already too late)."""
        return None if self.latest_min is None else self.latest_min - self.planned_min


def _describe(plant: Plant, index: int) -> tuple[str, list[tuple[str, str]], float]:
    change = plant.capacity_changes[index]
    if change.work_centre is not None:
        return (
            f"work centre {change.work_centre}: {change.stations} stations",
            [("work_centre", change.work_centre)],
            0.0,
        )
    if change.pool is not None:
        lead = plant.workers[change.pool].hiring_period_min
        return f"workers {change.pool}: {change.workers}", [("workers", change.pool)], lead
    everything = [("work_centre", name) for name in plant.work_centres]
    everything += [("workers", name) for name in plant.workers]
    return f"{change.shifts_per_day} shifts per day", everything, 0.0


def change_deadlines(
    plant: Plant, max_utilisation: float = 0.9, n_periods: int | None = None
) -> tuple[ChangeDeadline, ...]:
    """For each capacity change: the start of the first period from its date on in which the
    plant *without* it would load a resource above ``max_utilisation`` (rough-cut with
    learning) and the change would lower that load; a change planned after that is late
    (negative slack)."""
    if not 0 < max_utilisation <= 1.5:
        raise ValueError(f"max_utilisation must be in (0, 1.5], not {max_utilisation!r}")
    base = ramp_capacity(plant, n_periods)
    out = []
    for index, change in enumerate(plant.capacity_changes):
        description, resources, lead = _describe(plant, index)
        others = [c for k, c in enumerate(plant.capacity_changes) if k != index]
        without = ramp_capacity(
            plant.model_copy(update={"capacity_changes": tuple(others)}), base.n_periods, base
        )
        # The change in effect from time 0, replacing earlier changes of the same resource.
        planned = plant.change_at_min(change)
        kept = [
            c for c in others if not (_same_target(c, change) and plant.change_at_min(c) <= planned)
        ]
        first_thing = [change.model_copy(update={"at": 0.0}), *kept]
        early = ramp_capacity(
            plant.model_copy(update={"capacity_changes": tuple(first_thing)}), base.n_periods, base
        )
        first, binding, peak = None, "", 0.0
        for kind, name in resources:
            share = without.resource(kind, name).utilisation
            helped = early.resource(kind, name).utilisation
            over = np.flatnonzero((share > max_utilisation) & (share > helped + 1e-12))
            peak = max(peak, float(share.max(initial=0.0)))
            if len(over) and (first is None or over[0] < first):
                first, binding = int(over[0]), f"{kind} {name}"
        latest = None if first is None else first * plant.period_min
        out.append(ChangeDeadline(index, description, planned, latest, lead, binding, peak))
    return tuple(out)


def _same_target(one: CapacityChange, other: CapacityChange) -> bool:
    """True when two changes set the same thing (a work centre, a pool, or the shifts)."""
    return (one.work_centre, one.pool, one.shifts_per_day is None) == (
        other.work_centre,
        other.pool,
        other.shifts_per_day is None,
    )
