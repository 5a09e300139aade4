"""How drones fly: the physics of legs, climbs and hovers, and the replay of mission files."""

from droneworks.missions.flight.legs import FlightSettings, LevelLeg, level_leg
from droneworks.missions.flight.replay import RATE_SERVO, Load, Replay, replay_mission

__all__ = [
    "RATE_SERVO",
    "FlightSettings",
    "LevelLeg",
    "Load",
    "Replay",
    "level_leg",
    "replay_mission",
]
