"""QGC WPL 110 waypoint files (Mission Planner, QGroundControl, pymavlink): writer, reader.

One header line ``QGC WPL 110``, then one tab-separated line per item:
``index current frame command p1 p2 p3 p4 lat lon alt autocontinue``. Line 0 is the home
position (frame 0, AMSL). Latitude and longitude are written with 8 decimals (≈ 1 mm).
WPL has no ``null``: a NaN param (yaw "unchanged") is written as 0, as Mission Planner does.
"""

from __future__ import annotations

import math
from pathlib import Path

from droneworks.core.errors import ConfigError
from droneworks.core.loader import read_text
from droneworks.core.report import write_atomic
from droneworks.missions.export.mission import (
    AltitudeMode,
    MavCmd,
    MavFrame,
    MissionItem,
    MissionPlan,
)

__all__ = ["WPL_HEADER", "plan_to_wpl", "read_wpl", "write_wpl"]

WPL_HEADER = "QGC WPL 110"
COORDINATE_DECIMALS = 8

_FRAME_TO_MODE = {0: AltitudeMode.AMSL, 3: AltitudeMode.RELATIVE, 10: AltitudeMode.TERRAIN}
# Commands whose params 5–7 are a position (NAV_* and the ROI/land-start commands).
_POSITION_COMMANDS = frozenset({16, 17, 18, 19, 21, 22, 31, 82, 84, 85, 94, 189, 195, 201})


def _param(value: float) -> str:
    return f"{value if math.isfinite(value) else 0.0:.6f}"


def _line(index: int, current: int, item: MissionItem) -> str:
    p1, p2, p3, p4, lat, lon, alt = item.params7
    fields = [
        str(index),
        str(current),
        str(item.frame),
        str(item.command),
        *(_param(p) for p in (p1, p2, p3, p4)),
        f"{lat if math.isfinite(lat) else 0.0:.{COORDINATE_DECIMALS}f}",
        f"{lon if math.isfinite(lon) else 0.0:.{COORDINATE_DECIMALS}f}",
        _param(alt),
        "1" if item.autocontinue else "0",
    ]
    return "\t".join(fields)


def plan_to_wpl(plan: MissionPlan) -> str:
    """The plan as QGC WPL 110 text (line 0 = home, AMSL)."""
    home = MissionItem(
        command=int(MavCmd.NAV_WAYPOINT),
        frame=int(MavFrame.GLOBAL),
        lat=plan.home_lat,
        lon=plan.home_lon,
        alt=plan.home_alt_amsl_m,
        altitude_mode=AltitudeMode.AMSL,
    )
    lines = [WPL_HEADER, _line(0, 1, home)]
    lines += [_line(index + 1, 0, item) for index, item in enumerate(plan.items)]
    return "\n".join(lines) + "\n"


def write_wpl(plan: MissionPlan, path: str | Path) -> Path:
    """Write ``plan`` as a QGC WPL 110 ``.waypoints`` file (atomically)."""
    target = Path(path)
    write_atomic(target, plan_to_wpl(plan))
    return target


def _parse_item(fields: list[str], where: str) -> MissionItem:
    if len(fields) != 12:
        raise ConfigError(f"{where}: {len(fields)} fields, expected 12")
    try:
        frame, command = int(fields[2]), int(fields[3])
        p1, p2, p3, p4, lat, lon, alt = (float(value) for value in fields[4:11])
        autocontinue = int(float(fields[11])) != 0
    except ValueError as error:
        raise ConfigError(f"{where}: {error}") from None
    if not all(math.isfinite(value) for value in (p1, p2, p3, p4, lat, lon, alt)):
        raise ConfigError(f"{where}: parameters and position must be finite numbers")
    positional = command in _POSITION_COMMANDS and frame in _FRAME_TO_MODE
    return MissionItem(
        command=command,
        frame=frame,
        params=(p1, p2, p3, p4),
        lat=lat,
        lon=lon,
        alt=alt,
        autocontinue=autocontinue,
        altitude_mode=_FRAME_TO_MODE[frame] if positional else None,
    )


def read_wpl(path: str | Path, name: str | None = None) -> MissionPlan:
    """Read a QGC WPL 110 file; line 0 becomes the plan's home."""
    source = Path(path)
    lines = [line for line in read_text(source).splitlines() if line.strip()]  # bounded size
    if not lines or not lines[0].startswith("QGC WPL 110"):
        raise ConfigError(f"{source}: first line is not {WPL_HEADER!r}")
    items = [
        _parse_item(line.split("\t") if "\t" in line else line.split(), f"{source}:{number}")
        for number, line in enumerate(lines[1:], start=2)
    ]
    if not items:
        raise ConfigError(f"{source}: no home line")
    home, mission = items[0], items[1:]
    return MissionPlan(
        name=name or source.stem,
        home_lon=home.lon,
        home_lat=home.lat,
        home_alt_amsl_m=home.alt,
        items=tuple(mission),
    )
