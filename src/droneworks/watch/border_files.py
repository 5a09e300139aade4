"""Reading a user's border line: GeoJSON or KML, checked to be longitude, latitude.

A surveyed line comes as GeoJSON (a ``LineString``/``MultiLineString`` as a bare geometry, a
Feature or a FeatureCollection) or KML (every ``<LineString>`` of the file, in file order,
with the ``<name>`` of its Placemark). Both formats are longitude, latitude by definition
(RFC 7946 §3.1.1, OGC KML 2.2 §16.10); a file written latitude first is refused when a
coordinate is out of range, or when read the other way round it would lie on a shipped
border (the common slip with European lines: 52° N, 24° E read as 52° E, 24° N is Iran).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, MultiLineString, shape

from droneworks.core.errors import ConfigError
from droneworks.core.validation import load_json

__all__ = ["LineFeature", "read_line_file"]

LineFeature = tuple[LineString | MultiLineString, dict[str, Any]]
_SWAP_NEAR_DEG = 0.2  # ~15–20 km: a swapped line this close to a shipped border
_KML_NS = "{http://www.opengis.net/kml/2.2}"


def read_line_file(path: str | Path, shipped: list[LineString] | None = None) -> list[LineFeature]:
    """The lines of a GeoJSON or KML file with their properties, checked as lon/lat."""
    path = Path(path)
    if path.suffix.lower() == ".kml":
        features = _kml_features(path)
    else:
        features = _geojson_features(load_json(path), str(path))
    for index, (geometry, _) in enumerate(features):
        _check_lonlat(geometry, f"{path}: features[{index}]", shipped or [])
    return features


def _geojson_features(data: Any, source: str) -> list[LineFeature]:
    if not isinstance(data, dict) or "type" not in data:
        raise ConfigError(f"{source}: not a GeoJSON object")
    items = data.get("features") if data["type"] == "FeatureCollection" else [data]
    if not isinstance(items, list):
        raise ConfigError(f"{source}: features: not a list")
    found = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise ConfigError(f"{source}: features[{index}]: not a GeoJSON object")
        raw = item.get("geometry") if item.get("type") == "Feature" else item
        try:
            geometry = shape(raw)
        except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.GEOSException):
            raise ConfigError(f"{source}: features[{index}]: not a valid geometry") from None
        _check_kind(geometry, f"{source}: features[{index}]")
        props = item.get("properties") or {} if item.get("type") == "Feature" else {}
        found.append((geometry, dict(props) if isinstance(props, dict) else {}))
    if not found:
        raise ConfigError(f"{source}: no border line in the file")
    return found


def _check_kind(geometry: Any, where: str) -> None:
    if not isinstance(geometry, LineString | MultiLineString) or geometry.is_empty:
        raise ConfigError(
            f"{where}: a line must be a LineString or MultiLineString, not "
            f"{getattr(geometry, 'geom_type', type(geometry).__name__)}"
        )


def _kml_features(path: Path) -> list[LineFeature]:
    try:
        root = ET.parse(path).getroot()
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (ET.ParseError, OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid KML: {error}") from None
    found: list[LineFeature] = []
    for placemark in root.iter(f"{_KML_NS}Placemark"):
        name = placemark.findtext(f"{_KML_NS}name")
        for index, line in enumerate(placemark.iter(f"{_KML_NS}LineString")):
            text = line.findtext(f"{_KML_NS}coordinates") or ""
            where = f"{path}: LineString {len(found) + 1}"
            geometry = LineString(_kml_coordinates(text, where))
            label = name if name and index == 0 else f"{name or 'line'} {index + 1}"
            found.append((geometry, {"name": label}))
    if not found:
        raise ConfigError(f"{path}: no <LineString> in the file (KML 2.2 namespace)")
    return found


def _kml_coordinates(text: str, where: str) -> list[tuple[float, float]]:
    points = []
    for token in text.split():
        parts = token.split(",")
        try:
            lon, lat = float(parts[0]), float(parts[1])
        except (IndexError, ValueError):
            raise ConfigError(f'{where}: "{token[:40]}" is not lon,lat[,alt]') from None
        points.append((lon, lat))
    if len(points) < 2:
        raise ConfigError(f"{where}: a line needs at least two points")
    return points


def _check_lonlat(geometry: LineString | MultiLineString, where: str, shipped: list[Any]) -> None:
    coords = np.asarray(shapely.get_coordinates(geometry), dtype=float)
    if not np.isfinite(coords).all():
        raise ConfigError(f"{where}: a coordinate is not a finite number")
    bad = (np.abs(coords[:, 0]) > 180) | (np.abs(coords[:, 1]) > 90)
    if bad.any():
        first = coords[np.flatnonzero(bad)[0]]
        raise ConfigError(
            f"{where}: [{first[0]:g}, {first[1]:g}] is not [longitude, latitude] "
            "(GeoJSON and KML give longitude first)"
        )
    swapped = shapely.points(coords[:, ::-1])
    for line in shipped:
        near = shapely.distance(swapped, line) < _SWAP_NEAR_DEG
        if near.mean() > 0.5:
            raise ConfigError(
                f"{where}: read as [latitude, longitude] this line lies on a shipped border; "
                "GeoJSON and KML give longitude first — swap the two numbers of every point"
            )
