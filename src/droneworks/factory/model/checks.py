"""Cross-reference checks of a plant (errors) and hints (warnings), with key paths."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from droneworks.catalogue import load_catalogue
from droneworks.core.limits import MAX_PLAN_PERIODS, MAX_RELEASED_UNITS
from droneworks.core.units import MINUTES_PER_YEAR, format_duration
from droneworks.factory.model.blocking import find_blocking_cycle
from droneworks.factory.model.demand import ReleaseKind
from droneworks.factory.model.graph import find_cycle
from droneworks.factory.model.holding import find_holding_cycles
from droneworks.factory.model.material import PartPolicy
from droneworks.factory.model.products import Product

if TYPE_CHECKING:
    from droneworks.factory.model.plant import Plant

__all__ = ["find_bom_cycle", "plant_warnings", "reference_errors"]


def _known(names: Iterable[str], limit: int = 12) -> str:
    ordered = sorted(names)
    if not ordered:
        return "none defined"
    shown = ", ".join(ordered[:limit])
    return shown + (f", … ({len(ordered)} in all)" if len(ordered) > limit else "")


def _item_path(plant: Plant, item: str) -> str:
    return f"products.{item}" if item in plant.products else f"assemblies.{item}"


@lru_cache(maxsize=32)
def _catalogue_ids(files: tuple[str, ...]) -> frozenset[str]:
    return frozenset(load_catalogue(*files))


def reference_errors(plant: Plant) -> list[str]:
    """Every dangling reference, cycle or empty routing, as ``key.path: message``."""
    errors: list[str] = []
    errors += _product_errors(plant)
    errors += _step_errors(plant)
    errors += _material_errors(plant)
    cycle = find_bom_cycle(plant)
    if cycle:
        first, second = cycle[0], cycle[1]
        errors.append(
            f"{_item_path(plant, first)}: cyclic bill of materials: "
            f"{' → '.join(cycle)} ({first} consumes {second})"
        )
    errors += _demand_errors(plant)
    errors += _volume_errors(plant)
    errors += _change_errors(plant)
    errors += _crew_errors(plant)
    errors += _calendar_errors(plant)
    return errors


def _calendar_errors(plant: Plant) -> list[str]:
    errors = [
        f'work_centres.{key}.calendar: unknown calendar "{centre.calendar}"; '
        f"known: {_known(plant.calendars)}"
        for key, centre in plant.work_centres.items()
        if centre.calendar is not None and centre.calendar not in plant.calendars
    ]
    shifts = max([plant.calendar.shifts_per_day] + [
        change.shifts_per_day for change in plant.capacity_changes if change.shifts_per_day
    ])  # fmt: skip
    for key, pool in plant.workers.items():
        if pool.shift_counts is not None and len(pool.shift_counts) != shifts:
            errors.append(
                f"workers.{key}.shift_counts: {len(pool.shift_counts)} headcounts for "
                f"{shifts} shifts a day (one per shift of [calendar], the most any "
                "capacity change sets)"
            )
    return errors


def _crew_errors(plant: Plant) -> list[str]:
    return [
        f'work_centres.{key}.failures[{k}].crew: unknown repair crew "{mode.crew}"; '
        f"known: {_known(plant.repair_crews)}"
        for key, centre in plant.work_centres.items()
        for k, mode in enumerate(centre.failures)
        if mode.crew is not None and mode.crew not in plant.repair_crews
    ]


def _product_errors(plant: Plant) -> list[str]:
    errors: list[str] = []
    if not plant.products:
        errors.append("products: the plant makes no product")
    catalogue = _catalogue_ids(plant.plant.catalogue)
    for key, product in plant.products.items():
        if product.drone_type not in catalogue:
            errors.append(
                f'products.{key}.drone_type: unknown drone type "{product.drone_type}"; '
                f"known: {_known(catalogue)}"
            )
    for key, item in plant.items.items():
        if not item.operations:
            kind = "product" if isinstance(item, Product) else "assembly"
            errors.append(f'{_item_path(plant, key)}.operations: {kind} "{key}" has no routing')
    for key in plant.assemblies:
        if key in plant.products:
            errors.append(f'assemblies.{key}: "{key}" is also a product')
        if key in plant.parts:
            errors.append(f'assemblies.{key}: "{key}" is also a purchased part')
    for key in plant.products:
        if key in plant.parts:
            errors.append(f'parts.{key}: "{key}" is also a product')
    return errors


def _step_errors(plant: Plant) -> list[str]:
    errors: list[str] = []
    components = set(plant.parts) | set(plant.assemblies)
    skills = {skill for pool in plant.workers.values() for skill in pool.skills}
    for key, item in plant.items.items():
        for where, step in item.all_steps():
            path = f"{_item_path(plant, key)}.{where}"
            if step.work_centre not in plant.work_centres:
                errors.append(
                    f'{path}.work_centre: unknown work centre "{step.work_centre}"; '
                    f"known: {_known(plant.work_centres)}"
                )
            if step.worker is not None and step.worker not in plant.workers:
                errors.append(
                    f'{path}.worker: unknown worker pool "{step.worker}"; '
                    f"known: {_known(plant.workers)}"
                )
            if step.skill is not None and step.skill not in skills:
                errors.append(
                    f'{path}.skill: no worker pool has skill "{step.skill}"; '
                    f"known skills: {_known(skills)}"
                )
            mover = step.move.transporter if step.move is not None else None
            if mover is not None and mover not in plant.transporters:
                errors.append(
                    f'{path}.move.transporter: unknown transporter "{mover}"; '
                    f"known: {_known(plant.transporters)}"
                )
            for component in step.consumes:
                if component in plant.products:
                    errors.append(
                        f'{path}.consumes.{component}: "{component}" is a product; '
                        "operations consume parts and assemblies"
                    )
                elif component not in components:
                    errors.append(
                        f'{path}.consumes.{component}: unknown part or assembly "{component}"; '
                        f"known: {_known(components)}"
                    )
    return errors


def _material_errors(plant: Plant) -> list[str]:
    errors: list[str] = []
    for key, part in plant.parts.items():
        if part.supplier is not None and part.supplier not in plant.suppliers:
            errors.append(
                f'parts.{key}.supplier: unknown supplier "{part.supplier}"; '
                f"known: {_known(plant.suppliers)}"
            )
            continue
        if part.policy is not PartPolicy.UNLIMITED and plant.supply_terms(key) is None:
            errors.append(
                f'parts.{key}.lead_time: policy "{part.policy.value}" needs a lead time '
                "(on the part or its supplier)"
            )
        terms = plant.supply_terms(key)
        if terms is not None and terms.late_probability > 0 and part.late_by is None:
            supplier = plant.suppliers.get(part.supplier or "")
            if supplier is None or supplier.late_by is None:
                errors.append(f'parts.{key}.late_by: late_probability > 0 needs "late_by"')
    return errors


def find_bom_cycle(plant: Plant) -> list[str]:
    """A cycle of assemblies consuming each other (``[a, b, a]``), or [] when acyclic."""
    return find_cycle({key: list(item.components()) for key, item in plant.assemblies.items()})


def _demand_errors(plant: Plant) -> list[str]:
    errors: list[str] = []
    key = {ReleaseKind.PLAN: "plan", ReleaseKind.RATE: "rate", ReleaseKind.UNLIMITED: "mix"}
    section = key[plant.demand.release]
    for product in plant.demand.products():
        if product not in plant.products:
            errors.append(
                f'demand.{section}.{product}: unknown product "{product}"; '
                f"known: {_known(plant.products)}"
            )
    return errors


def _volume_errors(plant: Plant) -> list[str]:
    """Work-size guards: the plan periods and the units the demand releases over the horizon
    (every released unit is kept until finished, so a demand far past the limit would
    fill memory in ``simulate``)."""
    demand, horizon = plant.demand, plant.horizon_min
    years = horizon / MINUTES_PER_YEAR
    span = f"the {f'{years:.4g} yr' if years >= 1 else format_duration(horizon)} horizon"
    if demand.release is ReleaseKind.PLAN:
        periods = demand.periods_in(horizon, plant.period_min)
        if periods > MAX_PLAN_PERIODS:
            return [
                f"demand.plan_period: {periods:,} plan periods in {span}; "
                f"at most {MAX_PLAN_PERIODS:,} (a longer plan_period or a shorter horizon)"
            ]
    units = demand.released_units(horizon, plant.period_min)
    if units > MAX_RELEASED_UNITS:
        section = "rate" if demand.release is ReleaseKind.RATE else "plan"
        return [
            f"demand.{section}: releases {units:,.0f} units over {span}; at most "
            f"{MAX_RELEASED_UNITS:,} (a lower {section} or a shorter horizon)"
        ]
    return []


def _change_errors(plant: Plant) -> list[str]:
    errors: list[str] = []
    for index, change in enumerate(plant.capacity_changes):
        path = f"capacity_changes[{index}]"
        if change.work_centre is not None:
            centre = plant.work_centres.get(change.work_centre)
            if centre is None:
                errors.append(
                    f'{path}.work_centre: unknown work centre "{change.work_centre}"; '
                    f"known: {_known(plant.work_centres)}"
                )
            elif centre.max_stations is not None and (change.stations or 0) > centre.max_stations:
                errors.append(f"{path}.stations: above max_stations ({centre.max_stations})")
        if change.pool is not None and change.pool not in plant.workers:
            errors.append(
                f'{path}.pool: unknown worker pool "{change.pool}"; known: {_known(plant.workers)}'
            )
        if change.shifts_per_day is not None:
            total = change.shifts_per_day * plant.calendar.shift_length_min
            if total > 1440 + 1e-9:
                errors.append(f"{path}.shifts_per_day: shifts do not fit in a day")
        if plant.change_at_min(change) < 0:
            errors.append(f"{path}.at: before the plant's start_date")
    return errors


def plant_warnings(plant: Plant) -> list[str]:
    """Legal but probably unintended: unused work centres, parts, pools, suppliers …"""
    used_centres: set[str] = set()
    used_items: set[str] = set()
    used_pools: set[str] = set()
    used_movers: set[str | None] = set()
    for item in plant.items.values():
        for _, step in item.all_steps():
            used_movers.add(step.move.transporter if step.move is not None else None)
            used_centres.add(step.work_centre)
            used_items.update(step.consumes)
            used_pools.update(plant.pools_for(step.worker, step.skill))
    warnings = [
        f'work_centres.{key}: work centre "{key}" is not used by any operation'
        for key in plant.work_centres
        if key not in used_centres
    ]
    warnings += [f'parts.{key}: part "{key}" is not consumed by any operation'
                 for key in plant.parts if key not in used_items]  # fmt: skip
    warnings += [f'assemblies.{key}: assembly "{key}" is not consumed by any operation'
                 for key in plant.assemblies if key not in used_items]  # fmt: skip
    warnings += [f'workers.{key}: worker pool "{key}" is not used by any operation'
                 for key in plant.workers if key not in used_pools]  # fmt: skip
    warnings += [f'transporters.{key}: transporter "{key}" is not used by any move'
                 for key in plant.transporters if key not in used_movers]  # fmt: skip
    used_suppliers = {part.supplier for part in plant.parts.values()}
    warnings += [f'suppliers.{key}: supplier "{key}" supplies no part'
                 for key in plant.suppliers if key not in used_suppliers]  # fmt: skip
    used_calendars = {centre.calendar for centre in plant.work_centres.values()}
    warnings += [f'calendars.{key}: calendar "{key}" is used by no work centre'
                 for key in plant.calendars if key not in used_calendars]  # fmt: skip
    crewed = {mode.crew for centre in plant.work_centres.values() for mode in centre.failures}
    warnings += [f'repair_crews.{key}: repair crew "{key}" repairs no failure mode'
                 for key in plant.repair_crews if key not in crewed]  # fmt: skip
    demanded = set(plant.demand.products())
    if plant.demand.release is not ReleaseKind.UNLIMITED or demanded:
        warnings += [f'products.{key}: product "{key}" is never released (not in [demand])'
                     for key in plant.products if key not in demanded]  # fmt: skip
    for key, pool in plant.workers.items():
        if pool.count == 0 and key in used_pools:
            warnings.append(f'workers.{key}.count: pool "{key}" has no worker')
    warnings += _staffing_warnings(plant)
    warnings += _batch_warnings(plant)
    warnings += _dispatch_warnings(plant)
    warnings += _holding_warnings(plant)
    cycle = find_blocking_cycle(plant)
    if cycle:
        warnings.append(
            f"work_centres.{cycle[0]}.buffer: units can block each other in a loop of finite "
            f"buffers ({' → '.join(cycle)}); the plant may deadlock — give one of them an "
            "unlimited buffer (omit `buffer`)"
        )
    return warnings


def _holding_warnings(plant: Plant) -> list[str]:
    """Work centres whose stations can all be held by units waiting for an assembly that
    needs those same stations (see ``holding.py``)."""
    warnings = []
    for cycle in find_holding_cycles(plant):
        centre = plant.work_centres.get(cycle.work_centre)
        count = centre.stations if centre is not None else 0
        warnings.append(
            f"{_item_path(plant, cycle.holder)}.{cycle.where}.consumes.{cycle.component}: "
            f'units of "{cycle.holder}" can hold all {count} stations of work centre '
            f'"{cycle.work_centre}" while waiting for "{cycle.component}", which needs those '
            "same stations to be made; the plant can stall for good — make "
            f'"{cycle.component}" on another work centre'
        )
    return warnings


def _batch_warnings(plant: Plant) -> list[str]:
    """Batches a finite buffer keeps from filling: a station starts with the job it takes
    plus those queued in the buffer, so a batch holds at most ``buffer + 1`` units."""
    warnings = []
    for key, item in plant.items.items():
        for where, step in item.all_steps():
            centre = plant.work_centres.get(step.work_centre)
            if centre is None or centre.buffer is None or centre.buffer + 1 >= step.batch:
                continue
            warnings.append(
                f"{_item_path(plant, key)}.{where}.batch: batches of {step.batch} never fill "
                f'at work centre "{step.work_centre}" (buffer {centre.buffer}): at most '
                f"{centre.buffer + 1} units are processed together"
            )
    return warnings


def _dispatch_warnings(plant: Plant) -> list[str]:
    """EDD where no item has a due date, priority where all items have the same one (the
    rule is first come, first served there), kitting where nothing is consumed."""
    warnings = []
    for wid, centre in plant.work_centres.items():
        items = [item for item in plant.items.values()
                 if any(step.work_centre == wid for _, step in item.all_steps())]  # fmt: skip
        rule = centre.dispatch.value
        if rule == "edd" and all(item.due_in_min is None for item in items):
            warnings.append(f'work_centres.{wid}.dispatch: "edd" but no item made here has '
                            '"due_in": units are taken first come, first served')  # fmt: skip
        consumes = any(step.consumes for item in items for _, step in item.all_steps()
                       if step.work_centre == wid)  # fmt: skip
        if centre.kitting and not consumes:
            warnings.append(f"work_centres.{wid}.kitting: no operation here consumes parts "
                            "or assemblies: kitting changes nothing")  # fmt: skip
        if rule == "priority" and len({item.priority for item in items}) < 2:
            warnings.append(f'work_centres.{wid}.dispatch: "priority" but every item made '
                            'here has the same priority: units are taken first come, '
                            "first served")  # fmt: skip
    return warnings


def _staffing_warnings(plant: Plant) -> list[str]:
    """Operations needing more workers at once than their pools have at the start."""
    warnings = []
    for key, item in plant.items.items():
        for where, step in item.all_steps():
            if not step.needs_worker:
                continue
            pools = plant.pools_for(step.worker, step.skill)
            largest = max((plant.workers[pool].count for pool in pools), default=0)
            if 0 < largest < step.workers_needed:
                warnings.append(
                    f"{_item_path(plant, key)}.{where}.workers_needed: needs "
                    f"{step.workers_needed} workers at once; its largest pool has {largest}"
                )
    return warnings
