"""Ramp-up analysis: planned vs simulated output per period, binding constraints, deadlines.

:func:`analyse_rampup` runs the whole chain on one plant:

1. MRP on the plan (:mod:`droneworks.factory.plan.mrp_plant`) gives the planned purchase
   orders of every ``policy = "mrp"`` part; they are handed to the engine
   (``simulate(..., purchase_orders=...)``), which draws each delivery's lead time, lateness
   and shortfall from the supplier's distributions: MRP in the loop.
2. ``reps`` replications (F2's :func:`~droneworks.factory.plan.replications.replicate`,
   common random numbers) give, per KPI period, the output with a Student-t interval; a
   period *misses* the plan when the interval's upper bound is below
   ``(1 − tolerance) × planned``. The peak rate is *reached* in the first period whose mean
   output and the mean of all later periods are at least ``(1 − tolerance)`` × that rate.
3. The binding constraint of each period comes from the simulated work-centre states of
   each replication (the one most replications agree on is reported, with its share): the
   work centre with the highest *occupancy* (working, setup, down, or holding work while
   starved of material or of a worker, as a share of its on-shift time) limits the flow; it
   is reported as **material** (naming the part consumed there that ran lowest) when
   it waited for material ≥ 5 % of its on-shift time, as **labour** (its pool) when it
   waited for a worker ≥ 5 %, else as the **work centre** itself.
4. Deadlines. Capacity changes: the analytic rough-cut with learning of
   :func:`~droneworks.factory.plan.rampup_capacity.change_deadlines` (start of the first
   period that overloads without the change, minus the hiring period for workers) — one
   rough-cut per change instead of a simulation search over dates, which would cost
   changes × dates × replications runs; with ``verify=True`` one extra set of replications
   moves every change to its latest date and checks that the plan still holds. First
   purchase orders: MRP's own lead-time offset — the first planned release of each part is
   the latest date at which it arrives in time with the planned-lead-time service level,
   and the simulation above runs with exactly those dates.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from droneworks.core.progress import NO_PROGRESS, Progress
from droneworks.core.units import MINUTES_PER_YEAR
from droneworks.factory.plan.mrp_plant import PlantMrp, PurchaseOrder, plan_plant_mrp
from droneworks.factory.plan.rampup_binding import _resource_maps, binding_constraints
from droneworks.factory.plan.rampup_capacity import (
    ChangeDeadline,
    RampCapacity,
    change_deadlines,
    ramp_capacity,
)
from droneworks.factory.plan.statistics import bootstrap_bands

if TYPE_CHECKING:
    from droneworks.core.executor import Executor
    from droneworks.factory.model.plant import Plant

__all__ = [
    "OrderDeadline",
    "PeriodOutcome",
    "RampupResult",
    "analyse_rampup",
    "binding_constraints",
    "engine_purchase_orders",
]


@dataclass(frozen=True)
class PeriodOutcome:
    """Planned and simulated output of one KPI period."""

    period: int
    start_min: float
    planned: float
    simulated_mean: float
    simulated_low: float
    simulated_high: float
    missed: bool
    binding_kind: str  # "work_centre", "labour", "material" (or "" without simulation data)
    binding: str  # the work centre, pool or part
    binding_share: float = 1.0  # share of replications that found this binding constraint


@dataclass(frozen=True)
class OrderDeadline:
    """The first MRP purchase order of a part: the latest release for the plan to hold."""

    part: str
    release_min: float
    receipt_min: float
    quantity: float
    planned_lead_time_min: float
    past_due: bool  # MRP wanted it released before the plan starts


@dataclass(frozen=True)
class RampupResult:
    """Everything :func:`analyse_rampup` found."""

    plant: str
    period_min: float
    reps: int
    confidence: float
    periods: tuple[PeriodOutcome, ...]
    target_per_year: float
    reached_period: int | None  # first period from which the target rate is held
    change_deadlines: tuple[ChangeDeadline, ...]
    order_deadlines: tuple[OrderDeadline, ...]
    mrp: PlantMrp
    capacity: RampCapacity
    stock_mean: dict[str, np.ndarray]  # part → mean stock per period over replications
    verified_at_latest: bool | None  # plan holds with every change at its latest date
    missed_at_latest: tuple[int, ...]
    wall_s: float
    # the latest dates after verification: moved a period earlier at a time while the
    # simulation missed periods the planned dates did not (empty: not verified)
    verified_deadlines: tuple[ChangeDeadline, ...] = ()

    @property
    def dates_moved(self) -> tuple[ChangeDeadline, ...]:
        """Verified deadlines earlier than the rough cut's."""
        rough = {d.index: d.latest_min for d in self.change_deadlines}
        return tuple(d for d in self.verified_deadlines if d.latest_min != rough.get(d.index))

    @property
    def still_missed(self) -> tuple[int, ...]:
        """Periods the simulation misses with the verified latest dates although the
        planned dates meet them (empty: the verified dates hold, or not verified)."""
        return tuple(sorted(set(self.missed_at_latest) - set(self.missed_periods)))

    @property
    def missed_periods(self) -> tuple[int, ...]:
        """Periods whose simulated output is significantly below the plan."""
        return tuple(p.period for p in self.periods if p.missed)


