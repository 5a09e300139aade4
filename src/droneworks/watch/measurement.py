"""Measurement noise of a sensor: polar (range, bearing) errors in Cartesian terms."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from droneworks.watch.sensors import PlacedSensor

__all__ = ["measure_positions", "measurement_covariance_xy"]

FloatArray = npt.NDArray[np.float64]


def measurement_covariance_xy(sensor: PlacedSensor, xy_targets: FloatArray) -> FloatArray:
    """Cartesian covariance (n, 2, 2) of a polar measurement (σ range, σ bearing) at targets."""
    xy = np.atleast_2d(np.asarray(xy_targets, dtype=float))
    dx, dy = xy[:, 0] - sensor.x_m, xy[:, 1] - sensor.y_m
    r = np.maximum(np.hypot(dx, dy), 1.0)
    theta = np.arctan2(dy, dx)
    var_r = sensor.type.sigma_range_m**2
    var_t = (r * math.radians(sensor.type.sigma_bearing_deg)) ** 2
    c, s = np.cos(theta), np.sin(theta)
    cov = np.empty((xy.shape[0], 2, 2))
    cov[:, 0, 0] = var_r * c * c + var_t * s * s
    cov[:, 1, 1] = var_r * s * s + var_t * c * c
    cov[:, 0, 1] = cov[:, 1, 0] = (var_r - var_t) * c * s
    return cov


def measure_positions(
    sensor: PlacedSensor, xy_targets: FloatArray, rng: np.random.Generator
) -> FloatArray:
    """Noisy Cartesian positions (n, 2): true range and bearing plus Gaussian polar noise."""
    xy = np.atleast_2d(np.asarray(xy_targets, dtype=float))
    dx, dy = xy[:, 0] - sensor.x_m, xy[:, 1] - sensor.y_m
    r = np.hypot(dx, dy) + rng.normal(0.0, sensor.type.sigma_range_m, len(xy))
    bearing = np.arctan2(dy, dx) + rng.normal(
        0.0, math.radians(sensor.type.sigma_bearing_deg), len(xy)
    )
    r = np.maximum(r, 0.0)
    return np.column_stack([sensor.x_m + r * np.cos(bearing), sensor.y_m + r * np.sin(bearing)])
