"""Variable-rate prescriptions: NDVI raster → management zones → application rate per zone.

NDVI = (NIR − red) / (NIR + red), computed from the red and near-infrared bands of a
multispectral GeoTIFF (e.g. a Mavic 3M class survey, bands R 650 nm and NIR 860 nm) or
given directly as an array with its affine transform and CRS. Pixels are classified into
``zones`` zones by NDVI quantiles (equal-area zones, the usual default of farm software) or
by 1-D k-means (natural breaks). A prescription gives one rate per zone; by default weak
vegetation (low NDVI) gets more product: rates ``base × (1.2, 1.0, 0.8)`` for 3 zones
(an agronomic choice: for growth regulators or nitrogen the user reverses it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pyproj

from droneworks.core.errors import ConfigError
from droneworks.core.extras import require
from droneworks.core.geo import LocalProjection
from droneworks.missions.coverage.geometry import FloatArray

if TYPE_CHECKING:
    from affine import Affine  # installed with rasterio (the [raster] extra)

__all__ = [
    "NdviRaster",
    "Prescription",
    "classify_zones",
    "default_rates",
    "ndvi_from_bands",
    "read_ndvi_geotiff",
]


def ndvi_from_bands(red: npt.ArrayLike, nir: npt.ArrayLike) -> FloatArray:
    """NDVI per pixel; NaN where both bands are zero or missing."""
    red_f = np.asarray(red, dtype=float)
    nir_f = np.asarray(nir, dtype=float)
    total = nir_f + red_f
    with np.errstate(divide="ignore", invalid="ignore"):
        ndvi = np.where(total > 0, (nir_f - red_f) / total, np.nan)
    return np.asarray(ndvi, dtype=float)


@dataclass(frozen=True)
class NdviRaster:
    """NDVI values (rows × cols), the affine transform of pixel → CRS and the CRS."""

    values: FloatArray
    transform: Affine
    crs: str

    def sample(self, xy_local: FloatArray, projection: LocalProjection) -> FloatArray:
        """NDVI at local points (NaN outside the raster)."""
        lon, lat = projection.to_wgs84(xy_local[:, 0], xy_local[:, 1])
        to_raster = pyproj.Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)
        x, y = to_raster.transform(lon, lat)
        inverse = ~self.transform
        x_arr, y_arr = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        cols = inverse.a * x_arr + inverse.b * y_arr + inverse.c
        rows = inverse.d * x_arr + inverse.e * y_arr + inverse.f
        cols_i = np.floor(np.asarray(cols)).astype(int)
        rows_i = np.floor(np.asarray(rows)).astype(int)
        height, width = self.values.shape
        inside = (rows_i >= 0) & (rows_i < height) & (cols_i >= 0) & (cols_i < width)
        out = np.full(len(xy_local), np.nan)
        out[inside] = self.values[rows_i[inside], cols_i[inside]]
        return out


def read_ndvi_geotiff(path: str | Path, red_band: int = 1, nir_band: int = 2) -> NdviRaster:
    """NDVI from a multispectral GeoTIFF's red and NIR bands (1-based band numbers)."""
    rasterio = require("rasterio", "raster", "an NDVI GeoTIFF (--ndvi)")
    from rasterio.errors import RasterioIOError

    try:
        with rasterio.open(path) as src:
            if max(red_band, nir_band) > src.count:
                raise ConfigError(
                    f"{path}: has {src.count} band(s); red is band {red_band}, NIR band {nir_band}"
                )
            if src.crs is None:
                raise ConfigError(f"{path}: the GeoTIFF has no CRS")
            red = src.read(red_band, masked=True).filled(0)
            nir = src.read(nir_band, masked=True).filled(0)
            return NdviRaster(ndvi_from_bands(red, nir), src.transform, src.crs.to_string())
    except RasterioIOError as error:
        raise ConfigError(f"{path}: not a readable GeoTIFF ({error})") from None


