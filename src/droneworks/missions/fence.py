"""Geofences, rally points and the home elevation every exported mission carries.

* **Geofence** (QGroundControl ``geoFence`` version 2, ArduPilot polygon fences): one
  inclusion polygon — everything the mission flies (the field, the base, every planned
  position) grown by ``margin_m`` — and one exclusion polygon per keep-out area the mission
  never enters (a spray mission's holes and obstacles; a delivery's no-fly zones). A keep-out
  area the planned path crosses (a survey overflies ponds at survey height) is not fenced.
* **Rally points** (``rallyPoints`` version 2): the base, and the farthest vertex of the
  region from the base when it lies more than ``RALLY_SPACING_M`` away — with
  ``RTL`` to the nearest rally point, a drone at the far end lands nearby instead of
  crossing the whole field on a weak battery. A rally point's altitude is the *transit*
  altitude (relative to home) the autopilot flies to it at (MAVLink ``RALLY_POINT.alt``;
  ArduPilot Copter returns at it), so it is a safe return altitude — at least
  ``DEFAULT_RALLY_ALT_M`` (30 m, above trees, pylons' cables and farm buildings; ArduPilot's
  own ``RTL_ALT`` default is 15 m) and never below the mission's height — not the 2.5 m a
  spray plan works at; or the operator's own (``--rally-altitude``, :func:`rally_altitude_m`).
* **Home elevation**: the base's height above mean sea level, given (``--elevation``) or read
  from a DEM GeoTIFF (``--dem``), written as the plan's home altitude instead of 0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LineString, MultiPoint, Point, Polygon
from shapely.geometry.base import BaseGeometry

from droneworks.core.errors import ConfigError
from droneworks.missions.export import FencePolygon, RallyPoint

__all__ = [
    "DEFAULT_FENCE_MARGIN_M",
    "DEFAULT_RALLY_ALT_M",
    "DEFAULT_SITE",
    "RALLY_SPACING_M",
    "SiteOptions",
    "elevation_from_dem",
    "fence_polygons",
    "rally_altitude_m",
    "rally_points",
]

DEFAULT_FENCE_MARGIN_M = 20.0
DEFAULT_RALLY_ALT_M = 30.0
RALLY_SPACING_M = 300.0

ToLonLat = Callable[[BaseGeometry], BaseGeometry]


@dataclass(frozen=True)
class SiteOptions:
    """What the operator adds to every exported plan: home elevation, fence margin and the
    rally points' return altitude (``None``: :func:`rally_altitude_m`'s default)."""

    home_alt_amsl_m: float = 0.0
    fence_margin_m: float = DEFAULT_FENCE_MARGIN_M
    rally_alt_m: float | None = None

    def __post_init__(self) -> None:
        if not np.isfinite(self.home_alt_amsl_m) or not -500 <= self.home_alt_amsl_m <= 9000:
            raise ValueError(f"home elevation {self.home_alt_amsl_m} m is not on Earth")
        if not np.isfinite(self.fence_margin_m) or not 1 <= self.fence_margin_m <= 1000:
            raise ValueError(f"fence margin must be 1–1000 m, not {self.fence_margin_m}")
        if self.rally_alt_m is not None and not (
            np.isfinite(self.rally_alt_m) and self.rally_alt_m > 0
        ):
            raise ValueError(f"rally altitude must be positive, not {self.rally_alt_m}")


DEFAULT_SITE = SiteOptions()


def _latlon(polygon: Polygon, to_lonlat: ToLonLat) -> FencePolygon:
    ring = to_lonlat(Polygon(polygon.exterior)).exterior.coords[:-1]
    return FencePolygon(tuple((float(lat), float(lon)) for lon, lat in ring), inclusion=True)


def fence_polygons(
    region: BaseGeometry,
    path_xy: np.ndarray,
    keep_out: Sequence[Polygon],
    margin_m: float,
    to_lonlat: ToLonLat,
) -> tuple[FencePolygon, ...]:
    """Inclusion fence around ``region`` and the path (local metres), exclusions for each
    keep-out polygon the path does not cross; vertices as QGroundControl's (lat, lon)."""
    flown = LineString(path_xy) if len(path_xy) > 1 else Point(path_xy[0])
    covered = shapely.union_all([region, flown.buffer(1.0)])
    grown = covered.buffer(margin_m, join_style="mitre").simplify(0.5)
    parts = list(getattr(grown, "geoms", [grown]))
    outer = max(parts, key=lambda part: part.area)
    if len(parts) > 1:  # a region in several parts: one polygon around all of them
        outer = MultiPoint([p for part in parts for p in part.exterior.coords]).convex_hull
    fences = [_latlon(outer, to_lonlat)]
    for area in keep_out:
        if area.is_empty or area.area < 1.0 or flown.intersects(area):
            continue
        exclusion = _latlon(area.simplify(0.2), to_lonlat)
        fences.append(FencePolygon(exclusion.vertices_latlon, inclusion=False))
    return tuple(fences)


def rally_altitude_m(mission_height_m: float, given_m: float | None = None) -> float:
    """The rally points' return altitude: the operator's (``given_m``), else the mission's
    height or ``DEFAULT_RALLY_ALT_M``, whichever is higher."""
    return given_m if given_m is not None else max(mission_height_m, DEFAULT_RALLY_ALT_M)


def rally_points(
    region: BaseGeometry,
    base_xy: tuple[float, float],
    alt_m: float,
    to_lonlat: ToLonLat,
) -> tuple[RallyPoint, ...]:
    """The base, and the region's vertex farthest from it when that is far away, at the
    return altitude ``alt_m`` (see :func:`rally_altitude_m`)."""
    points = [Point(base_xy)]
    parts = list(getattr(region, "geoms", [region]))
    vertices = [Point(xy) for part in parts for xy in part.exterior.coords]
    farthest = max(vertices, key=points[0].distance, default=None)
    if farthest is not None and farthest.distance(points[0]) > RALLY_SPACING_M:
        points.append(farthest)
    result = []
    for point in points:
        lonlat = to_lonlat(point)
        result.append(RallyPoint(float(lonlat.y), float(lonlat.x), alt_m))
    return tuple(result)


def elevation_from_dem(path: str | Path, lon: float, lat: float) -> float:
    """Height (m AMSL) of a DEM GeoTIFF's first band at (``lon``, ``lat``)."""
    import pyproj
    import rasterio
    from rasterio.errors import RasterioIOError

    try:
        with rasterio.open(path) as src:
            if src.crs is None:
                raise ConfigError(f"{path}: the DEM has no CRS")
            to_dem = pyproj.Transformer.from_crs("EPSG:4326", src.crs, always_xy=True)
            x, y = to_dem.transform(lon, lat)
            row, col = src.index(x, y)
            if not (0 <= row < src.height and 0 <= col < src.width):
                raise ConfigError(f"{path}: the base ({lon:g}, {lat:g}) is outside the DEM")
            value = src.read(1, masked=True)[row, col]
    except RasterioIOError as error:
        raise ConfigError(f"{path}: not a readable GeoTIFF ({error})") from None
    if np.ma.is_masked(value) or not np.isfinite(float(value)):
        raise ConfigError(f"{path}: no elevation at the base ({lon:g}, {lat:g})")
    return float(value)
