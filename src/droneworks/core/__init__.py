"""Shared building blocks with no domain knowledge: units, random streams, errors, geo.

The names below are imported on first use (PEP 562), so importing one small module of
``droneworks.core`` (errors, units) does not load pyproj, shapely or numpy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from droneworks.core.lazy import lazy_attributes

if TYPE_CHECKING:
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

_HOME = {
    "ConfigError": "errors",
    "DroneworksError": "errors",
    "InfeasibleError": "errors",
    "ModelError": "errors",
    "SimulationError": "errors",
    "StoreError": "errors",
    "LocalProjection": "geo",
    "RandomStreams": "streams",
    "Dimension": "units",
    "parse_quantity": "units",
}

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


__getattr__ = lazy_attributes(__name__, _HOME)
