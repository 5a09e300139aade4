"""Barrier placement: every crossing path detected with at least a target probability.

Point coverage asks that each *point of the line* be seen by k sensors in one scan. A drone
does not stand on the line: it flies across the band, and every sensor looks at it every
scan on the way. The barrier formulation (the blocking-path view of barrier coverage) asks
instead that **every crossing path** be detected, with all sensors and scans together, with
probability ≥ ``target``.

Paths: for each threat profile, straight crossings through every sample piece of the line,
perpendicular and turned by ± ``max_crossing_angle``, from 2 km before the line to 2 km
behind it. With independent looks (Swerling 1 from scan to scan; sensors down
independently, each for the whole crossing with probability 1 − availability), the miss
probability of path p is Π_j [A_j·exp(−w_pj) + 1 − A_j] over the sensors built, where
w_pj = −Σ_scans ln(1 − Pd_j). Its logarithm is a sum over sensors, so the guarantee is
linear in the build decisions x ∈ {0, 1}:

    min Σ c_j x_j   s.t.   Σ_j v_pj x_j ≥ −ln(1 − target) − b_p   for every path p,

with v_pj = −ln(A_j·exp(−w_pj) + 1 − A_j) capped at the right-hand side (the same integer
solutions, a tighter relaxation) and b_p the part of existing sensors that are kept. HiGHS
(``scipy.optimize.milp``) solves it exactly on small instances and with a proven gap on a
whole border; :func:`path_probabilities` scores any layout on the same paths, e.g. a
point-coverage one.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from droneworks.core.progress import NO_PROGRESS, Progress
from droneworks.watch.coverage import CROSSING_BAND_M, CROSSING_STEP_M, default_threat
from droneworks.watch.placement_problem import candidate_costs, candidate_sites
from droneworks.watch.sensors import PlacedSensor, detection_matrix
from droneworks.watch.wall import Threat, Wall

__all__ = [
    "BarrierProblem",
    "BarrierResult",
    "build_barrier",
    "path_probabilities",
    "solve_barrier",
]

FloatArray = npt.NDArray[np.float64]
_STATUS = {0: "optimal", 1: "time_limit", 2: "infeasible", 3: "unbounded", 4: "error"}


@dataclass(frozen=True)
class BarrierProblem:
    """Crossing paths × candidate sensors: −ln P(miss) each candidate adds to each path."""

    candidates: tuple[PlacedSensor, ...]
    costs: FloatArray
    weights: sparse.csr_matrix  # paths × candidates, v_pj ≥ 0 (uncapped)
    base: FloatArray  # per path: −ln P(miss) of the sensors kept
    profile: npt.NDArray[np.intp]  # per path: index into ``profiles``
    along_m: FloatArray  # per path: where it crosses the line
    angle_deg: FloatArray  # per path: turn from perpendicular
    profiles: tuple[str, ...]


@dataclass(frozen=True)
class BarrierResult:
    status: str
    feasible: bool
    sensors: tuple[PlacedSensor, ...]
    cost_eur: float
    lower_bound_eur: float | None
    target: float
    worst_path_pd: float  # the least-detected path with the chosen sensors (and kept ones)
    paths: int
    runtime_s: float

    @property
    def gap(self) -> float | None:
        if self.lower_bound_eur is None or self.cost_eur <= 0:
            return None
        return max(0.0, (self.cost_eur - self.lower_bound_eur) / self.cost_eur)


def _paths(wall: Wall, threat: Threat, along: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Points (paths × steps, 2) of the straight crossings and each path's turn angle."""
    border = wall.border
    angles = sorted({-threat.max_crossing_angle_deg, 0.0, threat.max_crossing_angle_deg})
    steps = np.arange(-CROSSING_BAND_M, CROSSING_BAND_M + 1e-9, CROSSING_STEP_M)
    cross = border.points_at(along)
    normal = border.normals_at(along)
    points, turn = [], []
    for angle in angles:
        c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        heading = np.column_stack([normal[:, 0] * c - normal[:, 1] * s,
                                   normal[:, 0] * s + normal[:, 1] * c])  # fmt: skip
        points.append(cross[:, None, :] + steps[None, :, None] * heading[:, None, :])
        turn.append(np.full(len(along), angle))
    return np.concatenate(points).reshape(-1, 2), np.concatenate(turn)


