"""The multi-target tracker: confirmed tracks, tentative tracks, one scan at a time.

Per scan, as Stone Soup's ``MultiTargetTracker``: the confirmed tracks are predicted,
gated, associated (GNN) and updated; confirmed tracks with too many consecutive misses are
deleted; the detections they did not use go to the initiator, whose newly confirmed tracks
join the set.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from droneworks.watch.tracking.associator import GNNWith2DAssignment
from droneworks.watch.tracking.cycle import FilterCycle
from droneworks.watch.tracking.deleter import UpdateTimeStepsDeleter
from droneworks.watch.tracking.gating import MahalanobisGater
from droneworks.watch.tracking.initiator import MultiMeasurementInitiator
from droneworks.watch.tracking.models import ConstantVelocityModel
from droneworks.watch.tracking.predictor import KalmanPredictor
from droneworks.watch.tracking.tracks import Scan, TrackArrays
from droneworks.watch.tracking.updater import KalmanUpdater

__all__ = ["MultiTargetTracker", "TrackerParams"]


@dataclass(frozen=True)
class TrackerParams:
    """Tracker settings (defaults: the REFERENCE.md §2 comparison settings)."""

    q_m2ps3: float = 1.0
    missed_distance: float = 3.0
    min_points: int = 3
    tentative_max_misses: int = 2
    confirmed_max_misses: int = 5
    prior_velocity_sd_mps: float = 30.0

    def __post_init__(self) -> None:
        if self.missed_distance <= 0:
            raise ValueError(f"missed_distance must be > 0, not {self.missed_distance!r}")
        if self.min_points < 1:
            raise ValueError(f"min_points must be >= 1, not {self.min_points!r}")
        if self.prior_velocity_sd_mps <= 0:
            raise ValueError(
                f"prior_velocity_sd_mps must be > 0, not {self.prior_velocity_sd_mps!r}"
            )


class MultiTargetTracker:
    """Tracks many targets; feed it scans in time order with :meth:`step`."""

    def __init__(self, params: TrackerParams | None = None) -> None:
        self.params = params if params is not None else TrackerParams()
        cycle = FilterCycle(
            predictor=KalmanPredictor(ConstantVelocityModel(self.params.q_m2ps3)),
            updater=KalmanUpdater(),
            gater=MahalanobisGater(self.params.missed_distance),
            associator=GNNWith2DAssignment(self.params.missed_distance),
        )
        self.cycle = cycle
        self.deleter = UpdateTimeStepsDeleter(self.params.confirmed_max_misses)
        self.initiator = MultiMeasurementInitiator(
            cycle=cycle,
            deleter=UpdateTimeStepsDeleter(self.params.tentative_max_misses),
            prior_velocity_sd_mps=self.params.prior_velocity_sd_mps,
            min_points=self.params.min_points,
        )
        self.tracks = TrackArrays.empty()
        self.time_s: float | None = None

    def step(self, scan: Scan) -> TrackArrays:
        """Process one scan; return the confirmed tracks after it."""
        return self.step_sensors(scan.time_s, [scan])

    def step_sensors(self, time_s: float, scans: Sequence[Scan]) -> TrackArrays:
        """One time step with the detections of several sensors (one scan per sensor).

        The sensors' detections are processed one sensor after the other at the same time
        (sequential Kalman updates: each track takes at most one detection per sensor); a
        track misses the step only if no sensor's detection was associated with it. With one
        scan this is exactly Stone Soup's ``MultiTargetTracker`` step.
        """
        if self.time_s is not None and time_s < self.time_s:
            raise ValueError(f"scan at {time_s} s is earlier than the last ({self.time_s} s)")
        dt_s = 0.0 if self.time_s is None else time_s - self.time_s
        self.time_s = time_s
        groups = list(scans) if scans else [Scan.uniform(time_s, np.empty((0, 2)), 1.0)]
        tracks = self.tracks
        misses_before = tracks.misses
        hit = np.zeros(len(tracks), dtype=bool)
        self.initiator.begin()
        for index, scan in enumerate(groups):
            step_s = dt_s if index == 0 else 0.0
            tracks, used = self.cycle.run(tracks, scan, step_s)
            hit |= tracks.misses == 0
            self.initiator.offer(scan.select(~used), step_s)
        tracks = dataclasses.replace(tracks, misses=np.where(hit, 0, misses_before + 1))
        tracks = tracks.select(~self.deleter.deletion_mask(tracks))
        self.tracks = tracks.concat(self.initiator.finish())
        return self.tracks

    @property
    def tentative(self) -> TrackArrays:
        """The tentative tracks held by the initiator."""
        return self.initiator.holding
