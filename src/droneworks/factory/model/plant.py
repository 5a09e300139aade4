"""The top-level plant model: one TOML file = one plant scenario.

Sections: ``[plant]``, ``[calendar]``, ``[calendars.<id>]``, ``[products.<id>]``,
``[assemblies.<id>]``, ``[parts.<id>]``, ``[suppliers.<id>]``, ``[work_centres.<id>]``,
``[workers.<id>]``, ``[transporters.<id>]``, ``[repair_crews.<id>]``, ``[demand]``,
``[costs]``, ``[[capacity_changes]]`` — see docs/plant-file.md.
Field errors are :class:`~droneworks.core.errors.ConfigError`; cross-reference errors
(unknown work centre, part, pool, drone type; cyclic bill of materials; a product without
routing) are :class:`~droneworks.core.errors.ModelError`; both name the key path.
Warnings (an unused work centre, part, pool …) do not stop loading: see
:attr:`Plant.warnings`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field, model_validator

from droneworks.catalogue import Catalogue, load_catalogue
from droneworks.core.errors import ModelError
from droneworks.core.units import MINUTES_PER_WEEK, MINUTES_PER_YEAR, Duration
from droneworks.core.validation import UserModel
from droneworks.factory.model.calendar import Calendar
from droneworks.factory.model.demand import Demand
from droneworks.factory.model.material import Part, Supplier, SupplyTerms, supply_terms
from droneworks.factory.model.products import Assembly, Product
from droneworks.factory.model.rampup import CapacityChange
from droneworks.factory.model.resources import RepairCrew, WorkCentre, WorkerPool
from droneworks.factory.model.transport import Transporter

__all__ = ["Costs", "Plant", "PlantSettings"]

Identifier = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
Money = Annotated[float, Field(ge=0.0)]


class PlantSettings(UserModel):
    """The ``[plant]`` section: name and run settings."""

    name: str
    description: str | None = None
    horizon_min: Annotated[Duration, Field(alias="horizon", gt=0)] = MINUTES_PER_YEAR
    warmup_min: Annotated[Duration, Field(alias="warmup", ge=0)] = 0.0
    seed: Annotated[int, Field(ge=0)] = 0
    period_min: Annotated[Duration, Field(alias="period", gt=0)] = MINUTES_PER_WEEK
    start_date: dt.date = dt.date(2026, 1, 5)
    catalogue: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> PlantSettings:
        if self.warmup_min >= self.horizon_min:
            raise ValueError("warmup must be shorter than the horizon")
        return self


class Costs(UserModel):
    """The ``[costs]`` section: plant-wide cost figures (all in ``currency``)."""

    currency: str = "EUR"
    shift_cost_per_year: Money = 0.0
    overhead_per_year: Money = 0.0
    holding_rate_per_year: Annotated[float, Field(ge=0.0)] = 0.25


class Plant(UserModel):
    """A validated plant scenario (frozen). Build it with ``load_plant(path)``."""

    plant: PlantSettings
    calendar: Calendar = Field(default_factory=Calendar)
    calendars: dict[Identifier, Calendar] = Field(default_factory=dict)
    products: dict[Identifier, Product]
    assemblies: dict[Identifier, Assembly] = Field(default_factory=dict)
    parts: dict[Identifier, Part] = Field(default_factory=dict)
    suppliers: dict[Identifier, Supplier] = Field(default_factory=dict)
    work_centres: dict[Identifier, WorkCentre]
    workers: dict[Identifier, WorkerPool] = Field(default_factory=dict)
    transporters: dict[Identifier, Transporter] = Field(default_factory=dict)
    repair_crews: dict[Identifier, RepairCrew] = Field(default_factory=dict)
    demand: Demand
    costs: Costs = Field(default_factory=Costs)
    capacity_changes: tuple[CapacityChange, ...] = ()

    @model_validator(mode="after")
    def _check_references(self) -> Plant:
        from droneworks.factory.model.checks import reference_errors

        errors = reference_errors(self)
        if len(errors) == 1:
            raise ModelError(errors[0])
        if errors:
            listed = "\n".join(f"  {line}" for line in errors)
            raise ModelError(f"{len(errors)} problems\n{listed}")
        return self

    @property
    def warnings(self) -> tuple[str, ...]:
        """Things that are legal but probably unintended (an unused work centre, …)."""
        from droneworks.factory.model.checks import plant_warnings

        return tuple(plant_warnings(self))

    # Convenience views used by the compiler, planning and the CLI.
    @property
    def name(self) -> str:
        """The plant's name."""
        return self.plant.name

    @property
    def horizon_min(self) -> float:
        """Simulated horizon in minutes."""
        return self.plant.horizon_min

    @property
    def warmup_min(self) -> float:
        """Warm-up in minutes (statistics are reset at its end)."""
        return self.plant.warmup_min

    @property
    def period_min(self) -> float:
        """KPI period length in minutes."""
        return self.plant.period_min

    @property
    def seed(self) -> int:
        """Base random seed."""
        return self.plant.seed

    @property
    def items(self) -> dict[str, Product | Assembly]:
        """Products and assemblies: everything made in the plant, by id."""
        return {**self.products, **self.assemblies}

    def drone_catalogue(self) -> Catalogue:
        """The built-in drone catalogue extended by the files of ``plant.catalogue``."""
        return load_catalogue(*self.plant.catalogue)

    def supply_terms(self, part_id: str) -> SupplyTerms | None:
        """Effective lead time and reliability of a part (part values over its supplier's);
        None for an unlimited part without a lead time."""
        part = self.parts[part_id]
        supplier = self.suppliers.get(part.supplier) if part.supplier else None
        return supply_terms(part, supplier)

    def calendar_of(self, work_centre: str) -> Calendar:
        """The calendar a work centre works by (its own, else the plant's)."""
        own = self.work_centres[work_centre].calendar
        return self.calendars[own] if own is not None else self.calendar

    def pools_for(self, worker: str | None, skill: str | None) -> tuple[str, ...]:
        """Pools that may staff an operation naming ``worker`` or ``skill``."""
        if worker is not None:
            return (worker,)
        if skill is None:
            return ()
        return tuple(pool for pool, spec in self.workers.items() if skill in spec.skills)

    def change_at_min(self, change: CapacityChange) -> float:
        """Minutes from the start of the run to a capacity change."""
        return change.at_min(self.plant.start_date)
