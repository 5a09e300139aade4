"""Site constraints of a placement: where masts may stand, where not, and what a site costs.

``[placement] allowed = "sites.geojson"`` keeps only candidates inside its polygons (land the
operator owns or may lease, say); ``excluded = "no-go.geojson"`` drops candidates inside its
polygons (a nature reserve, a town). A polygon of either file may carry a ``site_cost_eur``
property: added to the price of every candidate inside it (a road, a power line, a lease).
Files are GeoJSON (Polygon or MultiPolygon features, longitude, latitude).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import MultiPolygon, Polygon, shape

from droneworks.core.errors import ConfigError
from droneworks.core.geo import LocalProjection
from droneworks.core.validation import load_json

__all__ = ["SiteRules", "load_site_rules"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class SiteRules:
    """Allowed and excluded areas in local metres, with a site cost per area."""

    allowed: tuple[Any, ...] = ()  # shapely polygons; empty = everywhere
    allowed_cost_eur: tuple[float, ...] = ()
    excluded: tuple[Any, ...] = ()
    excluded_cost_eur: tuple[float, ...] = ()

    def permitted(self, xy: FloatArray) -> npt.NDArray[np.bool_]:
        """Whether each local point may hold a sensor."""
        points = shapely.points(np.atleast_2d(xy))
        ok = np.ones(len(points), dtype=bool)
        if self.allowed:
            inside = np.zeros(len(points), dtype=bool)
            for area in self.allowed:
                inside |= shapely.contains_xy(area, xy[:, 0], xy[:, 1])
            ok &= inside
        for area in self.excluded:
            ok &= ~shapely.contains_xy(area, xy[:, 0], xy[:, 1])
        return ok

    def site_cost_eur(self, xy: FloatArray) -> FloatArray:
        """Extra cost of a sensor at each local point (sum over the polygons holding it)."""
        cost = np.zeros(len(xy))
        areas = zip(self.allowed + self.excluded, self.allowed_cost_eur + self.excluded_cost_eur,
                    strict=True)  # fmt: skip
        for area, extra in areas:
            if extra:
                cost += np.where(shapely.contains_xy(area, xy[:, 0], xy[:, 1]), extra, 0.0)
        return cost


def load_site_rules(
    allowed: str | None, excluded: str | None, base_dir: Path, projection: LocalProjection,
    source: str,
) -> SiteRules | None:  # fmt: skip
    """The site rules of a wall's ``[placement]`` (None when it names no file)."""
    if allowed is None and excluded is None:
        return None
    found: dict[str, tuple[tuple[Any, ...], tuple[float, ...]]] = {}
    for key, name in (("allowed", allowed), ("excluded", excluded)):
        if name is None:
            found[key] = ((), ())
            continue
        path = Path(name) if Path(name).is_absolute() else base_dir / name
        found[key] = _polygons(path, projection, f"{source}: placement.{key}")
    return SiteRules(found["allowed"][0], found["allowed"][1], found["excluded"][0],
                     found["excluded"][1])  # fmt: skip


def _polygons(
    path: Path, projection: LocalProjection, where: str
) -> tuple[tuple[Any, ...], tuple[float, ...]]:
    data = load_json(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: {path} is not a GeoJSON object")
    items: Sequence[Any] = data.get("features", [data]) if data.get("type") else []
    areas, costs = [], []
    for index, item in enumerate(items):
        raw = item.get("geometry") if isinstance(item, dict) and "geometry" in item else item
        try:
            geometry = shape(raw)
        except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.GEOSException):
            raise ConfigError(f"{where}: features[{index}]: not a valid geometry") from None
        if not isinstance(geometry, Polygon | MultiPolygon) or geometry.is_empty:
            raise ConfigError(f"{where}: features[{index}]: a site area must be a Polygon")
        lon, lat = shapely.get_coordinates(geometry).T
        if (np.abs(lon) > 180).any() or (np.abs(lat) > 90).any():
            raise ConfigError(f"{where}: features[{index}]: not [longitude, latitude]")
        props = item.get("properties") or {} if isinstance(item, dict) else {}
        cost = props.get("site_cost_eur", 0.0)
        if not isinstance(cost, int | float) or isinstance(cost, bool) or not 0 <= cost < 1e12:
            raise ConfigError(f"{where}: features[{index}].site_cost_eur: not an amount in EUR")
        areas.append(shapely.make_valid(projection.geometry_to_local(geometry)))
        costs.append(float(cost))
    if not areas:
        raise ConfigError(f"{where}: no polygon in {path}")
    return tuple(areas), tuple(costs)
