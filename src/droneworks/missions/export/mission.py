"""A generic mission plan at MAVLink level, the one value every exporter writes.

A :class:`MissionPlan` is what survey, spraying and delivery planners hand to the writers
(QGroundControl ``.plan``, QGC WPL 110, GeoJSON, KML) and to the map drawer. Its
``items`` are MAVLink mission items (command id, frame, params 1–7 where 5–7 are
latitude, longitude and altitude), plus the QGroundControl altitude mode of positional
items. Geofence, rally points and optional display geometry (field, holes, sortie paths,
zones, points) travel with it. Everything is in WGS84 degrees; altitudes in metres.

The builders (:func:`waypoint`, :func:`takeoff`, :func:`land`, :func:`return_to_launch`,
:func:`change_speed`, :func:`camera_trigger_distance`, :func:`sprayer`,
:func:`set_servo`, :func:`gripper`) use the MAV_CMD ids of
``../shared/formats/mav_cmd_table.txt``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import IntEnum

from shapely.geometry import LineString, Point, Polygon

__all__ = [
    "AltitudeMode",
    "DisplayPoint",
    "DisplayZone",
    "FenceCircle",
    "FencePolygon",
    "Firmware",
    "MavCmd",
    "MavFrame",
    "MissionDisplay",
    "MissionItem",
    "MissionPlan",
    "RallyPoint",
    "VehicleType",
    "camera_trigger_distance",
    "change_speed",
    "gripper",
    "land",
    "payload_place",
    "return_to_launch",
    "set_servo",
    "sprayer",
    "takeoff",
    "waypoint",
    "winch",
]

NAN = math.nan


class MavCmd(IntEnum):
    """MAV_CMD ids used by droneworks (REFERENCE.md §6)."""

    NAV_WAYPOINT = 16
    NAV_RETURN_TO_LAUNCH = 20
    NAV_LAND = 21
    NAV_TAKEOFF = 22
    DO_CHANGE_SPEED = 178
    DO_SET_SERVO = 183
    DO_SET_CAM_TRIGG_DIST = 206
    NAV_PAYLOAD_PLACE = 94
    DO_GRIPPER = 211
    DO_SPRAYER = 216
    DO_WINCH = 42600


class MavFrame(IntEnum):
    """MAV_FRAME values of mission items."""

    GLOBAL = 0
    MISSION = 2
    GLOBAL_RELATIVE_ALT = 3
    GLOBAL_TERRAIN_ALT = 10


class AltitudeMode(IntEnum):
    """QGroundControl altitude modes (``AltitudeMode`` / ``globalPlanAltitudeMode``)."""

    MIXED = 0
    RELATIVE = 1
    AMSL = 2
    CALC_ABOVE_TERRAIN = 3
    TERRAIN = 4

    @property
    def frame(self) -> MavFrame:
        """The MAVLink frame QGroundControl writes for this mode."""
        if self is AltitudeMode.TERRAIN:
            return MavFrame.GLOBAL_TERRAIN_ALT
        if self in (AltitudeMode.AMSL, AltitudeMode.CALC_ABOVE_TERRAIN):
            return MavFrame.GLOBAL
        return MavFrame.GLOBAL_RELATIVE_ALT


class Firmware(IntEnum):
    """MAV_AUTOPILOT values QGroundControl writes as ``firmwareType``."""

    GENERIC = 0
    ARDUPILOT = 3
    PX4 = 12


class VehicleType(IntEnum):
    """MAV_TYPE values QGroundControl writes as ``vehicleType``."""

    GENERIC = 0
    FIXED_WING = 1
    QUADROTOR = 2
    HEXAROTOR = 13
    OCTOROTOR = 14
    VTOL_FIXEDROTOR = 22


@dataclass(frozen=True)
class MissionItem:
    """One MAVLink mission item; ``params`` are p1–p4, ``lat``/``lon``/``alt`` p5–p7.

    ``altitude_mode`` is set for items with a position (QGroundControl writes ``Altitude``
    and ``AltitudeMode`` for them) and ``None`` for commands without one. NaN means unset
    (written as ``null`` in ``.plan`` files). ``qgc_altitude_m`` keeps QGroundControl's
    ``Altitude`` when it is not p7 (mode 3, altitude above terrain computed by QGC).
    """

    command: int
    frame: int
    params: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    lat: float = 0.0
    lon: float = 0.0
    alt: float = 0.0
    autocontinue: bool = True
    altitude_mode: AltitudeMode | None = None
    amsl_alt_above_terrain_m: float | None = None
    qgc_altitude_m: float | None = None

    @property
    def display_alt_m(self) -> float:
        """QGroundControl's ``Altitude`` (differs from p7 in mode 3, where p7 is unset)."""
        return self.alt if self.qgc_altitude_m is None else self.qgc_altitude_m

    def __post_init__(self) -> None:
        if len(self.params) != 4:
            raise ValueError(f"params must be p1..p4 (4 values), not {len(self.params)}")
        if self.has_position and not (-90.0 <= self.lat <= 90.0 and -180 <= self.lon <= 180):
            raise ValueError(f"({self.lat}, {self.lon}) is not a latitude/longitude")

    @property
    def params7(self) -> tuple[float, float, float, float, float, float, float]:
        """All seven MAVLink params (p5 = lat, p6 = lon, p7 = alt)."""
        p1, p2, p3, p4 = self.params
        return (p1, p2, p3, p4, self.lat, self.lon, self.alt)

    @property
    def has_position(self) -> bool:
        return self.altitude_mode is not None


