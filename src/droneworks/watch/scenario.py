"""Scenarios for the tracker: the REFERENCE.md §2 benchmark and border incursions.

:func:`reference_tracker_scenario` builds the benchmark of REFERENCE.md §2: ``N`` targets
in nearly-constant-velocity motion over a square of side ``2 km·√N``, one position sensor
(σ = 25 m, Pd = 0.9) with Poisson clutter (mean 10 per scan) over the square extended by
10 km. Incursions over a wall live in :mod:`droneworks.watch.incursions`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from droneworks.core.streams import RandomStreams
from droneworks.watch.tracking.models import ConstantVelocityModel, FloatArray
from droneworks.watch.tracking.tracks import Scan

__all__ = ["ReferenceScenarioParams", "TrackerScenario", "reference_tracker_scenario"]


@dataclass(frozen=True)
class ReferenceScenarioParams:
    """The REFERENCE.md §2 scenario (defaults are the reference values)."""

    n_targets: int = 10
    n_scans: int = 200
    scan_period_s: float = 1.0
    side_per_sqrt_target_m: float = 2000.0
    speed_min_mps: float = 10.0
    speed_max_mps: float = 40.0
    truth_q_m2ps3: float = 0.5
    sigma_m: float = 25.0
    detection_probability: float = 0.9
    clutter_per_scan: float = 10.0
    clutter_margin_m: float = 10_000.0

    def __post_init__(self) -> None:
        if self.n_targets < 0 or self.n_scans < 1:
            raise ValueError(f"need n_targets >= 0 and n_scans >= 1, not {self!r}")
        if not 0.0 <= self.detection_probability <= 1.0:
            raise ValueError(f"detection_probability {self.detection_probability!r} not in [0, 1]")

    @property
    def side_m(self) -> float:
        """Side of the square the targets start in."""
        return self.side_per_sqrt_target_m * math.sqrt(self.n_targets)


@dataclass(frozen=True)
class TrackerScenario:
    """Truth states ``(S, N, 4)`` (``[x, vx, y, vy]``) and the scans of detections."""

    truth: FloatArray
    scans: tuple[Scan, ...]
    n_clutter: tuple[int, ...]

    def truth_positions_m(self, scan_index: int) -> FloatArray:
        """Truth positions ``(N, 2)`` at one scan."""
        return np.asarray(self.truth[scan_index][:, [0, 2]], dtype=np.float64)


def reference_tracker_scenario(
    params: ReferenceScenarioParams | None = None, seed: int = 0
) -> TrackerScenario:
    """The REFERENCE.md §2 tracker scenario, reproducible from ``seed``."""
    p = params if params is not None else ReferenceScenarioParams()
    streams = RandomStreams(seed)
    truth = _truth_states(p, streams.generator("reference/truth"))
    detect_rng = streams.generator("reference/detections")
    clutter_rng = streams.generator("reference/clutter")
    low, high = -p.clutter_margin_m, p.side_m + p.clutter_margin_m
    scans: list[Scan] = []
    clutter_counts: list[int] = []
    for k in range(p.n_scans):
        seen = detect_rng.random(p.n_targets) < p.detection_probability
        noise = detect_rng.normal(0.0, p.sigma_m, size=(p.n_targets, 2))
        target_points = truth[k][:, [0, 2]][seen] + noise[seen]
        n_clutter = int(clutter_rng.poisson(p.clutter_per_scan))
        clutter_points = clutter_rng.uniform(low, high, size=(n_clutter, 2))
        points = np.vstack([target_points, clutter_points])
        scans.append(Scan.uniform(k * p.scan_period_s, points, p.sigma_m))
        clutter_counts.append(n_clutter)
    return TrackerScenario(truth, tuple(scans), tuple(clutter_counts))


def _truth_states(p: ReferenceScenarioParams, rng: np.random.Generator) -> FloatArray:
    """Nearly-constant-velocity truth: uniform start, speed 10–40 m/s, random heading."""
    model = ConstantVelocityModel(p.truth_q_m2ps3)
    f = model.matrix(p.scan_period_s)
    chol = np.linalg.cholesky(model.covar(p.scan_period_s))
    start = rng.uniform(0.0, p.side_m, size=(p.n_targets, 2))
    speed = rng.uniform(p.speed_min_mps, p.speed_max_mps, size=p.n_targets)
    heading = rng.uniform(0.0, 2.0 * math.pi, size=p.n_targets)
    states = np.empty((p.n_scans, p.n_targets, 4))
    states[0] = np.column_stack(
        [start[:, 0], speed * np.cos(heading), start[:, 1], speed * np.sin(heading)]
    )
    for k in range(1, p.n_scans):
        shocks = rng.standard_normal((p.n_targets, 4)) @ chol.T
        states[k] = states[k - 1] @ f.T + shocks
    return states
