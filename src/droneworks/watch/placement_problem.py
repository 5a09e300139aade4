"""Placement problem: candidate sites × merged border pieces (solvers in ``placement.py``).

Candidate sites lie every ``placement.spacing`` along the line at each ``placement.offsets``
(behind the line if positive), one candidate per site and sensor type. The border is sampled
as in :mod:`droneworks.watch.coverage` (same pieces, same definitions), for every threat ×
altitude profile. Each row i asks Σ_j a_ij x_j ≥ need, for one of two metrics:

* ``"k"`` (k-coverage): a_ij = 1 where candidate j's single-scan Pd ≥ ``pd_threshold``,
  need = k;
* ``"fused"`` (the fused per-scan probability of coverage: one scan of every sensor together,
  1 − Π(1 − A_j·Pd_ij) ≥ ``pd_threshold``): taking logs makes it linear,
  a_ij = −ln(1 − A_j·Pd_ij) (A the type's availability), need = −ln(1 − pd_threshold);
  a_ij is capped at need (one look that alone suffices) and looks with A·Pd < 10⁻⁴ are left
  out, which can only under-count the fused probability, so a layout placed for a target
  reaches it in ``watch coverage`` too.

Pieces with the same candidates and coefficients are merged into one weighted row, which
shrinks the problem by an order of magnitude without changing it.

* :func:`solve_milp` — exact set multicover with a share constraint, by HiGHS through
  ``scipy.optimize.milp``:  min Σ c_j x_j  s.t.  k·y_ti ≤ Σ_j a_tij x_j,
  Σ_i w_ti y_ti ≥ target · L  for every profile t;  x binary, y ∈ [0, 1] (binary if k > 1).
  With ``budget_eur``: max z s.t. z ≤ share_t for every t and Σ c_j x_j ≤ budget.
* :func:`solve_greedy` — cost-effectiveness greedy (lazy evaluation): cost ≤ H(d)·OPT with
  H the harmonic number and d the most sample pieces one candidate covers (Chvátal 1979;
  Slavík 1997 for partial cover), so ≤ (ln d + 1)·OPT.

An unreachable target is a result (``feasible`` false, with the best reachable share), not
an exception.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from droneworks.core.progress import NO_PROGRESS, Progress
from droneworks.watch.coverage import default_threat
from droneworks.watch.sensors import DetectionPairs, PlacedSensor, detection_matrix
from droneworks.watch.wall import Wall, facing_out_deg

__all__ = [
    "METRICS",
    "PlacementProblem",
    "PlacementResult",
    "build_problem",
    "candidate_costs",
    "candidate_sites",
    "make_result",
    "shares_of",
]

FloatArray = npt.NDArray[np.float64]
METRICS = ("k", "fused")
_FUSED_MIN_LOOK = 1e-4  # A·Pd below this is left out of the fused sum (under-counts only)


@dataclass(frozen=True)
class PlacementProblem:
    """Candidates × merged border pieces, per threat-altitude profile."""

    candidates: tuple[PlacedSensor, ...]
    costs: FloatArray
    profiles: tuple[str, ...]  # "threat-id @ 100 m"
    cover: tuple[sparse.csr_matrix, ...]  # per profile: rows × candidates, a_ij
    weights: tuple[FloatArray, ...]  # per profile: metres of line per row
    total_m: float
    k: int
    n_pieces: int
    n_kept: int = 0  # the first n_kept candidates are existing sensors, built, free
    metric: str = "k"  # "k" (k-coverage) or "fused" (fused per-scan probability)
    need: float = 1.0  # each row's Σ_j a_ij x_j must reach it: k, or −ln(1 − threshold)

    @property
    def reachable_share(self) -> dict[str, float]:
        """Best share per profile if every candidate were built."""
        return shares_of(self, np.ones(len(self.candidates), dtype=bool))


@dataclass(frozen=True)
class PlacementResult:
    method: str
    status: str
    feasible: bool
    sensors: tuple[PlacedSensor, ...]
    cost_eur: float
    shares: dict[str, float]
    target: float | None
    budget_eur: float | None
    lower_bound_eur: float | None
    runtime_s: float
    n_candidates: int
    n_rows: int
    reachable: dict[str, float]
    share_bound: float | None = None  # budget mode: proven upper bound of the worst share
    metric: str = "k"  # what the shares count (PlacementProblem.metric)

    @property
    def gap(self) -> float | None:
        """Proven relative gap to the optimum, (cost − lower bound)/cost, when known."""
        if self.lower_bound_eur is None or self.cost_eur <= 0:
            return None
        return max(0.0, (self.cost_eur - self.lower_bound_eur) / self.cost_eur)

    @property
    def counts_by_type(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for sensor in self.sensors:
            counts[sensor.type.name] = counts.get(sensor.type.name, 0) + 1
        return counts


def candidate_sites(
    wall: Wall,
    types: Sequence[str] | None = None,
    spacing_m: float | None = None,
    offsets_m: Sequence[float] | None = None,
) -> tuple[PlacedSensor, ...]:
    """One candidate per site and type: every ``spacing`` along the line at each offset.

    Settings default to the wall's ``[placement]``; directional types face out.
    """
    settings = wall.placement
    types = list(types or settings.types)
    for name in types:
        if name not in wall.sensor_types:
            raise ValueError(f'unknown sensor type "{name}"')
    spacing_m = spacing_m or settings.spacing
    offsets_m = offsets_m if offsets_m is not None else settings.offsets
    border = wall.border
    along = np.arange(spacing_m / 2, border.length_m, spacing_m)
    sites: list[PlacedSensor] = []
    facing = facing_out_deg(border, along)  # directional types look across the line
    for offset in offsets_m:
        xy = border.points_at(along, offset)
        for name in types:
            kind = wall.sensor_types[name]
            sites.extend(
                PlacedSensor(f"{name}@{a / 1000:.1f}km/{offset:+.0f}m", kind, x, y, a, azimuth)
                for (x, y), a, azimuth in zip(xy.tolist(), along.tolist(), facing, strict=True)
            )
    if wall.sites is not None and sites:
        xy = np.array([[s.x_m, s.y_m] for s in sites])
        sites = [s for s, ok in zip(sites, wall.sites.permitted(xy), strict=True) if ok]
    return tuple(sites)


def candidate_costs(wall: Wall, candidates: Sequence[PlacedSensor]) -> FloatArray:
    """Each candidate's price: its type's cost plus the site cost of the area it stands in."""
    costs = np.array([c.type.cost_eur for c in candidates], dtype=float)
    if wall.sites is not None and len(candidates):
        costs += wall.sites.site_cost_eur(np.array([[c.x_m, c.y_m] for c in candidates]))
    return costs


def _merge_rows(
    matrix: sparse.csr_matrix, weights: FloatArray
) -> tuple[sparse.csr_matrix, FloatArray]:
    """Merge rows with identical columns and values, summing their weights; drop empty rows."""
    keys: dict[bytes, int] = {}
    merged_weight: list[float] = []
    rows: list[tuple[npt.NDArray[np.int32], FloatArray]] = []
    matrix.sort_indices()
    for i in range(matrix.shape[0]):
        cols = matrix.indices[matrix.indptr[i] : matrix.indptr[i + 1]]
        if cols.size == 0:
            continue
        values = matrix.data[matrix.indptr[i] : matrix.indptr[i + 1]]
        key = cols.tobytes() + values.tobytes()
        if key in keys:
            merged_weight[keys[key]] += float(weights[i])
        else:
            keys[key] = len(rows)
            rows.append((cols.copy(), values.copy()))
            merged_weight.append(float(weights[i]))
    indptr = np.concatenate([[0], np.cumsum([len(r[0]) for r in rows])]).astype(np.int64)
    indices = np.concatenate([r[0] for r in rows]) if rows else np.zeros(0, dtype=np.int32)
    data = np.concatenate([r[1] for r in rows]) if rows else np.zeros(0)
    merged = sparse.csr_matrix((data, indices, indptr), shape=(len(rows), matrix.shape[1]))
    return merged, np.asarray(merged_weight, dtype=float)


def row_need(metric: str, k: int, pd_threshold: float) -> float:
    """What each row's Σ_j a_ij x_j must reach under ``metric``."""
    if metric not in METRICS:
        raise ValueError(f'metric must be "k" or "fused", not "{metric}"')
    return float(k) if metric == "k" else -math.log1p(-pd_threshold)


