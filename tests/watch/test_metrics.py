"""GOSPA properties, a dense brute-force check, Stone Soup's GOSPA, confidence intervals."""

from __future__ import annotations

import datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.optimize import linear_sum_assignment

from droneworks.watch.metrics import gospa, mean_interval

C_M, P = 100.0, 2.0

point_sets = st.integers(0, 6).flatmap(
    lambda n: arrays(np.float64, (n, 2), elements=st.floats(-300.0, 300.0, width=32))
)


def _dense_gospa(x: np.ndarray, y: np.ndarray, c: float = C_M, p: float = P) -> float:
    """GOSPA by a dense assignment over min(d, c)^p (the textbook formula)."""
    if len(x) == 0 or len(y) == 0:
        return float((c**p / 2 * (len(x) + len(y))) ** (1 / p))
    d = np.minimum(np.linalg.norm(x[:, None] - y[None], axis=2), c) ** p
    rows, cols = linear_sum_assignment(d)
    total = d[rows, cols].sum() + c**p / 2 * (len(x) + len(y) - 2 * len(rows))
    return float(total ** (1 / p))


def test_gospa_is_zero_for_identical_sets() -> None:
    points = np.array([[0.0, 0.0], [50.0, 10.0], [-30.0, 400.0]])
    assert gospa(points, points).distance == 0.0


@pytest.mark.parametrize("missing", [1, 2, 5])
def test_each_missed_target_costs_c_to_the_p_over_alpha(missing: int) -> None:
    truth = np.arange(missing * 2, dtype=float).reshape(missing, 2) * 1000.0
    result = gospa(truth, np.empty((0, 2)))
    assert result.distance**P == pytest.approx(missing * C_M**P / 2)
    assert (result.missed, result.false) == (missing, 0)


def test_far_estimate_counts_as_one_missed_and_one_false() -> None:
    result = gospa(np.array([[0.0, 0.0]]), np.array([[500.0, 0.0]]))
    assert (result.missed, result.false, result.assigned) == (1, 1, 0)
    assert result.distance == pytest.approx(C_M)


@settings(max_examples=80, deadline=None)
@given(x=point_sets, y=point_sets)
def test_gospa_equals_dense_assignment_and_is_symmetric(x: np.ndarray, y: np.ndarray) -> None:
    assert gospa(x, y).distance == pytest.approx(_dense_gospa(x, y), abs=1e-6)
    assert gospa(x, y).distance == pytest.approx(gospa(y, x).distance, abs=1e-6)


@settings(max_examples=80, deadline=None)
@given(x=point_sets, y=point_sets, z=point_sets)
def test_gospa_triangle_inequality(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> None:
    assert gospa(x, z).distance <= gospa(x, y).distance + gospa(y, z).distance + 1e-6


def test_gospa_matches_stone_soup() -> None:
    pytest.importorskip("stonesoup")
    from stonesoup.metricgenerator.ospametric import GOSPAMetric
    from stonesoup.types.state import State

    rng = np.random.default_rng(11)
    truth = rng.uniform(0, 500, size=(12, 2))
    estimates = np.vstack([truth[:9] + rng.normal(0, 40, size=(9, 2)), [[2000.0, 0.0]]])
    when = datetime.datetime(2026, 1, 1)
    metric = GOSPAMetric(c=C_M, p=P)
    theirs, _ = metric.compute_gospa_metric(
        [State(e.reshape(2, 1), timestamp=when) for e in estimates],
        [State(t.reshape(2, 1), timestamp=when) for t in truth],
    )
    ours = gospa(truth, estimates)
    assert ours.distance == pytest.approx(theirs.value["distance"], abs=1e-9)
    assert ours.missed * C_M**P / 2 == pytest.approx(theirs.value["missed"])
    assert ours.false * C_M**P / 2 == pytest.approx(theirs.value["false"])


def test_mean_interval_closed_form() -> None:
    interval = mean_interval([1.0, 2.0, 3.0, 4.0])
    # t(0.975, 3) = 3.182446; s = 1.290994; half = t·s/2
    assert interval.mean == 2.5
    assert interval.high - interval.mean == pytest.approx(3.182446 * 1.290994 / 2, rel=1e-5)
    assert np.isnan(mean_interval([5.0]).low)
    assert mean_interval([]).n == 0


def test_gospa_rejects_bad_parameters() -> None:
    with pytest.raises(ValueError):
        gospa(np.zeros((1, 2)), np.zeros((1, 2)), c_m=0.0)


@pytest.mark.parametrize("seed", range(4))
def test_sparse_path_equals_dense_assignment_on_larger_sets(seed: int) -> None:
    rng = np.random.default_rng(seed)
    truth = rng.uniform(0, 1500, size=(40, 2))
    estimates = np.vstack([truth[:30] + rng.normal(0, 60, size=(30, 2)),
                           rng.uniform(0, 1500, size=(8, 2))])  # fmt: skip
    assert 40 * 38 > 400  # beyond the dense cut-over
    assert gospa(truth, estimates).distance == pytest.approx(_dense_gospa(truth, estimates))
