"""Routing where every PyVRP route is one sortie, with the battery as PyVRP's ``max_distance``.

PyVRP's ``max_distance`` applies per route; if a route is a single sortie, the per-route
limit *is* a per-sortie limit. Energy is not distance, so each fleet group gets a ladder
of vehicle types, one per payload level ``L`` (capacity ``L``), each with its own routing
profile in *energy-equivalent metres* at mass ``empty + L``:

* an edge costs its flight time × cruise airspeed (its length in still air, more against
  the wind), plus the drop hover's energy in cruise metres on an edge into a drop;
* ``max_distance`` is the budget minus climb and descent, in cruise metres;
* the fixed cost of a sortie is its climb and descent in cruise metres.

Because the payload aboard never exceeds ``L``, every route PyVRP returns within its limits
is within the battery (the planner checks it exactly anyway). PyVRP sees the sorties as
flown in parallel; :func:`assign_sorties` then puts them on the real drones in order of
their latest feasible start (earliest deadline first), and the planner's repair handles
what becomes late.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

from pyvrp import Model
from pyvrp.exceptions import PenaltyBoundWarning

from droneworks.missions.delivery.model import DeliveryProblem
from droneworks.missions.delivery.routing import stopping
from droneworks.missions.delivery.schedule import DroneDay
from droneworks.missions.delivery.sortie import XY, DroneOps, fly_sortie, leg_seconds

__all__ = ["assign_sorties", "route_sorties"]

_PRIZE = 10**9


def _levels(payload_max_kg: float, count: int) -> list[float]:
    return [payload_max_kg * (k + 1) / count for k in range(count)]


def route_sorties(
    problem: DeliveryProblem,
    ops: Sequence[DroneOps],
    bases_xy: Sequence[XY],
    drops_xy: Sequence[XY],
    candidates: Sequence[int],
    runtime_s: float = 2.0,
    seed: int = 0,
    levels: int = 4,
    iterations: int | None = None,
) -> tuple[list[tuple[int, tuple[int, ...]]], list[int]]:
    """Sorties as (fleet group, drop indices) and the candidates left unplanned."""
    params = problem.params
    model = Model()
    base_index = {base.name: i for i, base in enumerate(problem.bases)}
    depots = [model.add_depot(model.add_location(x, y), name=b.name)
              for (x, y), b in zip(bases_xy, problem.bases, strict=True)]  # fmt: skip
    horizon_s = round((params.shift_end_min - params.shift_start_min) * 60)
    for index in candidates:
        drop = problem.drops[index]
        early = max(0, round((drop.window_open_min - params.shift_start_min) * 60))
        close = min(drop.window_close_min, params.shift_end_min) - params.shift_start_min
        model.add_client(
            model.add_location(*drops_xy[index]),
            delivery=[round(drop.payload_kg * 1000)],
            service_duration=round(params.drop_service_min * 60),
            tw_early=early, tw_late=max(early, min(horizon_s, round(close * 60))),
            required=False, prize=_PRIZE, name=drop.id,
        )  # fmt: skip
    type_group: list[int] = []
    type_capacity_kg: list[float] = []
    locations = model.locations
    is_client = [False] * len(depots) + [True] * len(candidates)
    climb_s = params.climb_min * 60
    for group_index, (group, drone_ops) in enumerate(zip(problem.fleet, ops, strict=True)):
        depot = depots[base_index[group.base]]
        speed = drone_ops.speed_mps
        for level in _levels(drone_ops.payload_max_kg, levels):
            cruise_jpm = drone_ops.energy.payload_power_w(level, speed) / speed
            hover_w = drone_ops.energy.payload_power_w(level, 0.0)
            mass = drone_ops.energy.mass_kg(level)
            climb_w = drone_ops.energy.climb_power_w(mass, params.vertical_speed_mps)
            climb_m = (climb_w + hover_w) * climb_s / cruise_jpm
            drop_s = (params.drop_time_min + params.after_release_min) * 60
            drop_s += params.drop_vertical_min * 30
            hover_m = (hover_w * drop_s + climb_w * params.drop_vertical_min * 30) / cruise_jpm
            limit_m = drone_ops.budget_wh * 3600 / cruise_jpm - climb_m
            if limit_m <= 0:
                continue
            profile = model.add_profile()
            model.add_vehicle_type(
                num_available=max(1, len(candidates)), capacity=[round(level * 1000)],
                start_depot=depot, end_depot=depot, tw_early=0, tw_late=horizon_s,
                max_distance=math.floor(limit_m), fixed_cost=round(climb_m), profile=profile,
            )  # fmt: skip
            type_group.append(group_index)
            type_capacity_kg.append(round(level * 1000) / 1000)
            for i, frm in enumerate(locations):
                for j, to in enumerate(locations):
                    flight_s = min(leg_seconds(drone_ops, (frm.x, frm.y), (to.x, to.y)), 1e9)
                    cost = flight_s * speed + (hover_m if is_client[j] and i != j else 0.0)
                    seconds = 0.0 if i == j else flight_s + (0 if is_client[i] else climb_s)
                    model.add_edge(frm, to, math.ceil(cost), round(seconds), profile=profile)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        result = model.solve(stop=stopping(runtime_s, iterations), seed=seed, display=False)
    sorties: list[tuple[int, tuple[int, ...]]] = []
    served: set[int] = set()
    for route in result.best.routes():
        trip = tuple(candidates[int(a.idx)] for a in route.schedule() if a.is_client())
        vehicle_type = int(route.vehicle_type())
        payload_kg = sum(problem.drops[i].payload_kg for i in trip)
        # A short search may end on an infeasible solution: never keep an overloaded trip.
        if trip and payload_kg <= type_capacity_kg[vehicle_type] + 1e-9:
            sorties.append((type_group[vehicle_type], trip))
            served.update(trip)
    return sorties, [i for i in candidates if i not in served]


def assign_sorties(
    days: Sequence[DroneDay],
    sorties: Sequence[tuple[int, tuple[int, ...]]],
    problem: DeliveryProblem,
    drops_xy: Sequence[XY],
) -> None:
    """Put sorties on the drones of their group, earliest deadline first, earliest free."""
    params = problem.params
    keyed = []
    for group, trip in sorties:
        day = next(d for d in days if d.group == group)
        drops = [problem.drops[i] for i in trip]
        flight = fly_sortie(day.ops, day.base_xy, [drops_xy[i] for i in trip],
                            [d.payload_kg for d in drops])  # fmt: skip
        offsets = flight.arrival_offsets_min
        latest = min(d.window_close_min - o for d, o in zip(drops, offsets, strict=True))
        earliest = max(d.window_open_min - o for d, o in zip(drops, offsets, strict=True))
        keyed.append((latest, earliest, group, trip, flight.duration_min))
    ready = {(d.group, d.number): params.shift_start_min for d in days}
    for latest, earliest, group, trip, duration in sorted(keyed):
        candidates = [d for d in days if d.group == group]
        on_time = [d for d in candidates
                   if max(ready[(d.group, d.number)], earliest) <= latest + 1e-9]  # fmt: skip
        pool = on_time or candidates
        day = min(pool, key=lambda d: (ready[(d.group, d.number)], d.number))
        start = max(ready[(day.group, day.number)], min(earliest, latest))
        day.trips.append(list(trip))
        ready[(day.group, day.number)] = start + duration + params.swap_time_min
