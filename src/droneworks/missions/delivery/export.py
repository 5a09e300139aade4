"""Delivery plans → mission files, map and a JSON summary.

Each sortie becomes one :class:`~droneworks.missions.export.MissionPlan` (one battery, one
autopilot mission): take off at the base to cruise altitude, set cruise speed, and for each
drop fly over it at cruise altitude (through a waypoint at each turn of the path around the
no-fly zones), descend to the release height and hover for the drop
time (plus the wait for its window if the drone is early), release the gripper
(MAV_CMD_DO_GRIPPER), climb straight back to cruise altitude; then fly back over the base
at cruise altitude and land there — never RETURN_TO_LAUNCH, which would climb or descend to
the autopilot's own RTL altitude that the plan cannot know. Altitudes are relative to the
base; the base's AMSL altitude is the plan's home altitude. This is the flight
:func:`~droneworks.missions.delivery.sortie.fly_sortie` costs, so the replay of the file
(:mod:`droneworks.missions.flight.replay`) gives the sortie's planned energy and time.
"""

from __future__ import annotations

import re
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
from shapely.geometry import LineString, MultiPoint, Polygon

from droneworks.core.geo import LocalProjection
from droneworks.missions.delivery.airspace import enclosing_outline
from droneworks.missions.delivery.model import DeliveryProblem, min_to_clock
from droneworks.missions.delivery.plan import DeliveryPlan, Sortie
from droneworks.missions.export import (
    DisplayPoint,
    DisplayZone,
    Firmware,
    MissionDisplay,
    MissionItem,
    MissionPlan,
    RallyPoint,
    VehicleType,
    change_speed,
    gripper,
    land,
    payload_place,
    takeoff,
    waypoint,
    winch,
    write_geojson,
    write_kml,
    write_qgc_plan,
    write_wpl,
)
from droneworks.missions.fence import DEFAULT_FENCE_MARGIN_M as FENCE_MARGIN_M
from droneworks.missions.fence import fence_polygons, rally_altitude_m

__all__ = [
    "Release",
    "delivery_display",
    "plan_summary",
    "release_extra_s",
    "release_items",
    "sortie_file_stem",
    "sortie_mission",
    "with_fence",
    "with_release_time",
    "write_delivery_files",
]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()


def _unique(stem: str, used: set[str]) -> str:
    """``stem``, or ``stem-2``, ``stem-3`` … when an earlier file took it (names such as
    "hub.1" and "hub-1" give the same slug)."""
    candidate, number = stem, 1
    while candidate in used:
        number += 1
        candidate = f"{stem}-{number}"
    used.add(candidate)
    return candidate


def sortie_file_stem(sortie: Sortie) -> str:
    """The file name (without suffix) of a sortie's ``.plan`` and ``.waypoints``."""
    return f"{_slug(sortie.drone)}_sortie{sortie.number:02d}"


class Release(StrEnum):
    """How the payload leaves the drone at a drop."""

    GRIPPER = "gripper"  # descend to the release height, hover, DO_GRIPPER release
    PAYLOAD_PLACE = "payload-place"  # NAV_PAYLOAD_PLACE: lower the drone until touchdown
    WINCH = "winch"  # hover at the release height, DO_WINCH the parcel down, release, wind up


WINCH_RATE_MPS = 1.0  # line speed of the winch (estimate)
FENCE_CORNERS = 64  # per exclusion: a fence of thousands of points fits no autopilot's storage


def release_extra_s(release: Release, height_m: float) -> float:
    """Hover seconds a release adds to the plain drop time: the winch's line out and back
    in (a payload-place release flies its descent to touchdown instead: ``release_descent_m``
    of the delivery settings)."""
    return 2 * height_m / WINCH_RATE_MPS if release is Release.WINCH else 0.0


