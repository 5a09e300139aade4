"""Kalman measurement prediction and update of many tracks at once.

The update is the standard form used by Stone Soup's ``KalmanUpdater`` (no Joseph form):
``K = P Hᵀ S⁻¹``, ``x⁺ = x + K (z − H x)``, ``P⁺ = P − K S Kᵀ``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from droneworks.watch.tracking.models import POSITION_INDEX, FloatArray

__all__ = ["KalmanUpdater", "inverse_2x2"]

_POS = list(POSITION_INDEX)


def inverse_2x2(matrices: FloatArray) -> FloatArray:
    """Inverses of a stack ``(..., 2, 2)`` of invertible matrices (closed form)."""
    a = matrices[..., 0, 0]
    b = matrices[..., 0, 1]
    c = matrices[..., 1, 0]
    d = matrices[..., 1, 1]
    det = a * d - b * c
    out = np.empty_like(matrices)
    out[..., 0, 0] = d / det
    out[..., 0, 1] = -b / det
    out[..., 1, 0] = -c / det
    out[..., 1, 1] = a / det
    return out


@dataclass(frozen=True)
class KalmanUpdater:
    """Kalman update for position measurements ``z = H x + v``, ``v ~ N(0, R)``."""

    def predict_measurement(
        self, means: FloatArray, covars: FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        """Predicted measurement ``H x`` ``(M, 2)`` and ``H P Hᵀ`` ``(M, 2, 2)`` (without R)."""
        return means[:, _POS], covars[:, _POS][:, :, _POS]

    def update(
        self,
        means: FloatArray,
        covars: FloatArray,
        measurements: FloatArray,
        noise_covars: FloatArray,
    ) -> tuple[FloatArray, FloatArray]:
        """Posterior means and covariances of tracks ``(M,)`` given one measurement each.

        ``measurements`` is ``(M, 2)``; ``noise_covars`` ``(M, 2, 2)`` is R of each measurement.
        """
        z_pred, hph = self.predict_measurement(means, covars)
        innovation_covars = hph + noise_covars
        cross_covars = covars[:, :, _POS]  # P Hᵀ, (M, 4, 2)
        gains = cross_covars @ inverse_2x2(innovation_covars)
        innovations = measurements - z_pred
        posterior_means = means + np.einsum("mij,mj->mi", gains, innovations)
        posterior_covars = covars - gains @ innovation_covars @ np.swapaxes(gains, 1, 2)
        return posterior_means, posterior_covars
