"""Map layers for GIS: the border, sensors, detection footprints, gaps, tracks and alerts.

Every layer is a GeoJSON FeatureCollection in WGS84 **longitude, latitude** (RFC 7946),
each feature carrying a ``layer`` property (``border``, ``sensor``, ``footprint``, ``gap``,
``track``, ``alert``) and its figures with units in the key names. :func:`to_kml` writes the
same features as KML 2.2 (one folder per layer, figures as ExtendedData), so QGIS, ArcGIS
or Google Earth open either. Track and alert logs are also tables (:func:`track_rows`,
:func:`alert_rows`) for CSV.

A **detection footprint** is the ground area where one sensor's single-scan Pd against one
threat at its altitude is ≥ the wall's ``pd_threshold``: on each of 72 bearings the farthest
covered point out to the sensor's reach (line of sight, canopy, terrain and sectors
included), joined into a polygon.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from shapely.ops import substring

from droneworks.watch.coverage import CoverageResult, default_threat
from droneworks.watch.sensors import PlacedSensor, detection_probability, max_detection_range_m
from droneworks.watch.wall import Threat, Wall

__all__ = [
    "ALERT_COLUMNS",
    "TRACK_COLUMNS",
    "alert_rows",
    "border_layer",
    "collection",
    "footprint_layer",
    "gap_layer",
    "profile_threats",
    "sensor_layer",
    "to_kml",
    "track_layer",
    "track_rows",
    "write_layers",
    "write_rows",
]

FloatArray = npt.NDArray[np.float64]
Feature = dict[str, Any]
_BEARINGS = 72
_RADIAL_STEPS = 48


def collection(name: str, *layers: Iterable[Feature]) -> dict[str, Any]:
    """One FeatureCollection of several layers."""
    return {
        "type": "FeatureCollection",
        "name": name,
        "features": [feature for layer in layers for feature in layer],
    }


def _feature(layer: str, geometry: dict[str, Any], **properties: Any) -> Feature:
    return {"type": "Feature", "properties": {"layer": layer, **properties}, "geometry": geometry}


def _lonlat(wall: Wall, xy: FloatArray) -> list[list[float]]:
    return [[round(float(lon), 7), round(float(lat), 7)] for lon, lat in wall.border.to_lonlat(xy)]


def border_layer(wall: Wall) -> list[Feature]:
    """The line (protected side on its left) with map and official lengths per segment."""
    border = wall.border
    features = []
    for segment in border.segments:
        piece = substring(border.line_m, segment.start_m, segment.end_m)
        features.append(
            _feature(
                "border",
                {"type": "LineString", "coordinates": _lonlat(wall, np.asarray(piece.coords))},
                id=segment.id,
                name=segment.name,
                map_length_km=round(segment.map_length_km, 3),
                official_length_km=segment.official_length_km,
                official_length_source=segment.official_length_source,
                protected_side="left of the line's direction",
            )
        )
    return features


def sensor_layer(wall: Wall, sensors: Sequence[PlacedSensor] | None = None) -> list[Feature]:
    """One point per sensor with its type's parameters."""
    chosen = wall.sensors if sensors is None else sensors
    if not chosen:
        return []
    lonlat = _lonlat(wall, np.array([[s.x_m, s.y_m] for s in chosen]))
    return [
        _feature("sensor", {"type": "Point", "coordinates": ll}, **_sensor_properties(wall, s))
        for s, ll in zip(chosen, lonlat, strict=True)
    ]


def _sensor_properties(wall: Wall, sensor: PlacedSensor) -> dict[str, Any]:
    kind = sensor.type
    north = float(wall.border.grid_north_deg(sensor.xy[None, :])[0])
    azimuth = round((sensor.azimuth_deg - north) % 360.0, 2) if kind.directional else None
    props: dict[str, Any] = {
        "id": sensor.id,
        "type": kind.name,
        "kind": kind.kind.value,
        "along_km": None if sensor.along_m is None else round(sensor.along_m / 1000, 3),
        "mast_height_m": kind.mast_height_m,
        "scan_period_s": kind.scan_period_s,
        "false_alarms_per_h": kind.false_alarms_per_h,
        "cost_eur": kind.cost_eur,
        "sigma_range_m": kind.sigma_range_m,
        "sigma_bearing_deg": kind.sigma_bearing_deg,
        "needs_line_of_sight": kind.needs_line_of_sight,
        "sector_deg": kind.sector_deg,
        "azimuth_deg": azimuth,  # true bearing of the sector's centre
        "availability": kind.availability,
    }
    if math.isfinite(kind.instrumented_range_m):
        props["instrumented_range_m"] = kind.instrumented_range_m
    return props