def engine_purchase_orders(planned: PlantMrp) -> tuple[PurchaseOrder, ...]:
    """MRP's planned purchase orders as the engine takes them."""
    return planned.purchase_orders()


def _order_deadlines(planned: PlantMrp) -> tuple[OrderDeadline, ...]:
    past_due = {e.item for e in planned.result.exceptions if e.kind.value == "past_due_release"}
    first: dict[str, OrderDeadline] = {}
    for order in planned.result.purchase_orders():
        if order.item not in first:
            first[order.item] = OrderDeadline(
                order.item,
                order.release_min,
                order.receipt_min,
                order.quantity,
                planned.planned_lead_time_min[order.item],
                order.item in past_due,
            )
    return tuple(first[key] for key in sorted(first, key=lambda k: first[k].release_min))


@dataclass(frozen=True)
class _Runs:
    output: np.ndarray  # reps × periods (all products)
    states: np.ndarray  # reps × periods × work centres × states (station-minutes)
    stock: np.ndarray  # reps × periods × parts (end of period)
    work_centres: tuple[str, ...]
    parts: tuple[str, ...]


def _simulate(
    plant: Plant,
    orders: tuple[PurchaseOrder, ...],
    reps: int,
    seed: int,
    executor: Executor | None,
    progress: Progress,
) -> _Runs:
    """``reps`` replications of the plant with the MRP orders, reduced to period series."""
    from droneworks.factory import compile_plant, simulate
    from droneworks.factory.plan.replications import replicate

    problem = compile_plant(plant)
    run = functools.partial(simulate, purchase_orders=orders)
    study = replicate(
        problem,
        reps,
        seed=seed,
        record_active_periods=False,
        executor=executor,
        simulate_fn=run,
        progress=progress,
    )
    series = [outcome.series for outcome in study.outcomes]
    output = np.stack([np.asarray(s["output_by_period"], dtype=float).sum(axis=1) for s in series])
    states = np.stack([np.asarray(s["wc_state_by_period"], dtype=float) for s in series])
    stocks = np.stack([np.asarray(s["stock_by_period"], dtype=float) for s in series])
    return _Runs(output, states, stocks, tuple(problem.work_centres), tuple(problem.parts))


def _periods(
    plant: Plant, capacity: RampCapacity, runs: _Runs, confidence: float, tolerance: float
) -> tuple[PeriodOutcome, ...]:
    planned = sum(capacity.planned_units.values())
    assert isinstance(planned, np.ndarray)
    consumed, pools = _resource_maps(plant)
    per_rep = [
        binding_constraints(
            runs.states[r], runs.work_centres, runs.stock[r], runs.parts, consumed, pools
        )
        for r in range(len(runs.states))
    ]
    binding = [_most_common([found[k] for found in per_rep]) for k in range(len(per_rep[0]))]
    count = min(len(planned), runs.output.shape[1])
    out = []
    bands = bootstrap_bands(runs.output[:, :count], confidence)
    for period in range(count):
        mean, low, high = bands[period]
        missed = bool(high < (1.0 - tolerance) * planned[period])
        (kind, name), share = binding[period] if period < len(binding) else (("", ""), 0.0)
        out.append(
            PeriodOutcome(
                period,
                period * plant.period_min,
                float(planned[period]),
                mean,
                low,
                high,
                missed,
                kind,
                name,
                share,
            )
        )
    return tuple(out)


def _most_common(found: list[tuple[str, str]]) -> tuple[tuple[str, str], float]:
    """The binding constraint most replications agree on, and the share that does."""
    best = max(found, key=found.count)
    return best, found.count(best) / len(found)


def _reached(
    periods: tuple[PeriodOutcome, ...], period_min: float, target: float, tolerance: float
) -> int | None:
    """First period whose mean output, and the mean output of all periods from it to the
    end, are both at least (1 − tolerance) × the target rate."""
    per_year = MINUTES_PER_YEAR / period_min
    means = np.array([p.simulated_mean * per_year for p in periods])
    floor = (1.0 - tolerance) * target
    for index in range(len(means)):
        if means[index] >= floor and means[index:].mean() >= floor:
            return periods[index].period
    return None


