"""Optional terrain: a DEM raster for line of sight over hills (flat ground by default).

A :class:`Terrain` holds a grid of ground elevations (m) and how to find a local-metric
point on it. Line of sight samples the ray sensor → target at ``samples`` points: the ray
(with the 4/3-earth bulge d·(R−d)/(2·a_e) subtracted) must stay above ground everywhere and
above ground + canopy beyond the sensor's clearing. Heights of sensor masts and targets are
above their own ground.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pyproj

from droneworks.core.errors import ConfigError
from droneworks.core.extras import require
from droneworks.core.geo import LocalProjection

if TYPE_CHECKING:
    from droneworks.watch.sensors import Environment, PlacedSensor

__all__ = ["Terrain"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Terrain:
    """Ground elevation on a north-up grid: cell (row, col) covers x0 + col·dx, y0 − row·dy."""

    elevation_m: FloatArray = field(repr=False)
    x0: float
    y0: float
    dx: float
    dy: float
    to_grid: pyproj.Transformer | None = field(default=None, repr=False, compare=False)
    samples: int = 32

    @classmethod
    def from_array(
        cls, elevation_m: FloatArray, x0: float, y0: float, cell_m: float, samples: int = 32
    ) -> Terrain:
        """A grid already in the local metric frame (tests, synthetic terrain)."""
        grid = np.asarray(elevation_m, dtype=float)
        return cls(grid, x0, y0, cell_m, cell_m, None, samples)

    @classmethod
    def from_raster(
        cls, path: str | Path, projection: LocalProjection, source: str = "dem"
    ) -> Terrain:
        """Read band 1 of a GeoTIFF (any CRS) with rasterio; nodata counts as 0 m."""
        rasterio = require("rasterio", "raster", "a terrain GeoTIFF (DEM)")

        try:
            with rasterio.open(path) as raster:
                grid = raster.read(1, masked=True).astype(float).filled(0.0)
                t = raster.transform
                crs = raster.crs
        except rasterio.errors.RasterioIOError as error:
            raise ConfigError(f"{source}: cannot read raster {path}: {error}") from None
        if crs is None or abs(t.b) > 0 or abs(t.d) > 0:
            raise ConfigError(f"{source}: {path} needs a CRS and a north-up transform")
        to_grid = pyproj.Transformer.from_crs(projection.crs, crs.to_wkt(), always_xy=True)
        return cls(np.asarray(grid), t.c, t.f, t.a, -t.e, to_grid)

    def ground_m(self, x: FloatArray, y: FloatArray) -> FloatArray:
        """Ground elevation at local points (nearest cell; 0 m off the grid)."""
        gx, gy = (x, y) if self.to_grid is None else self.to_grid.transform(x, y)
        col = np.floor((np.asarray(gx) - self.x0) / self.dx).astype(int)
        row = np.floor((self.y0 - np.asarray(gy)) / self.dy).astype(int)
        rows, cols = self.elevation_m.shape
        inside = (row >= 0) & (row < rows) & (col >= 0) & (col < cols)
        result = np.zeros(np.shape(col))
        result[inside] = self.elevation_m[row[inside], col[inside]]
        return result

    def line_of_sight(
        self,
        sensor: PlacedSensor,
        xy_targets: FloatArray,
        alt_m: FloatArray,
        environment: Environment,
    ) -> BoolArray:
        """Whether each target is visible from ``sensor`` over this terrain."""
        xy = np.atleast_2d(np.asarray(xy_targets, dtype=float))
        fractions = np.linspace(0.0, 1.0, self.samples + 2)[1:-1]
        px = sensor.x_m + (xy[:, 0:1] - sensor.x_m) * fractions
        py = sensor.y_m + (xy[:, 1:2] - sensor.y_m) * fractions
        ground = self.ground_m(px.ravel(), py.ravel()).reshape(px.shape)
        end = self.ground_m(np.array([sensor.x_m]), np.array([sensor.y_m]))[0]
        target_ground = self.ground_m(xy[:, 0], xy[:, 1])
        sensor_h = end + sensor.type.mast_height_m
        target_h = target_ground + np.broadcast_to(alt_m, target_ground.shape)
        distance = np.hypot(xy[:, 0] - sensor.x_m, xy[:, 1] - sensor.y_m)[:, None]
        d = distance * fractions
        ray = sensor_h + (target_h[:, None] - sensor_h) * fractions
        ray = ray - d * (distance - d) / (2 * environment.effective_radius_m)
        canopy = np.where(d >= environment.clearing_radius_m, environment.canopy_height_m, 0.0)
        result: BoolArray = np.all(ray >= ground + canopy - 1e-9, axis=1)
        return result
