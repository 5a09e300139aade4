"""Track initiation after several associated detections (tentative → confirmed).

Same rule as Stone Soup's ``MultiMeasurementInitiator`` over a
``SimpleMeasurementInitiator``: every detection left over by the confirmed tracks is first
offered to the tentative (holding) tracks with the same GNN association; a tentative track
with ``min_points`` associated detections (the initiating one included) is confirmed; the
remaining tentative tracks are checked by their own deleter; each detection still unused
starts a new tentative track at the measured position with velocity prior
``0 ± prior_velocity_sd_mps`` and position covariance R of the detection.

A time step may bring detections of several sensors: :meth:`begin`, then :meth:`offer` for
each sensor's detections (sequential updates at the same time), then :meth:`finish`. A
tentative track misses the step only if no sensor's detection was associated with it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

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
    _misses_before: NDArray[np.int64] = field(default_factory=lambda: np.empty(0, np.int64))
    _hit: NDArray[np.bool_] = field(default_factory=lambda: np.empty(0, bool))
    _created: NDArray[np.bool_] = field(default_factory=lambda: np.empty(0, bool))

    def initiate(self, scan: Scan, dt_s: float) -> TrackArrays:
        """Confirmed tracks released by one single-sensor ``scan`` (its unused detections)."""
        self.begin()
        self.offer(scan, dt_s)
        return self.finish()

    def begin(self) -> None:
        """Start a time step."""
        self._misses_before = self.holding.misses.copy()
        self._hit = np.zeros(len(self.holding), dtype=bool)
        self._created = np.zeros(len(self.holding), dtype=bool)

    def offer(self, scan: Scan, dt_s: float) -> None:
        """Associate one sensor's unused detections; the rest start tentative tracks."""
        holding, used = self.cycle.run(self.holding, scan, dt_s)
        self._hit |= holding.misses == 0
        new = self._new_tracks(scan.select(~used))
        self.holding = holding.concat(new)
        self._hit = np.concatenate([self._hit, np.zeros(len(new), dtype=bool)])
        self._created = np.concatenate([self._created, np.ones(len(new), dtype=bool)])
        self._misses_before = np.concatenate([self._misses_before, np.full(len(new), -1)])

    def finish(self) -> TrackArrays:
        """End the time step: count misses, release confirmed tracks, delete stale ones."""
        misses = np.where(self._hit | self._created, 0, self._misses_before + 1)
        holding = dataclasses.replace(self.holding, misses=misses)
        confirmed = (holding.hits >= self.min_points) & ~(self._created & ~self._hit)
        released = holding.select(confirmed)
        holding = holding.select(~confirmed)
        self.holding = holding.select(~self.deleter.deletion_mask(holding))
        self.begin()
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
