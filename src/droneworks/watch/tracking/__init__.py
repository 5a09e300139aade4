"""Multi-target tracking: predict → gate → associate → update → initiate / delete.

Roles and names follow Stone Soup (``KalmanPredictor``, ``KalmanUpdater``,
``GNNWith2DAssignment``, ``MultiMeasurementInitiator``, ``UpdateTimeStepsDeleter``,
``MultiTargetTracker``); all tracks are held as arrays.
"""

from droneworks.watch.tracking.associator import GNNWith2DAssignment
from droneworks.watch.tracking.deleter import UpdateTimeStepsDeleter
from droneworks.watch.tracking.gating import GatedPairs, MahalanobisGater
from droneworks.watch.tracking.initiator import MultiMeasurementInitiator
from droneworks.watch.tracking.models import (
    CartesianPositionMeasurementModel,
    ConstantVelocityModel,
)
from droneworks.watch.tracking.predictor import KalmanPredictor
from droneworks.watch.tracking.tracker import MultiTargetTracker, TrackerParams
from droneworks.watch.tracking.tracks import Scan, TrackArrays
from droneworks.watch.tracking.updater import KalmanUpdater

__all__ = [
    "CartesianPositionMeasurementModel",
    "ConstantVelocityModel",
    "GNNWith2DAssignment",
    "GatedPairs",
    "KalmanPredictor",
    "KalmanUpdater",
    "MahalanobisGater",
    "MultiMeasurementInitiator",
    "MultiTargetTracker",
    "Scan",
    "TrackArrays",
    "TrackerParams",
    "UpdateTimeStepsDeleter",
]