def with_release_time(problem: DeliveryProblem, release: Release) -> DeliveryProblem:
    """``problem`` whose drops take what the release adds — the winch's line out (parcel
    aboard) and back in (without it), the payload-place descent from the release height to
    touchdown and the climb back — so the planner counts the time and energy the files
    will fly (plan with this, then write with ``release``)."""
    params = problem.params
    line_min = release_extra_s(release, params.release_height_m) / 120  # each way
    descent_m = params.release_height_m if release is Release.PAYLOAD_PLACE else 0.0
    flown = replace(
        params,
        drop_time_min=params.drop_time_min + line_min,
        after_release_min=params.after_release_min + line_min,
        release_descent_m=descent_m,
    )
    return replace(problem, params=flown)


def release_items(
    lon: float, lat: float, release: Release, height_m: float, hover_s: float, after_s: float
) -> list[MissionItem]:
    """The items between descending from and climbing back to cruise altitude over a drop:
    ``hover_s`` with the parcel (the wait for the window and the drop time, which
    :func:`with_release_time` made include a winch's line out), the release, ``after_s``
    without it (a winch winding in); a payload-place release descends to touchdown and
    climbs back (``NAV_PAYLOAD_PLACE``)."""
    if release is Release.PAYLOAD_PLACE:
        return [
            waypoint(lon, lat, height_m, hold_s=hover_s),
            payload_place(lon, lat, height_m, max_descent_m=height_m),
        ]
    if release is Release.WINCH:
        return [
            waypoint(lon, lat, height_m),
            winch(height_m, WINCH_RATE_MPS),
            waypoint(lon, lat, height_m, hold_s=hover_s),  # line out, the drop time
            gripper(release=True),
            winch(-height_m, -WINCH_RATE_MPS),
            waypoint(lon, lat, height_m, hold_s=after_s),  # winding the line back in
        ]
    return [waypoint(lon, lat, height_m, hold_s=hover_s), gripper(release=True)]


def sortie_mission(
    plan: DeliveryPlan, sortie: Sortie, release: Release = Release.GRIPPER
) -> MissionPlan:
    """The autopilot mission of one sortie."""
    params = plan.problem.params
    base = plan.problem.base(sortie.base)
    drone = next(g.drone for g in plan.problem.fleet if g.drone.id == sortie.drone_type)
    cruise_alt, height_m = params.cruise_alt_m, params.release_height_m
    after_s = params.after_release_min * 60
    items: list[MissionItem] = [
        takeoff(base.lon, base.lat, cruise_alt),
        change_speed(drone.cruise_speed),
    ]
    for leg, stop in enumerate(sortie.stops):
        hover_s = (stop.wait_min + params.drop_time_min) * 60
        items += [waypoint(lon, lat, cruise_alt) for lon, lat in sortie.bends(leg)]
        items.append(waypoint(stop.lon, stop.lat, cruise_alt))
        items += release_items(stop.lon, stop.lat, release, height_m, hover_s, after_s)
        items.append(waypoint(stop.lon, stop.lat, cruise_alt))
    items += [waypoint(lon, lat, cruise_alt) for lon, lat in sortie.bends(len(sortie.stops))]
    items += [waypoint(base.lon, base.lat, cruise_alt), land(base.lon, base.lat)]
    path = _sortie_path(plan, sortie)
    label = f"{sortie.drone} sortie {sortie.number}"
    return MissionPlan(
        name=label,
        home_lon=base.lon,
        home_lat=base.lat,
        home_alt_amsl_m=base.alt_amsl_m,
        items=tuple(items),
        firmware=Firmware.ARDUPILOT,
        vehicle=VehicleType.VTOL_FIXEDROTOR
        if drone.kind.value == "fixed_wing_vtol"
        else VehicleType.QUADROTOR,
        cruise_speed_mps=drone.cruise_speed,
        hover_speed_mps=drone.work_speed or 5.0,
        display=MissionDisplay(
            sortie_paths=(path,),
            sortie_labels=(label,),
            points=(
                DisplayPoint(base.name, base.lon, base.lat, "base"),
                *(DisplayPoint(s.drop_id, s.lon, s.lat, "drop") for s in sortie.stops),
            ),
            zones=_no_fly_display(plan),
        ),
    )


