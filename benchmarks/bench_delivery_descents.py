"""Why deliveries need more sorties since the files' drop descents are counted (issue 11).

Plans ``examples/deliveries/minsk_100.toml`` (2,000 PyVRP iterations, seed 0) as shipped and
with the descent to the release height removed (``release_height`` = cruise altitude: the
only difference), and counts how many drops can share a sortie at all: the one-drop sortie
of the median drop as a share of the battery budget, the feasible pairs (two drops within
payload and budget in the better order) and the drops that pair with no other. Prints one
JSON object. ``--pairs-only`` skips the two plans (seconds instead of minutes).

    .venv/bin/python benchmarks/bench_delivery_descents.py
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from droneworks.missions.delivery import (
    DeliveryProblem,
    DroneOps,
    fly_sortie,
    load_deliveries,
    plan_deliveries,
)
from droneworks.missions.delivery.plan import delivery_projection

INSTANCE = Path(__file__).resolve().parents[1] / "examples" / "deliveries" / "minsk_100.toml"


def pair_figures(problem: DeliveryProblem) -> dict[str, Any]:
    """Median one-drop share of the budget, feasible pairs, drops that pair with none."""
    ops = DroneOps.of(problem.fleet[0].drone, problem.params)
    projection = delivery_projection(problem)
    base = tuple(float(v) for v in projection.to_local(problem.bases[0].lon, problem.bases[0].lat))
    xy = [tuple(float(v) for v in projection.to_local(d.lon, d.lat)) for d in problem.drops]
    kg = [d.payload_kg for d in problem.drops]
    single = [fly_sortie(ops, base, [xy[i]], [kg[i]]).energy_wh for i in range(len(xy))]
    partners = [0] * len(xy)
    pairs = 0
    for i, j in itertools.combinations(range(len(xy)), 2):
        if kg[i] + kg[j] > ops.payload_max_kg + 1e-9:
            continue
        energy = min(
            fly_sortie(ops, base, [xy[a], xy[b]], [kg[a], kg[b]]).energy_wh
            for a, b in ((i, j), (j, i))
        )
        if energy <= ops.budget_wh:
            pairs += 1
            partners[i] += 1
            partners[j] += 1
    return {
        "median_one_drop_share": round(statistics.median(single) / ops.budget_wh, 3),
        "feasible_pairs": pairs,
        "drops_pairing_with_none": sum(1 for count in partners if count == 0),
    }


def plan_figures(problem: DeliveryProblem, iterations: int = 2000) -> dict[str, Any]:
    started = time.perf_counter()
    plan = plan_deliveries(problem, iterations=iterations, seed=0)
    return {
        "sorties": len(plan.sorties),
        "served": plan.served,
        "km": round(plan.total_distance_m / 1000, 1),
        "last_landing_h": round(plan.makespan_min / 60, 2),
        "wall_s": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs-only", action="store_true")
    args = parser.parse_args()
    shipped = load_deliveries(INSTANCE)
    params = shipped.params
    flat = replace(shipped, params=replace(params, release_height_m=params.cruise_alt_m))
    result: dict[str, Any] = {"instance": INSTANCE.name}
    for name, problem in (("with_drop_descents", shipped), ("without_drop_descents", flat)):
        figures = pair_figures(problem)
        if not args.pairs_only:
            figures |= plan_figures(problem)
        result[name] = figures
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
