"""Compile a validated :class:`~droneworks.factory.model.Plant` into the flat
:class:`~droneworks.factory.problem.Problem` the engine runs.

What the engine does with the plant file's keys, where it simplifies:

- ``skill = "…"``: the operation takes workers from the first pool (in file order) that
  has the skill;
- ``release = "plan"``: each period's quantity is released evenly over the period; after
  the last listed period the plan repeats its last period or stops (``after_plan``);
- ``policy = "unlimited"`` parts never run out; ``policy = "mrp"`` parts are only
  replenished by the purchase orders given to :func:`~droneworks.factory.simulate`;
- the shift calendar (with dated ``shifts_per_day`` changes) and each work centre's own
  calendar become working windows for the horizon, or ten years if longer, so a run may
  be extended without recompiling; a pool staffed per shift becomes a dated headcount at
  every shift start (see :mod:`.compile_calendar`).
"""

from __future__ import annotations

import math

import numpy as np

from droneworks.core.units import MINUTES_PER_YEAR
from droneworks.factory import problem as p
from droneworks.factory.compile_calendar import centre_windows, plant_windows, staffing_steps
from droneworks.factory.model import (
    Arrivals,
    DispatchRule,
    DistKind,
    Distribution,
    FailAction,
    FailureBasis,
    PartPolicy,
    Plant,
    ReleaseKind,
    ReleasePolicy,
    Step,
)
from droneworks.factory.problem import Problem
from droneworks.factory.problem_builder import Dist, ProblemBuilder

__all__ = ["UNLIMITED_STOCK", "compile_plant", "hiring_steps", "to_dist"]

UNLIMITED_STOCK = 10**15
_DISPATCH = {
    DispatchRule.FIFO: p.DISPATCH_FIFO,
    DispatchRule.SPT: p.DISPATCH_SPT,
    DispatchRule.EDD: p.DISPATCH_EDD,
    DispatchRule.PRIORITY: p.DISPATCH_PRIORITY,
}
_BASIS = {
    FailureBasis.CALENDAR: p.BASIS_CALENDAR,
    FailureBasis.BUSY: p.BASIS_BUSY,
    FailureBasis.OPERATIONS: p.BASIS_OPERATIONS,
}


def to_dist(d: Distribution) -> Dist:
    """The engine's form of a plant-file distribution (minutes)."""
    kind = d.dist
    if kind is DistKind.CONSTANT:
        return Dist.constant(float(d.value or 0.0))
    if kind is DistKind.UNIFORM:
        return Dist.uniform(float(d.low or 0.0), float(d.high or 0.0))
    if kind is DistKind.TRIANGULAR:
        return Dist.triangular(float(d.low or 0.0), float(d.mode or 0.0), float(d.high or 0.0))
    if kind is DistKind.NORMAL:
        return Dist.normal(float(d.mean or 0.0), float(d.sd or 0.0))
    if kind is DistKind.LOGNORMAL:
        return Dist.lognormal(float(d.mean or 0.0), float(d.cv or 0.0))
    if kind is DistKind.EXPONENTIAL:
        return Dist.exponential(float(d.mean or 0.0))
    return Dist.empirical(list(d.samples or ()))


def compile_plant(plant: Plant, horizon_min: float | None = None) -> Problem:
    """The flat problem of ``plant`` (``horizon_min`` overrides the plant's horizon)."""
    horizon = float(horizon_min if horizon_min is not None else plant.horizon_min)
    if horizon <= plant.warmup_min:
        raise ValueError(f"horizon_min {horizon} must exceed the warm-up {plant.warmup_min}")
    builder = ProblemBuilder(
        horizon_min=horizon,
        warmup_min=plant.warmup_min,
        seed=plant.seed,
        period_min=plant.period_min,
    )
    until = max(horizon, 10 * MINUTES_PER_YEAR)
    builder.set_calendar(plant_windows(plant, until))
    for key, windows in centre_windows(plant, until).items():
        builder.add_calendar(key, windows)
    _resources(builder, plant)
    _parts(builder, plant)
    _items(builder, plant, horizon)
    _changes(builder, plant, until)
    return builder.build()