def _sortie_path(plan: DeliveryPlan, sortie: Sortie) -> LineString:
    """The sortie's ground track (lon, lat): base, turns, drops, turns, base."""
    base = plan.problem.base(sortie.base)
    points: list[tuple[float, float]] = [(base.lon, base.lat)]
    for leg, stop in enumerate(sortie.stops):
        points += [*sortie.bends(leg), (stop.lon, stop.lat)]
    points += [*sortie.bends(len(sortie.stops)), (base.lon, base.lat)]
    return LineString(points)


def _no_fly_display(plan: DeliveryPlan) -> tuple[DisplayZone, ...]:
    return tuple(
        DisplayZone(f"no-fly: {z.name}", z.polygon, kind="no-fly") for z in plan.problem.no_fly
    )


def delivery_display(plan: DeliveryPlan) -> MissionDisplay:
    """All sorties (coloured per drone), bases, served and infeasible drops, no-fly zones,
    for one map."""
    paths, labels = [], []
    for sortie in plan.sorties:
        paths.append(_sortie_path(plan, sortie))
        labels.append(sortie.drone)  # one colour per drone
    rejected = {item.drop_id for item in plan.infeasible}
    points = [DisplayPoint(b.name, b.lon, b.lat, "base") for b in plan.problem.bases]
    points += [
        DisplayPoint(d.id, d.lon, d.lat, "infeasible" if d.id in rejected else "drop")
        for d in plan.problem.drops
    ]
    return MissionDisplay(
        sortie_paths=tuple(paths),
        sortie_labels=tuple(labels),
        points=tuple(points),
        zones=_no_fly_display(plan),
    )


def plan_summary(plan: DeliveryPlan) -> dict[str, Any]:
    """A JSON-able summary: totals, sorties per drone, infeasible drops with reasons."""
    labels = [
        f"{group.drone.id} #{number} @{group.base}"
        for group in plan.problem.fleet
        for number in range(1, group.count + 1)
    ]  # every drone, idle ones too (same labels as the sorties)
    drones: dict[str, dict[str, Any]] = {}
    for label in [*labels, *(sortie.drone for sortie in plan.sorties)]:
        drones.setdefault(
            label,
            {"sorties": 0, "drops": 0, "distance_m": 0.0, "energy_wh": 0.0, "flight_min": 0.0},
        )
    for sortie in plan.sorties:
        entry = drones[sortie.drone]
        entry["sorties"] += 1
        entry["drops"] += len(sortie.stops)
        entry["distance_m"] += sortie.distance_m
        entry["energy_wh"] += sortie.energy_wh
        entry["flight_min"] += sortie.landing_min - sortie.takeoff_min
    return {
        "name": plan.problem.name,
        "wind": str(plan.problem.params.wind),
        "no_fly_zones": [zone.name for zone in plan.problem.no_fly],
        "no_fly_margin_m": plan.problem.params.no_fly_margin_m,
        "drops": len(plan.problem.drops),
        "served": plan.served,
        "infeasible": [
            {"drop": i.drop_id, "reason": i.reason, "detail": i.detail} for i in plan.infeasible
        ],
        "sorties": len(plan.sorties),
        "total_distance_m": plan.total_distance_m,
        "all_sorties_within_range": all(s.within_range for s in plan.sorties),
        "max_energy_share_of_budget": max(
            (s.energy_wh / s.budget_wh for s in plan.sorties), default=0.0
        ),
        "last_landing": min_to_clock(plan.makespan_min),
        "drones": drones,
        "pyvrp_trips": plan.pyvrp_trips,
        "pyvrp_trips_over_budget": plan.pyvrp_trips_over_budget,
        "pyvrp_trips_over_budget_with_hover": plan.pyvrp_trips_over_budget_with_hover,
        "sorties_split": plan.sorties_split,
        "drops_moved": plan.drops_moved,
        "sorties_merged": plan.sorties_merged,
        "sorties_rebalanced": plan.sorties_rebalanced,
        "work_moves": plan.work_moves,
        "wall_s": plan.wall_s,
        "sortie_list": [
            {
                "drone": s.drone,
                "number": s.number,
                "takeoff": min_to_clock(s.takeoff_min),
                "landing": min_to_clock(s.landing_min),
                "drops": [stop.drop_id for stop in s.stops],
                "arrivals": [min_to_clock(stop.arrival_min) for stop in s.stops],
                "payload_kg": s.takeoff_payload_kg,
                "distance_m": s.distance_m,
                "energy_wh": s.energy_wh,
                "budget_wh": s.budget_wh,
            }
            for s in plan.sorties
        ],
    }


