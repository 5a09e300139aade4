"""Work-size guards: refuse a factory run that would take hours or fill memory, before it
starts (docs/cli.md, "Never a traceback").

The size of one replication is estimated from the rough cut: units made = the demand per
year (or, for orders always waiting, the bottleneck's capacity), capped at that capacity,
over the horizon; operation steps = units × the routing's expected steps per unit (rework
and sub-assemblies included). A command multiplies the steps by its replications. Past
:data:`~droneworks.core.limits.MAX_UNITS_PER_RUN` units in one replication or
:data:`~droneworks.core.limits.MAX_SIMULATED_STEPS` steps in all, the run is refused with
the estimate, the limit and what to change; ``--no-size-guard`` runs it anyway.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from droneworks.core.errors import ConfigError
from droneworks.core.limits import (
    BYTES_PER_FINISHED_UNIT,
    MAX_SIMULATED_STEPS,
    MAX_UNITS_PER_RUN,
    STEPS_PER_CPU_SECOND,
)
from droneworks.core.units import MINUTES_PER_YEAR
from droneworks.factory.model import Plant
from droneworks.factory.plan.roughcut import annual_demand, rough_cut, steps_per_mix_unit

if TYPE_CHECKING:
    from droneworks.factory.plan.experiment import Experiment

__all__ = ["RunSize", "check_experiment_size", "check_work_size", "run_size"]

OVERRIDE = "--no-size-guard"


@dataclass(frozen=True)
class RunSize:
    """Estimated size of one replication of a plant."""

    years: float
    units: float
    steps: float


def run_size(plant: Plant, capacity: bool = False) -> RunSize:
    """The estimated units and operation steps of one replication of ``plant``
    (``capacity``: orders always waiting, as sizing and experiments run it)."""
    cut = rough_cut(plant)
    per_year = cut.max_output_per_year
    demand = None if capacity else annual_demand(plant)
    if demand is not None:
        per_year = min(per_year, demand)
    years = plant.horizon_min / MINUTES_PER_YEAR
    if not math.isfinite(per_year):  # no resource limits the output: no estimate
        return RunSize(years, 0.0, 0.0)
    units = per_year * years
    return RunSize(years, units, units * steps_per_mix_unit(plant, cut.mix))


def check_work_size(
    plant: Plant, replications: int, what: str, *, capacity: bool = False, guard: bool = True
) -> None:
    """Raise ConfigError when one replication of ``plant`` makes too many units or all
    ``replications`` (described by ``what``, e.g. ``"--reps 500"``) take too many steps."""
    if not guard:
        return
    size = run_size(plant, capacity)
    span = f"{size.years:,.4g} yr of {plant.name}"
    if size.units > MAX_UNITS_PER_RUN:
        raise ConfigError(
            f"one run of {span} makes about {size.units:,.0f} units "
            f"(~{size.units * BYTES_PER_FINISHED_UNIT / 1e9:.0f} GB: "
            f"every finished unit is kept for the KPIs); at most {MAX_UNITS_PER_RUN:,} — a "
            f"shorter horizon (--years), or {OVERRIDE} to run it anyway"
        )
    total = replications * size.steps
    if total > MAX_SIMULATED_STEPS:
        hours = total / STEPS_PER_CPU_SECOND / 3600
        raise ConfigError(
            f"{what}: {replications:,} runs of {span} are about {total:.2g} operation steps "
            f"(~{hours:.0f} h of CPU); at most {MAX_SIMULATED_STEPS:.0e} — fewer replications "
            f"or years, or {OVERRIDE} to run it anyway"
        )


def check_experiment_size(experiment: Experiment, guard: bool = True) -> None:
    """:func:`check_work_size` for an experiment: its points × replications of its plant
    (the most replications, with ``until_halfwidth``), at the experiment's years."""
    if not guard:
        return
    from droneworks.factory.model import load_plant, with_changes
    from droneworks.factory.plan.experiment import Mode

    settings, replications = experiment.spec.experiment, experiment.spec.replications
    most = replications.max_reps if replications.until_halfwidth else replications.reps
    plant = load_plant(experiment.plant_path)
    if settings.years is not None:
        plant = with_changes(plant, horizon_min=settings.years * MINUTES_PER_YEAR)
    points = len(experiment.points())
    check_work_size(
        plant,
        points * most,
        f"{experiment.path}: {points:,} points × {most:,} replications",
        capacity=settings.mode is Mode.CAPACITY,
    )
