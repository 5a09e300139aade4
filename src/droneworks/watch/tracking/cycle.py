"""One predict → gate → associate → update cycle on a set of tracks."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from droneworks.watch.tracking.associator import GNNWith2DAssignment
from droneworks.watch.tracking.gating import MahalanobisGater
from droneworks.watch.tracking.predictor import KalmanPredictor
from droneworks.watch.tracking.tracks import Scan, TrackArrays
from droneworks.watch.tracking.updater import KalmanUpdater

__all__ = ["FilterCycle"]


@dataclass(frozen=True)
class FilterCycle:
    """The roles that move a set of tracks through one scan."""

    predictor: KalmanPredictor
    updater: KalmanUpdater
    gater: MahalanobisGater
    associator: GNNWith2DAssignment

    def run(
        self, tracks: TrackArrays, scan: Scan, dt_s: float
    ) -> tuple[TrackArrays, NDArray[np.bool_]]:
        """Tracks after the scan (updated or predicted) and a mask of the detections used."""
        used = np.zeros(len(scan), dtype=bool)
        if len(tracks) == 0:
            return tracks, used
        means, covars = self.predictor.predict(tracks.means, tracks.covars, dt_s)
        if len(scan) == 0:
            return dataclasses.replace(
                tracks, means=means, covars=covars, misses=tracks.misses + 1
            ), used
        z_pred, hph = self.updater.predict_measurement(means, covars)
        pairs = self.gater.gate_pairs(z_pred, hph, scan.positions_m, scan.noise_covars)
        assigned = self.associator.associate(len(tracks), len(scan), pairs)
        hit = assigned >= 0
        dets = assigned[hit]
        used[dets] = True
        if hit.any():
            means[hit], covars[hit] = self.updater.update(
                means[hit], covars[hit], scan.positions_m[dets], scan.noise_covars[dets]
            )
        sensor = tracks.sensor.copy()
        sensor[hit] = scan.sensor[dets]
        updated = TrackArrays(
            ids=tracks.ids,
            means=means,
            covars=covars,
            hits=tracks.hits + hit,
            misses=np.where(hit, 0, tracks.misses + 1),
            sensor=sensor,
        )
        return updated, used
