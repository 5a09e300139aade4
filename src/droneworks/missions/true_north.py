"""Compass (true north) headings ↔ the grid headings of a field's projection.

Geometry is computed in the field's UTM zone, whose grid north differs from true north by
the meridian convergence (up to ≈ 3° at the edge of a zone at mid latitudes). Users give
and read headings and wind directions as compass degrees from true north; the planners
turn them into grid degrees with :func:`true_to_grid_deg` and report back with
:func:`grid_to_true_deg`.
"""

from __future__ import annotations

import math

from droneworks.core.geo import LocalProjection
from droneworks.missions.field import Field
from droneworks.missions.wind import Wind

__all__ = [
    "grid_to_true_deg",
    "grid_wind",
    "grid_wind_at",
    "north_grid_deg",
    "true_north_grid_deg",
    "true_to_grid_deg",
]


def north_grid_deg(projection: LocalProjection, lon: float, lat: float) -> float:
    """The grid heading of true north at (``lon``, ``lat``) in ``projection`` (minus the
    meridian convergence there)."""
    north_lat = lat + 1e-3 if lat < 89.0 else lat - 1e-3
    x0, y0 = (float(v) for v in projection.to_local(lon, lat))
    x1, y1 = (float(v) for v in projection.to_local(lon, north_lat))
    sign = 1.0 if north_lat > lat else -1.0
    return math.degrees(math.atan2(sign * (x1 - x0), sign * (y1 - y0)))


def true_north_grid_deg(field_: Field) -> float:
    """The grid heading of true north at the field's centre (minus the convergence)."""
    centre = field_.boundary.centroid
    lon, lat = (float(v) for v in field_.projection.to_wgs84(centre.x, centre.y))
    return north_grid_deg(field_.projection, lon, lat)


def true_to_grid_deg(field_: Field, heading_deg: float) -> float:
    """A compass heading (degrees from true north) as a grid heading in [0, 360)."""
    return (heading_deg + true_north_grid_deg(field_)) % 360.0


def grid_to_true_deg(field_: Field, heading_deg: float) -> float:
    """A grid heading as a compass heading (degrees from true north) in [0, 360)."""
    return (heading_deg - true_north_grid_deg(field_)) % 360.0


def grid_wind(field_: Field, wind: Wind) -> Wind:
    """``wind`` (direction from true north) with its direction in grid degrees."""
    if wind.speed_mps == 0.0:
        return wind
    return Wind(wind.speed_mps, true_to_grid_deg(field_, wind.from_deg))


def grid_wind_at(projection: LocalProjection, lon: float, lat: float, wind: Wind) -> Wind:
    """``wind`` (direction from true north) in grid degrees of ``projection`` at (``lon``,
    ``lat``)."""
    if wind.speed_mps == 0.0:
        return wind
    return Wind(wind.speed_mps, (wind.from_deg + north_grid_deg(projection, lon, lat)) % 360.0)