def _path_weights(
    wall: Wall, sensors: tuple[PlacedSensor, ...], threat: Threat, altitude_m: float,
    points: FloatArray, n_paths: int,
) -> sparse.csr_matrix:  # fmt: skip
    """v_pj for every path and sensor (sparse), from one detection query over all points."""
    if not sensors:
        return sparse.csr_matrix((n_paths, 0))
    per_path = len(points) // n_paths
    pairs = detection_matrix(sensors, points, altitude_m, threat, wall.environment)
    periods = np.array([s.type.scan_period_s for s in sensors])[pairs.sensor_index]
    seconds = CROSSING_STEP_M / threat.speed_mps
    w = -np.log1p(-np.minimum(pairs.pd, 1 - 1e-12)) / periods * seconds
    matrix = sparse.csr_matrix(
        (w, (pairs.point_index // per_path, pairs.sensor_index)), shape=(n_paths, len(sensors))
    )
    matrix.sum_duplicates()
    availability = np.array([s.type.availability for s in sensors])
    a = availability[matrix.indices]
    with np.errstate(divide="ignore"):
        matrix.data = -np.logaddexp(np.log(a) - matrix.data, np.log1p(-a))
    matrix.eliminate_zeros()
    return matrix


def build_barrier(
    wall: Wall,
    keep: tuple[PlacedSensor, ...] = (),
    spacing_m: float | None = None,
    progress: Progress = NO_PROGRESS,
) -> BarrierProblem:
    """Candidates (the wall's placement settings) and the crossing paths of every profile.

    Paths cross every ``spacing_m`` along the line (default: the placement spacing / 2).
    """
    candidates = candidate_sites(wall)
    step = spacing_m or wall.placement.spacing / 2
    along = np.arange(step / 2, wall.border.length_m, step)
    threats = wall.threats or (default_threat(),)
    jobs = [(t, a) for t in threats for a in (wall.coverage.altitudes or [t.altitude_m])]
    progress.start("barrier: crossing paths", len(jobs))
    blocks, bases, profile, alongs, angles, names = [], [], [], [], [], []
    for index, (threat, altitude) in enumerate(jobs):
        points, turn = _paths(wall, threat, along)
        n_paths = len(turn)
        blocks.append(_path_weights(wall, candidates, threat, altitude, points, n_paths))
        kept = _path_weights(wall, keep, threat, altitude, points, n_paths)
        bases.append(np.asarray(kept.sum(axis=1)).ravel())
        profile.append(np.full(n_paths, index, dtype=np.intp))
        alongs.append(np.tile(along, n_paths // len(along)))
        angles.append(turn)
        names.append(f"{threat.id} @ {altitude:g} m")
        progress.update(index + 1)
    return BarrierProblem(
        candidates=candidates,
        costs=candidate_costs(wall, candidates),
        weights=sparse.vstack(blocks, format="csr"),
        base=np.concatenate(bases),
        profile=np.concatenate(profile),
        along_m=np.concatenate(alongs),
        angle_deg=np.concatenate(angles),
        profiles=tuple(names),
    )


def path_probabilities(problem: BarrierProblem, chosen: npt.NDArray[np.bool_]) -> FloatArray:
    """Detection probability of every path with the chosen candidates (and the kept ones)."""
    total = problem.weights @ chosen.astype(float) + problem.base
    result: FloatArray = 1.0 - np.exp(-total)
    return result


def solve_barrier(
    problem: BarrierProblem, target: float, time_limit_s: float = 120.0, mip_rel_gap: float = 1e-2
) -> BarrierResult:
    """The cheapest candidates detecting every path with probability ≥ ``target``."""
    if not 0 < target < 1:
        raise ValueError(f"target must be in (0, 1), not {target!r}")
    started = time.perf_counter()
    need = np.maximum(-math.log1p(-target) - problem.base, 0.0)
    n = len(problem.candidates)
    reachable = np.asarray(problem.weights.sum(axis=1)).ravel() >= need - 1e-9
    if not reachable.all():
        chosen = np.ones(n, dtype=bool)
        return _result(problem, "infeasible", chosen, None, target, started)
    capped = problem.weights.copy()
    capped.data = np.minimum(capped.data, need[np.repeat(np.arange(len(need)),
                                                          np.diff(capped.indptr))])  # fmt: skip
    open_rows = need > 0
    solution = milp(
        problem.costs,
        integrality=np.ones(n),
        bounds=Bounds(np.zeros(n), np.ones(n)),
        constraints=[LinearConstraint(capped[open_rows], need[open_rows] - 1e-9, np.inf)],
        options={"time_limit": time_limit_s, "mip_rel_gap": mip_rel_gap, "disp": False},
    )
    status = _STATUS.get(solution.status, "error")
    if solution.x is None:
        return _result(problem, status, np.zeros(n, dtype=bool), None, target, started)
    gap = getattr(solution, "mip_gap", None)
    if status == "optimal" and gap is not None and gap > 1e-6:
        status = "gap_reached"
    bound = getattr(solution, "mip_dual_bound", None)
    chosen = solution.x > 0.5
    return _result(problem, status, chosen, bound, target, started)


def _result(
    problem: BarrierProblem,
    status: str,
    chosen: npt.NDArray[np.bool_],
    bound: float | None,
    target: float,
    started: float,
) -> BarrierResult:
    pd = path_probabilities(problem, chosen)
    worst = float(pd.min()) if len(pd) else 1.0
    return BarrierResult(
        status=status,
        feasible=status != "infeasible" and worst >= target - 1e-6,
        sensors=tuple(c for c, pick in zip(problem.candidates, chosen, strict=True) if pick),
        cost_eur=float(problem.costs[chosen].sum()),
        lower_bound_eur=None if bound is None else float(bound),
        target=target,
        worst_path_pd=worst,
        paths=len(pd),
        runtime_s=time.perf_counter() - started,
    )
