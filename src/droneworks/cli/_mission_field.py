"""What ``mission survey`` and ``mission spray`` read besides their own numbers: the field's
parts (with ``--base``), the site every exported plan carries (``--elevation``/``--dem``,
``--fence-margin``, ``--rally-altitude``), the spray buffers, the NDVI prescription, the
drone type, the wind and its warning, the swath objective and the overlaps.

Every check raises :class:`ConfigError` with one line naming the option. (Not named
``mission_*``: the CLI registers those modules as commands.)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from droneworks.cli._mission_options import (
    check_count,
    parse_length,
    parse_wind,
    parse_zone_rates,
)
from droneworks.core.errors import ConfigError
from droneworks.core.units import Dimension, parse_quantity
from droneworks.missions.limits import wind_warning

if TYPE_CHECKING:  # the commands import the wing (shapely, pyproj) when they run, not --help
    from droneworks.missions.coverage import SwathObjective
    from droneworks.missions.field import Field
    from droneworks.missions.wind import Wind

__all__ = [
    "MAX_DRONES",
    "MAX_HEADLANDS",
    "MAX_ZONES",
    "UNKNOWN_ELEVATION",
    "drone_type",
    "field_parts",
    "objective",
    "overlaps",
    "prescription",
    "site",
    "wind",
    "with_buffers",
]

UNKNOWN_ELEVATION = (
    "the base elevation is unknown: the plans' home altitude is 0 m AMSL "
    "(give --elevation or --dem)"
)
MAX_DRONES = 50
MAX_HEADLANDS = 20
MAX_ZONES = 20


def objective(text: str) -> SwathObjective:
    from droneworks.missions.coverage import SwathObjective

    try:
        return SwathObjective(text.strip().lower())
    except ValueError:
        raise ConfigError(f"unknown objective {text!r}; use turns, length or time") from None


def overlaps(text: str) -> tuple[float, float]:
    parts = text.replace("%", "").split("/")
    try:
        values = [float(part) for part in parts]
    except ValueError:
        raise ConfigError(f"{text!r} is not front/side overlap, e.g. 75/65") from None
    if len(values) == 1:
        values = values * 2
    if len(values) != 2:
        raise ConfigError(f"{text!r} is not front/side overlap, e.g. 75/65")
    fractions = [v / 100 if v > 1 else v for v in values]
    if not all(0 <= v < 1 for v in fractions):
        raise ConfigError(f"overlaps must be in [0, 100) %, not {text!r}")
    return fractions[0], fractions[1]


def prescription(
    ndvi: Path | None, bands: str, base_rate: float, zones: int, zone_rates: str | None
) -> Any:
    """The NDVI prescription of ``--ndvi`` (None without it)."""
    rates = parse_zone_rates(zone_rates, ndvi is not None)
    if ndvi is None:
        return None
    from droneworks.missions.prescription import Prescription, read_ndvi_geotiff

    check_count("--zones", zones, 1, MAX_ZONES)
    try:
        red_band, nir_band = (int(b) for b in bands.split(","))
    except ValueError:
        raise ConfigError(f"--bands {bands!r} is not red,NIR band numbers, e.g. 1,2") from None
    if min(red_band, nir_band) < 1:
        raise ConfigError(f"--bands {bands!r}: band numbers start at 1")
    raster = read_ndvi_geotiff(ndvi, red_band, nir_band)
    try:
        return Prescription.from_ndvi(raster, base_rate, zones, rates)
    except ValueError as error:
        raise ConfigError(str(error)) from None


def field_parts(field_file: Path, base: str | None, stem: str) -> list[tuple[str, Field]]:
    """(file stem, field) per part of the field (one unless it is a MultiPolygon)."""
    from droneworks.missions.field import load_field_parts

    parts = load_field_parts(field_file)
    if base is not None:
        try:
            lon, lat = (float(part) for part in base.split(","))
        except ValueError:
            message = f"--base {base!r} is not LON,LAT in degrees, e.g. 27.55,53.90"
            raise ConfigError(message) from None
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ConfigError(f"--base {base!r} is not LON,LAT in degrees")
        parts = [part.with_base(lon, lat, where=f"--base {base}") for part in parts]
    if len(parts) == 1:
        return [(stem, parts[0])]
    return [(f"{stem}-part{index + 1}", part) for index, part in enumerate(parts)]


def drone_type(drone: str, catalogue: list[Path] | None) -> Any:
    """The ``--drone`` type from the catalogue (with the ``--catalogue`` files)."""
    from droneworks.catalogue import load_catalogue

    return load_catalogue(*(catalogue or []))[drone]


def wind(
    text: str | None, limit_mps: float | None, default_limit_mps: float, what: str
) -> tuple[Wind, list[str]]:
    """The ``--wind`` and the warnings about it (above the ``--wind-limit``)."""
    from droneworks.missions.wind import CALM

    value = parse_wind(text) or CALM
    if limit_mps is not None and not limit_mps > 0:
        raise ConfigError(f"--wind-limit must be positive, not {limit_mps:g}")
    warning = wind_warning(value.speed_mps, limit_mps or default_limit_mps, what)
    return value, [warning] if warning else []


def with_buffers(field: Field, water: str | None, no_spray: str | None) -> Field:
    """``field`` with the ``--water-buffer`` and ``--no-spray-buffer`` distances."""
    water_m = parse_length("--water-buffer", water, zero_ok=True) if water else None
    zone_m = parse_length("--no-spray-buffer", no_spray, zero_ok=True) if no_spray else None
    try:
        return field.with_spray_buffers(water_m, zone_m)
    except ValueError as error:
        raise ConfigError(f"--water-buffer/--no-spray-buffer: {error}") from None


def site(
    field: Field,
    elevation: str | None,
    dem: Path | None,
    margin_m: float,
    writing: bool,
    warnings: list[str],
    rally_alt_m: float | None = None,
) -> Any:
    """Home elevation (``--elevation`` or ``--dem``), fence margin and rally altitude of the
    exported plans."""
    from droneworks.missions.fence import SiteOptions, elevation_from_dem

    if elevation is not None and dem is not None:
        raise ConfigError("give one of --elevation and --dem, not both")
    altitude_m = 0.0
    if elevation is not None:
        try:
            altitude_m = parse_quantity(elevation, Dimension.LENGTH)
        except ConfigError as error:
            raise ConfigError(f"--elevation: {error}") from None
    elif dem is not None:
        lon, lat = field.projection.to_wgs84(*field.base_xy)
        altitude_m = elevation_from_dem(dem, float(lon), float(lat))
    elif writing and UNKNOWN_ELEVATION not in warnings:
        warnings.append(UNKNOWN_ELEVATION)
    try:
        return SiteOptions(altitude_m, margin_m, rally_alt_m)
    except ValueError as error:
        option = "--fence-margin" if "fence" in str(error) else "--elevation"
        raise ConfigError(f"{option}: {error}") from None