@dataclass(frozen=True)
class FencePolygon:
    """A geofence polygon, vertices as (lat, lon) like QGroundControl writes them."""

    vertices_latlon: tuple[tuple[float, float], ...]
    inclusion: bool = True

    def __post_init__(self) -> None:
        if len(self.vertices_latlon) < 3:
            raise ValueError("a fence polygon needs at least 3 vertices")


@dataclass(frozen=True)
class FenceCircle:
    """A geofence circle around (lat, lon)."""

    lat: float
    lon: float
    radius_m: float
    inclusion: bool = True

    def __post_init__(self) -> None:
        if not self.radius_m > 0:
            raise ValueError(f"fence radius must be positive, not {self.radius_m}")


@dataclass(frozen=True)
class RallyPoint:
    """A rally (safe landing) point; ``alt_m``: the transit altitude to it, relative to home."""

    lat: float
    lon: float
    alt_m: float


@dataclass(frozen=True)
class DisplayZone:
    """A zone to draw in WGS84 lon/lat: a prescription zone (``kind`` "value", filled by
    its value) or a no-fly zone (``kind`` "no-fly", drawn as keep-out)."""

    name: str
    polygon: Polygon
    value: float = NAN
    unit: str = ""
    kind: str = "value"


@dataclass(frozen=True)
class DisplayPoint:
    """A labelled point to draw (base, drop, obstacle…) in WGS84 lon/lat."""

    name: str
    lon: float
    lat: float
    kind: str = "point"


@dataclass(frozen=True)
class MissionDisplay:
    """Geometry for maps, GeoJSON and KML only (the autopilot never sees it).

    All shapes in WGS84 lon/lat. ``sortie_paths[i]`` is the path of sortie ``i``;
    ``sortie_labels`` optionally names them (drone, sortie number).
    """

    field: Polygon | None = None
    holes: tuple[Polygon, ...] = ()
    sortie_paths: tuple[LineString, ...] = ()
    sortie_labels: tuple[str, ...] = ()
    zones: tuple[DisplayZone, ...] = ()
    points: tuple[DisplayPoint, ...] = ()

    def label(self, index: int) -> str:
        """The label of sortie ``index`` (``sortie 1`` when none was given)."""
        if index < len(self.sortie_labels):
            return self.sortie_labels[index]
        return f"sortie {index + 1}"


@dataclass(frozen=True)
class MissionPlan:
    """A complete mission for one vehicle: home, items, fence, rally points, display."""

    name: str
    home_lon: float
    home_lat: float
    home_alt_amsl_m: float = 0.0
    items: tuple[MissionItem, ...] = ()
    firmware: Firmware = Firmware.ARDUPILOT
    vehicle: VehicleType = VehicleType.QUADROTOR
    cruise_speed_mps: float = 15.0
    hover_speed_mps: float = 5.0
    altitude_mode: AltitudeMode = AltitudeMode.RELATIVE
    fence_polygons: tuple[FencePolygon, ...] = ()
    fence_circles: tuple[FenceCircle, ...] = ()
    rally_points: tuple[RallyPoint, ...] = ()
    display: MissionDisplay | None = None
    notes: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if not (-90.0 <= self.home_lat <= 90.0 and -180.0 <= self.home_lon <= 180.0):
            raise ValueError(f"home ({self.home_lon}, {self.home_lat}) is not lon/lat")
        if self.cruise_speed_mps <= 0 or self.hover_speed_mps <= 0:
            raise ValueError("cruise and hover speeds must be positive")

    def positions_lonlat(self) -> list[tuple[float, float]]:
        """(lon, lat) of every item with a position, in mission order."""
        return [
            (item.lon, item.lat)
            for item in self.items
            if item.has_position and math.isfinite(item.lat) and math.isfinite(item.lon)
        ]

    def flight_path(self) -> LineString | None:
        """Home → positional items (→ home if the mission returns to launch), lon/lat."""
        points = [(self.home_lon, self.home_lat), *self.positions_lonlat()]
        if any(item.command == MavCmd.NAV_RETURN_TO_LAUNCH for item in self.items):
            points.append((self.home_lon, self.home_lat))
        return LineString(points) if len(points) >= 2 else None

    @property
    def home(self) -> Point:
        return Point(self.home_lon, self.home_lat)


# ----------------------------------------------------------------------------------- builders


