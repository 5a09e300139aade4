"""Civilian drone types shared by all wings (built-in data file, user-extendable)."""

from droneworks.catalogue.model import (
    Camera,
    Catalogue,
    DroneKind,
    DroneRole,
    DroneType,
    RcsClass,
    default_catalogue,
    load_catalogue,
)

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
