"""Track initiation after several associated detections (tentative → confirmed).

Same rule as Stone Soup's ``MultiMeasurementInitiator`` over a
``SimpleMeasurementInitiator``: every detection left over by the confirmed tracks is first
offered to the tentative (holding) tracks with the same GNN association; a tentative track
with ``min_points`` associated detections (the initiating one included) is confirmed; the
remaining tentative tracks are checked by their own deleter; each detection still unused
starts a new tentative track at the measured position with velocity prior
``0 ± prior_velocity_sd_mps`` and position covariance R of the detection.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from droneworks.watch.tracking.cycle import FilterCycle
from droneworks.watch.tracking.deleter import UpdateTimeStepsDeleter
from droneworks.watch.tracking.tracks import Scan, TrackArrays

__all__ = ["MultiMeasurementInitiator"]


@dataclass
class MultiMeasurementInitiator:
    """Holds tentative tracks and releases them once confirmed."""

    cycle: FilterCycle
    deleter: UpdateTimeStepsDeleter
    prior_velocity_sd_mps: float = 30.0
    min_points: int = 3
    holding: TrackArrays = field(default_factory=TrackArrays.empty)
    next_id: int = 0

    def initiate(self, scan: Scan, dt_s: float) -> TrackArrays:
        """Confirmed tracks released by ``scan`` (``scan`` holds the unused detections only)."""
        holding, used = self.cycle.run(self.holding, scan, dt_s)
        confirmed = holding.hits >= self.min_points
        released = holding.select(confirmed)
        holding = holding.select(~confirmed)
        holding = holding.select(~self.deleter.deletion_mask(holding))
        self.holding = holding.concat(self._new_tracks(scan.select(~used)))
        return released

    def _new_tracks(self, scan: Scan) -> TrackArrays:
        count = len(scan)
        means = np.zeros((count, 4))
        means[:, 0] = scan.positions_m[:, 0]
        means[:, 2] = scan.positions_m[:, 1]
        covars = np.zeros((count, 4, 4))
        covars[:, 0, 0] = scan.noise_covars[:, 0, 0]
        covars[:, 0, 2] = scan.noise_covars[:, 0, 1]
        covars[:, 2, 0] = scan.noise_covars[:, 1, 0]
        covars[:, 2, 2] = scan.noise_covars[:, 1, 1]
        covars[:, 1, 1] = covars[:, 3, 3] = self.prior_velocity_sd_mps**2
        ids = np.arange(self.next_id, self.next_id + count, dtype=np.int64)
        self.next_id += count
        return TrackArrays(
            ids,
            means,
            covars,
            np.ones(count, np.int64),
            np.zeros(count, np.int64),
            scan.sensor.copy(),
        )
