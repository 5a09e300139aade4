"""Sensor placement: the cheapest mix and positions that reach a target covered share.

Covered means k-covered, or (metric ``"fused"``) that one scan of all sensors together
detects with probability ≥ ``pd_threshold``. The problem (candidate sites × merged border
pieces, see :mod:`droneworks.watch.placement_problem`) is solved one of two ways:

* :func:`solve_milp` — exact set multicover with a share constraint, by HiGHS through
  ``scipy.optimize.milp``:  min Σ c_j x_j  s.t.  need·y_ti ≤ Σ_j a_tij x_j  and
  Σ_i w_ti y_ti ≥ target · L  for every threat-altitude profile t;  x binary, y ∈ [0, 1]
  (binary when k > 1 or fused: a_tij ∈ {0, 1} and need = 1 only make y exact when
  relaxed). With a budget instead: max z s.t. z ≤ share_t for every t and Σ c_j x_j ≤ budget
  (the worst profile's share is maximised).
  When HiGHS stops at the time limit with a layout worse than the greedy's, the greedy's is
  kept (method ``milp+greedy``) with the MILP's proven bound, so the gap printed is its own.
* :func:`solve_greedy` — cost-effectiveness greedy with lazy evaluation: for k-coverage
  cost ≤ H(d)·OPT, H the harmonic number, d the most sample pieces one candidate covers
  (Chvátal 1979; Slavík 1997 for partial cover), i.e. ≤ (ln d + 1)·OPT. For the fused
  metric (real coefficients) it is a heuristic without that bound; the MILP's gap is proven.

An unreachable target is a result (``feasible`` false, best reachable shares given), not an
exception.
"""

from __future__ import annotations

import heapq
import math
import time
from dataclasses import replace

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from droneworks.core.progress import NO_PROGRESS, Progress
from droneworks.watch.placement_problem import (
    PlacementProblem,
    PlacementResult,
    build_problem,
    make_result,
)
from droneworks.watch.wall import Wall

__all__ = [
    "PlacementProblem",
    "PlacementResult",
    "build_problem",
    "place_sensors",
    "solve_greedy",
    "solve_milp",
]

BoolArray = npt.NDArray[np.bool_]
_STATUS = {0: "optimal", 1: "time_limit", 2: "infeasible", 3: "unbounded", 4: "error"}


def _constraints(problem: PlacementProblem, with_z: bool) -> list[sparse.csr_matrix]:
    """Cover rows: need·y_t − A_t·x ≤ 0, laid out over [x, y_1 … y_T, (z)]."""
    n_c, need = len(problem.candidates), problem.need
    sizes = [a.shape[0] for a in problem.cover]
    blocks = []
    for t, a in enumerate(problem.cover):
        row = [-a]
        row += [
            need * sparse.identity(n, format="csr")
            if s == t
            else sparse.csr_matrix((a.shape[0], n))
            for s, n in enumerate(sizes)
        ]
        if with_z:
            row.append(sparse.csr_matrix((a.shape[0], 1)))
        blocks.append(sparse.hstack(row, format="csr"))
    del n_c
    return blocks


def _share_rows(problem: PlacementProblem, with_z: bool) -> sparse.csr_matrix:
    """One row per profile: Σ_i w_ti y_ti / L (the share), laid out over all variables."""
    n_c = len(problem.candidates)
    sizes = [a.shape[0] for a in problem.cover]
    rows = []
    for t in range(len(problem.cover)):
        parts = [sparse.csr_matrix((1, n_c))]
        parts += [
            sparse.csr_matrix(problem.weights[s][None, :] / problem.total_m)
            if s == t
            else sparse.csr_matrix((1, n))
            for s, n in enumerate(sizes)
        ]
        if with_z:
            parts.append(sparse.csr_matrix(np.array([[-1.0]])))
        rows.append(sparse.hstack(parts, format="csr"))
    return sparse.vstack(rows, format="csr")


