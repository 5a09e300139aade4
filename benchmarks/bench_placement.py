"""Placement at whole-border scale: exact MILP (HiGHS via scipy) beside the greedy peer.

The whole Belarus–EU border (Poland + Lithuania + Latvia; 958 km on the Natural Earth map,
1,269.7 km official) from ``examples/walls/belarus-eu.toml``: candidates every 1 km at two
offsets for radar, RF and acoustic nodes, border sampled every 100 m, three threat profiles,
target 95 % of the line for every profile. Prints one JSON object::

    python benchmarks/bench_placement.py [--wall FILE] [--target 0.95] [--time-limit 600]
                                         [--mip-gap 0.02]
    python benchmarks/bench_placement.py --barrier 0.9 [--wall FILE] [--target 0.95]

``--barrier P`` compares instead the point-coverage answer (MILP, ``--target`` share of the
line k-covered) with the barrier answer (MILP, every crossing path detected with probability
≥ P): cost of each, and each layout judged by the other's criterion — what the line-based
answer misses on crossing paths.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from droneworks.watch.barrier import build_barrier, path_probabilities, solve_barrier
from droneworks.watch.coverage import evaluate_coverage
from droneworks.watch.placement import build_problem, solve_greedy, solve_milp
from droneworks.watch.wall import load_wall

WALL = Path(__file__).resolve().parents[1] / "examples" / "walls" / "belarus-eu.toml"


def run(
    wall_path: Path, target: float, time_limit_s: float, mip_rel_gap: float = 2e-2
) -> dict[str, Any]:
    """Build the problem once, solve it with greedy and with the MILP, side by side."""
    wall = load_wall(wall_path)
    started = time.perf_counter()
    problem = build_problem(wall)
    build_s = time.perf_counter() - started
    greedy = solve_greedy(problem, target=target)
    exact = solve_milp(problem, target=target, time_limit_s=time_limit_s, mip_rel_gap=mip_rel_gap)
    bound = exact.lower_bound_eur
    return {
        "wall": wall.name,
        "border_km_map": round(wall.border.length_m / 1000, 1),
        "border_km_official": wall.border.official_length_km,
        "profiles": list(problem.profiles),
        "candidates": len(problem.candidates),
        "pieces": problem.n_pieces,
        "rows_after_merge": sum(a.shape[0] for a in problem.cover),
        "rows_before_merge": problem.n_pieces * len(problem.profiles),
        "target": target,
        "build_s": round(build_s, 2),
        "greedy_s": round(greedy.runtime_s, 2),
        "greedy_cost_eur": greedy.cost_eur,
        "greedy_counts": greedy.counts_by_type,
        "greedy_feasible": greedy.feasible,
        "milp_s": round(exact.runtime_s, 2),
        "milp_status": exact.status,
        "milp_cost_eur": exact.cost_eur,
        "milp_lower_bound_eur": bound,
        "milp_gap": None if not bound else round((exact.cost_eur - bound) / exact.cost_eur, 4),
        "milp_counts": exact.counts_by_type,
        "milp_feasible": exact.feasible,
        "greedy_over_milp": round(greedy.cost_eur / exact.cost_eur, 3) if exact.cost_eur else None,
        "time_limit_s": time_limit_s,
        "mip_rel_gap": mip_rel_gap,
        "machine": f"{platform.machine()} {platform.python_version()}",
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
    }


def compare_barrier(
    wall_path: Path, target: float, probability: float, time_limit_s: float
) -> dict[str, Any]:
    """Point-coverage layout vs barrier layout on the same wall, each judged both ways."""
    wall = load_wall(wall_path)
    started = time.perf_counter()
    point = solve_milp(build_problem(wall), target=target, time_limit_s=time_limit_s)
    point_s = time.perf_counter() - started
    barrier_problem = build_barrier(wall)
    barrier = solve_barrier(barrier_problem, probability, time_limit_s)
    ids = {s.id for s in point.sensors}
    point_chosen = np.array([c.id in ids for c in barrier_problem.candidates])
    point_paths = path_probabilities(barrier_problem, point_chosen)
    barrier_check = evaluate_coverage(wall.with_sensors(barrier.sensors))
    return {
        "wall": wall.name,
        "border_km_map": round(wall.border.length_m / 1000, 1),
        "paths": barrier.paths,
        "point_target_share": target,
        "point_cost_eur": point.cost_eur,
        "point_status": point.status,
        "point_gap": point.gap,
        "point_s": round(point_s, 1),
        "point_counts": point.counts_by_type,
        "point_paths_below_p": int((point_paths < probability - 1e-9).sum()),
        "point_worst_path_pd": float(point_paths.min()),
        "barrier_probability": probability,
        "barrier_cost_eur": barrier.cost_eur,
        "barrier_status": barrier.status,
        "barrier_gap": barrier.gap,
        "barrier_s": round(barrier.runtime_s, 1),
        "barrier_counts": dict(Counter(s.type.name for s in barrier.sensors)),
        "barrier_worst_path_pd": barrier.worst_path_pd,
        "barrier_point_shares": {
            f"{p.threat_id} @ {p.altitude_m:g} m": p.share for p in barrier_check.profiles
        },
        "machine": f"{platform.machine()} {platform.python_version()}",
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wall", type=Path, default=WALL)
    parser.add_argument("--target", type=float, default=0.95)
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--mip-gap", type=float, default=2e-2, help="relative gap to stop at")
    parser.add_argument("--barrier", type=float, default=None, help="compare with a barrier")
    args = parser.parse_args()
    if args.barrier is not None:
        result = compare_barrier(args.wall, args.target, args.barrier, args.time_limit)
    else:
        result = run(args.wall, args.target, args.time_limit, args.mip_gap)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