def classify_zones(
    values: FloatArray, zones: int = 3, method: str = "quantile"
) -> npt.NDArray[np.int16]:
    """Zone 0 (lowest NDVI) … ``zones − 1`` per pixel; −1 for NaN. Methods: quantile, kmeans."""
    if zones < 1:
        raise ValueError(f"zones must be at least 1, not {zones}")
    finite = values[np.isfinite(values)]
    out = np.full(values.shape, -1, dtype=np.int16)
    if finite.size == 0:
        return out
    if method == "quantile":
        breaks = np.quantile(finite, np.linspace(0, 1, zones + 1)[1:-1])
    elif method == "kmeans":
        breaks = _kmeans_breaks(finite, zones)
    else:
        raise ValueError(f"unknown zoning method {method!r} (quantile or kmeans)")
    mask = np.isfinite(values)
    out[mask] = np.searchsorted(breaks, values[mask], side="right").astype(np.int16)
    return out


def _kmeans_breaks(values: FloatArray, zones: int, iterations: int = 50) -> FloatArray:
    """Breaks between sorted 1-D k-means centres (Lloyd's algorithm from quantile starts)."""
    centres = np.quantile(values, (np.arange(zones) + 0.5) / zones)
    for _ in range(iterations):
        breaks = (centres[1:] + centres[:-1]) / 2
        labels = np.searchsorted(breaks, values)
        updated = np.array(
            [
                values[labels == k].mean() if np.any(labels == k) else centres[k]
                for k in range(zones)
            ]
        )
        if np.allclose(updated, centres):
            break
        centres = np.sort(updated)
    return np.asarray((centres[1:] + centres[:-1]) / 2, dtype=float)


def default_rates(base_rate_lpha: float, zones: int) -> tuple[float, ...]:
    """More product on weak zones: from 1.2 × base (zone 0) down to 0.8 × base."""
    if zones == 1:
        return (base_rate_lpha,)
    factors = np.linspace(1.2, 0.8, zones)
    return tuple(float(base_rate_lpha * f) for f in factors)


@dataclass(frozen=True)
class Prescription:
    """Zones over a raster and one rate (L/ha) per zone; outside the raster: ``outside``."""

    raster: NdviRaster
    zone_of_pixel: npt.NDArray[np.int16]
    rates_lpha: tuple[float, ...]
    outside_lpha: float

    @classmethod
    def from_ndvi(
        cls,
        raster: NdviRaster,
        base_rate_lpha: float,
        zones: int = 3,
        rates_lpha: tuple[float, ...] | None = None,
        method: str = "quantile",
        min_zone_pixels: int = 40,
    ) -> Prescription:
        """Zones from NDVI; ``rates_lpha`` defaults to :func:`default_rates`. Patches smaller
        than ``min_zone_pixels`` join their largest neighbour (rasterio's sieve): a sprayer
        cannot switch rates for a few square metres, and management zones are whole areas."""
        rates = rates_lpha if rates_lpha is not None else default_rates(base_rate_lpha, zones)
        if len(rates) != zones:
            raise ValueError(f"{len(rates)} rates given for {zones} zones")
        if any(rate < 0 for rate in rates):
            raise ValueError("rates must not be negative")
        classes = classify_zones(raster.values, zones, method)
        if min_zone_pixels > 1:
            sieve = require("rasterio.features", "raster", "NDVI zones").sieve

            shifted = (classes + 1).astype(np.int16)  # sieve keeps 0 (no data) as a value
            classes = (sieve(shifted, size=min_zone_pixels) - 1).astype(np.int16)
        return cls(raster, classes, rates, base_rate_lpha)

    def zone_at(self, xy_local: FloatArray, projection: LocalProjection) -> npt.NDArray[np.int16]:
        """Zone of each local point (−1 outside the raster or on a NaN pixel)."""
        zone_raster = NdviRaster(
            self.zone_of_pixel.astype(float), self.raster.transform, self.raster.crs
        )
        sampled = zone_raster.sample(xy_local, projection)
        return np.where(np.isfinite(sampled), sampled, -1).astype(np.int16)

    def rate_at(self, zone: int) -> float:
        return self.outside_lpha if zone < 0 else self.rates_lpha[zone]
