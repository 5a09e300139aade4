"""Motion and measurement models of the tracker (Stone Soup's names, plain arrays).

The state of a target is ``[x_m, vx_mps, y_m, vy_mps]`` (Stone Soup's order for two
combined ``ConstantVelocity`` models); a measurement is ``[x_m, y_m]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "POSITION_INDEX",
    "CartesianPositionMeasurementModel",
    "ConstantVelocityModel",
    "FloatArray",
]

FloatArray = NDArray[np.float64]

#: Indices of the position components in the state vector.
POSITION_INDEX = (0, 2)


@dataclass(frozen=True)
class ConstantVelocityModel:
    """Nearly-constant-velocity motion in 2-D (continuous white-noise acceleration).

    ``q_m2ps3`` is the acceleration noise power spectral density (m²/s³), the same ``q`` as
    Stone Soup's ``ConstantVelocity(noise_diff_coeff=q)``.
    """

    q_m2ps3: float

    def __post_init__(self) -> None:
        if not self.q_m2ps3 >= 0:
            raise ValueError(f"q_m2ps3 must be >= 0, not {self.q_m2ps3!r}")

    def matrix(self, dt_s: float) -> FloatArray:
        """The 4×4 transition matrix F over ``dt_s`` seconds."""
        f = np.eye(4)
        f[0, 1] = f[2, 3] = dt_s
        return f

    def covar(self, dt_s: float) -> FloatArray:
        """The 4×4 process noise covariance Q over ``dt_s`` seconds."""
        q = np.zeros((4, 4))
        for i in (0, 2):
            q[i, i] = self.q_m2ps3 * dt_s**3 / 3.0
            q[i, i + 1] = q[i + 1, i] = self.q_m2ps3 * dt_s**2 / 2.0
            q[i + 1, i + 1] = self.q_m2ps3 * dt_s
        return q


@dataclass(frozen=True)
class CartesianPositionMeasurementModel:
    """A sensor that measures the position with independent noise ``sigma_m`` per axis."""

    sigma_m: float

    def __post_init__(self) -> None:
        if not self.sigma_m > 0:
            raise ValueError(f"sigma_m must be > 0, not {self.sigma_m!r}")

    @staticmethod
    def matrix() -> FloatArray:
        """The 2×4 measurement matrix H."""
        h = np.zeros((2, 4))
        h[0, POSITION_INDEX[0]] = 1.0
        h[1, POSITION_INDEX[1]] = 1.0
        return h

    def covar(self) -> FloatArray:
        """The 2×2 measurement noise covariance R."""
        return np.eye(2) * self.sigma_m**2
