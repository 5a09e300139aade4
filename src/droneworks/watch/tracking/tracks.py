"""A set of tracks held as arrays (no per-track objects)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from droneworks.watch.tracking.models import FloatArray

__all__ = ["Scan", "TrackArrays"]


@dataclass(frozen=True)
class TrackArrays:
    """``M`` tracks: ids, means ``(M, 4)``, covariances ``(M, 4, 4)`` and counters.

    ``hits`` counts the associated detections (the initiating one included); ``misses``
    counts the scans since the last associated detection; ``sensor`` is the index of the
    sensor of the last associated detection (``-1`` if unknown).
    """

    ids: NDArray[np.int64]
    means: FloatArray
    covars: FloatArray
    hits: NDArray[np.int64]
    misses: NDArray[np.int64]
    sensor: NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.ids)

    @staticmethod
    def empty() -> TrackArrays:
        """No tracks."""
        return TrackArrays(
            np.empty(0, np.int64),
            np.empty((0, 4)),
            np.empty((0, 4, 4)),
            np.empty(0, np.int64),
            np.empty(0, np.int64),
            np.empty(0, np.int64),
        )

    def select(self, mask_or_index: NDArray[np.bool_] | NDArray[np.int64]) -> TrackArrays:
        """The tracks picked by a boolean mask or an index array."""
        return TrackArrays(
            self.ids[mask_or_index],
            self.means[mask_or_index],
            self.covars[mask_or_index],
            self.hits[mask_or_index],
            self.misses[mask_or_index],
            self.sensor[mask_or_index],
        )

    def concat(self, other: TrackArrays) -> TrackArrays:
        """These tracks followed by ``other``."""
        return TrackArrays(
            np.concatenate([self.ids, other.ids]),
            np.concatenate([self.means, other.means]),
            np.concatenate([self.covars, other.covars]),
            np.concatenate([self.hits, other.hits]),
            np.concatenate([self.misses, other.misses]),
            np.concatenate([self.sensor, other.sensor]),
        )

    def positions_m(self) -> FloatArray:
        """Positions ``(M, 2)``."""
        return self.means[:, [0, 2]]


@dataclass(frozen=True)
class Scan:
    """The detections of one scan time: positions ``(K, 2)``, noise ``(K, 2, 2)``, sensor ids.

    Several sensors may report in one scan; each detection carries its own noise covariance.
    """

    time_s: float
    positions_m: FloatArray
    noise_covars: FloatArray
    sensor: NDArray[np.int64]

    def __len__(self) -> int:
        return len(self.positions_m)

    @staticmethod
    def uniform(time_s: float, positions_m: FloatArray, sigma_m: float, sensor: int = 0) -> Scan:
        """A scan whose detections all have noise ``sigma_m`` per axis and one sensor id."""
        positions = np.asarray(positions_m, dtype=float).reshape(-1, 2)
        noise = np.broadcast_to(np.eye(2) * sigma_m**2, (len(positions), 2, 2)).copy()
        return Scan(time_s, positions, noise, np.full(len(positions), sensor, np.int64))

    def select(self, index: NDArray[np.int64] | NDArray[np.bool_]) -> Scan:
        """The detections picked by an index array or mask."""
        return Scan(
            self.time_s, self.positions_m[index], self.noise_covars[index], self.sensor[index]
        )
