"""Placement targeting the fused per-scan probability: exact on tiny instances, agrees with
``evaluate_coverage``'s fused share, and finds layouts k-coverage cannot."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from droneworks.watch.coverage import evaluate_coverage
from droneworks.watch.placement import build_problem, place_sensors, solve_greedy, solve_milp
from droneworks.watch.placement_problem import row_need

from .straight_wall import disc_type, make_wall, straight_border, threat
from .test_placement import _shrink, brute_force

# Pd 0.4 inside the disc: no sensor alone reaches pd_threshold 0.5, two together do
# (1 − 0.6² = 0.64), so k-coverage is unreachable and only the fused metric can be met.
WEAK = disc_type("weak", 700.0, cost_eur=1.0, pd_close=0.4)
WEAK_BIG = disc_type("weak-big", 1800.0, cost_eur=2.6, pd_close=0.4)
PLACEMENT = {"types": ["weak", "weak-big"], "spacing": "1 km", "offsets": ["0 m", "400 m"]}


def weak_wall(length_m: float = 6000.0, metric: str = "fused", types=(WEAK, WEAK_BIG)):  # type: ignore[no-untyped-def]
    border = straight_border(length_m)
    return make_wall(border, [], [threat(), threat(altitude_m=300.0)], list(types),
                     {"spacing": "50 m"}, PLACEMENT | {"metric": metric})  # fmt: skip


def test_fused_rows_are_logs_of_the_miss_probability() -> None:
    problem = build_problem(weak_wall())
    assert problem.metric == "fused"
    assert problem.need == pytest.approx(-math.log(0.5))
    values = np.concatenate([a.data for a in problem.cover])
    inside = -math.log(0.6)  # one look of Pd 0.4; the disc's thin edge has less
    assert values.max() == pytest.approx(inside) and np.all((values > 0) & (values <= inside))
    assert np.mean(np.isclose(values, inside)) > 0.5
    with pytest.raises(ValueError, match="metric"):
        row_need("fuzed", 1, 0.5)


@pytest.mark.parametrize("target", [0.8, 1.0])
def test_fused_milp_min_cost_equals_brute_force(target: float) -> None:
    small = _shrink(build_problem(weak_wall()), 14)
    result = solve_milp(small, target=target, mip_rel_gap=0.0)
    assert result.status == "optimal" and result.feasible
    assert result.cost_eur == pytest.approx(brute_force(small, target, None))


def test_fused_budget_maximises_worst_share_like_brute_force() -> None:
    small = _shrink(build_problem(weak_wall()), 14)
    result = solve_milp(small, budget_eur=4.0, mip_rel_gap=0.0)
    assert result.cost_eur <= 4.0
    assert min(result.shares.values()) == pytest.approx(brute_force(small, None, 4.0))


@pytest.mark.parametrize("method", ["milp", "greedy"])
def test_fused_layout_reaches_the_target_in_coverage_where_k_coverage_cannot(
    method: str,
) -> None:
    wall = weak_wall(12_000.0)
    assert not place_sensors(wall, target=0.9, metric="k").feasible  # no single look ≥ 0.5
    result = place_sensors(wall, target=0.9, method=method)
    assert result.feasible
    check = evaluate_coverage(wall.with_sensors(result.sensors))
    for profile, (name, share) in zip(check.profiles, result.shares.items(), strict=True):
        assert profile.fused_share >= 0.9 - 1e-9, name
        assert profile.fused_share == pytest.approx(share, abs=1e-9)
        assert profile.share == 0.0  # the k-coverage view sees nothing covered


def test_outages_make_fused_placement_buy_more() -> None:
    sure = disc_type("sure", 1000.0, cost_eur=1.0, pd_close=0.9)
    flaky = dataclasses.replace(sure, name="flaky", availability=0.5)  # A·Pd = 0.45 < 0.5
    placement = {"types": ["x"], "spacing": "500 m", "offsets": ["0 m"], "metric": "fused"}
    costs = []
    for kind in (sure, flaky):
        kind = dataclasses.replace(kind, name="x")
        wall = make_wall(straight_border(10_000.0), [], [threat()], [kind],
                         {"spacing": "50 m"}, placement)  # fmt: skip
        result = place_sensors(wall, target=1.0)
        check = evaluate_coverage(wall.with_sensors(result.sensors))
        assert result.feasible and check.profiles[0].fused_share == pytest.approx(1.0)
        costs.append(result.cost_eur)
    assert costs[1] >= 2 * costs[0] - 1  # every point needs two flaky looks, not one


def test_greedy_fused_is_feasible() -> None:
    problem = build_problem(weak_wall())
    exact = solve_milp(problem, target=0.95, mip_rel_gap=0.0)
    greedy = solve_greedy(problem, target=0.95)
    assert greedy.feasible and min(greedy.shares.values()) >= 0.95 - 1e-9
    assert greedy.cost_eur >= exact.cost_eur - 1e-9


def test_a_milp_stopped_early_keeps_the_better_greedy_layout() -> None:
    problem = build_problem(weak_wall(30_000.0))
    stopped = solve_milp(problem, target=0.9, time_limit_s=1e-3)  # no time to find a layout
    assert stopped.status == "time_limit" and stopped.method == "milp+greedy"
    greedy = solve_greedy(problem, target=0.9)
    assert stopped.feasible and stopped.cost_eur == pytest.approx(greedy.cost_eur)
    assert stopped.sensors == greedy.sensors
