"""Fields: a WGS84 polygon with holes and obstacles, read from GeoJSON or KML, kept in metres.

File conventions (see docs/missions.md):

* GeoJSON (RFC 7946, WGS84 lon/lat): a ``FeatureCollection``, a ``Feature`` or a bare
  ``Polygon``. The field is the Polygon feature whose property ``"kind"`` is ``"field"``
  (or the first Polygon); its interior rings are holes (ponds, tree islands). Other Polygon
  features are obstacles (``"kind": "obstacle"``); a Point with ``"kind": "obstacle"`` and
  ``"radius": "6 m"`` is a round obstacle (a power pylon); a Point with ``"kind": "base"``
  is where the drone takes off, refills and swaps batteries.
* KML: Placemarks with a Polygon (outer and inner boundaries) or a Point; the kind is read
  from ``<ExtendedData><Data name="kind">`` or else the Placemark's name; the first Polygon
  is the field.

A ``crs`` member other than WGS84 (EPSG:4326 / CRS84) is refused: coordinates must be lon/lat.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.errors import ShapelyError
from shapely.geometry import Point, Polygon, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from droneworks.core.errors import ConfigError
from droneworks.core.geo import LocalProjection
from droneworks.core.loader import parse_xml_text, read_text
from droneworks.core.units import Dimension, parse_quantity
from droneworks.core.validation import load_json

__all__ = ["Field", "field_from_lonlat", "load_field", "parse_field_geojson", "parse_field_kml"]

_WGS84_NAMES = {"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326", "EPSG:4326"}


@dataclass(frozen=True)
class Field:
    """A field in local metres: ``boundary`` (with holes), ``obstacles``, a ``base``."""

    name: str
    boundary: Polygon
    obstacles: tuple[Polygon, ...]
    base_xy: tuple[float, float]
    projection: LocalProjection

    @property
    def area_m2(self) -> float:
        """Area inside the outer boundary minus holes (obstacles not subtracted)."""
        return float(self.boundary.area)

    @cached_property
    def keep_out(self) -> BaseGeometry:
        """Holes and obstacles as one geometry (nothing flies or sprays there)."""
        holes = [Polygon(ring) for ring in self.boundary.interiors]
        return shapely.union_all([*holes, *self.obstacles])

    def sprayable(self, clearance_m: float = 0.0) -> BaseGeometry:
        """The field minus holes and obstacles grown by ``clearance_m``."""
        outer = Polygon(self.boundary.exterior)
        if self.keep_out.is_empty:
            return outer
        return outer.difference(self.keep_out.buffer(clearance_m))

    def flyable(self, margin_m: float = 0.0, clearance_m: float = 0.0) -> BaseGeometry:
        """Where the drone may fly: the outer boundary grown by ``margin_m`` minus keep-out
        areas grown by ``clearance_m``."""
        outer = Polygon(self.boundary.exterior).buffer(margin_m, join_style="mitre")
        if self.keep_out.is_empty:
            return outer
        return outer.difference(self.keep_out.buffer(clearance_m))

    def to_wgs84(self, geometry: BaseGeometry) -> BaseGeometry:
        return self.projection.geometry_to_wgs84(geometry)


def field_from_lonlat(
    name: str,
    exterior: Sequence[tuple[float, float]],
    holes: Sequence[Sequence[tuple[float, float]]] = (),
    obstacles: Sequence[Polygon] = (),
    base: tuple[float, float] | None = None,
    source: str = "field",
) -> Field:
    """Build a field from WGS84 lon/lat rings (obstacles are WGS84 polygons)."""
    polygon = Polygon(exterior, holes)
    _check_polygon(polygon, source)
    projection = LocalProjection.for_geometry(polygon)
    local = projection.geometry_to_local(polygon)
    _check_size(local, source)
    for obstacle in obstacles:
        _check_lonlat(obstacle, f"{source}: an obstacle")
    if base is not None:
        _check_lonlat(Point(base), f"{source}: the base")
    local_obstacles = tuple(projection.geometry_to_local(item) for item in obstacles)
    if base is None:
        x, y = local.exterior.coords[0]
    else:
        bx, by = projection.to_local(*base)
        x, y = float(bx), float(by)
    field = Field(name, shapely.normalize(local), local_obstacles, (float(x), float(y)), projection)
    if field.sprayable().area == 0:
        raise ConfigError(f"{source}: holes and obstacles cover the whole field")
    return field


MAX_FIELD_AREA_HA = 10_000.0
"""The largest field planned (100 km²): a survey of a larger one would run for hours."""
MAX_VERTICES = 100_000


def _check_lonlat(geometry: BaseGeometry, where: str) -> None:
    """Every coordinate of ``geometry`` is a finite WGS84 lon/lat in degrees."""
    for x, y in shapely.get_coordinates(geometry):
        if not (-180 <= x <= 180 and -90 <= y <= 90):
            raise ConfigError(
                f"{where}: coordinate ({x}, {y}) is not WGS84 lon/lat in degrees "
                "(projected coordinates are not accepted; reproject to EPSG:4326)"
            )


def _check_polygon(polygon: Polygon, source: str) -> None:
    if shapely.get_num_coordinates(polygon) > MAX_VERTICES:
        raise ConfigError(f"{source}: the field has more than {MAX_VERTICES:,} vertices")
    _check_lonlat(polygon, source)
    if not polygon.is_valid:
        raise ConfigError(f"{source}: the field polygon is invalid: {explain_validity(polygon)}")
    if polygon.is_empty or polygon.area == 0:
        raise ConfigError(f"{source}: the field polygon has no area")


def _check_size(local: Polygon, source: str) -> None:
    area_ha = Polygon(local.exterior).area / 1e4
    if area_ha > MAX_FIELD_AREA_HA:
        raise ConfigError(
            f"{source}: the field covers {area_ha:,.0f} ha; the limit is "
            f"{MAX_FIELD_AREA_HA:,.0f} ha (split it into several fields)"
        )


def _shape(data: dict[str, Any], where: str) -> BaseGeometry:
    """A shapely geometry from GeoJSON; malformed, empty or non-finite ones are refused."""
    try:
        geometry = shape(data)
    except (ShapelyError, ValueError, TypeError, AttributeError, KeyError, IndexError) as error:
        reason = " ".join(str(error).split())[:200]
        raise ConfigError(f"{where}: not a valid GeoJSON geometry ({reason})") from None
    if geometry.is_empty:
        raise ConfigError(f"{where}: the geometry has no coordinates")
    if not np.isfinite(shapely.get_coordinates(geometry)).all():
        raise ConfigError(f"{where}: coordinates must be finite numbers")
    return geometry


def _kind(properties: Mapping[str, Any] | None, default: str) -> str:
    value = (properties or {}).get("kind", default)
    return str(value).strip().lower()


def _obstacle(geometry: BaseGeometry, properties: Mapping[str, Any], where: str) -> Polygon:
    """A WGS84 obstacle polygon (a Point grows by its radius, in metres, locally)."""
    if isinstance(geometry, Polygon):
        if not geometry.is_valid or geometry.area == 0:
            reason = explain_validity(geometry) if not geometry.is_valid else "no area"
            raise ConfigError(f"{where}: the obstacle polygon is invalid: {reason}")
        return geometry
    if isinstance(geometry, Point):
        _check_lonlat(geometry, where)
        if "radius" not in properties:
            raise ConfigError(f'{where}: a Point obstacle needs a radius, e.g. "radius": "6 m"')
        radius_m = parse_quantity(properties["radius"], Dimension.LENGTH)
        projection = LocalProjection.for_lonlat(geometry.x, geometry.y)
        disc = projection.geometry_to_local(geometry).buffer(radius_m, quad_segs=4)
        return projection.geometry_to_wgs84(disc)
    raise ConfigError(
        f"{where}: an obstacle must be a Polygon or a Point, not a {geometry.geom_type}"
    )


def _features(data: Any, source: str) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    if not isinstance(data, dict) or "type" not in data:
        raise ConfigError(f'{source}: not a GeoJSON object (no "type")')
    crs = data.get("crs")
    if crs is not None:
        name = str((crs.get("properties") or {}).get("name", "")) if isinstance(crs, dict) else ""
        if name not in _WGS84_NAMES:
            raise ConfigError(
                f"{source}: unknown CRS {name or crs!r}; fields must be WGS84 lon/lat"
            )
    kind = data["type"]
    if kind == "FeatureCollection":
        items = data.get("features") or []
        if not isinstance(items, list):
            raise ConfigError(f"{source}: features: must be a list of Feature objects")
        return [_feature(f"features[{i}]", item, source) for i, item in enumerate(items)]
    if kind == "Feature":
        return [_feature("(feature)", data, source)]
    return [("(geometry)", data, {})]


def _feature(where: str, item: Any, source: str) -> tuple[str, dict[str, Any], dict[str, Any]]:
    if not isinstance(item, dict):
        raise ConfigError(f"{source}: {where}: not a GeoJSON Feature object")
    geometry, properties = item.get("geometry") or {}, item.get("properties") or {}
    if not isinstance(geometry, dict) or not isinstance(properties, dict):
        raise ConfigError(f"{source}: {where}: geometry and properties must be objects")
    return where, geometry, properties


def parse_field_geojson(data: Any, source: str, name: str = "field") -> Field:
    """A :class:`Field` from parsed GeoJSON (see the module docstring for conventions)."""
    field_polygon: Polygon | None = None
    obstacles: list[Polygon] = []
    base: tuple[float, float] | None = None
    for where, geometry_data, properties in _features(data, source):
        where = f"{source}: {where}.geometry"
        geometry = _shape(geometry_data, where)
        kind = _kind(properties, "field" if field_polygon is None else "obstacle")
        if kind == "base":
            if not isinstance(geometry, Point):
                raise ConfigError(f"{where}: the base must be a Point")
            base = (geometry.x, geometry.y)
        elif kind == "field":
            if not isinstance(geometry, Polygon):
                raise ConfigError(f"{where}: a {geometry.geom_type} is not a polygon")
            if field_polygon is not None:
                raise ConfigError(f"{where}: a second field polygon (one field per file)")
            field_polygon = geometry
            name = str(properties.get("name", name))
        elif kind in ("obstacle", "hole"):
            obstacles.append(_obstacle(geometry, properties, where))
        else:
            raise ConfigError(f"{where}: unknown kind {kind!r} (field, obstacle or base)")
    if field_polygon is None:
        raise ConfigError(f"{source}: no field polygon found")
    return field_from_lonlat(
        name,
        list(field_polygon.exterior.coords),
        [list(ring.coords) for ring in field_polygon.interiors],
        obstacles,
        base,
        source,
    )


_KML = "{http://www.opengis.net/kml/2.2}"


def _kml_ring(element: ET.Element | None, where: str) -> list[tuple[float, float]]:
    text = element.findtext(f".//{_KML}coordinates") if element is not None else None
    if not text:
        raise ConfigError(f"{where}: a boundary without coordinates")
    try:
        return [(float(p.split(",")[0]), float(p.split(",")[1])) for p in text.split()]
    except (ValueError, IndexError):
        raise ConfigError(f"{where}: coordinates are not lon,lat[,alt] triples") from None


def parse_field_kml(text: str, source: str, name: str = "field") -> dict[str, Any]:
    """KML text → the equivalent GeoJSON FeatureCollection (then :func:`parse_field_geojson`)."""
    root = parse_xml_text(text, source, "KML/XML")
    features: list[dict[str, Any]] = []
    for index, placemark in enumerate(root.iter(f"{_KML}Placemark")):
        where = f"{source}: Placemark[{index}]"
        label = (placemark.findtext(f"{_KML}name") or "").strip()
        props: dict[str, Any] = {"name": label or name}
        for data in placemark.iter(f"{_KML}Data"):
            props[data.get("name", "")] = (data.findtext(f"{_KML}value") or "").strip()
        polygon = placemark.find(f".//{_KML}Polygon")
        point = placemark.find(f".//{_KML}Point")
        if polygon is not None:
            outer = _kml_ring(polygon.find(f"{_KML}outerBoundaryIs"), where)
            inner = [_kml_ring(b, where) for b in polygon.findall(f"{_KML}innerBoundaryIs")]
            geometry: dict[str, Any] = {"type": "Polygon", "coordinates": [outer, *inner]}
        elif point is not None:
            geometry = {"type": "Point", "coordinates": _kml_ring(point, where)[0]}
        else:
            raise ConfigError(f"{where}: neither a Polygon nor a Point")
        if "kind" not in props:
            lowered = label.lower()
            props["kind"] = next((k for k in ("base", "obstacle") if k in lowered), None)
            if props["kind"] is None:
                del props["kind"]
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    if not features:
        raise ConfigError(f"{source}: no Placemark found")
    return {"type": "FeatureCollection", "features": features}


def load_field(path: str | Path) -> Field:
    """Read a field from a GeoJSON (.geojson/.json) or KML (.kml) file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".kml":
        data = parse_field_kml(read_text(path), str(path), path.stem)
    elif suffix in (".geojson", ".json"):
        data = load_json(path)
    else:
        raise ConfigError(f"{path}: unknown field file type {suffix!r} (.geojson or .kml)")
    return parse_field_geojson(data, str(path), path.stem)
