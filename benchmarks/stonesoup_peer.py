"""Stone Soup's GNN tracker with the REFERENCE.md §2 settings, fed droneworks scans.

Built from Stone Soup's own components: ``KalmanPredictor`` over two ``ConstantVelocity``
models (q), ``LinearGaussian`` position measurements, ``DistanceHypothesiser`` with the
``Mahalanobis`` measure and ``missed_distance``, ``DetectionKDTreeGNN2D`` (the
``GNNWith2DAssignment`` associator with a k-d tree pre-gate), ``MultiMeasurementInitiator``
(``min_points``, velocity prior) with ``UpdateTimeStepsDeleter`` for tentative tracks and
another for confirmed tracks, and ``MultiTargetTracker``.

The k-d tree radius is ``max_distance_covariance_multiplier · max(diag S)``; with the
multiplier 0.2 it is never smaller than ``3·sqrt(λmax(S))`` whenever ``max(diag S) ≥ 450 m²``
(here ``S ≥ R = 625 m²``), so the pre-gate drops no hypothesis inside the Mahalanobis gate
and the associations are those of the plain ``GNNWith2DAssignment``.
"""

from __future__ import annotations

import datetime
import time

import numpy as np
from stonesoup.dataassociator.tree import DetectionKDTreeGNN2D
from stonesoup.deleter.time import UpdateTimeStepsDeleter
from stonesoup.hypothesiser.distance import DistanceHypothesiser
from stonesoup.initiator.simple import MultiMeasurementInitiator
from stonesoup.measures import Mahalanobis
from stonesoup.models.measurement.linear import LinearGaussian
from stonesoup.models.transition.linear import (
    CombinedLinearGaussianTransitionModel,
    ConstantVelocity,
)
from stonesoup.predictor.kalman import KalmanPredictor
from stonesoup.tracker.simple import MultiTargetTracker
from stonesoup.types.detection import Detection
from stonesoup.types.state import GaussianState
from stonesoup.updater.kalman import KalmanUpdater

from droneworks.watch.tracking import Scan, TrackerParams

EPOCH = datetime.datetime(2026, 1, 1)
KD_TREE_COVARIANCE_MULTIPLIER = 0.2


def build_tracker(
    params: TrackerParams, sigma_m: float
) -> tuple[MultiTargetTracker, LinearGaussian]:
    """A Stone Soup MultiTargetTracker with the given settings (detector set later)."""
    transition = CombinedLinearGaussianTransitionModel(
        [ConstantVelocity(params.q_m2ps3), ConstantVelocity(params.q_m2ps3)]
    )
    measurement = LinearGaussian(ndim_state=4, mapping=(0, 2), noise_covar=np.eye(2) * sigma_m**2)
    predictor = KalmanPredictor(transition)
    updater = KalmanUpdater(measurement)

    def associator() -> DetectionKDTreeGNN2D:
        hypothesiser = DistanceHypothesiser(
            predictor, updater, Mahalanobis(), missed_distance=params.missed_distance
        )
        return DetectionKDTreeGNN2D(
            hypothesiser=hypothesiser,
            predictor=predictor,
            updater=updater,
            max_distance_covariance_multiplier=KD_TREE_COVARIANCE_MULTIPLIER,
        )

    v2 = params.prior_velocity_sd_mps**2
    initiator = MultiMeasurementInitiator(
        prior_state=GaussianState(np.zeros((4, 1)), np.diag([0.0, v2, 0.0, v2])),
        measurement_model=measurement,
        deleter=UpdateTimeStepsDeleter(params.tentative_max_misses),
        data_associator=associator(),
        updater=updater,
        min_points=params.min_points,
    )
    return MultiTargetTracker(
        initiator=initiator,
        deleter=UpdateTimeStepsDeleter(params.confirmed_max_misses),
        detector=None,
        data_associator=associator(),
        updater=updater,
    ), measurement


def run_stonesoup(
    scans: tuple[Scan, ...] | list[Scan], params: TrackerParams, sigma_m: float
) -> tuple[list[np.ndarray], float]:
    """Confirmed-track positions ``(M_k, 2)`` after every scan, and the CPU seconds taken."""
    tracker, measurement = build_tracker(params, sigma_m)
    outputs: list[np.ndarray] = []
    cpu_s = 0.0
    for scan in scans:
        when = EPOCH + datetime.timedelta(seconds=float(scan.time_s))
        detections = {
            Detection(point.reshape(2, 1), timestamp=when, measurement_model=measurement)
            for point in scan.positions_m
        }
        start = time.process_time()
        _, tracks = tracker.update_tracker(when, detections)
        cpu_s += time.process_time() - start
        outputs.append(
            np.array([np.asarray(t.state_vector, float).ravel()[[0, 2]] for t in tracks]).reshape(
                -1, 2
            )
        )
    return outputs, cpu_s
