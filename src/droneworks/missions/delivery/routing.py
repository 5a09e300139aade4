"""Routing with PyVRP's multi-trip model: drones reload (swap batteries) at their base.

Each fleet group is a PyVRP vehicle type (``num_available`` drones, capacity = payload
limit in grams, start, end and reload depot = its base, shift as time window); a drone's
route is its day and each trip between base visits is one sortie. The base's service
duration is the battery swap. Drops are optional clients with a large prize, so PyVRP
leaves out what the fleet cannot serve instead of returning an infeasible plan.

PyVRP applies ``max_distance`` per *route* (a drone's whole day), not per trip, so the
battery range cannot be given to it; the caller checks every trip's energy afterwards
(:mod:`droneworks.missions.delivery.plan`). Distances are integer metres and durations
integer seconds in the local projection, along the legs' paths around the no-fly zones
(durations at the ground speed the wind leaves on each leg, so they are asymmetric); time 0
is the shift start minus one swap.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

from pyvrp import Model
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.stop import MaxIterations, MaxRuntime, StoppingCriterion

from droneworks.missions.delivery.model import DeliveryProblem
from droneworks.missions.delivery.sortie import XY, DroneOps, fly_sortie, leg_seconds

__all__ = ["RoutedDrone", "RoutingResult", "route_multi_trip", "stopping"]

_NO_LIMIT = 2**63 - 1
_NEVER_S = 10**9  # a leg the wind or the no-fly zones forbid: far beyond any shift (or m)
_PRIZE = 10**9  # far above any distance cost: serve a drop whenever the fleet can
_ENERGY_UNITS = 1_000_000  # a trip's energy proxy, in millionths of the battery budget


@dataclass(frozen=True)
class RoutedDrone:
    """One drone's day as PyVRP planned it: trips of drop indices, in flight order."""

    group: int
    number: int
    trips: tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class RoutingResult:
    drones: tuple[RoutedDrone, ...]
    unplanned: tuple[int, ...]
    feasible: bool
    distance_m: float


def route_multi_trip(
    problem: DeliveryProblem,
    ops: Sequence[DroneOps],
    bases_xy: Sequence[XY],
    drops_xy: Sequence[XY],
    candidates: Sequence[int],
    runtime_s: float = 2.0,
    seed: int = 0,
    max_distance_m: float | None = None,
    energy_share: float | None = None,
    iterations: int | None = None,
) -> RoutingResult:
    """Solve the multi-trip VRP with time windows for ``candidates`` (drop indices).

    ``max_distance_m`` is PyVRP's own limit, which applies to a drone's whole route (all
    its trips); the planner leaves it unset and the benchmark uses it to show the effect.
    """
    params = problem.params
    origin_min = params.shift_start_min - params.swap_time_min
    horizon_s = round((params.shift_end_min - origin_min) * 60)
    model = Model()
    base_index = {base.name: i for i, base in enumerate(problem.bases)}
    depots = [
        model.add_depot(
            model.add_location(x, y),
            service_duration=round(params.swap_time_min * 60),
            name=base.name,
        )
        for (x, y), base in zip(bases_xy, problem.bases, strict=True)
    ]
    energy = _energy_loads(problem, ops, bases_xy, drops_xy, candidates, energy_share)
    clients = []
    for position, index in enumerate(candidates):
        drop = problem.drops[index]
        early = max(0, round((drop.window_open_min - origin_min) * 60))
        close_min = min(drop.window_close_min, params.shift_end_min)
        late = min(horizon_s, round((close_min - origin_min) * 60))
        clients.append(
            model.add_client(
                model.add_location(*drops_xy[index]),
                delivery=[round(drop.payload_kg * 1000), *energy[position : position + 1]],
                service_duration=round(params.drop_service_min * 60),
                tw_early=early,
                tw_late=max(early, late),
                required=False,
                prize=_PRIZE,
                name=drop.id,
            )
        )
    climb_s = params.climb_min * 60
    for group, drone_ops in zip(problem.fleet, ops, strict=True):
        profile = model.add_profile()
        depot = depots[base_index[group.base]]
        model.add_vehicle_type(
            num_available=group.count,
            capacity=[round(drone_ops.payload_max_kg * 1000)] + ([_ENERGY_UNITS] if energy else []),
            start_depot=depot,
            end_depot=depot,
            reload_depots=[depot],
            tw_early=0,
            tw_late=horizon_s,
            profile=profile,
            max_distance=_NO_LIMIT if max_distance_m is None else round(max_distance_m),
            name=f"{group.drone.id}@{group.base}",
        )
        is_depot = [True] * len(depots) + [False] * len(clients)
        for i, frm in enumerate(model.locations):
            for j, to in enumerate(model.locations):
                metres = min(drone_ops.airspace.length_m((frm.x, frm.y), (to.x, to.y)), _NEVER_S)
                seconds = min(leg_seconds(drone_ops, (frm.x, frm.y), (to.x, to.y)), _NEVER_S)
                if i != j:
                    seconds += climb_s * (is_depot[i] + is_depot[j])
                model.add_edge(frm, to, round(metres), round(seconds), profile=profile)
    with warnings.catch_warnings():  # infeasible-looking instances are reported by the caller
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        result = model.solve(stop=stopping(runtime_s, iterations), seed=seed, display=False)
    return _read_solution(result.best, problem, candidates)


