"""The drone-type catalogue: schema, loading and lookup.

The built-in catalogue (``drones.toml`` beside this module) holds the civilian types all
wings share; users add or override types with files of the same shape. Each figure names its
source in the drone's ``sources`` table ("vendor page", "estimate", …): a figure without a
source is an error, so planning values never pass for measured ones.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator

from droneworks.core.errors import ConfigError
from droneworks.core.units import Duration, Energy, Flow, Length, Mass, Speed, Volume
from droneworks.core.validation import UserModel, read_toml, validate

__all__ = [
    "Camera",
    "Catalogue",
    "DroneKind",
    "DroneRole",
    "DroneType",
    "RcsClass",
    "default_catalogue",
    "load_catalogue",
]


class DroneKind(StrEnum):
    MULTIROTOR = "multirotor"
    FIXED_WING = "fixed_wing"
    FIXED_WING_VTOL = "fixed_wing_vtol"


class DroneRole(StrEnum):
    SPRAYER = "sprayer"
    SURVEY = "survey"
    CARGO = "cargo"
    GENERIC = "generic"


class RcsClass(StrEnum):
    """Radar cross-section class: very small < −12 dBsm ≤ small < −3 dBsm ≤ medium."""

    VERY_SMALL = "very_small"
    SMALL = "small"
    MEDIUM = "medium"


class Camera(UserModel):
    """A frame camera: sensor size, focal length, image size in pixels."""

    bands: list[str] = Field(default_factory=lambda: ["RGB"])
    sensor_width: Length
    sensor_height: Length
    focal_length: Length
    image_width_px: int = Field(gt=0)
    image_height_px: int = Field(gt=0)

    @model_validator(mode="after")
    def _positive(self) -> Camera:
        for name in ("sensor_width", "sensor_height", "focal_length"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        return self

    @property
    def hfov_deg(self) -> float:
        """Horizontal field of view (across the image width)."""
        return math.degrees(2 * math.atan(self.sensor_width / (2 * self.focal_length)))

    @property
    def vfov_deg(self) -> float:
        return math.degrees(2 * math.atan(self.sensor_height / (2 * self.focal_length)))

    def gsd_m(self, altitude_m: float) -> float:
        """Ground sampling distance in metres per pixel at ``altitude_m`` above ground."""
        return self.sensor_width * altitude_m / (self.focal_length * self.image_width_px)

    def altitude_for_gsd_m(self, gsd_m: float) -> float:
        """Altitude above ground giving ``gsd_m`` metres per pixel."""
        return gsd_m * self.focal_length * self.image_width_px / self.sensor_width


_SPEC_FIELDS = (
    "empty_mass", "max_takeoff_mass", "battery_energy", "payload_max", "tank", "flow_max",
    "cruise_speed", "work_speed", "work_height", "swath_width", "endurance_loaded",
    "endurance_empty", "range_loaded", "rcs_dbsm", "camera",
)  # fmt: skip


class DroneType(UserModel):
    """One civilian drone type. Masses kg, energy Wh, speeds m/s, lengths m, times min."""

    id: str = ""
    name: str
    kind: DroneKind
    role: DroneRole
    empty_mass: Mass
    max_takeoff_mass: Mass
    battery_energy: Energy
    payload_max: Mass | None = None
    tank: Volume | None = None
    flow_max: Flow | None = None
    cruise_speed: Speed
    work_speed: Speed | None = None
    work_height: Length | None = None
    swath_width: Length | None = None
    endurance_loaded: Duration
    endurance_empty: Duration
    range_loaded: Length | None = None
    rcs_dbsm: float
    rcs_class: RcsClass
    camera: Camera | None = None
    sources: dict[str, str]

    @model_validator(mode="after")
    def _check(self) -> DroneType:
        positive = ("empty_mass", "max_takeoff_mass", "battery_energy", "cruise_speed",
                    "endurance_loaded", "endurance_empty")  # fmt: skip
        optional_positive = ("payload_max", "tank", "flow_max", "work_speed", "work_height",
                             "swath_width", "range_loaded")  # fmt: skip
        for name in positive:
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive, not {getattr(self, name):g}")
        for name in optional_positive:
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise ValueError(f"{name} must be positive, not {value:g}")
        if self.max_takeoff_mass <= self.empty_mass:
            raise ValueError(
                f"max_takeoff_mass ({self.max_takeoff_mass:g} kg) must exceed "
                f"empty_mass ({self.empty_mass:g} kg)"
            )
        if self.payload_max is not None and self.payload_max > self.useful_load_kg + 1e-9:
            raise ValueError(
                f"payload_max ({self.payload_max:g} kg) is above max take-off mass minus "
                f"empty mass ({self.useful_load_kg:g} kg)"
            )
        if self.endurance_loaded > self.endurance_empty:
            raise ValueError("endurance_loaded must not exceed endurance_empty")
        if self.swath_width is not None and self.work_speed is None:
            raise ValueError("a drone with swath_width needs a work_speed")
        missing = [
            name
            for name in _SPEC_FIELDS
            if getattr(self, name) is not None and name not in self.sources
        ]
        if missing:
            raise ValueError(
                f"sources: no source given for {', '.join(missing)} "
                '(write "estimate" if it has none)'
            )
        unknown = sorted(set(self.sources) - set(_SPEC_FIELDS))
        if unknown:
            raise ValueError(f"sources: {', '.join(unknown)} is not a drone figure")
        return self

    @property
    def useful_load_kg(self) -> float:
        return self.max_takeoff_mass - self.empty_mass

    def is_estimate(self, figure: str) -> bool:
        """True when ``figure``'s source says it is an estimate."""
        return self.sources.get(figure, "").startswith("estimate")


class _CatalogueFile(UserModel):
    drones: dict[str, DroneType]


class Catalogue(Mapping[str, DroneType]):
    """Drone types by id (``agras-t40-class``); ``catalogue["x"]`` names the known ids."""

    def __init__(self, drones: Mapping[str, DroneType]) -> None:
        self._drones = dict(drones)

    def __getitem__(self, drone_id: str) -> DroneType:
        try:
            return self._drones[drone_id]
        except KeyError:
            known = ", ".join(sorted(self._drones))
            raise ConfigError(f"unknown drone type {drone_id!r}; known types: {known}") from None

    def __contains__(self, drone_id: object) -> bool:
        return drone_id in self._drones

    def get(self, drone_id: str, default: Any = None) -> Any:
        return self._drones.get(drone_id, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._drones)

    def __len__(self) -> int:
        return len(self._drones)

    def merged(self, other: Catalogue) -> Catalogue:
        """This catalogue with ``other``'s types added (same id: ``other`` wins)."""
        return Catalogue({**self._drones, **other._drones})


def _parse(data: Any, source: str) -> Catalogue:
    parsed = validate(_CatalogueFile, data, source)
    return Catalogue(
        {key: drone.model_copy(update={"id": key}) for key, drone in parsed.drones.items()}
    )


@cache
def default_catalogue() -> Catalogue:
    """The built-in catalogue shipped with droneworks."""
    text = resources.files("droneworks.catalogue").joinpath("drones.toml").read_text("utf-8")
    import tomllib

    return _parse(tomllib.loads(text), "built-in catalogue")


def load_catalogue(*files: str | Path) -> Catalogue:
    """The built-in catalogue extended by user files (later files override earlier ones)."""
    catalogue = default_catalogue()
    for path in files:
        catalogue = catalogue.merged(_parse(read_toml(path), str(path)))
    return catalogue
