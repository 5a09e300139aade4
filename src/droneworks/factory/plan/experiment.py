"""Experiment files: a plant, factors at key paths into it, a design, replications.

::

    [experiment]
    plant = "../plants/minsk-100k.toml"   # relative to this file
    target = "100000/yr"

    [design]
    kind = "lhs"                           # full | lhs | oat
    points = 16
    seed = 1

    [replications]
    reps = 5

    [[factors]]
    path = "work_centres.esc.failures.up_time.mean"
    scale = [0.8, 1.0]                     # the file's 120 h × 0.8 = "96 h"

Each point is the plant file with the factors' values written in, validated like any plant
file (a bad value gets the plant's own key-path message, prefixed with the point). See
docs/scale.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator

from droneworks.core.errors import ConfigError, DroneworksError
from droneworks.core.sweep import (
    Design,
    Factor,
    Point,
    apply_point,
    canonical_json,
    check_factor_paths,
    design_points,
)
from droneworks.core.units import MINUTES_PER_YEAR, Dimension, parse_quantity
from droneworks.core.validation import UserModel, read_toml, validate
from droneworks.factory.model import Plant, parse_plant, with_changes

__all__ = [
    "Experiment",
    "ExperimentFile",
    "Mode",
    "PreparedPoint",
    "load_experiment",
    "prepare_points",
]


class Mode(StrEnum):
    CAPACITY = "capacity"
    AS_DEMANDED = "as-demanded"


class ExperimentSettings(UserModel):
    name: str | None = None
    plant: str
    target: str = Field(description='units a year to reach, e.g. "100000/yr"')
    confidence: float = Field(default=0.95, ge=0.5, le=0.999)
    mode: Mode = Mode.CAPACITY
    seed: int | None = Field(default=None, ge=0, lt=2**63)
    years: float | None = Field(default=None, gt=0, le=50)

    @field_validator("target")
    @classmethod
    def _target(cls, value: str) -> str:
        if not parse_quantity(value, Dimension.RATE) > 0:
            raise ValueError(f'"{value}" must be a positive rate, e.g. "100000/yr"')
        return value


class ReplicationSettings(UserModel):
    reps: int = Field(default=5, ge=2, le=1000)
    until_halfwidth: list[str] = Field(default_factory=list)
    max_reps: int = Field(default=50, ge=2, le=1000)


class ExperimentFile(UserModel):
    """The experiment file as written (see the module docstring)."""

    experiment: ExperimentSettings
    design: Design = Field(default_factory=Design)
    replications: ReplicationSettings = Field(default_factory=ReplicationSettings)
    factors: list[Factor] = Field(min_length=1, max_length=50)


@dataclass(frozen=True)
class Experiment:
    """A loaded experiment: its settings, the plant's data and path, the factors."""

    name: str
    path: Path
    plant_path: Path
    plant_data: Mapping[str, Any]
    spec: ExperimentFile

    @property
    def target_per_year(self) -> float:
        return parse_quantity(self.spec.experiment.target, Dimension.RATE) * MINUTES_PER_YEAR

    @property
    def factors(self) -> tuple[Factor, ...]:
        return tuple(self.spec.factors)

    def points(self) -> list[Point]:
        return design_points(self.spec.design, self.spec.factors, self.plant_data)


def load_experiment(path: str | Path) -> Experiment:
    """Read and validate an experiment file and the plant it names (paths checked)."""
    path = Path(path)
    spec = validate(ExperimentFile, read_toml(path), str(path))
    plant_path = path.parent / spec.experiment.plant
    plant_data = read_toml(plant_path)
    experiment = Experiment(spec.experiment.name or path.stem, path, plant_path, plant_data, spec)
    check_factor_paths(spec.factors, plant_data, str(path))
    return experiment


@dataclass(frozen=True)
class PreparedPoint:
    """One point of the design, ready to simulate: the plant it runs and its content."""

    point: Point
    label: str
    plant: Plant
    content: str  # canonical JSON of the plant data: equal content → the same stored run


def prepare_points(experiment: Experiment) -> list[PreparedPoint]:
    """Validate every point's plant (capacity view in ``mode = "capacity"``)."""
    settings = experiment.spec.experiment
    prepared = []
    for point in experiment.points():
        label = point.label(experiment.factors)
        data = apply_point(experiment.plant_data, experiment.factors, point)
        source = f"{experiment.path}: point {point.index} ({label})"
        try:
            plant = parse_plant(data, source, base_dir=experiment.plant_path.parent)
            if settings.years is not None:
                plant = with_changes(plant, horizon_min=settings.years * MINUTES_PER_YEAR)
            if settings.mode is Mode.CAPACITY:
                from droneworks.factory.plan.sizing import capacity_view

                plant = capacity_view(plant)
        except ValueError as error:
            raise ConfigError(f"{source}: {error}") from None
        except DroneworksError as error:
            text = str(error)
            raise type(error)(text if text.startswith(source) else f"{source}: {text}") from None
        content = canonical_json({"plant": data, "years": settings.years, "mode": settings.mode})
        prepared.append(PreparedPoint(point, label, plant, content))
    return prepared
