"""Mahalanobis gating (lossless k-d pre-gate) and optimal GNN assignment."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from droneworks.watch.tracking import GatedPairs, GNNWith2DAssignment, MahalanobisGater


def _random_problem(
    seed: int, n_tracks: int, n_dets: int, spread_m: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    z_pred = rng.uniform(0, spread_m, size=(n_tracks, 2))
    a = rng.normal(scale=20.0, size=(n_tracks, 2, 2))
    hph = a @ np.swapaxes(a, 1, 2) + 100.0 * np.eye(2)
    dets = rng.uniform(0, spread_m, size=(n_dets, 2))
    noise = np.broadcast_to(np.eye(2) * 625.0, (n_dets, 2, 2)).copy()
    return z_pred, hph, dets, noise


def _brute_force_distances(
    z_pred: np.ndarray, hph: np.ndarray, dets: np.ndarray, noise: np.ndarray
) -> np.ndarray:
    out = np.empty((len(z_pred), len(dets)))
    for i, j in itertools.product(range(len(z_pred)), range(len(dets))):
        v = dets[j] - z_pred[i]
        out[i, j] = np.sqrt(v @ np.linalg.inv(hph[i] + noise[j]) @ v)
    return out


@pytest.mark.parametrize(("n_tracks", "n_dets", "spread_m"), [(30, 60, 2000.0), (4, 6, 300.0)])
@pytest.mark.parametrize("seed", range(4))
def test_gating_finds_exactly_the_pairs_inside_the_gate(
    seed: int, n_tracks: int, n_dets: int, spread_m: float
) -> None:
    """Both paths: a k-d tree pre-gate (many pairs) and all pairs (few)."""
    z_pred, hph, dets, noise = _random_problem(seed, n_tracks, n_dets, spread_m)
    pairs = MahalanobisGater(gate=3.0).gate_pairs(z_pred, hph, dets, noise)
    full = _brute_force_distances(z_pred, hph, dets, noise)
    expected = set(zip(*np.nonzero(full < 3.0), strict=True))
    assert expected  # the case gates something
    found = set(zip(pairs.track_index.tolist(), pairs.detection_index.tolist(), strict=True))
    assert found == {(int(i), int(j)) for i, j in expected}
    assert pairs.distance == pytest.approx(full[pairs.track_index, pairs.detection_index])


def test_gating_with_no_tracks_or_detections_is_empty() -> None:
    gater = MahalanobisGater()
    assert len(gater.gate_pairs(np.empty((0, 2)), np.empty((0, 2, 2)),
                                np.ones((3, 2)), np.ones((3, 2, 2))).distance) == 0  # fmt: skip


def _brute_force_cost(distance: np.ndarray, missed: float) -> float:
    """Minimum total cost over every assignment (each track: a detection or missed)."""
    n_tracks, n_dets = distance.shape
    best = np.inf
    for choice in itertools.product(range(-1, n_dets), repeat=n_tracks):
        taken = [c for c in choice if c >= 0]
        if len(taken) != len(set(taken)):
            continue
        cost = 0.0
        for i, c in enumerate(choice):
            if c < 0:
                cost += missed
            elif distance[i, c] < missed:
                cost += distance[i, c]
            else:
                cost = np.inf
        best = min(best, cost)
    return best


def _cost_of(assigned: np.ndarray, distance: np.ndarray, missed: float) -> float:
    return float(sum(missed if c < 0 else distance[i, c] for i, c in enumerate(assigned)))


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n_tracks=st.integers(1, 4),
    n_dets=st.integers(0, 4),
)
def test_assignment_is_optimal_on_brute_forced_cases(seed: int, n_tracks: int, n_dets: int) -> None:
    rng = np.random.default_rng(seed)
    distance = rng.uniform(0.0, 4.0, size=(n_tracks, n_dets))
    rows, cols = np.nonzero(distance < 3.0)
    pairs = GatedPairs(rows.astype(np.int64), cols.astype(np.int64), distance[rows, cols])
    assigned = GNNWith2DAssignment(missed_distance=3.0).associate(n_tracks, n_dets, pairs)
    taken = assigned[assigned >= 0]
    assert len(taken) == len(set(taken.tolist()))
    assert all(distance[i, c] < 3.0 for i, c in enumerate(assigned) if c >= 0)
    assert _cost_of(assigned, distance, 3.0) == pytest.approx(_brute_force_cost(distance, 3.0))


@pytest.mark.parametrize("seed", range(5))
def test_assignment_equals_stone_soup_dense_matrix(seed: int) -> None:
    """Stone Soup's matrix: detections + one private missed column per track."""
    z_pred, hph, dets, noise = _random_problem(seed, 40, 50, spread_m=800.0)
    full = _brute_force_distances(z_pred, hph, dets, noise)
    pairs = MahalanobisGater(gate=3.0).gate_pairs(z_pred, hph, dets, noise)
    ours = GNNWith2DAssignment(3.0).associate(len(z_pred), len(dets), pairs)
    dense = np.full((len(z_pred), len(dets) + len(z_pred)), np.inf)
    dense[:, : len(dets)] = np.where(full < 3.0, full, np.inf)
    dense[np.arange(len(z_pred)), len(dets) + np.arange(len(z_pred))] = 3.0
    _, col_for_row = linear_sum_assignment(dense)
    expected = np.where(col_for_row < len(dets), col_for_row, -1)
    assert ours.tolist() == expected.tolist()