def stopping(runtime_s: float, iterations: int | None) -> StoppingCriterion:
    """PyVRP's stop: wall time, or a fixed iteration count (same plan on any machine)."""
    if iterations is not None:
        if iterations < 1:
            raise ValueError(f"iterations must be positive, not {iterations}")
        return MaxIterations(iterations)
    if runtime_s <= 0:
        raise ValueError(f"runtime_s must be positive, not {runtime_s}")
    return MaxRuntime(runtime_s)


def _energy_loads(
    problem: DeliveryProblem,
    ops: Sequence[DroneOps],
    bases_xy: Sequence[XY],
    drops_xy: Sequence[XY],
    candidates: Sequence[int],
    share: float | None,
) -> list[int]:
    """A second load dimension that makes PyVRP prefer trips within the battery.

    A drop's load is ``share`` × (energy of its one-drop sortie − the climb and descent
    every sortie pays), as a fraction of what the budget leaves after climb and descent,
    for the group (base) that reaches it most cheaply (load dimensions are shared by all
    vehicle types, so a drop cannot weigh differently per base). With ``share`` ≈ 0.5–0.7
    the loads of a trip add up to about its energy; the planner still checks every trip
    exactly afterwards.
    """
    if share is None:
        return []
    base_index = {base.name: i for i, base in enumerate(problem.bases)}
    loads = []
    for index in candidates:
        drop = problem.drops[index]
        best = 1.0
        for group, drone_ops in zip(problem.fleet, ops, strict=True):
            if drop.payload_kg > drone_ops.payload_max_kg:
                continue
            base_xy = bases_xy[base_index[group.base]]
            fixed = fly_sortie(drone_ops, base_xy, [], []).energy_wh
            single = fly_sortie(drone_ops, base_xy, [drops_xy[index]], [drop.payload_kg])
            room = max(drone_ops.budget_wh - fixed, 1e-9)
            best = min(best, share * (single.energy_wh - fixed) / room)
        loads.append(round(best * _ENERGY_UNITS))
    return loads


def _read_solution(
    solution: object, problem: DeliveryProblem, candidates: Sequence[int]
) -> RoutingResult:
    drones: list[RoutedDrone] = []
    used = [0] * len(problem.fleet)
    served: set[int] = set()
    for route in solution.routes():  # type: ignore[attr-defined]
        group = int(route.vehicle_type())
        trips: dict[int, list[int]] = {}
        for activity in route.schedule():
            if activity.is_client():
                drop = candidates[int(activity.idx)]
                trips.setdefault(int(activity.trip), []).append(drop)
                served.add(drop)
        used[group] += 1
        ordered = tuple(tuple(trips[key]) for key in sorted(trips) if trips[key])
        drones.append(RoutedDrone(group, used[group], ordered))
    unplanned = tuple(index for index in candidates if index not in served)
    return RoutingResult(
        drones=tuple(drones),
        unplanned=unplanned,
        feasible=bool(solution.is_feasible()),  # type: ignore[attr-defined]
        distance_m=float(solution.distance()),  # type: ignore[attr-defined]
    )
