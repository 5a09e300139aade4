"""A spray plan's prescription as the operator sees it: a table of zones (area, rate, litres)
and the prescription map as GeoJSON (zone polygons) and GeoTIFF (L/ha per pixel).

The table has one row per zone and one for the sprayable area outside the NDVI raster
(sprayed at the base rate). ``area_ha`` is the sprayable area of the zone (the field minus
holes, obstacles and their clearance); ``nominal_l`` is area × rate; ``planned_l`` is what
the planned sorties spray there (swath strips overlap a little at headlands, so it is
slightly more).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import Polygon, mapping
from shapely.geometry.base import BaseGeometry

from droneworks.core.extras import require
from droneworks.core.outputs import atomic_target, write_atomic
from droneworks.missions.coverage.geometry import FloatArray
from droneworks.missions.spray import SprayPlan

__all__ = ["ZoneRow", "write_prescription_maps", "zone_parts", "zone_table"]

OUTSIDE = 0  # the zone number of the sprayable area outside the NDVI raster


@dataclass(frozen=True)
class ZoneRow:
    """One prescription zone (1-based; 0: outside the raster)."""

    zone: int
    area_ha: float
    rate_lpha: float
    nominal_l: float
    planned_l: float


def zone_parts(plan: SprayPlan) -> list[tuple[int, Polygon]]:
    """(zone index, WGS84 polygon clipped to the field) for every part of every zone."""
    prescription = plan.params.prescription
    if prescription is None:
        return []
    import pyproj

    features = require("rasterio.features", "raster", "NDVI zone maps")

    raster = prescription.raster
    field_wgs = plan.field.to_wgs84(Polygon(plan.field.boundary.exterior))
    to_wgs = pyproj.Transformer.from_crs(raster.crs, "EPSG:4326", always_xy=True)

    def move(xy: FloatArray) -> FloatArray:
        return np.column_stack(to_wgs.transform(xy[:, 0], xy[:, 1]))

    grouped: dict[int, list[BaseGeometry]] = {}
    shapes = features.shapes(prescription.zone_of_pixel, transform=raster.transform)
    for geometry, value in shapes:
        if value >= 0:
            polygon = shapely.geometry.shape(geometry)
            grouped.setdefault(int(value), []).append(shapely.transform(polygon, move))
    parts = []
    for value, pieces in sorted(grouped.items()):
        clipped = shapely.union_all(pieces).intersection(field_wgs)
        for part in getattr(clipped, "geoms", [clipped]):
            if isinstance(part, Polygon) and not part.is_empty:
                parts.append((value, part))
    return parts


def _planned_litres(plan: SprayPlan) -> dict[int, float]:
    """Litres the sorties spray per zone (zone index + 1; 0 outside the raster)."""
    litres: dict[int, float] = {}
    for table, zones in zip(plan.tables, plan.zones, strict=True):
        per_leg = table.lengths_m * table.liquid_per_m_l
        for zone in np.unique(zones[table.spraying]):
            key = int(zone) + 1
            litres[key] = litres.get(key, 0.0) + float(per_leg[zones == zone].sum())
    return litres


def zone_table(plan: SprayPlan) -> list[ZoneRow]:
    """Area, rate and litres per zone; empty without a prescription."""
    prescription = plan.params.prescription
    if prescription is None:
        return []
    sprayable = plan.field.sprayable(plan.params.clearance_m)
    grouped: dict[int, list[BaseGeometry]] = {}
    for zone, polygon in zone_parts(plan):
        local = plan.field.projection.geometry_to_local(polygon)
        grouped.setdefault(zone + 1, []).append(local)
    planned = _planned_litres(plan)
    rows, inside = [], []
    for number, parts in sorted(grouped.items()):
        area_m2 = float(shapely.union_all(parts).intersection(sprayable).area)
        inside.extend(parts)
        rate = prescription.rates_lpha[number - 1]
        rows.append(
            ZoneRow(number, area_m2 / 1e4, rate, area_m2 / 1e4 * rate, planned.get(number, 0.0))
        )
    outside_m2 = float(sprayable.difference(shapely.union_all(inside)).area) if inside else 0.0
    if outside_m2 >= 0.005 * sprayable.area or planned.get(OUTSIDE, 0.0) > 0:  # not slivers
        rate = prescription.outside_lpha
        rows.append(
            ZoneRow(
                OUTSIDE, outside_m2 / 1e4, rate, outside_m2 / 1e4 * rate, planned.get(OUTSIDE, 0.0)
            )
        )
    return rows


def _geojson(plan: SprayPlan) -> dict[str, object]:
    rates = plan.params.prescription.rates_lpha if plan.params.prescription else ()
    features = [
        {
            "type": "Feature",
            "geometry": mapping(polygon),
            "properties": {"zone": zone + 1, "rate_lpha": rates[zone]},
        }
        for zone, polygon in zone_parts(plan)
    ]
    return {"type": "FeatureCollection", "features": features}


def write_prescription_maps(plan: SprayPlan, out_dir: str | Path, stem: str) -> list[Path]:
    """``<stem>-prescription.geojson`` (zone polygons with their rate, WGS84) and
    ``<stem>-prescription.tif`` (rate in L/ha per pixel on the NDVI raster's grid and CRS,
    nodata −1 where the raster has no NDVI). Nothing without a prescription."""
    prescription = plan.params.prescription
    if prescription is None:
        return []
    rasterio = require("rasterio", "raster", "prescription GeoTIFF")
    out = Path(out_dir)
    geojson = out / f"{stem}-prescription.geojson"
    write_atomic(geojson, json.dumps(_geojson(plan), indent=1) + "\n")
    rates = np.asarray(prescription.rates_lpha, dtype=np.float32)
    classes = prescription.zone_of_pixel
    grid = np.where(classes >= 0, rates[np.clip(classes, 0, None)], -1.0).astype(np.float32)
    tif = out / f"{stem}-prescription.tif"
    height, width = grid.shape
    with (
        atomic_target(tif) as temporary,
        rasterio.open(
            temporary,
            "w",
            driver="GTiff",
            height=height,
            width=width,
            count=1,
            dtype="float32",
            crs=prescription.raster.crs,
            transform=prescription.raster.transform,
            nodata=-1.0,
        ) as target,
    ):  # fmt: skip  (staged under a temporary name, renamed when all succeeded)
        target.write(grid, 1)
        target.update_tags(1, unit="L/ha")
    return [geojson, tif]