def footprint_layer(
    wall: Wall,
    threats: Sequence[Threat] | None = None,
    sensors: Sequence[PlacedSensor] | None = None,
) -> list[Feature]:
    """Per threat and sensor: the polygon where single-scan Pd ≥ the wall's threshold."""
    chosen = wall.sensors if sensors is None else sensors
    features = []
    for threat in threats if threats is not None else (wall.threats or (default_threat(),)):
        for sensor in chosen:
            ring = _footprint_ring(wall, sensor, threat)
            if ring is None:
                continue
            features.append(
                _feature(
                    "footprint",
                    {"type": "Polygon", "coordinates": [_lonlat(wall, ring)]},
                    sensor=sensor.id,
                    type=sensor.type.name,
                    threat=threat.id,
                    altitude_m=threat.altitude_m,
                    pd_threshold=wall.coverage.pd_threshold,
                )
            )
    return features


def profile_threats(wall: Wall, coverage: CoverageResult) -> list[Threat]:
    """The threats of a coverage result, each at the altitude its profile was judged at."""
    by_id = {t.id: t for t in wall.threats}
    return [
        dataclasses.replace(by_id.get(p.threat_id, default_threat()), altitude_m=p.altitude_m)
        for p in coverage.profiles
    ]


def _footprint_ring(wall: Wall, sensor: PlacedSensor, threat: Threat) -> FloatArray | None:
    reach = max_detection_range_m(sensor.type, threat, threat.altitude_m, wall.environment)
    if reach <= 0:
        return None
    bearings = np.linspace(0.0, 2 * math.pi, _BEARINGS, endpoint=False)
    radii = reach * np.arange(1, _RADIAL_STEPS + 1) / _RADIAL_STEPS
    dx = np.outer(np.cos(bearings), radii)
    dy = np.outer(np.sin(bearings), radii)
    xy = np.column_stack([sensor.x_m + dx.ravel(), sensor.y_m + dy.ravel()])
    pd = detection_probability(sensor, xy, threat.altitude_m, threat, wall.environment)
    covered = (pd >= wall.coverage.pd_threshold).reshape(_BEARINGS, _RADIAL_STEPS)
    if not covered.any():
        return None
    farthest = np.where(covered.any(axis=1), _RADIAL_STEPS - np.argmax(covered[:, ::-1], axis=1), 0)
    radius = np.where(farthest > 0, radii[np.maximum(farthest - 1, 0)], 0.0)
    ring = np.column_stack(
        [sensor.x_m + radius * np.cos(bearings), sensor.y_m + radius * np.sin(bearings)]
    )
    return np.vstack([ring, ring[:1]])


def gap_layer(wall: Wall, coverage: CoverageResult) -> list[Feature]:
    """Each uncovered stretch of the line, per threat and altitude, with km and lon/lat."""
    features = []
    border = wall.border
    for profile in coverage.profiles:
        for gap in profile.gaps:
            steps = max(2, math.ceil(gap.length_m / 200.0) + 1)
            xy = border.points_at(np.linspace(gap.start_m, gap.end_m, steps))
            features.append(
                _feature(
                    "gap",
                    {"type": "LineString", "coordinates": _lonlat(wall, xy)},
                    threat=profile.threat_id,
                    altitude_m=profile.altitude_m,
                    start_km=round(gap.start_m / 1000, 3),
                    end_km=round(gap.end_m / 1000, 3),
                    length_km=round(gap.length_m / 1000, 3),
                    start_lon=gap.start_lonlat[0],
                    start_lat=gap.start_lonlat[1],
                    end_lon=gap.end_lonlat[0],
                    end_lat=gap.end_lonlat[1],
                )
            )
    return features


def _clock(wall: Wall, tick_s: float, tick: Any, track_id: Any, xy_m: FloatArray) -> dict[str, Any]:
    """Time, track id and lon/lat columns shared by the track and alert tables."""
    lonlat = wall.border.to_lonlat(xy_m) if len(xy_m) else np.zeros((0, 2))
    return {
        "time_s": np.round(np.asarray(tick, dtype=float) * tick_s, 3).tolist(),
        "track_id": np.asarray(track_id, dtype=np.int64).tolist(),
        "lon": np.round(lonlat[:, 0], 7).tolist(),
        "lat": np.round(lonlat[:, 1], 7).tolist(),
    }


def _rows(columns: dict[str, list[Any]]) -> list[dict[str, Any]]:
    return [
        dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)
    ]


def track_rows(wall: Wall, tick_s: float, log: Any) -> list[dict[str, Any]]:
    """The confirmed-track log as rows: time, track id, lon/lat, local x/y, velocity."""
    columns = _clock(wall, tick_s, log.tick, log.track_id, log.xy_m)
    columns["x_m"] = np.round(log.xy_m[:, 0], 2).tolist()
    columns["y_m"] = np.round(log.xy_m[:, 1], 2).tolist()
    columns["vx_mps"] = np.round(log.velocity_mps[:, 0], 3).tolist()
    columns["vy_mps"] = np.round(log.velocity_mps[:, 1], 3).tolist()
    return _rows(columns)


