"""Headlands: passes around the field edge (and around holes) before the swaths.

Pass ``i`` (0 = outermost) follows the line at ``(i + ½) · width`` inside the sprayable
area, so its spray strip covers the band ``[i·w, (i+1)·w]`` from the edge. The *mainland*
left for swaths is the area ``n · w`` inside; swaths are clipped at the innermost pass's
centre line (``(n − ½) · w`` inside) so their ragged ends overlap that pass, as in
Fields2Cover. With no passes, swaths run to the edge.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from shapely.geometry import LinearRing, LineString, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

__all__ = ["ConstantWidthHeadlandGenerator", "HeadlandGenerator", "Headlands"]

_JOIN = {"join_style": "mitre", "mitre_limit": 3.0}


@dataclass(frozen=True)
class Headlands:
    """Headland passes (closed rings, outermost first), the mainland and the swath clip."""

    passes: tuple[tuple[LineString, ...], ...]
    mainland: BaseGeometry
    swath_clip: BaseGeometry

    @property
    def length_m(self) -> float:
        return float(sum(ring.length for rings in self.passes for ring in rings))


def _polygons(geometry: BaseGeometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [] if geometry.is_empty else [geometry]
    if isinstance(geometry, MultiPolygon):
        return [g for g in geometry.geoms if not g.is_empty]
    return [g for g in getattr(geometry, "geoms", []) if isinstance(g, Polygon)]


def _rings(geometry: BaseGeometry, min_length_m: float) -> tuple[LineString, ...]:
    rings: list[LineString] = []
    for polygon in _polygons(geometry):
        for ring in (polygon.exterior, *polygon.interiors):
            if ring.length >= min_length_m:
                rings.append(LineString(LinearRing(ring).coords))
    return tuple(rings)


class HeadlandGenerator(Protocol):
    def generate(self, sprayable: BaseGeometry, width_m: float, passes: int) -> Headlands: ...


@dataclass(frozen=True)
class ConstantWidthHeadlandGenerator:
    """``passes`` headland passes of one swath width each (rings shorter than
    ``min_ring_m`` are dropped: nothing sprayable fits there)."""

    min_ring_m: float = 2.0

    def generate(self, sprayable: BaseGeometry, width_m: float, passes: int) -> Headlands:
        if width_m <= 0:
            raise ValueError(f"width_m must be positive, not {width_m}")
        if passes < 0:
            raise ValueError(f"passes must not be negative, not {passes}")
        rings = tuple(
            _rings(sprayable.buffer(-(index + 0.5) * width_m, **_JOIN), self.min_ring_m)
            for index in range(passes)
        )
        if passes == 0:
            return Headlands((), sprayable, sprayable)
        mainland = sprayable.buffer(-passes * width_m, **_JOIN)
        clip = sprayable.buffer(-(passes - 0.5) * width_m, **_JOIN)
        return Headlands(tuple(r for r in rings if r), mainland, clip)