def _resources(builder: ProblemBuilder, plant: Plant) -> None:
    for crew_id, crew in plant.repair_crews.items():
        builder.add_crew(crew_id, crew.technicians, crew.on_shift_only)
    for wid, wc in plant.work_centres.items():
        changed = [c.stations for c in plant.capacity_changes if c.work_centre == wid]
        largest = max([wc.stations, wc.max_stations or 0, *[n for n in changed if n]])
        builder.add_work_centre(
            wid, wc.stations, wc.buffer, max_stations=largest,
            dispatch=_DISPATCH[wc.dispatch], speeds=wc.speeds or (), kitting=wc.kitting,
            calendar=wc.calendar,
        )  # fmt: skip
        for mode in wc.failures:
            builder.add_failures(
                wid,
                repair=to_dist(mode.repair),
                up=to_dist(mode.up_time) if mode.up_time is not None else None,
                basis=_BASIS[mode.basis],
                ops_between=mode.operations_between or 0,
                preempts=mode.preempts,
                crew=mode.crew,
            )
        if wc.maintenance is not None:
            m = wc.maintenance
            builder.add_maintenance(
                wid, m.every_min, m.duration_min, m.first_at_min, _BASIS[m.basis]
            )
    for pool_id, pool in plant.workers.items():
        builder.add_pool(pool_id, pool.count)
    for mover_id, mover in plant.transporters.items():
        builder.add_transporter(mover_id, mover.count, mover.capacity)


def _parts(builder: ProblemBuilder, plant: Plant) -> None:
    for supplier_id, supplier in plant.suppliers.items():
        if supplier.capacity_per_min is not None:
            builder.add_supplier_capacity(supplier_id, supplier.capacity_per_min)
    for part_id, part in plant.parts.items():
        if part.policy is PartPolicy.UNLIMITED:
            builder.add_part(part_id, initial=UNLIMITED_STOCK)
            continue
        capacity = part.supplier if part.supplier in builder.supplier_capacities else None
        if part.capacity_per_min is not None:
            capacity = f"part:{part_id}"
            builder.add_supplier_capacity(capacity, part.capacity_per_min)
        terms = plant.supply_terms(part_id)
        reorder = part.policy is PartPolicy.REORDER_POINT
        builder.add_part(
            part_id,
            initial=part.initial_stock,
            reorder_point=int(part.reorder_point or 0) if reorder else -1,
            reorder_qty=int(part.reorder_quantity or 0) if reorder else 0,
            lead_time=to_dist(terms.lead_time) if terms else Dist.constant(0.0),
            late_prob=terms.late_probability if terms else 0.0,
            late_by=to_dist(terms.late_by) if terms else None,
            short_prob=terms.short_probability if terms else 0.0,
            short_fraction=terms.short_fraction if terms else 0.0,
            capacity=capacity,
        )


def _release(builder: ProblemBuilder, plant: Plant, horizon: float) -> dict[str, Dist]:
    """Set the release mode; returns the inter-arrival times of rate releases."""
    demand = plant.demand
    if demand.policy is ReleasePolicy.CONWIP:
        builder.conwip_cap = int(demand.conwip_cap or 0)
    products = list(plant.products)
    if demand.release is ReleaseKind.PLAN:
        period = float(demand.plan_period_min or plant.period_min)
        periods = demand.periods_in(horizon, plant.period_min)
        quantities = np.array(
            [[demand.plan_quantity(name, k) for name in products] for k in range(periods)]
        )
        builder.release_by_plan(period, quantities)
        return {}
    if demand.release is ReleaseKind.RATE:
        builder.release_by_rate()
        arrivals: dict[str, Dist] = {}
        for name, rate in demand.rate_per_min.items():
            mean = 1.0 / rate
            poisson = demand.arrivals is Arrivals.POISSON
            arrivals[name] = Dist.exponential(mean) if poisson else Dist.constant(mean)
        return arrivals
    return {}


