"""Line of sight over a 4/3 earth with a forest canopy (flat ground; DEM in ``terrain.py``).

The ray from the sensor's mast top to the target must clear the earth's bulge everywhere and
the canopy top beyond the cleared ground around the mast. Over a smooth earth with effective
radius a_e = k·R (k = 4/3 for the standard atmosphere) this reproduces the radar horizon
d = √(2·a_e·h_s) + √(2·a_e·h_t) ≈ 4.12·(√h_s + √h_t) km with heights in metres.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from droneworks.watch.terrain import Terrain

__all__ = [
    "EARTH_RADIUS_M",
    "FLAT",
    "K_FACTOR",
    "Environment",
    "line_of_sight",
    "radio_horizon_m",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

EARTH_RADIUS_M = 6_371_000.0
K_FACTOR = 4.0 / 3.0  # standard atmosphere refraction: effective earth radius 4/3 R


@dataclass(frozen=True)
class Environment:
    """Propagation environment: forest canopy, clearing around masts, optional DEM."""

    canopy_height_m: float = 0.0
    clearing_radius_m: float = 100.0
    k_factor: float = K_FACTOR
    terrain: Terrain | None = field(default=None, compare=False)

    @property
    def effective_radius_m(self) -> float:
        return self.k_factor * EARTH_RADIUS_M


FLAT = Environment()


def radio_horizon_m(height_m: float | FloatArray, k_factor: float = K_FACTOR) -> FloatArray:
    """Distance to the horizon from ``height_m`` over a smooth k-earth: √(2·k·R·h).

    With k = 4/3 this is ≈ 4.12·√h km (h in m), the REFERENCE §5 rule.
    """
    h = np.maximum(np.asarray(height_m, dtype=float), 0.0)
    result: FloatArray = np.sqrt(2.0 * k_factor * EARTH_RADIUS_M * h)
    return result


def line_of_sight(
    ground_range_m: FloatArray,
    sensor_height_m: float,
    target_height_m: float | FloatArray,
    environment: Environment = FLAT,
) -> BoolArray:
    """Whether the straight ray sensor → target clears earth bulge and canopy (flat terrain).

    The ray height above the chord minus the bulge d·(R−d)/(2·a_e) must stay above the canopy
    top for every distance d beyond the clearing (and above the ground before it). The
    clearance is a convex quadratic in d, so checking its minimum is exact; with no canopy
    it reproduces R ≤ √(2·a_e·h_s) + √(2·a_e·h_t).
    """
    distance = np.asarray(ground_range_m, dtype=float)
    target_h = np.broadcast_to(np.asarray(target_height_m, dtype=float), distance.shape)
    a_e = environment.effective_radius_m
    visible = _clear_above(distance, sensor_height_m, target_h, 0.0, 0.0, a_e)
    canopy = environment.canopy_height_m
    if canopy > 0:
        visible &= _clear_above(
            distance, sensor_height_m, target_h, canopy, environment.clearing_radius_m, a_e
        )
    return visible


def _clear_above(
    distance: FloatArray,
    sensor_h: float,
    target_h: FloatArray,
    obstacle_h: float,
    start_m: float,
    a_e: float,
) -> BoolArray:
    """min over d ∈ [start, R] of ray(d) − bulge(d) − obstacle ≥ 0 (empty interval: True)."""
    safe = np.maximum(distance, 1e-9)
    turning = safe / 2.0 - a_e * (target_h - sensor_h) / safe
    d = np.clip(turning, start_m, safe)
    clearance = sensor_h + (target_h - sensor_h) * d / safe - d * (safe - d) / (2 * a_e)
    result: BoolArray = (clearance >= obstacle_h - 1e-9) | (distance <= start_m)
    return result
