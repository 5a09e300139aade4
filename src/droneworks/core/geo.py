"""WGS84 ↔ local metric coordinates.

All geometry in droneworks is computed in metres in a projection chosen for the area of
interest: the UTM zone of the area's centre (conformal, < 0.1 % scale error within a zone),
or, for areas wider than a zone (a whole border), a transverse Mercator centred on the area.
Coordinates are ``(lon, lat)`` in degrees on the WGS84 side, ``(x, y)`` = (easting,
northing) in metres on the local side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import pyproj
import shapely
from shapely.geometry.base import BaseGeometry

__all__ = ["LocalProjection"]

G = TypeVar("G", bound=BaseGeometry)
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class LocalProjection:
    """A metric projection for one area, with transforms both ways.

    Build it with :meth:`for_lonlat` or :meth:`for_geometry`; the EPSG code or PROJ string is
    kept in :attr:`crs` so results can say which projection they used.
    """

    crs: str
    _forward: pyproj.Transformer = field(repr=False, compare=False)
    _inverse: pyproj.Transformer = field(repr=False, compare=False)

    @classmethod
    def from_crs(cls, crs: str) -> LocalProjection:
        forward = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
        inverse = pyproj.Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
        return cls(crs, forward, inverse)

    @classmethod
    def for_lonlat(cls, lon: float, lat: float, width_deg: float = 0.0) -> LocalProjection:
        """UTM zone of ``(lon, lat)``; a centred transverse Mercator if wider than 6°."""
        if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
            raise ValueError(f"({lon}, {lat}) is not a WGS84 longitude/latitude in degrees")
        if width_deg > 6.0 or abs(lat) > 84.0:
            return cls.from_crs(
                f"+proj=tmerc +lat_0={lat:.6f} +lon_0={lon:.6f} +k=1 +x_0=0 +y_0=0 "
                "+ellps=WGS84 +units=m +no_defs"
            )
        zone = min(int((lon + 180.0) // 6.0) + 1, 60)
        epsg = (32600 if lat >= 0 else 32700) + zone
        return cls.from_crs(f"EPSG:{epsg}")

    @classmethod
    def for_geometry(cls, geometry: BaseGeometry) -> LocalProjection:
        """A projection suited to a WGS84 geometry's extent."""
        if geometry.is_empty:
            raise ValueError("cannot choose a projection for an empty geometry")
        min_lon, min_lat, max_lon, max_lat = geometry.bounds
        return cls.for_lonlat(
            (min_lon + max_lon) / 2, (min_lat + max_lat) / 2, width_deg=max_lon - min_lon
        )

    def to_local(
        self, lon: float | FloatArray, lat: float | FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        """WGS84 degrees → local metres."""
        x, y = self._forward.transform(lon, lat)
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)

    def to_wgs84(
        self, x: float | FloatArray, y: float | FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        """Local metres → WGS84 degrees (lon, lat)."""
        lon, lat = self._inverse.transform(x, y)
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)

    def geometry_to_local(self, geometry: G) -> G:
        """A shapely geometry in WGS84 degrees → the same geometry in local metres."""
        return self._apply(self._forward, geometry)

    def geometry_to_wgs84(self, geometry: G) -> G:
        """A shapely geometry in local metres → WGS84 degrees."""
        return self._apply(self._inverse, geometry)

    @staticmethod
    def _apply(transformer: pyproj.Transformer, geometry: G) -> G:
        def move(x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
            return transformer.transform(x, y)

        result: G = shapely.transform(geometry, move, interleaved=False)
        return result