def with_fence(
    plan: DeliveryPlan,
    sortie: Sortie,
    mission: MissionPlan,
    margin_m: float = FENCE_MARGIN_M,
    rally_alt_m: float | None = None,
) -> MissionPlan:
    """``mission`` with a geofence (the base and the sortie's drops and path, grown by
    ``margin_m``; every no-fly zone it reaches as an exclusion) and the base as rally
    point, at ``rally_alt_m`` (default: the cruise altitude or 30 m, the higher)."""
    base = plan.problem.base(sortie.base)
    projection = LocalProjection.for_lonlat(base.lon, base.lat)
    lonlat = [(base.lon, base.lat), *mission.positions_lonlat()]  # in flight order
    x, y = projection.to_local(*np.array(lonlat).T)
    xy = np.column_stack([x, y])
    region = MultiPoint(xy).convex_hull
    near = region.buffer(margin_m + plan.problem.params.no_fly_margin_m)
    zones = [projection.geometry_to_local(zone.polygon) for zone in plan.problem.no_fly]
    keep_out = [_fence_outline(zone, plan.problem.params.no_fly_margin_m) for zone in zones]
    keep_out = [zone for zone in keep_out if zone.intersects(near)]
    fences = fence_polygons(region, xy, keep_out, margin_m, projection.geometry_to_wgs84)
    alt_m = rally_altitude_m(plan.problem.params.cruise_alt_m, rally_alt_m)
    rally = (RallyPoint(base.lat, base.lon, alt_m),)
    return replace(mission, fence_polygons=fences, rally_points=rally)


def _fence_outline(zone: Polygon, margin_m: float) -> Polygon:
    """``zone`` as an exclusion fence an autopilot takes: at most ``FENCE_CORNERS`` corners
    when an outline containing it within half the margin has that few (the legs keep the
    whole margin, so they stay clear of it)."""
    outline = enclosing_outline(zone, FENCE_CORNERS, margin_m / 100, margin_m / 4)[1]
    return outline if isinstance(outline, Polygon) else zone


def write_delivery_files(
    plan: DeliveryPlan,
    out_dir: str | Path,
    map_format: str = "png",
    release: Release = Release.GRIPPER,
    rally_alt_m: float | None = None,
) -> list[Path]:
    """Write one .plan and .waypoints per sortie, GeoJSON and KML of all, and the map;
    ``rally_alt_m``: the rally point's return altitude (default: see :func:`with_fence`)."""
    from droneworks.missions.maps import draw_map

    out = Path(out_dir)
    written: list[Path] = []
    missions = []
    used: set[str] = set()
    for sortie in plan.sorties:
        flown = sortie_mission(plan, sortie, release=release)
        mission = with_fence(plan, sortie, flown, rally_alt_m=rally_alt_m)
        missions.append(mission)
        stem = _unique(sortie_file_stem(sortie), used)
        written.append(write_qgc_plan(mission, out / f"{stem}.plan"))
        written.append(write_wpl(mission, out / f"{stem}.waypoints"))
    if missions:
        written.append(write_geojson(missions, out / "deliveries.geojson"))
        written.append(write_kml(missions, out / "deliveries.kml", plan.problem.name))
    title = f"{plan.problem.name}: {len(plan.sorties)} sorties, {plan.served} drops"
    written.append(draw_map(delivery_display(plan), out / f"deliveries_map.{map_format}", title))
    return written