def solve_milp(
    problem: PlacementProblem,
    target: float | None = None,
    budget_eur: float | None = None,
    time_limit_s: float = 300.0,
    mip_rel_gap: float = 2e-2,
) -> PlacementResult:
    """Exact placement by HiGHS (min cost for ``target``, or max worst share for a budget)."""
    started = time.perf_counter()
    if (target is None) == (budget_eur is None):
        raise ValueError("give exactly one of target and budget_eur")
    reachable = problem.reachable_share
    if target is not None and min(reachable.values()) < target - 1e-9:
        chosen = np.ones(len(problem.candidates), dtype=bool)
        return make_result(problem, "milp", "infeasible", chosen, target, None, None, started)
    n_c, with_z = len(problem.candidates), budget_eur is not None
    n_y = sum(a.shape[0] for a in problem.cover)
    n = n_c + n_y + int(with_z)
    cover = sparse.vstack(_constraints(problem, with_z), format="csr")
    constraints = [LinearConstraint(cover, -np.inf, 0.0)]
    shares = _share_rows(problem, with_z)
    cost = np.zeros(n)
    if target is not None:
        constraints.append(LinearConstraint(shares, target - 1e-9, np.inf))
        cost[:n_c] = problem.costs
    else:
        assert budget_eur is not None
        constraints.append(LinearConstraint(shares, 0.0, np.inf))  # z ≤ share_t
        budget_row = np.concatenate([problem.costs, np.zeros(n - n_c)])[None, :]
        constraints.append(LinearConstraint(sparse.csr_matrix(budget_row), -np.inf, budget_eur))
        cost[-1] = -1.0
        cost[:n_c] = 1e-6 * problem.costs / budget_eur  # cheapest among the best
    integrality = np.zeros(n)
    integrality[:n_c] = 1
    lower = np.zeros(n)
    lower[: problem.n_kept] = 1.0  # existing sensors stay
    if problem.need != 1.0 or problem.metric != "k":
        integrality[n_c : n_c + n_y] = 1
    solution = milp(
        cost,
        integrality=integrality,
        bounds=Bounds(lower, np.ones(n)),
        constraints=constraints,
        options={"time_limit": time_limit_s, "mip_rel_gap": mip_rel_gap, "disp": False},
    )
    status = _STATUS.get(solution.status, "error")
    if solution.x is None:
        chosen = np.zeros(n_c, dtype=bool)
        result = make_result(problem, "milp", status, chosen, target, budget_eur, None, started)
        return _keep_the_better(problem, result, target, budget_eur, started)
    chosen = solution.x[:n_c] > 0.5
    bound = getattr(solution, "mip_dual_bound", None) if target is not None else None
    gap = getattr(solution, "mip_gap", None)
    if status == "optimal" and gap is not None and gap > 1e-6:
        status = "gap_reached"  # HiGHS stopped at mip_rel_gap: optimal within the gap
    result = make_result(
        problem,
        "milp",
        status,
        chosen,
        target,
        budget_eur,
        None if bound is None else float(bound),
        started,
    )
    dual = getattr(solution, "mip_dual_bound", None)
    if budget_eur is not None and dual is not None:
        # objective = −z + 1e-6·cost/budget ≥ −z, so z ≤ −bound + 1e-6
        result = replace(result, share_bound=min(1.0, -float(dual) + 1e-6))
    if status == "time_limit":
        return _keep_the_better(problem, result, target, budget_eur, started)
    return result


def _keep_the_better(
    problem: PlacementProblem,
    result: PlacementResult,
    target: float | None,
    budget_eur: float | None,
    started: float,
) -> PlacementResult:
    """The greedy layout instead of HiGHS's when HiGHS stopped early with a worse one.

    scipy's ``milp`` takes no starting solution, so the greedy's (seconds) is compared after;
    the proven bounds stay the MILP's, so the reported gap is that of the layout kept.
    """
    greedy = solve_greedy(problem, target, budget_eur)
    if target is not None:
        better = greedy.feasible and (not result.feasible or greedy.cost_eur < result.cost_eur)
    else:
        better = greedy.feasible and min(greedy.shares.values()) > min(result.shares.values())
    if not better:
        return result
    return replace(
        greedy,
        method="milp+greedy",
        status=result.status,
        lower_bound_eur=result.lower_bound_eur,
        share_bound=result.share_bound,
        runtime_s=time.perf_counter() - started,
    )


