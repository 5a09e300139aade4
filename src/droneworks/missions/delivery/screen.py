"""Screen drops before routing: each one is served, or reported with its reason.

Every drop is checked against every fleet group: *too heavy* (above every payload limit),
*out of range* (even a one-drop sortie from its base — flown as the files fly it, around
the no-fly zones and in the wind — needs more than the battery budget, or no-fly zones
enclose it), *window impossible* (even taking off at shift start it arrives after the
window closes, or it cannot land before the shift ends).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from droneworks.missions.delivery.model import DeliveryProblem, min_to_clock
from droneworks.missions.delivery.schedule import EPS_MIN, DroneDay
from droneworks.missions.delivery.sortie import XY, SortieFlight, fly_sortie

__all__ = [
    "FLEET_BUSY",
    "OUT_OF_RANGE",
    "TOO_HEAVY",
    "WINDOW_IMPOSSIBLE",
    "InfeasibleDrop",
    "screen_drops",
]

TOO_HEAVY = "too heavy"
OUT_OF_RANGE = "out of range"
WINDOW_IMPOSSIBLE = "window impossible"
FLEET_BUSY = "fleet busy"


@dataclass(frozen=True)
class InfeasibleDrop:
    drop_id: str
    reason: str
    detail: str


def screen_drops(
    problem: DeliveryProblem, days: Sequence[DroneDay], xy: list[XY]
) -> tuple[list[int], list[InfeasibleDrop]]:
    """The drops worth routing (indices) and the rejected ones with their reasons."""
    params = problem.params
    groups = {day.group: day for day in days}.values()
    candidates: list[int] = []
    rejected: list[InfeasibleDrop] = []
    for index, drop in enumerate(problem.drops):
        carriers = [d for d in groups if drop.payload_kg <= d.ops.payload_max_kg + 1e-9]
        if not carriers:
            limit = max(groups, key=lambda d: d.ops.payload_max_kg)
            rejected.append(
                InfeasibleDrop(
                    drop.id,
                    TOO_HEAVY,
                    f"{drop.payload_kg:g} kg is above the largest payload limit in the fleet "
                    f"({limit.ops.payload_max_kg:g} kg, {limit.ops.drone.id})",
                )
            )
            continue
        flights = [
            (d, fly_sortie(d.ops, d.base_xy, [xy[index]], [drop.payload_kg])) for d in carriers
        ]
        reachable = [(d, f) for d, f in flights if f.within(d.ops.budget_wh)]
        if not reachable:
            day, flight = min(flights, key=lambda p: p[1].energy_wh / p[0].ops.budget_wh)
            range_m = day.ops.energy.range_m(drop.payload_kg)
            rejected.append(
                InfeasibleDrop(
                    drop.id,
                    OUT_OF_RANGE,
                    _out_of_range_detail(problem, day, flight, drop.payload_kg, range_m, xy[index]),
                )
            )
            continue
        arrival = min(params.shift_start_min + f.arrival_offsets_min[0] for _, f in reachable)
        back = min(
            max(params.shift_start_min, drop.window_open_min - f.arrival_offsets_min[0])
            + f.duration_min
            for _, f in reachable
        )
        if arrival > drop.window_close_min + EPS_MIN:
            rejected.append(
                InfeasibleDrop(
                    drop.id,
                    WINDOW_IMPOSSIBLE,
                    f"earliest arrival {min_to_clock(arrival)} (take-off at shift start "
                    f"{min_to_clock(params.shift_start_min)}) is after the window closes at "
                    f"{min_to_clock(drop.window_close_min)}",
                )
            )
        elif back > params.shift_end_min + EPS_MIN:
            rejected.append(
                InfeasibleDrop(
                    drop.id,
                    WINDOW_IMPOSSIBLE,
                    f"the window opens at {min_to_clock(drop.window_open_min)}; the drone could "
                    f"not land before the shift ends at "
                    f"{min_to_clock(params.shift_end_min)}",
                )
            )
        else:
            candidates.append(index)
    return candidates, rejected


def _out_of_range_detail(
    problem: DeliveryProblem, day: DroneDay, flight: SortieFlight, payload_kg: float,
    range_m: float, drop_xy: XY,
) -> str:  # fmt: skip
    start = f"a one-drop sortie from {problem.fleet[day.group].base}"
    wind = problem.params.wind
    if day.ops.airspace.path(day.base_xy, drop_xy) is None:
        return f"{start}: no-fly zones enclose it, no path reaches it"
    if not math.isfinite(flight.energy_wh):
        return f"{start}: the wind ({wind}) is too strong to fly there and back"
    in_wind = f" in the wind ({wind})" if wind.speed_mps > 0 else ""
    return (
        f"{start} flies {flight.distance_m / 1000:.1f} km and needs {flight.energy_wh:.0f} Wh"
        f"{in_wind}; budget {day.ops.budget_wh:.0f} Wh after reserve (≈ {range_m / 1000:.1f} "
        f"km of cruise in still air with {payload_kg:g} kg)"
    )
