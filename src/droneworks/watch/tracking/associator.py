"""Global nearest neighbour association with a sparse 2-D assignment.

Same problem as Stone Soup's ``GNNWith2DAssignment`` over a ``DistanceHypothesiser``: each
track either takes one gated detection at cost ``d_ij`` or the missed-detection hypothesis
of its own at cost ``missed_distance``; each detection goes to at most one track; the total
cost is minimal. Stone Soup fills a dense ``tracks × (detections + tracks)`` matrix and calls
``linear_sum_assignment``; here the gated graph is split into connected components:
a component with one track takes its nearest gated detection (any gated ``d < missed``
beats the miss), and all larger components are solved at once by
``scipy.sparse.csgraph.min_weight_full_bipartite_matching`` on the sparse block matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components, min_weight_full_bipartite_matching

from droneworks.watch.tracking.gating import GatedPairs

__all__ = ["GNNWith2DAssignment"]

IntArray = NDArray[np.int64]

# Added to every edge weight so that no weight is 0 (a sparse zero is "no edge"); each
# track is matched exactly once, so the offset shifts every solution by the same amount.
_WEIGHT_OFFSET = 1.0


@dataclass(frozen=True)
class GNNWith2DAssignment:
    """Global nearest neighbour: minimum total distance with a per-track missed cost."""

    missed_distance: float = 3.0

    def associate(self, n_tracks: int, n_detections: int, pairs: GatedPairs) -> IntArray:
        """The detection index assigned to each track, ``-1`` for a missed detection."""
        assigned = np.full(n_tracks, -1, dtype=np.int64)
        valid = pairs.distance < self.missed_distance
        tracks = pairs.track_index[valid]
        dets = pairs.detection_index[valid]
        dist = pairs.distance[valid]
        if len(tracks) == 0:
            return assigned
        if np.bincount(dets).max() == 1:  # no detection is shared: nearest for every track
            _assign_nearest(assigned, tracks, dets, dist)
            return assigned
        graph = coo_matrix(
            (np.ones(len(tracks)), (tracks, n_tracks + dets)),
            shape=(n_tracks + n_detections,) * 2,
        )
        _, labels = connected_components(graph, directed=False)
        tracks_per_label = np.bincount(labels[:n_tracks], minlength=labels.max() + 1)
        single = tracks_per_label[labels[tracks]] == 1
        _assign_nearest(assigned, tracks[single], dets[single], dist[single])
        shared = ~single
        if shared.any():
            self._assign_shared(assigned, tracks[shared], dets[shared], dist[shared])
        return assigned

    def _assign_shared(
        self, assigned: IntArray, tracks: IntArray, dets: IntArray, dist: NDArray[np.float64]
    ) -> None:
        """Optimal assignment of the components with several tracks (one sparse solve)."""
        row_tracks, rows = np.unique(tracks, return_inverse=True)
        col_dets, cols = np.unique(dets, return_inverse=True)
        n_rows, n_cols = len(row_tracks), len(col_dets)
        weights = np.concatenate(
            [dist + _WEIGHT_OFFSET, np.full(n_rows, self.missed_distance + _WEIGHT_OFFSET)]
        )
        row_index = np.concatenate([rows, np.arange(n_rows)])
        col_index = np.concatenate([cols, n_cols + np.arange(n_rows)])
        matrix = csr_matrix((weights, (row_index, col_index)), shape=(n_rows, n_cols + n_rows))
        _, col_for_row = min_weight_full_bipartite_matching(matrix)
        hit = col_for_row < n_cols
        assigned[row_tracks[hit]] = col_dets[col_for_row[hit]]


def _assign_nearest(
    assigned: IntArray, tracks: IntArray, dets: IntArray, dist: NDArray[np.float64]
) -> None:
    """Each track takes its nearest detection (tracks that share no detection)."""
    if len(tracks) == 0:
        return
    order = np.lexsort((dist, tracks))
    tracks, dets = tracks[order], dets[order]
    first = np.ones(len(tracks), dtype=bool)
    first[1:] = tracks[1:] != tracks[:-1]
    assigned[tracks[first]] = dets[first]