def _positional(
    command: MavCmd,
    lon: float,
    lat: float,
    alt_m: float,
    params: Sequence[float],
    mode: AltitudeMode,
) -> MissionItem:
    p1, p2, p3, p4 = (float(value) for value in params)
    return MissionItem(
        command=int(command),
        frame=int(mode.frame),
        params=(p1, p2, p3, p4),
        lat=float(lat),
        lon=float(lon),
        alt=float(alt_m),
        altitude_mode=mode,
    )


def _command(command: MavCmd, *params: float) -> MissionItem:
    values = [float(value) for value in params] + [0.0] * (4 - len(params))
    p1, p2, p3, p4 = values
    return MissionItem(command=int(command), frame=int(MavFrame.MISSION), params=(p1, p2, p3, p4))


def waypoint(
    lon: float,
    lat: float,
    alt_m: float,
    hold_s: float = 0.0,
    acceptance_m: float = 0.0,
    mode: AltitudeMode = AltitudeMode.RELATIVE,
) -> MissionItem:
    """MAV_CMD_NAV_WAYPOINT (16) at (lon, lat, alt); yaw left to the autopilot (NaN)."""
    return _positional(MavCmd.NAV_WAYPOINT, lon, lat, alt_m, (hold_s, acceptance_m, 0, NAN), mode)


def takeoff(
    lon: float, lat: float, alt_m: float, mode: AltitudeMode = AltitudeMode.RELATIVE
) -> MissionItem:
    """MAV_CMD_NAV_TAKEOFF (22) climbing to ``alt_m`` above (lon, lat)."""
    return _positional(MavCmd.NAV_TAKEOFF, lon, lat, alt_m, (0, 0, 0, NAN), mode)


def land(
    lon: float, lat: float, alt_m: float = 0.0, mode: AltitudeMode = AltitudeMode.RELATIVE
) -> MissionItem:
    """MAV_CMD_NAV_LAND (21) at (lon, lat)."""
    return _positional(MavCmd.NAV_LAND, lon, lat, alt_m, (0, 0, 0, NAN), mode)


def return_to_launch() -> MissionItem:
    """MAV_CMD_NAV_RETURN_TO_LAUNCH (20)."""
    return _command(MavCmd.NAV_RETURN_TO_LAUNCH)


def change_speed(speed_mps: float, ground: bool = True) -> MissionItem:
    """MAV_CMD_DO_CHANGE_SPEED (178): p1 speed type (1 ground, 0 air), p2 m/s, p3 −1."""
    if speed_mps <= 0:
        raise ValueError(f"speed must be positive, not {speed_mps}")
    return _command(MavCmd.DO_CHANGE_SPEED, 1.0 if ground else 0.0, speed_mps, -1.0, 0.0)


def camera_trigger_distance(distance_m: float, trigger_now: bool = False) -> MissionItem:
    """MAV_CMD_DO_SET_CAM_TRIGG_DIST (206): trigger every ``distance_m`` (0 stops)."""
    if distance_m < 0:
        raise ValueError(f"trigger distance must be ≥ 0, not {distance_m}")
    return _command(MavCmd.DO_SET_CAM_TRIGG_DIST, distance_m, 0.0, 1.0 if trigger_now else 0.0)


def sprayer(on: bool) -> MissionItem:
    """MAV_CMD_DO_SPRAYER (216): p1 = 1 enables, 0 disables (on/off only)."""
    return _command(MavCmd.DO_SPRAYER, 1.0 if on else 0.0)


def set_servo(instance: int, pwm_us: int) -> MissionItem:
    """MAV_CMD_DO_SET_SERVO (183): servo ``instance`` to ``pwm_us`` microseconds."""
    if instance < 0 or not 0 <= pwm_us <= 3000:
        raise ValueError(f"servo {instance} / PWM {pwm_us} µs out of range")
    return _command(MavCmd.DO_SET_SERVO, float(instance), float(pwm_us))


def gripper(release: bool, gripper_id: int = 1) -> MissionItem:
    """MAV_CMD_DO_GRIPPER (211): p2 = 0 releases (GRIPPER_ACTION_RELEASE), 1 grabs."""
    return _command(MavCmd.DO_GRIPPER, float(gripper_id), 0.0 if release else 1.0)


def payload_place(lon: float, lat: float, alt_m: float, max_descent_m: float) -> MissionItem:
    """MAV_CMD_NAV_PAYLOAD_PLACE (94): fly to (lon, lat, alt), descend at most p1 metres
    until the payload touches down, release it (gripper) and climb back (ArduPilot Copter)."""
    return _positional(
        MavCmd.NAV_PAYLOAD_PLACE, lon, lat, alt_m, (max_descent_m, 0, 0, 0), AltitudeMode.RELATIVE
    )


def winch(length_m: float, rate_mps: float, instance: int = 1) -> MissionItem:
    """MAV_CMD_DO_WINCH (42600), action 1 (WINCH_RELATIVE_LENGTH_CONTROL): pay out
    ``length_m`` of line at ``rate_mps`` (both negative to wind in)."""
    return _command(MavCmd.DO_WINCH, float(instance), 1.0, length_m, rate_mps)