def alert_rows(wall: Wall, tick_s: float, alerts: Any) -> list[dict[str, Any]]:
    """Alerts as rows: time, track id, lon/lat, the rule met and the incursion (or false)."""
    columns = _clock(wall, tick_s, alerts.tick, alerts.track_id, alerts.xy_m)
    columns["rule"] = ["past the line" if c else "predicted to cross" for c in alerts.crossed]
    columns["incursion"] = [int(g) if g >= 0 else None for g in alerts.target]
    columns["false_alert"] = [bool(g < 0) for g in alerts.target]
    return _rows(columns)


def track_layer(wall: Wall, tick_s: float, log: Any, alerts: Any) -> list[Feature]:
    """One line per confirmed track and one point per alert."""
    features = []
    for track_id in np.unique(log.track_id):
        rows = np.flatnonzero(log.track_id == track_id)
        if len(rows) < 2:
            continue
        features.append(
            _feature(
                "track",
                {"type": "LineString", "coordinates": _lonlat(wall, log.xy_m[rows])},
                track_id=int(track_id),
                start_s=float(log.tick[rows[0]] * tick_s),
                end_s=float(log.tick[rows[-1]] * tick_s),
            )
        )
    for row in alert_rows(wall, tick_s, alerts):
        point = {"type": "Point", "coordinates": [row["lon"], row["lat"]]}
        features.append(_feature("alert", point, **row))
    return features


def to_kml(data: dict[str, Any]) -> str:
    """A FeatureCollection of these layers as KML 2.2 (one folder per layer)."""
    kml = ET.Element("kml", xmlns="http://www.opengis.net/kml/2.2")
    document = ET.SubElement(kml, "Document")
    ET.SubElement(document, "name").text = str(data.get("name", "droneworks watch"))
    folders: dict[str, ET.Element] = {}
    for feature in data["features"]:
        props = feature["properties"]
        layer = str(props["layer"])
        if layer not in folders:
            folders[layer] = ET.SubElement(document, "Folder")
            ET.SubElement(folders[layer], "name").text = layer
        placemark = ET.SubElement(folders[layer], "Placemark")
        label = props.get("id", props.get("track_id", props.get("threat", layer)))
        ET.SubElement(placemark, "name").text = str(label)
        extended = ET.SubElement(placemark, "ExtendedData")
        for key, value in props.items():
            item = ET.SubElement(extended, "Data", name=str(key))
            ET.SubElement(item, "value").text = "" if value is None else str(value)
        _kml_geometry(placemark, feature["geometry"])
    ET.indent(kml)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(kml, encoding="unicode")


def _kml_geometry(parent: ET.Element, geometry: dict[str, Any]) -> None:
    def text(points: Sequence[Sequence[float]]) -> str:
        return " ".join(f"{p[0]:.7f},{p[1]:.7f}" for p in points)

    kind, coords = geometry["type"], geometry["coordinates"]
    if kind == "Point":
        ET.SubElement(ET.SubElement(parent, "Point"), "coordinates").text = text([coords])
    elif kind == "LineString":
        ET.SubElement(ET.SubElement(parent, "LineString"), "coordinates").text = text(coords)
    else:
        ring = ET.SubElement(ET.SubElement(ET.SubElement(parent, "Polygon"), "outerBoundaryIs"),
                             "LinearRing")  # fmt: skip
        ET.SubElement(ring, "coordinates").text = text(coords[0])


def write_layers(folder: Path, stem: str, data: dict[str, Any]) -> tuple[Path, Path]:
    """Write ``data`` as ``stem.geojson`` and ``stem.kml`` into ``folder`` (atomic writes)."""
    from droneworks.core.outputs import write_atomic

    geojson, kml = folder / f"{stem}.geojson", folder / f"{stem}.kml"
    write_atomic(geojson, json.dumps(data, ensure_ascii=False) + "\n")
    write_atomic(kml, to_kml(data))
    return geojson, kml


def write_rows(
    folder: Path, stem: str, rows: Sequence[dict[str, Any]], columns: Sequence[str]
) -> tuple[Path, Path]:
    """Rows as ``stem.csv`` (a header; empty values for None) and ``stem.parquet``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from droneworks.core.outputs import atomic_target, write_atomic

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    csv_path, parquet_path = folder / f"{stem}.csv", folder / f"{stem}.parquet"
    write_atomic(csv_path, buffer.getvalue())
    table = pa.table({name: [row[name] for row in rows] for name in columns})
    with atomic_target(parquet_path) as temporary:
        pq.write_table(table, temporary)
    return csv_path, parquet_path


TRACK_COLUMNS = ("time_s", "track_id", "lon", "lat", "x_m", "y_m", "vx_mps", "vy_mps")
ALERT_COLUMNS = ("time_s", "track_id", "lon", "lat", "rule", "incursion", "false_alert")
