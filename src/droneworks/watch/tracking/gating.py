"""Mahalanobis gating of every track × detection pair, with a k-d tree pre-gate.

A pair (track i, detection j) passes the gate when the Mahalanobis distance
``d = sqrt(vᵀ S⁻¹ v)``, ``v = z_j − H x_i``, ``S = H P_i Hᵀ + R_j``, is strictly below the
gate (Stone Soup's ``DistanceHypothesiser`` keeps a detection when ``distance <
missed_distance``). The k-d tree pre-gate is lossless: ``d < g`` implies
``|v| ≤ d·sqrt(λmax(S)) < g·sqrt(λmax(H P Hᵀ) + max_j λmax(R_j))``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from droneworks.watch.tracking.models import FloatArray
from droneworks.watch.tracking.updater import inverse_2x2

__all__ = ["GatedPairs", "MahalanobisGater", "max_eigenvalue_2x2"]

IntArray = NDArray[np.int64]

# Below this many track × detection pairs, all pairs are tested without a k-d tree.
_ALL_PAIRS_UP_TO = 256


@dataclass(frozen=True)
class GatedPairs:
    """Track–detection pairs inside the gate, with their Mahalanobis distances."""

    track_index: IntArray
    detection_index: IntArray
    distance: FloatArray

    @staticmethod
    def empty() -> GatedPairs:
        """No pairs."""
        return GatedPairs(np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0))


def max_eigenvalue_2x2(matrices: FloatArray) -> FloatArray:
    """Largest eigenvalue of each symmetric 2×2 matrix in a stack ``(M, 2, 2)``."""
    a = matrices[:, 0, 0]
    d = matrices[:, 1, 1]
    b = 0.5 * (matrices[:, 0, 1] + matrices[:, 1, 0])
    half_trace = 0.5 * (a + d)
    return np.asarray(half_trace + np.sqrt((0.5 * (a - d)) ** 2 + b * b))


@dataclass(frozen=True)
class MahalanobisGater:
    """Keeps the pairs with Mahalanobis distance below ``gate`` (Stone Soup's missed distance)."""

    gate: float = 3.0

    def gate_pairs(
        self,
        predicted_measurements: FloatArray,
        predicted_covars: FloatArray,
        detections: FloatArray,
        noise_covars: FloatArray,
    ) -> GatedPairs:
        """All pairs ``(i, j)`` with ``d_ij < gate``, sorted by track then detection.

        ``predicted_measurements`` ``(M, 2)`` and ``predicted_covars`` ``(M, 2, 2)`` are
        ``H x`` and ``H P Hᵀ`` of the tracks; ``detections`` ``(K, 2)`` with ``noise_covars``
        ``(K, 2, 2)``.
        """
        if len(predicted_measurements) == 0 or len(detections) == 0:
            return GatedPairs.empty()
        tracks, dets = self._candidates(predicted_measurements, predicted_covars,
                                        detections, noise_covars)  # fmt: skip
        innovations = detections[dets] - predicted_measurements[tracks]
        inverse = inverse_2x2(predicted_covars[tracks] + noise_covars[dets])
        squared = np.einsum("pi,pij,pj->p", innovations, inverse, innovations)
        distance = np.sqrt(np.maximum(squared, 0.0))
        keep = distance < self.gate
        order = np.lexsort((dets[keep], tracks[keep]))
        return GatedPairs(tracks[keep][order], dets[keep][order], distance[keep][order])

    def _candidates(
        self,
        predicted_measurements: FloatArray,
        predicted_covars: FloatArray,
        detections: FloatArray,
        noise_covars: FloatArray,
    ) -> tuple[IntArray, IntArray]:
        """Pairs that may pass the gate: all of them when few, else a k-d tree query."""
        n_tracks, n_dets = len(predicted_measurements), len(detections)
        if n_tracks * n_dets <= _ALL_PAIRS_UP_TO:
            tracks, dets = np.divmod(np.arange(n_tracks * n_dets, dtype=np.int64), n_dets)
            return tracks, dets
        radius_m = self.gate * np.sqrt(
            max_eigenvalue_2x2(predicted_covars).max() + max_eigenvalue_2x2(noise_covars).max()
        )
        candidates = cKDTree(predicted_measurements).sparse_distance_matrix(
            cKDTree(detections), radius_m * (1.0 + 1e-9), output_type="ndarray"
        )
        return candidates["i"].astype(np.int64), candidates["j"].astype(np.int64)
