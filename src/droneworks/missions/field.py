"""Fields: a WGS84 polygon with holes and obstacles, read from GeoJSON or KML, kept in metres.

File conventions (see docs/missions.md):

* GeoJSON (RFC 7946, WGS84 lon/lat): a ``FeatureCollection``, a ``Feature`` or a bare
  ``Polygon``. The field is the Polygon feature whose property ``"kind"`` is ``"field"``
  (or the first Polygon); its interior rings are holes (ponds, tree islands). Other Polygon
  features are obstacles (``"kind": "obstacle"``); a Point with ``"kind": "obstacle"`` and
  ``"radius": "6 m"`` is a round obstacle (a power pylon); a Point with ``"kind": "base"``
  is where the drone takes off, refills and swaps batteries. ``"kind": "water"`` and
  ``"no-spray"`` (Polygons, or Points with a radius; optional ``"buffer": "10 m"``) are
  areas not to spray but safe to fly over. A MultiPolygon field (a field split by a track)
  is planned part by part (:func:`parse_field_parts`).
* KML (:mod:`.field_kml`): Placemarks with a Polygon (outer and inner boundaries; several
  Polygons in a MultiGeometry are a field in parts) or a Point; the kind is read from
  ``<ExtendedData><Data name="kind">`` or else the Placemark's name; the first Polygon is
  the field.

A ``crs`` member other than WGS84 (EPSG:4326 / CRS84) is refused: coordinates must be lon/lat.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.errors import ShapelyError
from shapely.geometry import MultiPolygon, Point, Polygon, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from droneworks.core.errors import ConfigError
from droneworks.core.geo import LocalProjection
from droneworks.core.loader import read_text
from droneworks.core.units import Dimension, parse_quantity
from droneworks.core.validation import load_json
from droneworks.missions.field_checks import (
    MAX_FIELD_AREA_HA,
    check_extent,
    check_lonlat,
    check_polygon,
    check_projected,
    check_size,
)
from droneworks.missions.field_kml import parse_field_kml
from droneworks.missions.limits import MAX_BASE_DISTANCE_M

__all__ = [
    "MAX_FIELD_AREA_HA",
    "Field",
    "NoSprayZone",
    "field_from_lonlat",
    "load_field",
    "parse_field_geojson",
    "parse_field_kml",
]

_WGS84_NAMES = {"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326", "EPSG:4326"}


@dataclass(frozen=True)
class NoSprayZone:
    """An area not to spray but safe to fly over, in local metres: ``kind`` "water" (a
    stream, a pond) or "no-spray" (a beehive, a garden); ``buffer_m`` is the distance kept
    from it (None: the field's default for its kind)."""

    name: str
    kind: str
    polygon: Polygon
    buffer_m: float | None = None


@dataclass(frozen=True)
class Field:
    """A field in local metres: ``boundary`` (with holes), ``obstacles``, a ``base``;
    ``no_spray`` zones and the buffers kept from water (zones and holes) and from no-spray
    zones when spraying."""

    name: str
    boundary: Polygon
    obstacles: tuple[Polygon, ...]
    base_xy: tuple[float, float]
    projection: LocalProjection
    no_spray: tuple[NoSprayZone, ...] = ()
    water_buffer_m: float = 0.0
    no_spray_buffer_m: float = 0.0

    @cached_property
    def spray_exclusion(self) -> BaseGeometry:
        """Where not to spray although the drone may fly there: water (holes and water
        zones) grown by the water buffer, no-spray zones grown by theirs."""
        parts = [Polygon(r).buffer(self.water_buffer_m) for r in self.boundary.interiors]
        for zone in self.no_spray:
            default = self.water_buffer_m if zone.kind == "water" else self.no_spray_buffer_m
            parts.append(
                zone.polygon.buffer(zone.buffer_m if zone.buffer_m is not None else default)
            )
        return shapely.union_all(parts)

    def with_spray_buffers(self, water_m: float | None, no_spray_m: float | None) -> Field:
        """The same field keeping ``water_m`` from water and ``no_spray_m`` from no-spray
        zones (None keeps the current distance)."""
        for what, value in (("water", water_m), ("no-spray", no_spray_m)):
            if value is not None and not (math.isfinite(value) and 0 <= value <= 500):
                raise ValueError(f"the {what} buffer must be 0–500 m, not {value:g} m")
        return replace(
            self,
            water_buffer_m=self.water_buffer_m if water_m is None else water_m,
            no_spray_buffer_m=self.no_spray_buffer_m if no_spray_m is None else no_spray_m,
        )

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
        """The field minus holes and obstacles grown by ``clearance_m`` and minus the
        :attr:`spray_exclusion`."""
        outer = Polygon(self.boundary.exterior)
        if not self.keep_out.is_empty:
            outer = outer.difference(self.keep_out.buffer(clearance_m))
        if not self.spray_exclusion.is_empty:
            outer = outer.difference(self.spray_exclusion)
        return outer

    def flyable(self, margin_m: float = 0.0, clearance_m: float = 0.0) -> BaseGeometry:
        """Where the drone may fly: the outer boundary grown by ``margin_m`` minus keep-out
        areas grown by ``clearance_m``."""
        outer = Polygon(self.boundary.exterior).buffer(margin_m, join_style="mitre")
        if self.keep_out.is_empty:
            return outer
        return outer.difference(self.keep_out.buffer(clearance_m))

    def to_wgs84(self, geometry: BaseGeometry) -> BaseGeometry:
        return self.projection.geometry_to_wgs84(geometry)

    def with_base(self, lon: float, lat: float, where: str = "base") -> Field:
        """The same field taking off from (``lon``, ``lat``), checked: not inside a hole or
        an obstacle, not farther than ``MAX_BASE_DISTANCE_M`` from the field (a swapped
        LAT,LON is named as such)."""
        if not (math.isfinite(lon) and math.isfinite(lat)):
            raise ConfigError(f"{where}: ({lon}, {lat}) is not a position")
        x, y = (float(v) for v in self.projection.to_local(lon, lat))
        point = Point(x, y)
        if self.keep_out.covers(point):
            raise ConfigError(
                f"{where}: ({lon:g}, {lat:g}) is inside a hole or an obstacle of the field; "
                "put the base on dry, open ground"
            )
        distance_m = Polygon(self.boundary.exterior).distance(point)
        if distance_m > MAX_BASE_DISTANCE_M:
            swapped = Point(*(float(v) for v in self.projection.to_local(lat, lon)))
            if Polygon(self.boundary.exterior).distance(swapped) <= MAX_BASE_DISTANCE_M:
                raise ConfigError(
                    f"{where}: ({lon:g}, {lat:g}) looks like LAT,LON swapped; "
                    f"write it as LON,LAT ({lat:g}, {lon:g})"
                )
            raise ConfigError(
                f"{where}: ({lon:g}, {lat:g}) is {distance_m / 1000:.1f} km from the field "
                f"(at most {MAX_BASE_DISTANCE_M / 1000:g} km)"
            )
        return replace(self, base_xy=(x, y))


def field_from_lonlat(
    name: str,
    exterior: Sequence[tuple[float, float]],
    holes: Sequence[Sequence[tuple[float, float]]] = (),
    obstacles: Sequence[Polygon] = (),
    base: tuple[float, float] | None = None,
    source: str = "field",
    no_spray: Sequence[NoSprayZone] = (),
) -> Field:
    """Build a field from WGS84 lon/lat rings (obstacles and ``no_spray`` zones in WGS84)."""
    polygon = Polygon(exterior, holes)
    check_polygon(polygon, source)
    projection = LocalProjection.for_geometry(polygon)
    local = projection.geometry_to_local(polygon)
    check_size(local, source)
    check_extent(local, source)
    check_projected(local, projection, f"{source}: the field")
    for obstacle in obstacles:
        check_lonlat(obstacle, f"{source}: an obstacle")
    if base is not None:
        check_lonlat(Point(base), f"{source}: the base")
    local_obstacles = tuple(projection.geometry_to_local(item) for item in obstacles)
    for index, item in enumerate(local_obstacles):
        check_projected(item, projection, f"{source}: obstacle {index + 1}")
    x, y = local.exterior.coords[0]
    zones = tuple(
        replace(zone, polygon=projection.geometry_to_local(zone.polygon)) for zone in no_spray
    )
    for index, zone in enumerate(zones):
        check_projected(zone.polygon, projection, f"{source}: {zone.kind} zone {index + 1}")
    result = Field(
        name, shapely.normalize(local), local_obstacles, (float(x), float(y)), projection, zones
    )
    _check_sprayable(result, source)
    return result if base is None else result.with_base(*base, where=f"{source}: base")


def _check_sprayable(field: Field, source: str) -> None:
    """Refuse a field that holes and obstacles cover completely (nothing to plan)."""
    outer = Polygon(field.boundary.exterior)
    for index, obstacle in enumerate(field.obstacles):
        if outer.difference(obstacle).area < 1.0:
            raise ConfigError(
                f"{source}: holes and obstacles cover the whole field "
                f"(obstacle {index + 1} covers all of it)"
            )
    if field.sprayable().area < 1.0:
        raise ConfigError(f"{source}: holes and obstacles cover the whole field")


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
        check_lonlat(geometry, where)
        if "radius" not in properties:
            raise ConfigError(f'{where}: a Point obstacle needs a radius, e.g. "radius": "6 m"')
        radius_m = parse_quantity(properties["radius"], Dimension.LENGTH)
        projection = LocalProjection.for_lonlat(geometry.x, geometry.y)
        disc = projection.geometry_to_local(geometry).buffer(radius_m, quad_segs=4)
        return projection.geometry_to_wgs84(disc)
    raise ConfigError(
        f"{where}: an obstacle must be a Polygon or a Point, not a {geometry.geom_type}"
    )


def _no_spray_zone(
    kind: str, geometry: BaseGeometry, properties: Mapping[str, Any], where: str
) -> NoSprayZone:
    """A water or no-spray zone (WGS84) with its optional ``"buffer": "10 m"``."""
    polygon = _obstacle(geometry, properties, where)
    buffer_m = None
    if "buffer" in properties:
        buffer_m = parse_quantity(properties["buffer"], Dimension.LENGTH)
        if not 0 <= buffer_m <= 500:
            raise ConfigError(f"{where}: buffer must be 0–500 m, not {properties['buffer']!r}")
    name = str(properties.get("name", kind))
    return NoSprayZone(name, kind, polygon, buffer_m)


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
    parts = parse_field_parts(data, source, name)
    if len(parts) > 1:
        raise ConfigError(
            f"{source}: the field is a MultiPolygon of {len(parts)} parts; "
            "read it with parse_field_parts (the CLI plans each part)"
        )
    return parts[0]


def parse_field_parts(data: Any, source: str, name: str = "field") -> list[Field]:
    """One :class:`Field` per polygon of the field (a MultiPolygon field — e.g. split by a
    track — gives several, named "<name> part 1" …); obstacles and zones go with every part,
    the base too (checked against each part)."""
    field_polygon: Polygon | MultiPolygon | None = None
    obstacles: list[Polygon] = []
    no_spray: list[NoSprayZone] = []
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
            if not isinstance(geometry, Polygon | MultiPolygon):
                raise ConfigError(f"{where}: a {geometry.geom_type} is not a polygon")
            if field_polygon is not None:
                raise ConfigError(f"{where}: a second field polygon (one field per file)")
            field_polygon = geometry
            name = str(properties.get("name", name))
        elif kind in ("obstacle", "hole"):
            obstacles.append(_obstacle(geometry, properties, where))
        elif kind in ("water", "no-spray"):
            no_spray.append(_no_spray_zone(kind, geometry, properties, where))
        else:
            raise ConfigError(
                f"{where}: unknown kind {kind!r} (field, obstacle, water, no-spray or base)"
            )
    if field_polygon is None:
        raise ConfigError(f"{source}: no field polygon found")
    polygons = list(getattr(field_polygon, "geoms", [field_polygon]))
    return [
        field_from_lonlat(
            name if len(polygons) == 1 else f"{name} part {index + 1}",
            list(polygon.exterior.coords),
            [list(ring.coords) for ring in polygon.interiors],
            [item for item in obstacles if item.intersects(polygon)],
            base,
            source if len(polygons) == 1 else f"{source}: part {index + 1}",
            no_spray,
        )
        for index, polygon in enumerate(polygons)
    ]


def _read_field_file(path: Path) -> Any:
    suffix = path.suffix.lower()
    if suffix == ".kml":
        return parse_field_kml(read_text(path), str(path), path.stem)
    if suffix in (".geojson", ".json"):
        return load_json(path)
    raise ConfigError(f"{path}: unknown field file type {suffix!r} (.geojson or .kml)")


def load_field(path: str | Path) -> Field:
    """Read a field from a GeoJSON (.geojson/.json) or KML (.kml) file."""
    path = Path(path)
    return parse_field_geojson(_read_field_file(path), str(path), path.stem)


def load_field_parts(path: str | Path) -> list[Field]:
    """Read a field file; one :class:`Field` per part of a MultiPolygon field."""
    path = Path(path)
    return parse_field_parts(_read_field_file(path), str(path), path.stem)
