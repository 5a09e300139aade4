"""QGroundControl ``.plan`` files (JSON): writer and reader.

The writer follows QGroundControl's own output (REFERENCE.md §6): ``fileType`` "Plan",
``version`` 1, a ``mission`` of version 2 with ``firmwareType``, ``vehicleType``,
``globalPlanAltitudeMode``, ``cruiseSpeed``, ``hoverSpeed``, ``plannedHomePosition``
[lat, lon, alt AMSL] and SimpleItems with exactly 7 params (``null`` for NaN), plus
``Altitude``/``AltitudeMode``/``AMSLAltAboveTerrain`` for items with a position;
``geoFence`` and ``rallyPoints`` of version 2.

The reader loads what QGroundControl writes, including older files (items with a
``coordinate`` and 4 params, ``geoFence.polygon`` of version 1) and ComplexItems: a survey
or corridor scan is expanded into the SimpleItems QGroundControl stored with it
(``TransectStyleComplexItem.Items``); what cannot be kept is listed in
:attr:`PlanReadResult.skipped`, never dropped silently.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shapely.geometry import Polygon

from droneworks.core.errors import ConfigError
from droneworks.core.loader import read_json
from droneworks.core.report import write_atomic
from droneworks.missions.export.mission import (
    AltitudeMode,
    FenceCircle,
    FencePolygon,
    Firmware,
    MavFrame,
    MissionDisplay,
    MissionItem,
    MissionPlan,
    RallyPoint,
    VehicleType,
)

__all__ = ["PlanReadResult", "plan_to_qgc", "read_qgc_plan", "write_qgc_plan"]

_FRAME_TO_MODE = {
    int(MavFrame.GLOBAL_RELATIVE_ALT): AltitudeMode.RELATIVE,
    6: AltitudeMode.RELATIVE,  # GLOBAL_RELATIVE_ALT_INT
    int(MavFrame.GLOBAL): AltitudeMode.AMSL,
    5: AltitudeMode.AMSL,  # GLOBAL_INT
    int(MavFrame.GLOBAL_TERRAIN_ALT): AltitudeMode.TERRAIN,
    11: AltitudeMode.TERRAIN,  # GLOBAL_TERRAIN_ALT_INT
}


def _json_number(value: float) -> float | int | None:
    if not math.isfinite(value):
        return None
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def _item_to_qgc(item: MissionItem, jump_id: int) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if item.altitude_mode is not None:
        data["AMSLAltAboveTerrain"] = (
            None if item.amsl_alt_above_terrain_m is None else item.amsl_alt_above_terrain_m
        )
        data["Altitude"] = _json_number(item.display_alt_m)
        data["AltitudeMode"] = int(item.altitude_mode)
    data.update(
        autoContinue=item.autocontinue,
        command=item.command,
        doJumpId=jump_id,
        frame=item.frame,
        params=[_json_number(value) for value in item.params7],
        type="SimpleItem",
    )
    return data


def plan_to_qgc(plan: MissionPlan) -> dict[str, Any]:
    """The plan as QGroundControl's ``.plan`` JSON object."""
    return {
        "fileType": "Plan",
        "geoFence": {
            "circles": [
                {
                    "circle": {"center": [c.lat, c.lon], "radius": c.radius_m},
                    "inclusion": c.inclusion,
                    "version": 1,
                }
                for c in plan.fence_circles
            ],
            "polygons": [
                {
                    "inclusion": p.inclusion,
                    "polygon": [list(vertex) for vertex in p.vertices_latlon],
                    "version": 1,
                }
                for p in plan.fence_polygons
            ],
            "version": 2,
        },
        "groundStation": "QGroundControl",
        "mission": {
            "cruiseSpeed": _json_number(plan.cruise_speed_mps),
            "firmwareType": int(plan.firmware),
            "globalPlanAltitudeMode": int(plan.altitude_mode),
            "hoverSpeed": _json_number(plan.hover_speed_mps),
            "items": [_item_to_qgc(item, index + 1) for index, item in enumerate(plan.items)],
            "plannedHomePosition": [plan.home_lat, plan.home_lon, plan.home_alt_amsl_m],
            "vehicleType": int(plan.vehicle),
            "version": 2,
        },
        "rallyPoints": {
            "points": [[r.lat, r.lon, r.alt_m] for r in plan.rally_points],
            "version": 2,
        },
        "version": 1,
    }


def write_qgc_plan(plan: MissionPlan, path: str | Path) -> Path:
    """Write ``plan`` as a QGroundControl ``.plan`` file (atomically)."""
    target = Path(path)
    text = json.dumps(plan_to_qgc(plan), indent=4, sort_keys=True, allow_nan=False)
    write_atomic(target, text + "\n")
    return target


@dataclass(frozen=True)
class PlanReadResult:
    """A plan read from a file and what the reader could not keep (one line each)."""

    plan: MissionPlan
    skipped: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def _number(value: Any) -> float:
    return math.nan if value is None else float(value)


