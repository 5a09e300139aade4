"""100 deliveries with 5 drones: droneworks vs plain PyVRP multi-trip, side by side, one run.

Instance: the synthetic-but-realistic ``minsk_100`` (100 drops within 4.5 km of a Minsk
depot, parcels 0.2–3.5 kg, 60 % with 1–2 h windows; ``droneworks.missions.delivery.
synthetic``), 5 Manna-class drones (3.5 kg payload, energy model of missions/energy.py),
5 min battery swap, shift 08:00–18:00.

Ours: ``plan_deliveries`` (PyVRP multi-trip steered by a per-drop energy load, then every
sortie checked and repaired); ``droneworks_without_energy_proxy`` is the same without the
steering (plain PyVRP + repair), to show what each part does;
``droneworks_routes_as_sorties`` makes every PyVRP route one sortie with the battery as
``max_distance`` (an energy ladder per payload level) and schedules sorties onto drones.

Peers (PyVRP 0.14 multi-trip with reloads at the depot, the same search time and seed):

* ``pyvrp_multitrip`` — the range cannot be given per trip, so none is given;
* ``pyvrp_route_max_distance`` — PyVRP's ``max_distance`` set to the loaded battery range,
  which PyVRP applies to a drone's whole route (all its trips of the day).

Every plan is scored by the same code: each trip's energy (legs at the mass aboard, climbs,
drop hovers; hovers while waiting for a window counted separately) against the battery
budget after the 20 % reserve, drops served, windows met, total distance, wall time.
Ours is the median over ``--seeds``; prints one JSON object.

    .venv/bin/python benchmarks/bench_deliveries.py                  # 100 drops, 5 drones
    .venv/bin/python benchmarks/bench_deliveries.py --drops 15 --runtime 0.2 --seeds 0
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import statistics
import time
import tomllib
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pyvrp

from droneworks.core.geo import LocalProjection
from droneworks.missions.delivery import DeliveryProblem, parse_deliveries, plan_deliveries
from droneworks.missions.delivery.routing import RoutingResult, route_multi_trip
from droneworks.missions.delivery.schedule import DroneDay, payload_kg, time_day
from droneworks.missions.delivery.sortie import XY, DroneOps, fly_sortie
from droneworks.missions.delivery.synthetic import minsk_100


def instance(drops: int, drones: int) -> DeliveryProblem:
    """The first ``drops`` drops of minsk_100 with ``drones`` drones at its depot."""
    problem = parse_deliveries(tomllib.loads(minsk_100()), "minsk_100")
    problem = replace(problem, drops=problem.drops[:drops])
    return problem.with_fleet(problem.fleet[0].drone, drones)


def _xy(projection: LocalProjection, lon: float, lat: float) -> XY:
    x, y = projection.to_local(lon, lat)
    return float(x), float(y)


def _score_peer(
    problem: DeliveryProblem, routing: RoutingResult, ops: DroneOps, xy: list[XY], base_xy: XY
) -> dict[str, Any]:
    trips = over_flight = over_hover = overloaded = late = 0
    distance = worst = 0.0
    for routed in routing.drones:
        limit_kg = ops.payload_max_kg + 1e-9  # grams in PyVRP, float sums here
        loadable = [list(t) for t in routed.trips if payload_kg(problem, t) <= limit_kg]
        overloaded += len(routed.trips) - len(loadable)
        trips += len(routed.trips)
        day = DroneDay(0, routed.number, ops, base_xy, loadable)
        for timed in time_day(day, problem, xy):
            drops = [problem.drops[i] for i in timed.trip]
            plain = fly_sortie(ops, base_xy, [xy[i] for i in timed.trip],
                               [d.payload_kg for d in drops])  # fmt: skip
            distance += plain.distance_m
            worst = max(worst, plain.energy_wh / ops.budget_wh)
            over_flight += not plain.within(ops.budget_wh)
            over_hover += not timed.flight.within(ops.budget_wh)
            for drop, offset in zip(drops, timed.flight.arrival_offsets_min, strict=True):
                late += timed.takeoff_min + offset > drop.window_close_min + 1e-6
    served = len(problem.drops) - len(routing.unplanned)
    return {"trips": trips, "trips_over_range": over_flight + overloaded,
            "trips_over_range_with_window_hovers": over_hover + overloaded,
            "trips_over_payload": overloaded, "max_trip_energy_share": worst,
            "served": served, "late_drops": late, "distance_km": distance / 1000,
            "pyvrp_feasible": routing.feasible}  # fmt: skip


def run_peer(problem: DeliveryProblem, runtime_s: float, seed: int, per_route_range: bool
             ) -> dict[str, Any]:  # fmt: skip
    ops = DroneOps.of(problem.fleet[0].drone, problem.params)
    base = problem.bases[0]
    projection = LocalProjection.for_lonlat(base.lon, base.lat)
    xy = [_xy(projection, d.lon, d.lat) for d in problem.drops]
    base_xy = _xy(projection, base.lon, base.lat)
    limit = ops.energy.range_m(ops.payload_max_kg) if per_route_range else None
    started = time.perf_counter()
    routing = route_multi_trip(problem, [ops], [base_xy], xy, list(range(len(xy))),
                               runtime_s, seed, max_distance_m=limit)  # fmt: skip
    wall = time.perf_counter() - started
    return {"wall_s": wall, **_score_peer(problem, routing, ops, xy, base_xy)}


def run_ours(
    problem: DeliveryProblem, runtime_s: float, seed: int, **options: Any
) -> dict[str, Any]:
    started = time.perf_counter()
    plan = plan_deliveries(problem, runtime_s=runtime_s, seed=seed, **options)
    wall = time.perf_counter() - started
    stops = [stop for sortie in plan.sorties for stop in sortie.stops]
    late = sum(stop.arrival_min > stop.window_close_min + 1e-6 for stop in stops)
    return {"wall_s": wall, "trips": len(plan.sorties),
            "trips_over_range": sum(not s.within_range for s in plan.sorties),
            "max_trip_energy_share": max(s.energy_wh / s.budget_wh for s in plan.sorties),
            "served": plan.served, "late_drops": late,
            "infeasible": {i.drop_id: i.reason for i in plan.infeasible},
            "distance_km": plan.total_distance_m / 1000, "sorties_split": plan.sorties_split,
            "drops_moved": plan.drops_moved, "sorties_merged": plan.sorties_merged}  # fmt: skip


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    keys = [k for k, v in runs[0].items() if isinstance(v, int | float)]
    return {k: statistics.median(run[k] for run in runs) for k in keys}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drops", type=int, default=100)
    parser.add_argument("--drones", type=int, default=5)
    parser.add_argument("--runtime", type=float, default=5.0, help="PyVRP search seconds")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args()
    print(json.dumps(benchmark(args.drops, args.drones, args.runtime, args.seeds), indent=2))


def benchmark(drops: int, drones: int, runtime_s: float, seeds: list[int]) -> dict[str, Any]:
    """Run all three planners on every seed; medians and per-seed figures."""
    problem = instance(drops, drones)
    result: dict[str, Any] = {
        "benchmark": f"{drops} deliveries with {drones} drones (synthetic minsk_100)",
        "date": datetime.date.today().isoformat(), "machine": platform.platform(),
        "pyvrp": getattr(pyvrp, "__version__", "0.14"), "runtime_s": runtime_s, "seeds": seeds,
    }  # fmt: skip
    planners: dict[str, Callable[[int], dict[str, Any]]] = {
        "droneworks": lambda seed: run_ours(problem, runtime_s, seed),
        "droneworks_without_energy_proxy": lambda seed: run_ours(
            problem, runtime_s, seed, energy_share=None
        ),
        "droneworks_routes_as_sorties": lambda seed: run_ours(
            problem, runtime_s, seed, strategy="sorties"
        ),
        "pyvrp_multitrip": lambda seed: run_peer(problem, runtime_s, seed, False),
        "pyvrp_route_max_distance": lambda seed: run_peer(problem, runtime_s, seed, True),
    }
    for name, planner in planners.items():
        runs = [planner(seed) for seed in seeds]
        result[name] = {"median": _median(runs), "runs": runs}
    return result


if __name__ == "__main__":
    main()
