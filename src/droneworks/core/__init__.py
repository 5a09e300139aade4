"""Shared building blocks with no domain knowledge: units, random streams, errors, geo."""

from droneworks.core.errors import (
    ConfigError,
    DroneworksError,
    InfeasibleError,
    ModelError,
    SimulationError,
    StoreError,
)
from droneworks.core.geo import LocalProjection
from droneworks.core.streams import RandomStreams
from droneworks.core.units import Dimension, parse_quantity

__all__ = [
    "ConfigError",
    "Dimension",
    "DroneworksError",
    "InfeasibleError",
    "LocalProjection",
    "ModelError",
    "RandomStreams",
    "SimulationError",
    "StoreError",
    "parse_quantity",
]
