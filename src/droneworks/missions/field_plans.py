"""Survey and spray plans → MAVLink missions (:class:`MissionPlan`, one per sortie) and files.

What the autopilot receives, per sortie: take-off at the base, ``DO_CHANGE_SPEED`` (ground
speed) whenever the planned ground speed changes (cruise speed on the transits to and from
the base), waypoints along the path with the plan's stop-and-turn as the hold time of the
waypoint where a turn starts, and ``NAV_LAND`` at the base (transits go around holes, so
the return is flown as waypoints — never ``RETURN_TO_LAUNCH``, whose straight line could
cross an obstacle). The files replay to the plan's energy and time
(:mod:`droneworks.missions.flight.replay`).

Spraying: ``DO_SPRAYER`` 1 after the waypoint where a sprayed run starts and 0 after the
one where it ends (DO commands run when the previous waypoint is reached). The rate of a
prescription zone cannot be set by ``DO_SPRAYER`` (on/off only). ArduPilot's sprayer sets
the pump from ``SPRAY_PUMP_RATE`` scaled by ground speed, so the rate per hectare holds when
the speed changes; to change the rate per zone we write ``DO_SET_SERVO`` on a separate
servo channel (default 12; ArduPilot's example puts the pump itself, function 22, on
servo 10) with a PWM proportional to the rate (1000 µs = 0 L/ha, 2000 µs = the highest
zone rate) for an external flow controller or a Lua script that scales ``SPRAY_PUMP_RATE``;
stock firmware without that script only moves an unused servo output. PX4 has no sprayer
support; DJI and XAG drones take prescription maps in their own apps, not MAVLink.

Survey: ``DO_SET_CAM_TRIGG_DIST`` with the trigger distance at the start of each line and 0
at its end (ArduPilot and PX4 both trigger the camera by distance).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from shapely.geometry import MultiPolygon, Polygon

from droneworks.missions.coverage import VisibilityTransitPlanner
from droneworks.missions.coverage.geometry import FloatArray
from droneworks.missions.export import (
    DisplayPoint,
    DisplayZone,
    MissionDisplay,
    MissionItem,
    MissionPlan,
    camera_trigger_distance,
    change_speed,
    land,
    set_servo,
    sprayer,
    takeoff,
    waypoint,
    write_geojson,
    write_kml,
    write_qgc_plan,
    write_wpl,
)
from droneworks.missions.fence import (
    DEFAULT_SITE,
    SiteOptions,
    fence_polygons,
    rally_altitude_m,
    rally_points,
)
from droneworks.missions.field import Field
from droneworks.missions.flight.replay import RATE_SERVO, servo_pwm
from droneworks.missions.maps import draw_map
from droneworks.missions.prescription_maps import zone_parts
from droneworks.missions.sorties import LegTable, Sortie
from droneworks.missions.spray import SprayPlan
from droneworks.missions.survey import SurveyPlan

__all__ = [
    "sortie_route",
    "spray_missions",
    "survey_missions",
    "write_mission_files",
    "zone_polygons",
]


def sortie_route(
    plan_table: LegTable, sortie: Sortie, out_path: FloatArray, back_path: FloatArray
) -> tuple[FloatArray, list[int], list[bool]]:
    """Points of a sortie (base → work → base), the leg of each point (−1 for transit to or
    from the base) and whether the drone works (sprays / photographs) from that point on."""
    points: list[FloatArray] = [p for p in out_path[:-1]]
    legs, working = [-1] * len(points), [False] * len(points)
    (first, a), (last, b) = sortie.start, sortie.end
    for leg in range(first, last + 1):
        t0 = a if leg == first else 0.0
        t1 = b if leg == last else 1.0
        points.append(plan_table.point(leg, t0))
        legs.append(leg)
        working.append(bool(plan_table.spraying[leg]))
        if leg == last:
            points.append(plan_table.point(leg, t1))
            legs.append(-1)
            working.append(False)
    points.extend(back_path[1:])
    legs.extend([-1] * (len(back_path) - 1))
    working.extend([False] * (len(back_path) - 1))
    return np.array(points), legs, working


def _lonlat(field_: Field, xy: FloatArray) -> FloatArray:
    lon, lat = field_.projection.to_wgs84(xy[:, 0], xy[:, 1])
    return np.column_stack([lon, lat])


def _display_points(field_: Field) -> tuple[DisplayPoint, ...]:
    base = _lonlat(field_, np.array([field_.base_xy]))[0]
    points = [DisplayPoint("base", float(base[0]), float(base[1]), "base")]
    for index, obstacle in enumerate(field_.obstacles):
        centre = _lonlat(field_, np.array(obstacle.centroid.coords))[0]
        points.append(
            DisplayPoint(f"obstacle {index + 1}", float(centre[0]), float(centre[1]), "obstacle")
        )
    return tuple(points)


def _holes(field_: Field) -> tuple[Polygon, ...]:
    return tuple(field_.to_wgs84(p) for p in _keep_out_parts(field_))


def _keep_out_parts(field_: Field) -> list[Polygon]:
    keep_out = field_.keep_out
    parts = list(keep_out.geoms) if isinstance(keep_out, MultiPolygon) else [keep_out]
    return [p for p in parts if isinstance(p, Polygon) and not p.is_empty]


def _mission(
    name: str,
    field_: Field,
    xy: FloatArray,
    body: list[MissionItem],
    height_m: float,
    speeds: tuple[float, float],
    site: SiteOptions,
) -> MissionPlan:
    """Take-off, ``body``, landing; home at the base's elevation, fence and rally points."""
    lonlat = _lonlat(field_, xy)
    home = lonlat[0]
    items = [takeoff(float(home[0]), float(home[1]), height_m), *body]
    items.append(land(float(lonlat[-1][0]), float(lonlat[-1][1])))
    region = Polygon(field_.boundary.exterior)
    return MissionPlan(
        name,
        float(home[0]),
        float(home[1]),
        home_alt_amsl_m=site.home_alt_amsl_m,
        items=tuple(items),
        cruise_speed_mps=speeds[0],
        hover_speed_mps=speeds[1],
        fence_polygons=fence_polygons(
            region, xy, _keep_out_parts(field_), site.fence_margin_m, field_.to_wgs84
        ),
        rally_points=rally_points(
            region, field_.base_xy, rally_altitude_m(height_m, site.rally_alt_m), field_.to_wgs84
        ),
    )


