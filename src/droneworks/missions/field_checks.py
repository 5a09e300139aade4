"""Plausibility checks of a field's coordinates before it is planned.

Each raises one :class:`~droneworks.core.errors.ConfigError` naming the source and what is
wrong: coordinates that are not WGS84 lon/lat, lat/lon swapped, an invalid or empty polygon
(in degrees, or once projected to metres), too many vertices, a field too large or spanning
too far to be one field.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from droneworks.core.errors import ConfigError
from droneworks.core.geo import LocalProjection
from droneworks.missions.limits import MAX_FIELD_EXTENT_M

__all__ = [
    "MAX_FIELD_AREA_HA",
    "MAX_VERTICES",
    "check_extent",
    "check_lonlat",
    "check_not_swapped",
    "check_polygon",
    "check_projected",
    "check_size",
    "right_corners",
]


def check_extent(local: Polygon, source: str) -> None:
    west, south, east, north = local.bounds
    extent_m = max(east - west, north - south)
    if extent_m > MAX_FIELD_EXTENT_M:
        raise ConfigError(
            f"{source}: the field spans {extent_m / 1000:.0f} km, not a field "
            "(a misplaced vertex, or lon/lat swapped in some coordinates?)"
        )


MAX_FIELD_AREA_HA = 10_000.0
"""The largest field planned (100 km²): a survey of a larger one would run for hours."""
MAX_VERTICES = 100_000
RIGHT_ANGLE_TOLERANCE_DEG = 0.5
MIN_EDGE_M = 20.0


def check_lonlat(geometry: BaseGeometry, where: str) -> None:
    """Every coordinate of ``geometry`` is a finite WGS84 lon/lat in degrees."""
    for x, y in shapely.get_coordinates(geometry):
        if not (-180 <= x <= 180 and -90 <= y <= 90):
            raise ConfigError(
                f"{where}: coordinate ({x}, {y}) is not WGS84 lon/lat in degrees "
                "(projected coordinates are not accepted; reproject to EPSG:4326)"
            )


def check_polygon(polygon: Polygon, source: str) -> None:
    if shapely.get_num_coordinates(polygon) > MAX_VERTICES:
        raise ConfigError(f"{source}: the field has more than {MAX_VERTICES:,} vertices")
    coords = list(polygon.exterior.coords)
    if all(abs(x) <= 90 for x, _ in coords) and any(90 < abs(y) <= 180 for _, y in coords):
        raise ConfigError(
            f"{source}: latitudes above 90° — the coordinates look like lat, lon (swapped); "
            "GeoJSON and KML write lon, lat"
        )
    check_lonlat(polygon, source)
    if not polygon.is_valid:
        raise ConfigError(f"{source}: the field polygon is invalid: {explain_validity(polygon)}")
    if polygon.is_empty or polygon.area == 0:
        raise ConfigError(f"{source}: the field polygon has no area")
    check_not_swapped(coords[:-1], source)


def right_corners(lonlat: Sequence[tuple[float, float]]) -> int:
    """How many corners of the ring (lon, lat degrees) are right angles on the ground
    (within ``RIGHT_ANGLE_TOLERANCE_DEG``, both edges ≥ ``MIN_EDGE_M``), measured in a local
    equirectangular frame (exact enough for angles over a field's extent)."""
    points = np.asarray(lonlat, dtype=float)
    if len(points) < 3:
        return 0
    scale = math.cos(math.radians(float(np.mean(points[:, 1]))))
    xy = np.column_stack([points[:, 0] * scale, points[:, 1]]) * 111_320.0
    before = xy - np.roll(xy, 1, axis=0)
    after = np.roll(xy, -1, axis=0) - xy
    lengths = np.hypot(*before.T) * np.hypot(*after.T)
    long_enough = (np.hypot(*before.T) >= MIN_EDGE_M) & (np.hypot(*after.T) >= MIN_EDGE_M)
    cosine = np.einsum("ij,ij->i", before, after) / np.maximum(lengths, 1e-12)
    off_right = np.degrees(np.abs(np.arcsin(np.clip(cosine, -1.0, 1.0))))
    return int(np.sum(long_enough & (off_right <= RIGHT_ANGLE_TOLERANCE_DEG)))


def check_not_swapped(lonlat: Sequence[tuple[float, float]], source: str) -> None:
    """Refuse a ring written lat, lon where both readings are valid coordinates (Europe:
    lon 10, lat 51 swapped is lon 51, lat 10). Read the wrong way round, a field's lengths
    east-west are scaled by the cosine of the wrong latitude, so its right-angled corners
    (fields are mostly drawn along tracks and boundaries at right angles) come out skewed:
    when the swapped reading has at least three right angles and the given one none, the
    coordinates are named as swapped. An axis-aligned rectangle stays right-angled both
    ways and cannot be told apart."""
    if any(abs(lon) > 90 for lon, _ in lonlat):
        return  # the swapped reading would not be a latitude
    given = right_corners(lonlat)
    swapped = right_corners([(lat, lon) for lon, lat in lonlat])
    if swapped >= 3 and given == 0:
        raise ConfigError(
            f"{source}: the coordinates look like lat, lon (swapped): read as lon, lat the "
            f"field has no right-angled corner, read as lat, lon it has {swapped}; GeoJSON "
            "and KML write lon, lat"
        )


def check_size(local: Polygon, source: str) -> None:
    area_ha = Polygon(local.exterior).area / 1e4
    if area_ha > MAX_FIELD_AREA_HA:
        raise ConfigError(
            f"{source}: the field covers {area_ha:,.0f} ha; the limit is "
            f"{MAX_FIELD_AREA_HA:,.0f} ha (split it into several fields)"
        )


_WHERE = re.compile(r"^(?P<reason>[^\[]*)\[(?P<x>\S+) (?P<y>\S+)\]")


def check_projected(local: BaseGeometry, projection: LocalProjection, where: str) -> None:
    """A polygon valid in degrees can cross itself in metres: a vertex a metre or less from
    another edge (a sliver, a spike) lands on the other side of it once projected, and every
    later geometry operation would fail. Refused here, with the place in lon/lat."""
    if local.is_valid:
        return
    reason = explain_validity(local)
    match = _WHERE.match(reason)
    if match:
        lon, lat = projection.to_wgs84(float(match["x"]), float(match["y"]))
        reason = f"{match['reason'].strip().lower()} near ({float(lon):.7f}, {float(lat):.7f})"
    raise ConfigError(
        f"{where}: the polygon crosses itself once projected to metres ({reason}); "
        "a vertex lies too close to another edge — move it or remove it"
    )