def _items(builder: ProblemBuilder, plant: Plant, horizon: float) -> None:
    arrivals = _release(builder, plant, horizon)
    weights = plant.demand.mix_weights(list(plant.products))
    for name in plant.products:
        builder.add_product(name, interarrival=arrivals.get(name), mix=weights.get(name, 0.0))
    for name, assembly in plant.assemblies.items():
        builder.add_assembly(name, assembly.target_stock, assembly.initial_stock)
    for name, item in plant.items.items():
        if item.due_in_min is not None or item.priority != 0:
            builder.set_due(name, item.due_in_min or math.inf, item.priority)
    for item_id, item in plant.items.items():
        for operation in item.operations:
            test = operation.test
            index = _add_step(builder, plant, item_id, operation.name, operation, test)
            if test is None or test.fail_action is FailAction.SCRAP:
                continue
            for k, rework in enumerate(test.rework):
                label = f"{operation.name}.rework{k}.{rework.name}"
                _add_step(builder, plant, item_id, label, rework, None, rework_of=index)


def _add_step(
    builder: ProblemBuilder,
    plant: Plant,
    item_id: str,
    label: str,
    step: Step,
    test: object,
    rework_of: int | None = None,
) -> int:
    from droneworks.factory.model import QualityTest

    pools = plant.pools_for(step.worker, step.skill)
    learning = step.learning
    kwargs: dict[str, object] = {}
    if isinstance(test, QualityTest):
        curve = test.yield_learning
        kwargs = {
            "test_yield": test.first_pass_yield,
            "yield_learning": (curve.initial, curve.mature, curve.halving_units) if curve else None,
            "retest_yield": test.retest_yield,
            "max_reworks": test.max_reworks if test.fail_action is FailAction.REWORK else 0,
        }
    return builder.add_operation(
        item_id,
        label,
        step.work_centre,
        to_dist(step.time),
        setup=to_dist(step.setup) if step.setup is not None else None,
        batch=step.batch,
        batch_wait=step.batch_wait_min or 0.0,
        pool=pools[0] if pools else None,
        workers=step.workers_needed,
        consumes=dict(step.consumes),
        learning=(learning.rate, learning.floor, learning.initial_units) if learning else None,
        rework_of=rework_of,
        move=to_dist(step.move.time) if step.move is not None else None,
        transporter=step.move.transporter if step.move is not None else None,
        **kwargs,  # type: ignore[arg-type]
    )


def _changes(builder: ProblemBuilder, plant: Plant, until_min: float) -> None:
    for pool_id, steps in staffing_steps(plant, until_min).items():
        for at, count in steps:
            builder.add_change(at, p.CHANGE_WORKERS, pool_id, count)
    headcount = {pool_id: pool.count for pool_id, pool in plant.workers.items()}
    for change in sorted(plant.capacity_changes, key=plant.change_at_min):
        at = plant.change_at_min(change)
        if change.work_centre is not None and change.stations is not None:
            builder.add_change(at, p.CHANGE_STATIONS, change.work_centre, change.stations)
        elif change.pool is not None and change.workers is not None:
            hiring_min = plant.workers[change.pool].hiring_period_min
            steps = hiring_steps(at, headcount[change.pool], change.workers, hiring_min)
            for step_at, count in steps:
                builder.add_change(step_at, p.CHANGE_WORKERS, change.pool, count)
            headcount[change.pool] = change.workers


def hiring_steps(
    at_min: float, before: int, after: int, hiring_period_min: float, max_steps: int = 4
) -> list[tuple[float, int]]:
    """Dated headcounts that model new hires learning over ``hiring_period_min``.

    A new worker's productivity is taken to rise linearly from 0 on the change date to full
    at the end of the hiring period. The engine's workers are whole people, so the linear
    ramp of effective headcount is approximated by up to ``max_steps`` equal steps placed at
    the midpoints of equal sub-periods (the midpoint rule: the worker-minutes lost equal the
    ramp's, Δ·H/2). Reductions and changes without a hiring period apply at once.
    """
    added = after - before
    if added <= 0 or hiring_period_min <= 0:
        return [(at_min, after)]
    steps = min(added, max_steps)
    return [
        (at_min + hiring_period_min * (j - 0.5) / steps, before + round(added * j / steps))
        for j in range(1, steps + 1)
    ]