def _simple_item(data: dict[str, Any], where: str) -> MissionItem:
    params = [_number(value) for value in data.get("params", [])]
    if "coordinate" in data:  # QGC v1 layout: 4 params + [lat, lon, alt]
        params = params[:4] + [_number(value) for value in data["coordinate"]]
    if len(params) != 7:
        raise ConfigError(f"{where}: params has {len(params)} values, expected 7")
    frame = int(data.get("frame", 2))
    command = int(data["command"])
    mode: AltitudeMode | None = None
    if "AltitudeMode" in data:
        mode = AltitudeMode(int(data["AltitudeMode"]))
    elif frame in _FRAME_TO_MODE and (params[4] != 0 or params[5] != 0):
        mode = _FRAME_TO_MODE[frame]
    qgc_alt = data.get("Altitude")
    lat, lon, alt = params[4], params[5], params[6]
    if mode is None and not (math.isfinite(lat) and math.isfinite(lon)):
        lat, lon = 0.0, 0.0
    return MissionItem(
        command=command,
        frame=frame,
        params=(params[0], params[1], params[2], params[3]),
        lat=lat,
        lon=lon,
        alt=alt,
        autocontinue=bool(data.get("autoContinue", True)),
        altitude_mode=mode,
        amsl_alt_above_terrain_m=_optional(data.get("AMSLAltAboveTerrain")),
        qgc_altitude_m=None if qgc_alt is None or float(qgc_alt) == alt else float(qgc_alt),
    )


def _optional(value: Any) -> float | None:
    return None if value is None else float(value)


def _read_items(
    raw_items: list[dict[str, Any]], skipped: list[str], notes: list[str]
) -> tuple[list[MissionItem], list[Polygon]]:
    items: list[MissionItem] = []
    areas: list[Polygon] = []
    for index, data in enumerate(raw_items):
        where = f"mission.items[{index}]"
        kind = data.get("type", "SimpleItem")
        if kind == "SimpleItem":
            items.append(_simple_item(data, where))
            continue
        complex_type = data.get("complexItemType", "unknown")
        transect = data.get("TransectStyleComplexItem", {})
        inner = transect.get("Items") if isinstance(transect, dict) else None
        if isinstance(inner, list) and inner:
            items.extend(_simple_item(sub, f"{where}.Items[{i}]") for i, sub in enumerate(inner))
            notes.append(
                f"{where}: ComplexItem {complex_type!r} expanded into its {len(inner)} "
                "stored SimpleItems (camera and grid settings not kept)"
            )
            polygon = data.get("polygon")
            if isinstance(polygon, list) and len(polygon) >= 3:
                areas.append(Polygon([(lon, lat) for lat, lon in polygon]))
        else:
            skipped.append(
                f"{where}: ComplexItem {complex_type!r} has no stored SimpleItems; skipped"
            )
    return items, areas


def _read_fence(data: dict[str, Any], skipped: list[str]) -> tuple[
    tuple[FencePolygon, ...], tuple[FenceCircle, ...]
]:  # fmt: skip
    polygons = tuple(
        FencePolygon(tuple((float(a), float(b)) for a, b in p["polygon"]), bool(p["inclusion"]))
        for p in data.get("polygons", [])
    )
    circles = tuple(
        FenceCircle(
            float(c["circle"]["center"][0]),
            float(c["circle"]["center"][1]),
            float(c["circle"]["radius"]),
            bool(c["inclusion"]),
        )
        for c in data.get("circles", [])
    )
    if data.get("polygon"):  # version 1: one breach-return polygon
        skipped.append("geoFence.polygon (version 1 fence) not read")
    return polygons, circles


def read_qgc_plan(path: str | Path) -> PlanReadResult:
    """Read a QGroundControl ``.plan`` file (ours or QGroundControl's own)."""
    source = Path(path)
    data = read_json(source)  # bounded: size, encoding, nesting, finite numbers
    if not isinstance(data, dict) or data.get("fileType") != "Plan":
        raise ConfigError(f'{source}: not a QGroundControl plan (fileType is not "Plan")')
    mission = data.get("mission", {})
    skipped: list[str] = []
    notes: list[str] = []
    try:
        items, areas = _read_items(mission.get("items", []), skipped, notes)
        polygons, circles = _read_fence(data.get("geoFence", {}), skipped)
        home = mission.get("plannedHomePosition") or [0.0, 0.0, 0.0]
        rally = tuple(
            RallyPoint(float(p[0]), float(p[1]), float(p[2]))
            for p in data.get("rallyPoints", {}).get("points", [])
        )
        plan = MissionPlan(
            name=source.stem,
            home_lon=float(home[1]),
            home_lat=float(home[0]),
            home_alt_amsl_m=_number(home[2]),
            items=tuple(items),
            firmware=Firmware(int(mission.get("firmwareType", 0))),
            vehicle=VehicleType(int(mission.get("vehicleType", 2))),
            cruise_speed_mps=float(mission.get("cruiseSpeed", 15)),
            hover_speed_mps=float(mission.get("hoverSpeed", 5)),
            altitude_mode=AltitudeMode(int(mission.get("globalPlanAltitudeMode", 1))),
            fence_polygons=polygons,
            fence_circles=circles,
            rally_points=rally,
            display=MissionDisplay(field=areas[0], holes=()) if areas else None,
        )
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
        raise ConfigError(f"{source}: malformed plan: {error}") from None
    return PlanReadResult(plan, tuple(skipped), tuple(notes))