def _greedy_gain(
    problem: PlacementProblem,
    columns: list[sparse.csc_matrix],
    levels: list[npt.NDArray[np.float64]],
    need: list[float] | None,
    j: int,
) -> float:
    """Progress candidate ``j`` adds: metres of line times the share of ``need`` it adds."""
    gain = 0.0
    for t, a in enumerate(columns):
        rows = a.indices[a.indptr[j] : a.indptr[j + 1]]
        added = np.minimum(a.data[a.indptr[j] : a.indptr[j + 1]], problem.need - levels[t][rows])
        progress = float(problem.weights[t][rows] @ np.maximum(added, 0.0)) / problem.need
        gain += progress if need is None else min(progress, need[t])
    return gain


def _add(columns: list[sparse.csc_matrix], levels: list[npt.NDArray[np.float64]], j: int) -> None:
    for t, a in enumerate(columns):
        levels[t][a.indices[a.indptr[j] : a.indptr[j + 1]]] += a.data[a.indptr[j] : a.indptr[j + 1]]


def solve_greedy(
    problem: PlacementProblem, target: float | None = None, budget_eur: float | None = None
) -> PlacementResult:
    """Lazy cost-effectiveness greedy (bound in the module docstring)."""
    started = time.perf_counter()
    if (target is None) == (budget_eur is None):
        raise ValueError("give exactly one of target and budget_eur")
    columns = [a.tocsc() for a in problem.cover]
    levels = [np.zeros(a.shape[0]) for a in problem.cover]
    chosen = np.zeros(len(problem.candidates), dtype=bool)
    costs = np.maximum(problem.costs, 1e-9)
    spent = 0.0
    for j in range(problem.n_kept):  # existing sensors stay
        chosen[j] = True
        _add(columns, levels, j)

    def need() -> list[float] | None:
        if target is None:
            return None
        covered = [
            float(w[level >= problem.need - 1e-9].sum())
            for w, level in zip(problem.weights, levels, strict=True)
        ]
        return [max(0.0, target * problem.total_m - c) for c in covered]

    remaining = need()
    heap = [
        (-_greedy_gain(problem, columns, levels, remaining, j) / costs[j], j)
        for j in range(problem.n_kept, len(chosen))
    ]
    heapq.heapify(heap)
    while heap and (remaining is None or max(remaining) > 1e-9):
        _, j = heapq.heappop(heap)
        if budget_eur is not None and spent + problem.costs[j] > budget_eur:
            continue
        ratio = _greedy_gain(problem, columns, levels, remaining, j) / costs[j]
        if ratio <= 0:
            continue
        if heap and ratio < -heap[0][0] - 1e-12:
            heapq.heappush(heap, (-ratio, j))
            continue
        chosen[j] = True
        spent += float(problem.costs[j])
        _add(columns, levels, j)
        remaining = need()
    status = "done" if remaining is None or max(remaining) <= 1e-9 else "infeasible"
    return make_result(problem, "greedy", status, chosen, target, budget_eur, None, started)


def place_sensors(
    wall: Wall,
    target: float | None = None,
    budget_eur: float | None = None,
    method: str = "milp",
    time_limit_s: float = 120.0,
    progress: Progress = NO_PROGRESS,
    keep_existing: bool = False,
    metric: str | None = None,
) -> PlacementResult:
    """Build the problem of ``wall`` and solve it; without target/budget, the file's.

    ``keep_existing``: the wall's sensors stay (free) and the layout is built around them.
    ``metric``: ``"k"`` (k-coverage) or ``"fused"`` (fused per-scan probability ≥
    ``pd_threshold``); default the wall's ``placement.metric``.
    """
    if method not in {"milp", "greedy"}:
        raise ValueError(f'method must be "milp" or "greedy", not "{method}"')
    if target is not None and not 0 < target <= 1:
        raise ValueError(f"target must be in (0, 1], not {target!r}")
    if budget_eur is not None and not (math.isfinite(budget_eur) and budget_eur > 0):
        raise ValueError(f"budget_eur must be a positive amount, not {budget_eur!r}")
    if not (math.isfinite(time_limit_s) and time_limit_s > 0):
        raise ValueError(f"time_limit_s must be positive, not {time_limit_s!r}")
    problem = build_problem(wall, progress=progress, keep_existing=keep_existing, metric=metric)
    if target is None and budget_eur is None:
        target, budget_eur = wall.placement.target, wall.placement.budget_eur
        target = None if budget_eur is not None else target
    if method == "milp":
        return solve_milp(problem, target, budget_eur, time_limit_s)
    return solve_greedy(problem, target, budget_eur)
