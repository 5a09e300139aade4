"""GeoJSON export of mission plans (RFC 7946: WGS84 lon/lat, one FeatureCollection).

Features carry a ``role`` property: ``home``, ``item`` (a positional mission item, with its
sequence number, command and altitude), ``path`` (the flight path of a plan or a sortie),
``field``, ``hole``, ``zone`` (with ``value`` and ``unit``) and ``point`` (bases, drops).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from droneworks.core.report import write_atomic
from droneworks.missions.export.mission import MissionDisplay, MissionPlan

__all__ = ["plans_to_geojson", "write_geojson"]


def _rounded(value: Any, decimals: int = 8) -> Any:
    if isinstance(value, float):
        return round(value, decimals)
    if isinstance(value, list | tuple):
        return [_rounded(item, decimals) for item in value]
    if isinstance(value, dict):
        return {key: _rounded(item, decimals) for key, item in value.items()}
    return value


def _feature(geometry: BaseGeometry, **properties: Any) -> dict[str, Any]:
    clean = {
        key: (None if isinstance(value, float) and not math.isfinite(value) else value)
        for key, value in properties.items()
    }
    return {"type": "Feature", "geometry": _rounded(mapping(geometry)), "properties": clean}


def _display_features(display: MissionDisplay, plan_name: str) -> list[dict[str, Any]]:
    features: list[dict[str, Any]] = []
    if display.field is not None:
        features.append(_feature(display.field, role="field", plan=plan_name))
    features += [_feature(hole, role="hole", plan=plan_name) for hole in display.holes]
    features += [
        _feature(
            z.polygon,
            role="no-fly" if z.kind == "no-fly" else "zone",
            name=z.name,
            value=z.value,
            unit=z.unit,
            plan=plan_name,
        )
        for z in display.zones
    ]
    features += [
        _feature(path, role="path", name=display.label(i), plan=plan_name)
        for i, path in enumerate(display.sortie_paths)
    ]
    from shapely.geometry import Point

    features += [
        _feature(Point(p.lon, p.lat), role="point", name=p.name, kind=p.kind, plan=plan_name)
        for p in display.points
    ]
    return features


def _plan_features(plan: MissionPlan) -> list[dict[str, Any]]:
    from shapely.geometry import Point

    features = [_feature(plan.home, role="home", plan=plan.name, alt_amsl_m=plan.home_alt_amsl_m)]
    for seq, item in enumerate(plan.items, start=1):
        if item.has_position and math.isfinite(item.lat) and math.isfinite(item.lon):
            features.append(
                _feature(
                    Point(item.lon, item.lat),
                    role="item",
                    plan=plan.name,
                    seq=seq,
                    command=item.command,
                    alt_m=item.display_alt_m,
                    altitude_mode=int(item.altitude_mode or 0),
                )
            )
    if plan.display is not None:
        features += _display_features(plan.display, plan.name)
    else:
        path = plan.flight_path()
        if path is not None:
            features.append(_feature(path, role="path", name=plan.name, plan=plan.name))
    return features


def plans_to_geojson(plans: Sequence[MissionPlan]) -> dict[str, Any]:
    """One FeatureCollection holding every plan's items, paths and display geometry."""
    features = [feature for plan in plans for feature in _plan_features(plan)]
    return {"type": "FeatureCollection", "features": features}


def write_geojson(plans: MissionPlan | Sequence[MissionPlan], path: str | Path) -> Path:
    """Write one or several plans as a GeoJSON FeatureCollection."""
    many = [plans] if isinstance(plans, MissionPlan) else list(plans)
    target = Path(path)
    write_atomic(target, json.dumps(plans_to_geojson(many), indent=1, allow_nan=False) + "\n")
    return target
