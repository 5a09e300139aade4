"""Plan deliveries: screen drops, route with PyVRP, enforce range per sortie, schedule.

:func:`plan_deliveries` is a pure function of the problem and a seed:

1. screen every drop against every fleet group — *too heavy* (above every payload limit),
   *out of range* (a one-drop sortie from its base, around the no-fly zones, needs more
   energy than the budget, or the zones enclose it),
   *window impossible* (even taking off at shift start it arrives after the window closes,
   or it cannot land before the shift ends);
2. route the rest with PyVRP's multi-trip model (:mod:`.routing`), steered towards trips
   within the battery by a per-drop energy load (a proxy: PyVRP cannot add up energy
   along a trip);
3. repair per sortie, which PyVRP cannot do (:mod:`.schedule`): split sorties over their
   energy budget, re-time every drone's day, move drops that end up late into gaps of
   other drones, report those no drone can take in time (*fleet busy*), and merge two
   sorties from the same base (of one drone or two) wherever the merged one still fits;
4. balance the fleet (:mod:`.balance`): move whole sorties from the drone that lands last
   to another drone of its type and base while that lands the fleet earlier.

The result keeps PyVRP's own trips for comparison: ``pyvrp_trips_over_budget`` counts its
trips whose flight alone needs more than the battery budget, ``…_with_hover`` also those
that only fit if the drone did not have to hover while waiting for a window, as PyVRP's
timing has it wait at the drop (``pyvrp_max_trip_energy_ratio``: worst flight / budget).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from droneworks.core.errors import ConfigError
from droneworks.core.geo import LocalProjection
from droneworks.missions.delivery.airspace import Airspace
from droneworks.missions.delivery.balance import balance_days, spread_work
from droneworks.missions.delivery.model import DeliveryProblem, min_to_clock
from droneworks.missions.delivery.repair import merge_sorties, place_drop, repair_days
from droneworks.missions.delivery.routing import route_multi_trip
from droneworks.missions.delivery.schedule import (
    DroneDay,
    merge_adjacent,
    payload_kg,
    time_day,
)
from droneworks.missions.delivery.screen import (
    FLEET_BUSY,
    OUT_OF_RANGE,
    TOO_HEAVY,
    WINDOW_IMPOSSIBLE,
    InfeasibleDrop,
    screen_drops,
)
from droneworks.missions.delivery.sortie import XY, DroneOps, fly_sortie
from droneworks.missions.delivery.sortie_routing import assign_sorties, route_sorties
from droneworks.missions.true_north import grid_wind_at
from droneworks.missions.wind import Wind

__all__ = [
    "FLEET_BUSY",
    "OUT_OF_RANGE",
    "TOO_HEAVY",
    "WINDOW_IMPOSSIBLE",
    "DeliveryPlan",
    "InfeasibleDrop",
    "Sortie",
    "Stop",
    "delivery_airspace",
    "delivery_grid_wind",
    "delivery_projection",
    "plan_deliveries",
]

# Weight of the per-drop energy proxy given to PyVRP; 0.6 gave the fewest sorties on the
# minsk_100 benchmark (0.5: +10 %, 0.7: +5 %, 0.85: +30 %, none: +7 %) — tuned on it.
DEFAULT_ENERGY_SHARE = 0.6


@dataclass(frozen=True)
class Stop:
    """A drop as flown: arrival (start of the hover over it) in minutes after midnight."""

    drop_id: str
    lon: float
    lat: float
    payload_kg: float
    arrival_min: float
    wait_min: float
    window_open_min: float
    window_close_min: float


@dataclass(frozen=True)
class Sortie:
    """One take-off → drops → landing of one drone."""

    drone: str
    drone_type: str
    base: str
    number: int
    takeoff_min: float
    landing_min: float
    stops: tuple[Stop, ...]
    distance_m: float
    energy_wh: float
    budget_wh: float
    takeoff_payload_kg: float
    range_at_takeoff_payload_m: float
    bends_lonlat: tuple[tuple[tuple[float, float], ...], ...] = ()

    @property
    def within_range(self) -> bool:
        return self.energy_wh <= self.budget_wh * (1 + 1e-9)

    def bends(self, leg: int) -> tuple[tuple[float, float], ...]:
        """(lon, lat) of the turns of leg ``leg`` around no-fly zones (leg 0: base → first
        drop; the last leg: back to the base); none for a straight leg."""
        return self.bends_lonlat[leg] if leg < len(self.bends_lonlat) else ()


@dataclass(frozen=True)
class DeliveryPlan:
    problem: DeliveryProblem
    sorties: tuple[Sortie, ...]
    infeasible: tuple[InfeasibleDrop, ...]
    pyvrp_trips: int
    pyvrp_trips_over_budget: int
    pyvrp_trips_over_budget_with_hover: int
    pyvrp_max_trip_energy_ratio: float
    sorties_split: int
    drops_moved: int
    sorties_merged: int
    wall_s: float = field(compare=False)
    sorties_rebalanced: int = 0
    work_moves: int = 0  # moves that spread flight time (when a window holds the landing)

    @property
    def served(self) -> int:
        return sum(len(s.stops) for s in self.sorties)

    @property
    def total_distance_m(self) -> float:
        return sum(s.distance_m for s in self.sorties)

    @property
    def makespan_min(self) -> float:
        return max((s.landing_min for s in self.sorties), default=0.0)


def plan_deliveries(
    problem: DeliveryProblem,
    runtime_s: float = 2.0,
    seed: int = 0,
    energy_share: float | None = DEFAULT_ENERGY_SHARE,
    strategy: str = "multi-trip",
    iterations: int | None = None,
) -> DeliveryPlan:
    """Plan ``problem``: sorties within range on every drone, infeasible drops with reasons.

    ``strategy`` "multi-trip" (default) routes with PyVRP's multi-trip model, whose trips
    are then checked and repaired; ``energy_share`` weighs the energy load that steers it
    (:func:`.routing.route_multi_trip`; ``None``: plain PyVRP multi-trip). "sorties" makes
    every PyVRP route one sortie with the battery as ``max_distance``
    (:mod:`.sortie_routing`) and schedules the sorties onto the drones afterwards.
    PyVRP searches for ``runtime_s`` seconds, or ``iterations`` iterations when given (the
    same plan on any machine; wall time depends on the machine's load).
    """
    if not problem.fleet:
        raise ValueError("the problem has no fleet: give one in the file or with --drone")
    if strategy not in ("multi-trip", "sorties"):
        raise ValueError(f'strategy must be "multi-trip" or "sorties", not {strategy!r}')
    started = time.perf_counter()
    projection = delivery_projection(problem)
    xy = [_xy(projection, d.lon, d.lat) for d in problem.drops]
    bases_xy = [_xy(projection, b.lon, b.lat) for b in problem.bases]
    base_index = {b.name: i for i, b in enumerate(problem.bases)}
    airspace = delivery_airspace(problem, projection)
    flown = replace(problem.params, wind=delivery_grid_wind(problem, projection))
    ops = [DroneOps.of(g.drone, flown, airspace) for g in problem.fleet]
    days = [
        DroneDay(gi, n + 1, ops[gi], bases_xy[base_index[g.base]], [])
        for gi, g in enumerate(problem.fleet)
        for n in range(g.count)
    ]
    candidates, infeasible = screen_drops(problem, days, xy)
    unplanned: list[int] = []
    if candidates and strategy == "sorties":
        sorties, unplanned = route_sorties(
            problem, ops, bases_xy, xy, candidates, runtime_s, seed, iterations=iterations
        )
        assign_sorties(days, sorties, problem, xy)
    elif candidates:
        routing = route_multi_trip(
            problem, ops, bases_xy, xy, candidates, runtime_s, seed,
            energy_share=energy_share, iterations=iterations,
        )  # fmt: skip
        lookup = {(d.group, d.number): d for d in days}
        for routed in routing.drones:
            lookup[(routed.group, routed.number)].trips = [list(t) for t in routed.trips]
        unplanned = list(routing.unplanned)
    over, over_with_hover, worst = _pyvrp_over_budget(days, problem, xy)
    pyvrp_trips = sum(len(d.trips) for d in days)
    pending, splits = repair_days(days, problem, xy)
    moved = 0
    for drop in [*unplanned, *pending]:
        if place_drop(days, problem, xy, drop):
            moved += 1
        else:
            infeasible.append(_fleet_busy(problem, drop))
    merged = sum(merge_adjacent(day, problem, xy) for day in days)
    merged += merge_sorties(days, problem, xy)
    rebalanced = balance_days(days, problem, xy)
    spread = spread_work(days, problem, xy)
    return DeliveryPlan(
        problem,
        _sorties(days, problem, xy, projection),
        tuple(infeasible),
        pyvrp_trips,
        over,
        over_with_hover,
        worst,
        splits,
        moved,
        merged,
        time.perf_counter() - started,
        rebalanced,
        spread,
    )


def _fleet_busy(problem: DeliveryProblem, drop: int) -> InfeasibleDrop:
    item = problem.drops[drop]
    window = f"{min_to_clock(item.window_open_min)}–{min_to_clock(item.window_close_min)}"
    fleet_size = sum(g.count for g in problem.fleet)
    return InfeasibleDrop(
        item.id,
        FLEET_BUSY,
        f"none of the {fleet_size} drones has a gap to serve it within its window {window} "
        "and the shift",
    )


def delivery_projection(problem: DeliveryProblem) -> LocalProjection:
    """The metric projection distances are measured in (the first base's UTM zone)."""
    return LocalProjection.for_lonlat(problem.bases[0].lon, problem.bases[0].lat)


def delivery_grid_wind(problem: DeliveryProblem, projection: LocalProjection) -> Wind:
    """The problem's wind (direction from true north) in the projection's grid degrees, at
    the centre of its bases and drops: legs are flown in grid metres, so a wind from true
    north blows along the grid's true-north direction, not along grid north (the two differ
    by the meridian convergence, up to ≈ 3° in a UTM zone)."""
    places = [(p.lon, p.lat) for p in problem.bases] + [(p.lon, p.lat) for p in problem.drops]
    lon = sum(place[0] for place in places) / len(places)
    lat = sum(place[1] for place in places) / len(places)
    return grid_wind_at(projection, lon, lat, problem.params.wind)


def delivery_airspace(problem: DeliveryProblem, projection: LocalProjection) -> Airspace:
    """The no-fly zones of ``problem`` in ``projection``, kept the file's margin away from."""
    zones = [projection.geometry_to_local(zone.polygon) for zone in problem.no_fly]
    try:
        return Airspace(zones, problem.params.no_fly_margin_m)
    except ValueError as error:  # zones too detailed to search paths around
        raise ConfigError(f"no_fly: {error}") from None


def _bends(
    airspace: Airspace, projection: LocalProjection, points: Sequence[XY]
) -> tuple[tuple[tuple[float, float], ...], ...]:
    """The (lon, lat) turns of every leg between consecutive ``points``."""
    result = []
    for a, b in itertools.pairwise(points):
        path = airspace.path(a, b) or (a, b)
        turns = [projection.to_wgs84(x, y) for x, y in path[1:-1]]
        result.append(tuple((float(lon), float(lat)) for lon, lat in turns))
    return tuple(result)


def _xy(projection: LocalProjection, lon: float, lat: float) -> XY:
    x, y = projection.to_local(lon, lat)
    return float(x), float(y)


def _pyvrp_over_budget(
    days: list[DroneDay], problem: DeliveryProblem, xy: list[XY]
) -> tuple[int, int, float]:
    """PyVRP's trips over budget: by flying alone, and with the hovers its timing implies.

    A trip above the payload limit (PyVRP returns one when it runs out of time) counts as
    over budget in both.
    """
    flying, hovering, worst = 0, 0, 0.0
    for day in days:
        budget = day.ops.budget_wh
        limit_kg = day.ops.payload_max_kg + 1e-9  # PyVRP loads are grams, these float sums
        loadable = [t for t in day.trips if payload_kg(problem, t) <= limit_kg]
        overloaded = len(day.trips) - len(loadable)
        flying += overloaded
        hovering += overloaded
        timed_day = DroneDay(day.group, day.number, day.ops, day.base_xy, loadable)
        for timed in time_day(timed_day, problem, xy):
            drops = [problem.drops[i] for i in timed.trip]
            plain = fly_sortie(
                day.ops, day.base_xy, [xy[i] for i in timed.trip], [d.payload_kg for d in drops]
            )
            flying += not plain.within(budget)
            hovering += not timed.flight.within(budget)
            worst = max(worst, plain.energy_wh / budget)
    return flying, hovering, worst


def _sorties(
    days: list[DroneDay], problem: DeliveryProblem, xy: list[XY], projection: LocalProjection
) -> tuple[Sortie, ...]:
    result: list[Sortie] = []
    for day in days:
        group = problem.fleet[day.group]
        label = f"{group.drone.id} #{day.number} @{group.base}"
        for number, timed in enumerate(time_day(day, problem, xy), start=1):
            flight = timed.flight
            stops = tuple(
                Stop(
                    drop.id,
                    drop.lon,
                    drop.lat,
                    drop.payload_kg,
                    timed.takeoff_min + offset,
                    wait,
                    drop.window_open_min,
                    drop.window_close_min,
                )
                for drop, offset, wait in zip(
                    (problem.drops[i] for i in timed.trip),
                    flight.arrival_offsets_min,
                    flight.waits_min,
                    strict=True,
                )
            )
            result.append(
                Sortie(
                    label,
                    group.drone.id,
                    group.base,
                    number,
                    timed.takeoff_min,
                    timed.landing_min,
                    stops,
                    flight.distance_m,
                    flight.energy_wh,
                    day.ops.budget_wh,
                    flight.takeoff_payload_kg,
                    day.ops.energy.range_m(flight.takeoff_payload_kg),
                    _bends(
                        day.ops.airspace,
                        projection,
                        [day.base_xy, *(xy[i] for i in timed.trip), day.base_xy],
                    ),
                )
            )
    return tuple(result)
