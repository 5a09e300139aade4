"""Wind: a constant horizontal wind over the field, given as speed and the direction it
blows FROM (meteorological convention: ``5 m/s@270`` is a west wind blowing towards east)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from droneworks.core.errors import ConfigError
from droneworks.core.units import Dimension, parse_quantity
from droneworks.missions.coverage.swaths import ground_speed_mps as swath_ground_speed

__all__ = ["CALM", "Wind", "ground_speed_mps"]


@dataclass(frozen=True)
class Wind:
    speed_mps: float = 0.0
    from_deg: float = 0.0

    def __post_init__(self) -> None:
        if self.speed_mps < 0:
            raise ValueError(f"wind speed must not be negative, not {self.speed_mps}")

    @property
    def vector_en(self) -> tuple[float, float]:
        """Air velocity (east, north) in m/s: where the air moves *to*."""
        radians = math.radians(self.from_deg)
        return (-self.speed_mps * math.sin(radians), -self.speed_mps * math.cos(radians))

    @classmethod
    def parse(cls, text: str) -> Wind:
        """``"5 m/s@270"`` (speed with unit, ``@``, direction it blows from in degrees)."""
        match = re.fullmatch(r"\s*(.+?)\s*@\s*([-+]?\d+(?:\.\d*)?)\s*(?:deg|°)?\s*", text)
        if match is None:
            raise ConfigError(f"{text!r} is not a wind; write speed@direction, e.g. 5m/s@270")
        speed = parse_quantity(match.group(1), Dimension.SPEED)
        return cls(speed, float(match.group(2)) % 360.0)

    def __str__(self) -> str:
        return f"{self.speed_mps:g} m/s from {self.from_deg:g}°"


CALM = Wind()


def ground_speed_mps(bearing_deg: float, airspeed_mps: float, wind: Wind) -> float:
    """Ground speed along ``bearing_deg`` (compass) at ``airspeed_mps``, crabbing into the
    wind to hold the track; 0 when the wind is too strong to hold it."""
    return swath_ground_speed(bearing_deg, airspeed_mps, wind.vector_en)