def _coefficients(
    pairs: DetectionPairs, candidates: Sequence[PlacedSensor], metric: str, need: float,
    pd_threshold: float,
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], FloatArray]:  # fmt: skip
    """(point, candidate, a_ij) of the non-zero coefficients (module docstring)."""
    if metric == "k":
        ok = pairs.pd >= pd_threshold
        return pairs.point_index[ok], pairs.sensor_index[ok], np.ones(int(ok.sum()))
    availability = np.array([c.type.availability for c in candidates], dtype=float)
    look = pairs.pd * availability[pairs.sensor_index]
    ok = look >= _FUSED_MIN_LOOK
    value = np.minimum(-np.log1p(-np.minimum(look[ok], 1.0 - 1e-12)), need)
    return pairs.point_index[ok], pairs.sensor_index[ok], value


def build_problem(
    wall: Wall,
    k: int | None = None,
    types: Sequence[str] | None = None,
    spacing_m: float | None = None,
    offsets_m: Sequence[float] | None = None,
    progress: Progress = NO_PROGRESS,
    keep_existing: bool = False,
    metric: str | None = None,
) -> PlacementProblem:
    """Candidates and the merged coverage matrices of ``wall`` (settings default to the file).

    ``keep_existing``: the wall's sensors come first, already built (cost 0, always chosen).
    ``metric``: ``"k"`` or ``"fused"`` (module docstring); default the wall's.
    """
    k = wall.coverage.k if k is None else k
    metric = wall.placement.metric if metric is None else metric
    threshold = wall.coverage.pd_threshold
    need = row_need(metric, k, threshold)
    kept = wall.sensors if keep_existing else ()
    candidates = kept + candidate_sites(wall, types, spacing_m, offsets_m)
    along, pieces = wall.border.sample(wall.coverage.spacing)
    xy = wall.border.points_at(along)
    threats = wall.threats or (default_threat(),)
    jobs = [(t, a) for t in threats for a in (wall.coverage.altitudes or [t.altitude_m])]
    progress.start("placement: coverage matrices", len(jobs))
    covers, weights, names_out = [], [], []
    for done, (threat, altitude) in enumerate(jobs, start=1):
        pairs = detection_matrix(candidates, xy, altitude, threat, wall.environment)
        rows, cols, values = _coefficients(pairs, candidates, metric, need, threshold)
        matrix = sparse.csr_matrix((values, (rows, cols)), shape=(len(along), len(candidates)))
        matrix.sum_duplicates()
        merged, weight = _merge_rows(matrix, pieces)
        covers.append(merged)
        weights.append(weight)
        names_out.append(f"{threat.id} @ {altitude:g} m")
        progress.update(done)
    return PlacementProblem(
        candidates=tuple(candidates),
        costs=np.concatenate([np.zeros(len(kept)), candidate_costs(wall, candidates[len(kept) :])]),
        profiles=tuple(names_out),
        cover=tuple(covers),
        weights=tuple(weights),
        total_m=float(pieces.sum()),
        k=k,
        n_pieces=len(along),
        n_kept=len(kept),
        metric=metric,
        need=need,
    )


