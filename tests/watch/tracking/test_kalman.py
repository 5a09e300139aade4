"""Kalman predict / update against hand-computed closed forms."""

from __future__ import annotations

import numpy as np
import pytest

from droneworks.watch.tracking import (
    CartesianPositionMeasurementModel,
    ConstantVelocityModel,
    KalmanPredictor,
    KalmanUpdater,
)


def test_constant_velocity_matrices_closed_form() -> None:
    model = ConstantVelocityModel(q_m2ps3=0.5)
    f = model.matrix(2.0)
    q = model.covar(2.0)
    assert f[0].tolist() == [1.0, 2.0, 0.0, 0.0]
    assert f[2].tolist() == [0.0, 0.0, 1.0, 2.0]
    # q·[[dt³/3, dt²/2], [dt²/2, dt]] with q = 0.5, dt = 2
    assert q[0, 0] == pytest.approx(0.5 * 8 / 3)
    assert q[0, 1] == pytest.approx(0.5 * 2.0)
    assert q[1, 1] == pytest.approx(0.5 * 2.0)
    assert q[2:, 2:] == pytest.approx(q[:2, :2])
    assert np.all(q[:2, 2:] == 0.0)


def test_predict_moves_mean_and_grows_covariance() -> None:
    predictor = KalmanPredictor(ConstantVelocityModel(q_m2ps3=1.0))
    means = np.array([[100.0, 10.0, -50.0, -5.0]])
    covars = np.diag([25.0, 4.0, 25.0, 4.0])[None]
    new_means, new_covars = predictor.predict(means, covars, dt_s=3.0)
    assert new_means[0].tolist() == [130.0, 10.0, -65.0, -5.0]
    # var(x) = 25 + dt²·4 + q·dt³/3 = 25 + 36 + 9; cov(x, vx) = dt·4 + q·dt²/2
    assert new_covars[0, 0, 0] == pytest.approx(70.0)
    assert new_covars[0, 0, 1] == pytest.approx(12.0 + 4.5)
    assert new_covars[0, 1, 1] == pytest.approx(4.0 + 3.0)


def test_predict_rejects_negative_time() -> None:
    predictor = KalmanPredictor(ConstantVelocityModel(q_m2ps3=1.0))
    with pytest.raises(ValueError, match="backwards"):
        predictor.predict(np.zeros((1, 4)), np.eye(4)[None], -1.0)


def test_update_with_uncorrelated_prior_is_scalar_kalman_gain() -> None:
    """With P = diag(p, v, p, v) and R = r·I, the position gain is p / (p + r)."""
    p, v, r = 300.0, 50.0, 100.0
    means = np.array([[0.0, 1.0, 0.0, 2.0]])
    covars = np.diag([p, v, p, v])[None]
    z = np.array([[40.0, -20.0]])
    noise = CartesianPositionMeasurementModel(sigma_m=10.0).covar()[None]
    post_means, post_covars = KalmanUpdater().update(means, covars, z, noise)
    gain = p / (p + r)
    assert post_means[0].tolist() == pytest.approx([40.0 * gain, 1.0, -20.0 * gain, 2.0])
    assert post_covars[0, 0, 0] == pytest.approx(p * r / (p + r))
    assert post_covars[0, 1, 1] == pytest.approx(v)


def test_update_matches_textbook_formula_on_correlated_prior() -> None:
    rng = np.random.default_rng(3)
    a = rng.normal(size=(4, 4))
    covar = a @ a.T + np.eye(4)
    mean = rng.normal(size=4)
    h = CartesianPositionMeasurementModel.matrix()
    r = np.array([[4.0, 1.0], [1.0, 3.0]])
    z = rng.normal(size=2)
    s = h @ covar @ h.T + r
    k = covar @ h.T @ np.linalg.inv(s)
    expected_mean = mean + k @ (z - h @ mean)
    expected_covar = (np.eye(4) - k @ h) @ covar
    post_mean, post_covar = KalmanUpdater().update(mean[None], covar[None], z[None], r[None])
    assert post_mean[0] == pytest.approx(expected_mean)
    assert post_covar[0] == pytest.approx(expected_covar)


@pytest.mark.parametrize("bad", [-1.0, float("nan")])
def test_models_reject_bad_parameters(bad: float) -> None:
    with pytest.raises(ValueError):
        ConstantVelocityModel(q_m2ps3=bad)
    with pytest.raises(ValueError):
        CartesianPositionMeasurementModel(sigma_m=bad)
