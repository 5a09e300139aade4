"""Kalman prediction of many tracks at once."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from droneworks.watch.tracking.models import ConstantVelocityModel, FloatArray

__all__ = ["KalmanPredictor"]


@dataclass(frozen=True)
class KalmanPredictor:
    """Predicts means ``(M, 4)`` and covariances ``(M, 4, 4)`` with a linear motion model."""

    transition_model: ConstantVelocityModel

    def predict(
        self, means: FloatArray, covars: FloatArray, dt_s: float
    ) -> tuple[FloatArray, FloatArray]:
        """Return ``(F x, F P Fᵀ + Q)`` for every track over ``dt_s`` seconds."""
        if dt_s < 0:
            raise ValueError(f"cannot predict backwards in time (dt_s={dt_s!r})")
        if dt_s == 0.0:
            return means.copy(), covars.copy()
        f = self.transition_model.matrix(dt_s)
        q = self.transition_model.covar(dt_s)
        predicted_means = means @ f.T
        predicted_covars = f @ covars @ f.T + q
        return predicted_means, np.asarray(predicted_covars)
