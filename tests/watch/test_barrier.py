"""Barrier placement: every crossing path detected with ≥ target probability."""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
from pathlib import Path

import numpy as np
import pytest

from droneworks.watch.barrier import (
    BarrierProblem,
    build_barrier,
    path_probabilities,
    solve_barrier,
)
from droneworks.watch.coverage import CROSSING_BAND_M, CROSSING_STEP_M, evaluate_coverage

from .straight_wall import disc_type, make_wall, straight_border, threat
from .test_bad_input import cli, wall_file

CHEAP = disc_type("cheap", 700.0, cost_eur=1.0, pd_close=0.5, width=0.2, period_s=25)
BIG = disc_type("big", 1800.0, cost_eur=2.6, pd_close=0.5, width=0.2, period_s=25)


def small_barrier(length_m: float = 5000.0) -> BarrierProblem:
    border = straight_border(length_m)
    placement = {"types": ["cheap", "big"], "spacing": "1 km", "offsets": ["0 m", "-500 m"]}
    drone = dataclasses.replace(threat(speed_mps=40.0), max_crossing_angle_deg=40.0)
    wall = make_wall(border, [], [drone], [CHEAP, BIG], {"spacing": "50 m"}, placement)
    return build_barrier(wall, spacing_m=250.0)


def columns(problem: BarrierProblem, keep: list[int]) -> BarrierProblem:
    return dataclasses.replace(
        problem,
        candidates=tuple(problem.candidates[i] for i in keep),
        costs=problem.costs[keep],
        weights=problem.weights[:, keep],
    )


def brute_force(problem: BarrierProblem, target: float) -> float:
    best = math.inf
    for bits in itertools.product([False, True], repeat=len(problem.candidates)):
        chosen = np.array(bits)
        if path_probabilities(problem, chosen).min() >= target - 1e-9:
            best = min(best, float(problem.costs[chosen].sum()))
    return best


@pytest.mark.parametrize("target", [0.6, 0.9, 0.99])
def test_barrier_milp_equals_brute_force(target: float) -> None:
    problem = columns(small_barrier(), [*range(0, 20, 2), 1, 5, 9, 13])
    assert len(problem.candidates) == 14 and problem.weights.shape[0] == 3 * 20
    result = solve_barrier(problem, target, mip_rel_gap=0.0)
    optimum = brute_force(problem, target)
    if math.isinf(optimum):
        assert not result.feasible and result.status == "infeasible"
        return
    assert result.status == "optimal" and result.feasible
    assert result.cost_eur == pytest.approx(optimum)
    assert result.worst_path_pd >= target - 1e-9


def test_a_path_probability_is_the_closed_form_of_independent_looks() -> None:
    faint = disc_type("faint", 1e7, pd_close=0.1)  # Pd 0.1 per scan everywhere near the line
    border = straight_border(10_000.0)
    placement = {"types": ["faint"], "spacing": "5 km", "offsets": ["0 m"]}
    wall = make_wall(border, [], [threat(speed_mps=1000.0)], [faint], None, placement)
    problem = build_barrier(wall, spacing_m=2000.0)
    steps = 2 * CROSSING_BAND_M / CROSSING_STEP_M + 1
    scans = steps * CROSSING_STEP_M / 1000.0
    one = np.zeros(len(problem.candidates), dtype=bool)
    one[0] = True
    assert path_probabilities(problem, one) == pytest.approx(1 - 0.9**scans, rel=1e-9)
    # the same figure coverage reports as the cumulative (crossing) probability
    wall = wall.with_sensors(problem.candidates[:1])
    assert evaluate_coverage(wall).profiles[0].crossing_pd[50] == pytest.approx(1 - 0.9**scans)
    # a sensor working half the time: P(miss) = ½·0.9^scans + ½
    half = dataclasses.replace(faint, availability=0.5)
    halved = build_barrier(
        dataclasses.replace(wall, sensor_types={"faint": half}), spacing_m=2000.0
    )
    expected = 1 - (0.5 * 0.9**scans + 0.5)
    assert path_probabilities(halved, one) == pytest.approx(expected, rel=1e-9)


def test_kept_sensors_count_towards_every_path() -> None:
    problem = small_barrier()
    full = solve_barrier(problem, 0.9, mip_rel_gap=0.0)
    assert full.feasible and full.sensors
    border = straight_border(5000.0)
    placement = {"types": ["cheap", "big"], "spacing": "1 km", "offsets": ["0 m", "-500 m"]}
    drone = dataclasses.replace(threat(speed_mps=40.0), max_crossing_angle_deg=40.0)
    wall = make_wall(border, [], [drone], [CHEAP, BIG], {"spacing": "50 m"}, placement)
    kept = build_barrier(wall, keep=full.sensors, spacing_m=250.0)
    again = solve_barrier(kept, 0.9, mip_rel_gap=0.0)
    assert again.feasible and again.cost_eur == 0.0 and again.worst_path_pd >= 0.9


def test_cli_barrier_keeps_existing_and_writes_layers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = wall_file(tmp_path)
    code, out = cli(capsys, "watch", "barrier", path, "--probability", "0.9", "--json",
                    "--out", tmp_path / "out")  # fmt: skip
    data = json.loads(out)
    assert code == 0 and data["feasible"] and data["worst_path_pd"] >= 0.9
    assert data["kept_sensors"] == 0 and data["sensors"]
    assert (tmp_path / "out/barrier.geojson").exists()
    code, out = cli(capsys, "watch", "barrier", path, "--keep-existing", "--json",
                    "--out", tmp_path / "out", "--force")  # fmt: skip
    kept = json.loads(out)
    assert code == 0 and kept["kept_sensors"] == 10 and kept["cost_eur"] <= data["cost_eur"]
    code, err = cli(capsys, "watch", "barrier", path, "--probability", "1")
    assert code == 1 and "--probability 1: must be above 0 and below 1" in err