def _route_items(
    table: LegTable,
    sortie: Sortie,
    route: tuple[FloatArray, list[int], list[bool]],
    height_m: float,
    cruise_mps: float,
    work_items: Callable[[int, bool, bool], list[MissionItem]],
) -> list[MissionItem]:
    """Waypoints of a sortie with the speed of each leg (cruise on transits, the planned
    ground speed on the path), the stop-and-turn hold where the plan hovers, and the work
    commands ``work_items(leg, working, was_working)`` gives after each waypoint."""
    lonlat, legs, working = route
    items: list[MissionItem] = [change_speed(cruise_mps)]
    speed, busy = cruise_mps, False
    for point, leg, work in zip(lonlat, legs, working, strict=True):
        resumed = leg == sortie.start[0] and sortie.start[1] > 0  # no turn mid-leg
        hold = float(table.hover_s[leg]) if leg >= 0 and not resumed else 0.0
        items.append(waypoint(float(point[0]), float(point[1]), height_m, hold_s=hold))
        target = float(table.ground_speed_mps[leg]) if leg >= 0 else cruise_mps
        if target != speed:
            items.append(change_speed(target))
            speed = target
        items += work_items(leg, work, busy)
        busy = work
    items += work_items(-1, False, busy)
    return items


def _spray_items(
    plan: SprayPlan, drone: int, sortie: Sortie, route: tuple[FloatArray, list[int], list[bool]]
) -> list[MissionItem]:
    table, zones = plan.tables[drone], plan.zones[drone]
    prescription = plan.params.prescription
    zone: list[int | None] = [None]

    def work_items(leg: int, work: bool, was: bool) -> list[MissionItem]:
        items: list[MissionItem] = []
        if work and prescription is not None and zones[leg] != zone[0]:
            zone[0] = int(zones[leg])
            pwm = servo_pwm(float(table.rate_lpha[leg]), max(prescription.rates_lpha))
            items.append(set_servo(RATE_SERVO, pwm))
        if work != was:
            items.append(sprayer(work))
        return items

    return _route_items(table, sortie, route, plan.height_m, plan.drone.cruise_speed, work_items)


def _sortie_geometry(
    plan: SprayPlan | SurveyPlan, table: LegTable, sortie: Sortie
) -> tuple[FloatArray, list[int], list[bool]]:
    transit = _transit(plan)
    base = plan.field.base_xy
    start = table.point(*sortie.start)
    end = table.point(*sortie.end)
    out_path = transit.path(base, (float(start[0]), float(start[1])))
    back_path = transit.path((float(end[0]), float(end[1])), base)
    return sortie_route(table, sortie, out_path, back_path)