def _at_latest(plant: Plant, deadlines: tuple[ChangeDeadline, ...]) -> Plant:
    changes = list(plant.capacity_changes)
    for deadline in deadlines:
        if deadline.latest_min is not None:
            changes[deadline.index] = changes[deadline.index].model_copy(
                update={"at": float(max(0.0, deadline.latest_min))}
            )
    return plant.model_copy(update={"capacity_changes": tuple(changes)})


MAX_DATE_MOVES = 8


@dataclass(frozen=True)
class _Check:
    """What re-simulating a set of dates needs."""

    plant: Plant
    orders: tuple[PurchaseOrder, ...]
    reps: int
    seed: int
    executor: Executor | None
    progress: Progress
    capacity: RampCapacity
    confidence: float
    tolerance: float

    def missed(self, deadlines: tuple[ChangeDeadline, ...]) -> tuple[int, ...]:
        plant = _at_latest(self.plant, deadlines)
        runs = _simulate(plant, self.orders, self.reps, self.seed, self.executor, self.progress)
        periods = _periods(self.plant, self.capacity, runs, self.confidence, self.tolerance)
        return tuple(p.period for p in periods if p.missed)


def _verify_latest(
    check: _Check, deadlines: tuple[ChangeDeadline, ...], baseline: set[int]
) -> tuple[tuple[ChangeDeadline, ...], tuple[int, ...], int]:
    """Simulate every change at its latest date; while that misses a period the planned
    dates did not, move the changes effective by the end of that period one period earlier.
    Returns the dates that held (or the last tried), their missed periods and the moves."""
    step = check.plant.period_min
    current = deadlines
    for moves in range(MAX_DATE_MOVES + 1):
        missed = check.missed(current)
        extra = sorted(set(missed) - baseline)
        if not extra or moves == MAX_DATE_MOVES:
            return current, missed, moves
        until = (extra[0] + 1) * step
        moved = tuple(
            replace(d, latest_min=max(0.0, d.latest_min - step))
            if d.latest_min is not None and 0 < d.latest_min < until
            else d
            for d in current
        )
        if moved == current:
            return current, missed, moves
        current = moved
    return current, missed, MAX_DATE_MOVES


def analyse_rampup(
    plant: Plant,
    reps: int = 5,
    *,
    seed: int | None = None,
    confidence: float = 0.95,
    tolerance: float = 0.05,
    max_utilisation: float = 0.9,
    service_level: float = 0.9,
    verify: bool = True,
    purchase_orders: tuple[PurchaseOrder, ...] | None = None,
    executor: Executor | None = None,
    progress: Progress = NO_PROGRESS,
) -> RampupResult:
    """Plan MRP, simulate ``reps`` replications with its orders, and analyse the ramp-up.

    ``purchase_orders`` replaces MRP's orders in the simulation (e.g. orders planned for a
    reliable supplier, simulated with a late one); the MRP result is still reported.
    """
    if reps < 2:
        raise ValueError(f"a confidence interval needs reps >= 2, not {reps}")
    started = time.perf_counter()
    run_seed = plant.seed if seed is None else seed
    planned = plan_plant_mrp(plant, service_level=service_level)
    orders = engine_purchase_orders(planned) if purchase_orders is None else purchase_orders
    runs = _simulate(plant, orders, reps, run_seed, executor, progress)
    capacity = ramp_capacity(plant, runs.output.shape[1])
    periods = _periods(plant, capacity, runs, confidence, tolerance)
    target = max(p.planned for p in periods) * MINUTES_PER_YEAR / plant.period_min
    deadlines = change_deadlines(plant, max_utilisation, capacity.n_periods)
    check = _Check(plant, orders, reps, run_seed, executor, progress, capacity, confidence,
                   tolerance)  # fmt: skip
    verified: bool | None = None
    missed_late: tuple[int, ...] = ()
    final = deadlines
    if verify and plant.capacity_changes:
        baseline = {p.period for p in periods if p.missed}
        final, missed_late, moves = _verify_latest(check, deadlines, baseline)
        verified = moves == 0 and set(missed_late) <= baseline
    mean_stock = runs.stock.mean(axis=0)
    stock = {part: mean_stock[:, index] for index, part in enumerate(runs.parts)}
    return RampupResult(
        plant.name,
        plant.period_min,
        reps,
        confidence,
        periods,
        target,
        _reached(periods, plant.period_min, target, tolerance),
        deadlines,
        _order_deadlines(planned),
        planned,
        capacity,
        stock,
        verified,
        missed_late,
        time.perf_counter() - started,
        final if verify else (),
    )
