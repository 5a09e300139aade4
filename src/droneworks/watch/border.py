"""Border lines: the shipped Natural Earth extract, user GeoJSON, positions along and across.

A :class:`Border` is one line in local metres (a :class:`~droneworks.core.geo.LocalProjection`
beside it) oriented so the **protected side lies on the left** of its direction. Positions
are given as *along* (metres from the line's start) and *offset* (metres across it, positive
= behind the line on the protected side, negative = the neighbour's side).

The shipped file ``data/borders.geojson`` (made by ``scripts/make_borders.py`` from Natural
Earth 1:10m, public domain) holds eleven borders with a reference length and its source
beside the length measured on the map, which is 4–30 % shorter: rivers meander below map
resolution (docs/watch.md says how generalised the line is). Several segments given in order are
chained into one line. Long segments are densified every ≤ 1 km **along the geodesic** (the
shortest path on the WGS84 ellipsoid, pyproj's ``Geod``) by default — the path whose length
every "map length" is — or, with ``edges="lonlat"``, along the straight line in longitude/
latitude (how RFC 7946 defines a GeoJSON segment and a GIS draws it). They part by up to
1.05 km in the middle of the 196 km Kaliningrad–Poland segment; docs/watch.md says more.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString, shape

from droneworks.core.errors import ConfigError
from droneworks.core.geo import LocalProjection
from droneworks.watch.border_files import read_line_file

__all__ = [
    "EDGES",
    "Border",
    "BorderSegment",
    "border_from_file",
    "border_from_ids",
    "densify",
    "shipped_border_ids",
    "shipped_borders",
]

FloatArray = npt.NDArray[np.float64]
_GEOD = Geod(ellps="WGS84")
_CONNECT_WARN_M = 2_000.0
DENSIFY_STEP_M = 1_000.0
EDGES = ("geodesic", "lonlat")  # how a segment between two vertices runs on the ground


@dataclass(frozen=True)
class BorderSegment:
    """One named stretch of the chained line, with its official and map lengths."""

    id: str
    name: str
    start_m: float
    end_m: float
    map_length_km: float
    official_length_km: float | None = None
    official_length_source: str | None = None  # who published it (shipped lines say)


@dataclass(frozen=True)
class Border:
    """A border line in local metres; the protected side is on the left."""

    name: str
    line_m: LineString
    projection: LocalProjection
    segments: tuple[BorderSegment, ...]
    connectors_m: float = 0.0  # straight joins added between segments that did not touch

    @property
    def length_m(self) -> float:
        return float(self.line_m.length)

    @property
    def official_length_km(self) -> float | None:
        lengths = [s.official_length_km for s in self.segments]
        return None if any(v is None for v in lengths) else float(sum(lengths))  # type: ignore[arg-type]

    @property
    def official_length_source(self) -> str | None:
        """Who published the official length(s), in short ("CIA World Factbook")."""
        sources = [s.official_length_source for s in self.segments]
        if any(v is None for v in sources):
            return None
        short = [str(v).split(",")[0].split(" (")[0] for v in sources]
        return "; ".join(dict.fromkeys(short))

    @cached_property
    def _vertices(self) -> tuple[FloatArray, FloatArray]:
        coords = np.asarray(self.line_m.coords, dtype=float)
        steps = np.hypot(*np.diff(coords, axis=0).T)
        return coords, np.concatenate([[0.0], np.cumsum(steps)])

    def _interpolate(self, along: FloatArray) -> FloatArray:
        coords, cumulative = self._vertices
        x = np.interp(along, cumulative, coords[:, 0])
        y = np.interp(along, cumulative, coords[:, 1])
        return np.column_stack([x, y])

    def points_at(
        self, along_m: FloatArray | float, offset_m: FloatArray | float = 0.0
    ) -> FloatArray:
        """Local (x, y) of positions ``along_m`` the line, ``offset_m`` behind it (n, 2)."""
        along = np.atleast_1d(np.clip(np.asarray(along_m, dtype=float), 0.0, self.length_m))
        base = self._interpolate(along)
        offset = np.broadcast_to(np.asarray(offset_m, dtype=float), along.shape)
        if not np.any(offset):
            return base
        result: FloatArray = base + self.normals_at(along) * offset[:, None]
        return result

    def normals_at(self, along_m: FloatArray) -> FloatArray:
        """Unit normals to the protected (left) side at ``along_m`` (n, 2), over ±5 m."""
        along = np.atleast_1d(np.asarray(along_m, dtype=float))
        step = min(5.0, self.length_m / 4)
        ahead = self._interpolate(np.minimum(along + step, self.length_m))
        behind = self._interpolate(np.maximum(along - step, 0.0))
        tangent = ahead - behind
        tangent /= np.maximum(np.linalg.norm(tangent, axis=1, keepdims=True), 1e-12)
        return np.column_stack([-tangent[:, 1], tangent[:, 0]])

    def locate(self, xy: FloatArray) -> tuple[FloatArray, FloatArray]:
        """(along_m, signed offset_m) of local points; offset > 0 on the protected side."""
        points = np.atleast_2d(np.asarray(xy, dtype=float))
        geoms = shapely.points(points)
        along = np.asarray(shapely.line_locate_point(self.line_m, geoms), dtype=float)
        nearest = self._interpolate(along)
        delta = points - nearest
        distance = np.linalg.norm(delta, axis=1)
        side = np.einsum("ij,ij->i", delta, self.normals_at(along))
        return along, np.where(side >= 0, distance, -distance)

    def sample(self, spacing_m: float) -> tuple[FloatArray, FloatArray]:
        """Midpoints of equal pieces ≤ ``spacing_m`` long: (along_m, piece length_m)."""
        if spacing_m <= 0:
            raise ValueError(f"spacing_m must be positive, not {spacing_m}")
        count = max(1, int(np.ceil(self.length_m / spacing_m)))
        piece = self.length_m / count
        along: FloatArray = (np.arange(count, dtype=float) + 0.5) * piece
        return along, np.full(count, piece, dtype=float)

    def to_lonlat(self, xy: FloatArray) -> FloatArray:
        """Local (n, 2) → WGS84 (lon, lat) (n, 2)."""
        points = np.atleast_2d(np.asarray(xy, dtype=float))
        lon, lat = self.projection.to_wgs84(points[:, 0], points[:, 1])
        return np.column_stack([np.atleast_1d(lon), np.atleast_1d(lat)])

    def to_local(self, lonlat: FloatArray) -> FloatArray:
        points = np.atleast_2d(np.asarray(lonlat, dtype=float))
        x, y = self.projection.to_local(points[:, 0], points[:, 1])
        return np.column_stack([np.atleast_1d(x), np.atleast_1d(y)])

    def grid_north_deg(self, xy: FloatArray) -> FloatArray:
        """Bearing of true north in the local grid at local points (grid convergence), deg.

        A true bearing (a compass azimuth) is ``grid bearing − grid_north_deg``.
        """
        lonlat = self.to_lonlat(xy)
        north = self.to_local(lonlat + np.array([0.0, 0.01]))
        delta = north - np.atleast_2d(np.asarray(xy, dtype=float))
        result: FloatArray = np.degrees(np.arctan2(delta[:, 0], delta[:, 1]))
        return result

    def segment_at(self, along_m: float) -> BorderSegment:
        for segment in self.segments:
            if along_m <= segment.end_m:
                return segment
        return self.segments[-1]


def _coords(points: Any) -> FloatArray:
    return np.asarray(shapely.get_coordinates(points), dtype=float).reshape(-1, 2)


@cache
def _shipped() -> dict[str, dict[str, Any]]:
    text = resources.files("droneworks.watch").joinpath("data/borders.geojson").read_text("utf-8")
    collection = json.loads(text)
    return {feature["properties"]["id"]: feature for feature in collection["features"]}


def shipped_borders() -> Mapping[str, Mapping[str, Any]]:
    """Properties of every shipped border by id (lengths, countries, source)."""
    return {key: dict(feature["properties"]) for key, feature in _shipped().items()}


def shipped_border_ids() -> list[str]:
    return sorted(_shipped())


def border_from_ids(
    ids: Sequence[str],
    name: str | None = None,
    protected_side: str = "left",
    edges: str = "geodesic",
) -> Border:
    """Chain shipped borders given by id, in order, into one :class:`Border`.

    Each shipped line has its ``protected`` country on the left; ``protected_side="right"``
    watches from the other country (the chained line is reversed). ``edges``: segments run
    along the ``"geodesic"`` or the straight ``"lonlat"`` line (module docstring).
    """
    if not ids:
        raise ValueError("give at least one border id")
    _check_options(protected_side, edges)
    features = _shipped()
    lines, meta = [], []
    for border_id in ids:
        if border_id not in features:
            known = ", ".join(sorted(features))
            raise ConfigError(f'unknown border "{border_id}"; shipped borders: {known}')
        props = features[border_id]["properties"]
        lines.append(shape(features[border_id]["geometry"]))
        meta.append(
            (border_id, str(props["name"]), props.get("official_length_km"),
             props.get("official_length_source"))
        )  # fmt: skip
    label = name or " + ".join(m[1] for m in meta)
    if protected_side == "right":
        lines = [LineString(list(line.coords)[::-1]) for line in lines[::-1]]
        meta = meta[::-1]
    return _build(lines, meta, label, edges)


def _check_options(protected_side: str, edges: str) -> None:
    if protected_side not in {"left", "right"}:
        raise ValueError(f'protected_side must be "left" or "right", not "{protected_side}"')
    if edges not in EDGES:
        raise ValueError(f'edges must be "geodesic" or "lonlat", not "{edges}"')


def border_from_file(
    path: str | Path, protected_side: str = "left", name: str | None = None,
    edges: str = "geodesic",
) -> Border:  # fmt: skip
    """A user border from a GeoJSON or KML line file (see :mod:`~droneworks.watch.border_files`).

    ``protected_side`` says on which side of the line's direction the protected area lies.
    Lines are chained in file order; ``official_length_km`` (and ``official_length_source``)
    in a feature's properties are kept as metadata. ``edges`` as in :func:`border_from_ids`.
    """
    _check_options(protected_side, edges)
    shipped = [shape(feature["geometry"]) for feature in _shipped().values()]
    features = read_line_file(path, shipped)
    lines, meta = [], []
    for index, (geometry, props) in enumerate(features):
        parts = list(geometry.geoms) if isinstance(geometry, MultiLineString) else [geometry]
        for part in parts:
            if protected_side == "right":
                part = LineString(list(part.coords)[::-1])
            lines.append(part)
            label = str(props.get("name", props.get("id", f"line {index + 1}")))
            source = props.get("official_length_source")
            meta.append(
                (str(props.get("id", label)), label, _official(props),
                 str(source)[:200] if source is not None else None)
            )  # fmt: skip
    if protected_side == "right":
        lines, meta = lines[::-1], meta[::-1]
    return _build(lines, meta, name or Path(path).stem, edges)


def _official(props: Mapping[str, Any]) -> float | None:
    value = props.get("official_length_km")
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return float(value)
    return None


def densify(
    line: LineString, max_step_m: float = DENSIFY_STEP_M, edges: str = "geodesic"
) -> LineString:
    """``line`` (lon/lat) with points added so no step is longer than ``max_step_m``.

    ``edges="geodesic"``: the points lie on the geodesic between each two vertices (pyproj
    ``Geod.npts``), so the densified line has the same geodesic length as ``line``;
    ``"lonlat"``: on the straight line in longitude/latitude (RFC 7946 §3.1.1), which for the
    196 km Kaliningrad–Poland segment near 54.4° N runs 1.05 km south of the geodesic.
    Projected without added points, a long segment would be straight in the projection: close
    to the geodesic, but not on it.
    """
    coords = np.asarray(line.coords, dtype=float)[:, :2]
    pieces = [coords[:1]]
    for start, end in itertools.pairwise(coords):
        _, _, step = _GEOD.inv(start[0], start[1], end[0], end[1])
        count = max(1, int(np.ceil(step / max_step_m)))
        if edges == "geodesic" and count > 1:
            inner = np.asarray(_GEOD.npts(start[0], start[1], end[0], end[1], count - 1))
            pieces.append(np.vstack([inner.reshape(-1, 2), end[None, :]]))
        else:
            fractions = np.arange(1, count + 1, dtype=float)[:, None] / count
            pieces.append(start + fractions * (end - start))
    return LineString(np.concatenate(pieces))


def _build(
    lines_lonlat: list[LineString],
    meta: list[tuple[str, str, Any, str | None]],
    name: str,
    edges: str = "geodesic",
) -> Border:
    projection = LocalProjection.for_geometry(MultiLineString(lines_lonlat))
    coords: list[tuple[float, float]] = []
    segments, connectors = [], 0.0
    for line, (seg_id, seg_name, official, source) in zip(lines_lonlat, meta, strict=True):
        local = list(projection.geometry_to_local(densify(line, edges=edges)).coords)
        if coords:
            gap = float(np.hypot(local[0][0] - coords[-1][0], local[0][1] - coords[-1][1]))
            connectors += gap
            if gap < 1e-6:
                local = local[1:]
        start = LineString(coords).length if len(coords) > 1 else 0.0
        coords.extend(local)
        end = LineString(coords).length
        map_km = _GEOD.geometry_length(densify(line, edges=edges)) / 1000.0
        official_km = float(official) if official is not None else None
        segments.append(BorderSegment(seg_id, seg_name, start, end, map_km, official_km, source))
    return Border(name, LineString(coords), projection, tuple(segments), connectors)