def _transit(plan: SprayPlan | SurveyPlan) -> VisibilityTransitPlanner:
    if isinstance(plan, SprayPlan):
        return VisibilityTransitPlanner(
            plan.field.flyable(plan.params.margin_m, plan.params.clearance_m)
        )
    region = Polygon(plan.field.boundary.exterior)
    return VisibilityTransitPlanner(
        region.buffer(plan.footprint_along_m / 2 + 1.0, join_style="mitre")
    )


def spray_missions(
    plan: SprayPlan, zones: Sequence[DisplayZone] = (), site: SiteOptions = DEFAULT_SITE
) -> list[MissionPlan]:
    """One MissionPlan per sortie (drone by drone); the first carries the field display."""
    missions = []
    field_ = plan.field
    for sortie in plan.sorties:
        table = plan.tables[sortie.drone]
        xy, legs, working = _sortie_geometry(plan, table, sortie)
        lonlat = _lonlat(field_, xy)
        body = _spray_items(plan, sortie.drone, sortie, (lonlat, legs, working))
        name = f"drone{sortie.drone + 1}-sortie{sortie.index + 1:02d}"
        mission = _mission(
            name,
            field_,
            xy,
            body,
            plan.height_m,
            (plan.drone.cruise_speed, plan.work_speed_mps),
            site,
        )
        missions.append(mission)
    return _with_display(missions, field_, zones)


def survey_missions(plan: SurveyPlan, site: SiteOptions = DEFAULT_SITE) -> list[MissionPlan]:
    """One MissionPlan per battery sortie of a survey."""
    missions = []
    for sortie in plan.sorties:
        xy, legs, working = _sortie_geometry(plan, plan.table, sortie)
        lonlat = _lonlat(plan.field, xy)

        def work_items(_leg: int, work: bool, was: bool) -> list[MissionItem]:
            if work == was:
                return []
            return [camera_trigger_distance(plan.trigger_distance_m if work else 0.0, work)]

        route = (lonlat, legs, working)
        cruise = plan.drone.cruise_speed
        body = _route_items(plan.table, sortie, route, plan.altitude_m, cruise, work_items)
        mission = _mission(
            f"sortie{sortie.index + 1:02d}",
            plan.field,
            xy,
            body,
            plan.altitude_m,
            (plan.drone.cruise_speed, plan.speed_mps),
            site,
        )
        missions.append(mission)
    return _with_display(missions, plan.field, ())


def _with_display(
    missions: list[MissionPlan], field_: Field, zones: Sequence[DisplayZone]
) -> list[MissionPlan]:
    from dataclasses import replace

    result = []
    for index, mission in enumerate(missions):
        path = mission.flight_path()
        paths = (path,) if path is not None else ()
        if index == 0:
            outer = Polygon(field_.boundary.exterior)
            display = MissionDisplay(
                field_.to_wgs84(outer),
                _holes(field_),
                paths,
                (mission.name,),
                tuple(zones),
                _display_points(field_),
            )
        else:
            display = MissionDisplay(sortie_paths=paths, sortie_labels=(mission.name,))
        result.append(replace(mission, display=display))
    return result


def zone_polygons(plan: SprayPlan) -> list[DisplayZone]:
    """Prescription zones as WGS84 polygons clipped to the field (for maps and GeoJSON)."""
    prescription = plan.params.prescription
    if prescription is None:
        return []
    return [
        DisplayZone(f"zone {zone + 1}", polygon, prescription.rates_lpha[zone], "L/ha")
        for zone, polygon in zone_parts(plan)
    ]


def write_mission_files(
    missions: Sequence[MissionPlan], out_dir: str | Path, stem: str, title: str
) -> list[Path]:
    """``.plan`` and ``.waypoints`` per sortie, one ``.geojson`` and ``.kml`` for all, a map."""
    out = Path(out_dir)
    written: list[Path] = []
    for mission in missions:
        written.append(write_qgc_plan(mission, out / f"{stem}-{mission.name}.plan"))
        written.append(write_wpl(mission, out / f"{stem}-{mission.name}.waypoints"))
    written.append(write_geojson(list(missions), out / f"{stem}.geojson"))
    written.append(write_kml(list(missions), out / f"{stem}.kml", title))
    written.append(draw_map(list(missions), out / f"{stem}-map.png", title))
    return written