def shares_of(problem: PlacementProblem, chosen: npt.NDArray[np.bool_]) -> dict[str, float]:
    """Covered share per profile for a 0/1 choice of candidates."""
    x = chosen.astype(float)
    return {
        name: float(w[(a @ x) >= problem.need - 1e-9].sum() / problem.total_m)
        for name, a, w in zip(problem.profiles, problem.cover, problem.weights, strict=True)
    }


def make_result(
    problem: PlacementProblem,
    method: str,
    status: str,
    chosen: npt.NDArray[np.bool_],
    target: float | None,
    budget: float | None,
    bound: float | None,
    started: float,
) -> PlacementResult:
    new = slice(problem.n_kept, None)  # the existing sensors kept are not reported as new
    shares = shares_of(problem, chosen)
    feasible = (target is None or min(shares.values()) >= target - 1e-9) and (
        budget is None or float(problem.costs[chosen].sum()) <= budget + 1e-6
    )
    return PlacementResult(
        method=method,
        status=status,
        feasible=feasible and status != "infeasible",
        sensors=tuple(
            c for c, pick in zip(problem.candidates[new], chosen[new], strict=True) if pick
        ),
        cost_eur=float(problem.costs[chosen].sum()),
        shares=shares,
        target=target,
        budget_eur=budget,
        lower_bound_eur=bound,
        runtime_s=time.perf_counter() - started,
        n_candidates=len(problem.candidates),
        n_rows=sum(a.shape[0] for a in problem.cover),
        reachable=problem.reachable_share,
        metric=problem.metric,
    )
