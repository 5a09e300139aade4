"""Small numpy helpers shared by the coverage stages: headings, rotation, polygon edges.

Headings are compass degrees (0 = north, 90 = east, clockwise). A swath at heading ``h``
runs along the unit vector ``(sin h, cos h)`` in local (east, north) metres. Stages work in
a *swath frame*: local coordinates rotated so that swaths run along +x.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

__all__ = ["FloatArray", "direction", "from_swath_frame", "polygon_edges", "to_swath_frame"]

FloatArray = npt.NDArray[np.float64]


def direction(heading_deg: float) -> tuple[float, float]:
    """Unit (east, north) vector of a compass heading."""
    radians = math.radians(heading_deg)
    return math.sin(radians), math.cos(radians)


def to_swath_frame(xy: FloatArray, heading_deg: float) -> FloatArray:
    """Local (n, 2) points → swath frame (swaths along +x)."""
    dx, dy = direction(heading_deg)
    out = np.empty_like(xy)
    out[:, 0] = xy[:, 0] * dx + xy[:, 1] * dy
    out[:, 1] = -xy[:, 0] * dy + xy[:, 1] * dx
    return out


def from_swath_frame(uv: FloatArray, heading_deg: float) -> FloatArray:
    """Swath-frame (n, 2) points → local metres."""
    dx, dy = direction(heading_deg)
    out = np.empty_like(uv)
    out[:, 0] = uv[:, 0] * dx - uv[:, 1] * dy
    out[:, 1] = uv[:, 0] * dy + uv[:, 1] * dx
    return out


def polygon_edges(region: BaseGeometry) -> FloatArray:
    """Every ring edge of a (multi)polygon as an (E, 4) array ``x0, y0, x1, y1``."""
    polygons: list[Polygon]
    if isinstance(region, Polygon):
        polygons = [region]
    elif isinstance(region, MultiPolygon):
        polygons = list(region.geoms)
    elif region.is_empty:
        polygons = []
    else:
        polygons = [g for g in getattr(region, "geoms", []) if isinstance(g, Polygon)]
    chunks = []
    for polygon in polygons:
        for ring in (polygon.exterior, *polygon.interiors):
            coords = np.asarray(ring.coords, dtype=float)
            chunks.append(np.hstack([coords[:-1], coords[1:]]))
    if not chunks:
        return np.zeros((0, 4))
    return np.vstack(chunks)
