"""Placement: the MILP optimum on tiny instances equals brute force; greedy within its bound."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from droneworks.watch.placement import build_problem, place_sensors, solve_greedy, solve_milp
from droneworks.watch.placement_problem import PlacementProblem, shares_of

from .straight_wall import disc_type, make_wall, straight_border, threat

CHEAP = disc_type("cheap", 700.0, cost_eur=1.0)
BIG = disc_type("big", 1800.0, cost_eur=2.6)


def tiny_problem(k: int = 1, length_m: float = 6000.0) -> PlacementProblem:
    border = straight_border(length_m)
    placement = {"types": ["cheap", "big"], "spacing": "1 km", "offsets": ["0 m", "400 m"]}
    wall = make_wall(border, [], [threat(), threat(altitude_m=300.0)], [CHEAP, BIG],
                     {"spacing": "50 m", "k": k}, placement)  # fmt: skip
    return build_problem(wall, k=k)


def brute_force(problem: PlacementProblem, target: float | None, budget: float | None) -> float:
    """Min cost reaching target, or max worst share within budget, over every subset."""
    n = len(problem.candidates)
    best = math.inf if target is not None else -1.0
    for bits in itertools.product([False, True], repeat=n):
        chosen = np.array(bits)
        cost = float(problem.costs[chosen].sum())
        worst = min(shares_of(problem, chosen).values())
        if target is not None and worst >= target - 1e-9:
            best = min(best, cost)
        if budget is not None and cost <= budget + 1e-9:
            best = max(best, worst)
    return best


@pytest.mark.parametrize(("k", "target"), [(1, 0.9), (1, 1.0), (2, 0.6)])
def test_milp_min_cost_equals_brute_force(k: int, target: float) -> None:
    problem = tiny_problem(k)
    assert len(problem.candidates) == 24
    small = _shrink(problem, 14)
    result = solve_milp(small, target=target, mip_rel_gap=0.0)
    assert result.status == "optimal" and result.feasible
    assert result.cost_eur == pytest.approx(brute_force(small, target, None))
    assert min(result.shares.values()) >= target - 1e-9


def test_milp_budget_maximises_worst_share_like_brute_force() -> None:
    small = _shrink(tiny_problem(), 14)
    result = solve_milp(small, budget_eur=4.0, mip_rel_gap=0.0)
    assert result.cost_eur <= 4.0
    assert min(result.shares.values()) == pytest.approx(brute_force(small, None, 4.0))
    assert result.share_bound is not None
    assert min(result.shares.values()) <= result.share_bound + 1e-9


def test_greedy_is_feasible_and_within_its_harmonic_bound() -> None:
    problem = tiny_problem()
    exact = solve_milp(problem, target=0.95, mip_rel_gap=0.0)
    greedy = solve_greedy(problem, target=0.95)
    assert greedy.feasible and min(greedy.shares.values()) >= 0.95 - 1e-9
    piece_m = problem.total_m / problem.n_pieces
    pieces = sum(a.T @ w for a, w in zip(problem.cover, problem.weights, strict=True)) / piece_m
    harmonic = sum(1 / i for i in range(1, round(float(pieces.max())) + 1))  # H(d)
    assert exact.cost_eur <= greedy.cost_eur <= harmonic * exact.cost_eur + 1e-9


def test_unreachable_target_is_a_result_not_an_error() -> None:
    problem = tiny_problem(k=2, length_m=3000.0)
    result = solve_milp(_shrink(problem, 2), target=0.99)
    assert not result.feasible and result.status == "infeasible"
    assert min(result.reachable.values()) < 0.99


def test_place_sensors_on_the_example_reaches_target_and_coverage_agrees() -> None:
    from droneworks.watch.coverage import evaluate_coverage

    border = straight_border(20_000.0)
    placement = {"types": ["cheap", "big"], "spacing": "1 km", "offsets": ["0 m"]}
    wall = make_wall(border, [], [threat()], [CHEAP, BIG], {"spacing": "100 m"}, placement)
    result = place_sensors(wall, target=0.9, method="milp")
    check = evaluate_coverage(wall.with_sensors(result.sensors))
    assert result.feasible
    assert check.profiles[0].share == pytest.approx(next(iter(result.shares.values())))


def _shrink(problem: PlacementProblem, keep: int) -> PlacementProblem:
    """The first ``keep`` candidates only (brute force stays at 2^keep subsets)."""
    from dataclasses import replace

    return replace(
        problem,
        candidates=problem.candidates[:keep],
        costs=problem.costs[:keep],
        cover=tuple(a[:, :keep].tocsr() for a in problem.cover),
    )
