"""Parse and check the numeric options of ``mission survey|spray|deliver``.

Every check raises :class:`ConfigError` with one line naming the option and the value, so
the CLI exits 1 without a traceback. The limits come from :mod:`droneworks.missions.limits`.
(Not named ``mission_*``: the CLI registers those modules as commands.)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from droneworks.core.errors import ConfigError
from droneworks.core.units import Dimension, parse_quantity
from droneworks.missions.limits import (
    LEGAL_MAX_HEIGHT_M,
    MAX_RATE_LPHA,
    MIN_RALLY_ALT_M,
    MIN_SURVEY_HEIGHT_M,
)

if TYPE_CHECKING:
    from droneworks.missions.wind import Wind

__all__ = [
    "check_count",
    "check_height",
    "check_positive",
    "parse_heading",
    "parse_length",
    "parse_rally_altitude",
    "parse_rate",
    "parse_wind",
    "parse_zone_rates",
    "survey_height",
]


def check_count(option: str, value: int, low: int, high: int) -> int:
    """``value`` within [low, high] (an integer option such as --drones)."""
    if not low <= value <= high:
        raise ConfigError(f"{option} must be between {low} and {high}, not {value}")
    return value


def check_positive(option: str, value: float, unit: str = "") -> float:
    if not (math.isfinite(value) and value > 0):
        raise ConfigError(f"{option} must be a positive number, not {value:g}{unit}")
    return value


def parse_length(option: str, text: str, zero_ok: bool = False) -> float:
    """A positive (or with ``zero_ok`` non-negative) length in metres, e.g. ``"2cm"``."""
    try:
        value = parse_quantity(text, Dimension.LENGTH)
    except ConfigError as error:
        raise ConfigError(f"{option}: {error}") from None
    if value < 0 or (value == 0 and not zero_ok):
        raise ConfigError(f"{option} must be {'≥ 0' if zero_ok else 'positive'}, not {text!r}")
    return value


def check_height(option: str, height_m: float, above_legal: bool, low_m: float = 0.0) -> float:
    """A flight height within [``low_m``, the legal limit] (above it only with the flag)."""
    if height_m < low_m:
        raise ConfigError(
            f"{option}: a flight height of {height_m:.3g} m is below the {low_m:g} m minimum"
        )
    if height_m > LEGAL_MAX_HEIGHT_M and not above_legal:
        raise ConfigError(
            f"{option}: {height_m:g} m is above the legal limit of {LEGAL_MAX_HEIGHT_M:g} m "
            "above ground (EU open category); give --above-legal-height if you are authorised"
        )
    return height_m


def parse_rally_altitude(text: str | None, above_legal: bool | None = None) -> float | None:
    """``--rally-altitude``: the height above home the drone returns to a rally point at,
    from ``MIN_RALLY_ALT_M`` to the legal limit (above it only with ``--above-legal-height``
    where the command has that flag: ``above_legal`` not ``None``)."""
    if text is None:
        return None
    height_m = parse_length("--rally-altitude", text)
    if above_legal is None and height_m > LEGAL_MAX_HEIGHT_M:
        raise ConfigError(
            f"--rally-altitude: {height_m:g} m is above the legal limit of "
            f"{LEGAL_MAX_HEIGHT_M:g} m above ground (EU open category)"
        )
    return check_height("--rally-altitude", height_m, bool(above_legal), MIN_RALLY_ALT_M)


def survey_height(
    gsd: str | None,
    altitude: str | None,
    altitude_for_gsd: Callable[[float], float] | None,
    above_legal: bool,
) -> tuple[float | None, float | None]:
    """(gsd_m, altitude_m) of ``--gsd``/``--altitude``, the flight height checked (for a GSD:
    the height the camera needs for it, when the drone has a camera)."""
    if (gsd is None) == (altitude is None):
        raise ConfigError("give exactly one of --gsd and --altitude")
    if gsd is not None:
        gsd_m = parse_length("--gsd", gsd)
        if altitude_for_gsd is not None:
            height_m = altitude_for_gsd(gsd_m)
            check_height(f"--gsd {gsd}", height_m, above_legal, MIN_SURVEY_HEIGHT_M)
        return gsd_m, None
    assert altitude is not None
    height_m = parse_length("--altitude", altitude)
    return None, check_height("--altitude", height_m, above_legal, MIN_SURVEY_HEIGHT_M)


def parse_rate(option: str, text: str) -> float:
    """An application rate in L/ha: positive and at most ``MAX_RATE_LPHA``."""
    try:
        value = parse_quantity(text, Dimension.APPLICATION_RATE)
    except ConfigError as error:
        raise ConfigError(f"{option}: {error}") from None
    if not value > 0:
        raise ConfigError(f"{option} must be positive, not {text!r}")
    if value > MAX_RATE_LPHA:
        raise ConfigError(
            f"{option} {text!r} is above {MAX_RATE_LPHA:g} L/ha (drones spray 5–50 L/ha)"
        )
    return value


def parse_zone_rates(text: str | None, ndvi_given: bool) -> tuple[float, ...] | None:
    """``--zone-rates``: one rate (L/ha) per zone, ≥ 0, not all zero; only with ``--ndvi``."""
    if text is None:
        return None
    if not ndvi_given:
        raise ConfigError("--zone-rates needs --ndvi (the zones come from the NDVI raster)")
    body = text.replace("L/ha", "").replace("l/ha", "")
    rates = []
    for part in (p.strip() for p in body.split(",")):
        if part:
            value = parse_quantity(f"{part} L/ha", Dimension.APPLICATION_RATE)
            if not 0 <= value <= MAX_RATE_LPHA:
                raise ConfigError(f"--zone-rates: {part} L/ha is not in 0–{MAX_RATE_LPHA:g} L/ha")
            rates.append(value)
    if not any(rate > 0 for rate in rates):
        raise ConfigError(f"--zone-rates {text!r}: at least one zone needs a positive rate")
    return tuple(rates)


def parse_heading(heading: float | None) -> float | None:
    if heading is not None and not math.isfinite(heading):
        raise ConfigError(f"--heading must be a number of degrees, not {heading}")
    return heading


def parse_wind(text: str | None, option: str = "--wind") -> Wind | None:
    if text is None:
        return None
    from droneworks.missions.wind import Wind

    try:
        return Wind.parse(text)
    except (ConfigError, ValueError) as error:
        raise ConfigError(f"{option}: {error}") from None
