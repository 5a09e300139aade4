"""Cargo deliveries: drops, fleets, PyVRP routing, battery range enforced per sortie."""

from droneworks.missions.delivery.airspace import Airspace
from droneworks.missions.delivery.file import load_deliveries, parse_deliveries
from droneworks.missions.delivery.model import (
    Base,
    DeliveryParams,
    DeliveryProblem,
    Drop,
    FleetGroup,
    NoFlyZone,
    clock_to_min,
    min_to_clock,
)
from droneworks.missions.delivery.plan import (
    DeliveryPlan,
    InfeasibleDrop,
    Sortie,
    Stop,
    plan_deliveries,
)
from droneworks.missions.delivery.sortie import DroneOps, SortieFlight, fly_sortie

__all__ = [
    "Airspace",
    "Base",
    "DeliveryParams",
    "DeliveryPlan",
    "DeliveryProblem",
    "DroneOps",
    "Drop",
    "FleetGroup",
    "InfeasibleDrop",
    "NoFlyZone",
    "Sortie",
    "SortieFlight",
    "Stop",
    "clock_to_min",
    "fly_sortie",
    "load_deliveries",
    "min_to_clock",
    "parse_deliveries",
    "plan_deliveries",
]
