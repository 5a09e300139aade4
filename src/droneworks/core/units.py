"""Quantities with units, parsed from user text into one internal unit per dimension.

Users write quantities as strings with a unit (``"90 s"``, ``"2.5 min"``, ``"100000/yr"``,
``"11 m"``, ``"7 m/s"``, ``"40 L"``); droneworks converts them once, at the edge, into the
internal unit of their dimension and works with plain floats from then on:

=================  ================  ==========================================
dimension          internal unit     accepted units (examples)
=================  ================  ==========================================
duration           minute            s, sec, min, h, hr, d, day, w, wk, yr
rate (count/time)  per minute        /s, /min, /h, /d, /w, /yr, "per day"
length             metre             mm, cm, m, km, ft, mi, nmi
speed              metre per second  m/s, km/h, mph, kn
volume             litre             mL, L, m3
flow               litre per minute  L/min, L/h, L/s
application rate   litre per hectare L/ha
area               square metre      m2, ha, km2
mass               kilogram          g, kg, t, lb
energy             watt-hour         Wh, kWh, J, kJ, MJ
power              watt              W, kW
angle              degree            deg, °, rad
=================  ================  ==========================================

A year is 365 days (525,600 min), a week 7 days. A number without a unit is rejected:
``480`` could be seconds, minutes or hours. Decimal commas (``"2,5 min"``), unknown units
and units of the wrong dimension raise :class:`~droneworks.core.errors.ConfigError` with a
message that quotes the value.
"""

from __future__ import annotations

import math
import re
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

from droneworks.core.errors import ConfigError
from droneworks.core.limits import MAX_YEARS

if TYPE_CHECKING:  # pydantic is imported when a model is built, not by a CLI option
    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue
    from pydantic_core import core_schema

__all__ = [
    "LIMITS",
    "LIMIT_TEXTS",
    "MINUTES_PER_DAY",
    "MINUTES_PER_HOUR",
    "MINUTES_PER_WEEK",
    "MINUTES_PER_YEAR",
    "SMALLEST",
    "Angle",
    "ApplicationRate",
    "Area",
    "Dimension",
    "Duration",
    "Energy",
    "Flow",
    "Length",
    "Mass",
    "Power",
    "Rate",
    "Speed",
    "Volume",
    "format_duration",
    "parse_quantity",
]

MINUTES_PER_HOUR = 60.0
MINUTES_PER_DAY = 1440.0
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY
MINUTES_PER_YEAR = 365 * MINUTES_PER_DAY


class Dimension(StrEnum):
    """A physical dimension; its value is the word used in error messages."""

    DURATION = "duration"
    RATE = "rate"
    LENGTH = "length"
    SPEED = "speed"
    VOLUME = "volume"
    FLOW = "flow"
    APPLICATION_RATE = "application rate"
    AREA = "area"
    MASS = "mass"
    ENERGY = "energy"
    POWER = "power"
    ANGLE = "angle"


# Factors to the internal unit of each simple dimension.
_TIME = {
    "s": 1 / 60, "sec": 1 / 60, "second": 1 / 60, "seconds": 1 / 60,
    "min": 1.0, "mins": 1.0, "minute": 1.0, "minutes": 1.0,
    "h": 60.0, "hr": 60.0, "hrs": 60.0, "hour": 60.0, "hours": 60.0,
    "d": MINUTES_PER_DAY, "day": MINUTES_PER_DAY, "days": MINUTES_PER_DAY,
    "w": MINUTES_PER_WEEK, "wk": MINUTES_PER_WEEK, "week": MINUTES_PER_WEEK,
    "weeks": MINUTES_PER_WEEK,
    "yr": MINUTES_PER_YEAR, "y": MINUTES_PER_YEAR, "year": MINUTES_PER_YEAR,
    "years": MINUTES_PER_YEAR,
}  # fmt: skip
_LENGTH = {"mm": 1e-3, "cm": 1e-2, "m": 1.0, "km": 1e3, "ft": 0.3048, "mi": 1609.344,
           "nmi": 1852.0}  # fmt: skip
_VOLUME = {"ml": 1e-3, "l": 1.0, "m3": 1e3, "m³": 1e3}
_AREA = {"m2": 1.0, "m²": 1.0, "ha": 1e4, "km2": 1e6, "km²": 1e6}
_MASS = {"g": 1e-3, "kg": 1.0, "t": 1e3, "lb": 0.45359237}
_ENERGY = {"Wh": 1.0, "kWh": 1e3, "J": 1 / 3600, "kJ": 1 / 3.6, "MJ": 1e6 / 3600}
_POWER = {"W": 1.0, "kW": 1e3}
_ANGLE = {"deg": 1.0, "°": 1.0, "rad": 180 / math.pi}
_SPEED_NAMED = {"mph": 1609.344 / 3600, "kn": 1852 / 3600, "kt": 1852 / 3600,
                "knots": 1852 / 3600, "kmh": 1 / 3.6}  # fmt: skip
_COUNT_WORDS = {"", "units", "unit", "pcs", "pc", "parts", "drones", "items"}

_SIMPLE: dict[Dimension, dict[str, float]] = {
    Dimension.DURATION: _TIME,
    Dimension.LENGTH: _LENGTH,
    Dimension.AREA: _AREA,
    Dimension.MASS: _MASS,
    Dimension.ENERGY: _ENERGY,
    Dimension.POWER: _POWER,
    Dimension.ANGLE: _ANGLE,
}

# The sane range of every quantity: magnitudes above these texts (and non-zero magnitudes
# below SMALLEST internal units) are refused at validation (docs/plant-file.md, "Ranges").
LIMIT_TEXTS: dict[Dimension, str] = {
    Dimension.DURATION: f"{MAX_YEARS:g} yr",
    Dimension.RATE: "1e9 /d",
    Dimension.LENGTH: "100000 km",
    Dimension.SPEED: "10000 m/s",
    Dimension.VOLUME: "1e9 L",
    Dimension.FLOW: "1e9 L/min",
    Dimension.APPLICATION_RATE: "1e6 L/ha",
    Dimension.AREA: "1e8 km2",
    Dimension.MASS: "1e9 kg",
    Dimension.ENERGY: "1e12 Wh",
    Dimension.POWER: "1e12 W",
    Dimension.ANGLE: "1e6 deg",
}
SMALLEST = 1e-9

_NUMBER = r"[+-]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_PATTERN = re.compile(rf"^\s*({_NUMBER})\s*(.*?)\s*$")


def _lookup(table: dict[str, float], unit: str) -> float | None:
    return table.get(unit)


def _classify(unit: str) -> tuple[Dimension, float] | None:
    """Return the dimension and factor to its internal unit, or None if unknown."""
    unit = unit.strip()
    if unit.startswith("per "):
        unit = "/" + unit[4:].strip()
    if "/" in unit:
        numerator, _, denominator = (part.strip() for part in unit.partition("/"))
        if numerator.lower() in _COUNT_WORDS:
            per = _lookup(_TIME, denominator)
            return (Dimension.RATE, 1.0 / per) if per else None
        if (length := _lookup(_LENGTH, numerator)) is not None:
            per = _lookup(_TIME, denominator)
            return (Dimension.SPEED, length / (per * 60.0)) if per else None
        if (volume := _lookup(_VOLUME, numerator.lower())) is not None:
            if (per := _lookup(_TIME, denominator)) is not None:
                return Dimension.FLOW, volume / per
            if (area := _lookup(_AREA, denominator)) is not None:
                return Dimension.APPLICATION_RATE, volume / area * 1e4
        return None
    if (speed := _lookup(_SPEED_NAMED, unit.lower())) is not None:
        return Dimension.SPEED, speed
    if (volume := _lookup(_VOLUME, unit.lower())) is not None:
        return Dimension.VOLUME, volume
    for dimension, table in _SIMPLE.items():
        factor = _lookup(table, unit)
        if factor is not None:
            return dimension, factor
    return None


def parse_quantity(value: Any, dimension: Dimension) -> float:
    """Parse ``value`` (e.g. ``"2.5 min"``) into the internal unit of ``dimension``.

    Raises :class:`ConfigError` quoting the value when it is malformed, has no unit, has an
    unknown unit or a unit of another dimension.
    """
    what = dimension.value
    article = "an" if what[0] in "aeiou" else "a"
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ConfigError(f"{value!r} is not {article} {what}; write a number and a unit as text")
    if isinstance(value, int | float):
        raise ConfigError(
            f"{value!r} has no unit; write the {what} as text with its unit, "
            f'e.g. "{value} {_example_unit(dimension)}"'
        )
    if "," in value:
        raise ConfigError(f'"{value}" is not {article} {what} (use a decimal point, not a comma)')
    match = _PATTERN.match(value)
    if match is None:
        raise ConfigError(f'"{value}" is not {article} {what}')
    if not match.group(2):
        example = f"{value} {_example_unit(dimension)}"
        raise ConfigError(f'"{value}" is not {article} {what}: it has no unit, e.g. "{example}"')
    number = float(match.group(1).replace("_", ""))
    classified = _classify(match.group(2))
    if classified is None:
        raise ConfigError(f'"{value}" is not {article} {what}: unknown unit "{match.group(2)}"')
    found, factor = classified
    if found is not dimension:
        raise ConfigError(f'"{value}" is not {article} {what}: it is a {found.value}')
    if not math.isfinite(number):
        raise ConfigError(f'"{value}" is not a finite {what}')
    return _in_range(number * factor, value, dimension)


def _in_range(converted: float, value: str, dimension: Dimension) -> float:
    """``converted`` if it lies within :data:`LIMITS` (checked after the unit conversion, so
    ``"1e308 yr"`` cannot become infinite minutes nor ``"1e-300 wk"`` a vanishing step)."""
    largest = LIMITS[dimension]
    if not abs(converted) <= largest:  # also catches an overflow to inf
        raise ConfigError(
            f'"{value}" is too large a {dimension.value}: at most {LIMIT_TEXTS[dimension]}'
        )
    if converted != 0 and abs(converted) < SMALLEST:
        raise ConfigError(
            f'"{value}" is too small a {dimension.value}: write 0 or at least '
            f"{SMALLEST:g} {_example_unit(dimension)}"
        )
    return converted


def _limit(text: str, dimension: Dimension) -> float:
    number, _, unit = text.partition(" ")
    classified = _classify(unit)
    assert classified is not None and classified[0] is dimension, text
    return float(number) * classified[1]


# The largest magnitude of each dimension, in its internal unit.
LIMITS: dict[Dimension, float] = {dim: _limit(text, dim) for dim, text in LIMIT_TEXTS.items()}


def _example_unit(dimension: Dimension) -> str:
    return {
        Dimension.DURATION: "min",
        Dimension.RATE: "/yr",
        Dimension.LENGTH: "m",
        Dimension.SPEED: "m/s",
        Dimension.VOLUME: "L",
        Dimension.FLOW: "L/min",
        Dimension.APPLICATION_RATE: "L/ha",
        Dimension.AREA: "ha",
        Dimension.MASS: "kg",
        Dimension.ENERGY: "Wh",
        Dimension.POWER: "W",
        Dimension.ANGLE: "deg",
    }[dimension]


def format_duration(minutes: float) -> str:
    """Render a duration in minutes with the largest unit that keeps it readable."""
    for unit, size in (("d", MINUTES_PER_DAY), ("h", 60.0), ("min", 1.0)):
        if abs(minutes) >= size:
            return f"{minutes / size:.4g} {unit}"
    return f"{minutes * 60:.4g} s"


class _Unit:
    """Pydantic metadata: text with a unit in, float in the internal unit out."""

    def __init__(self, dimension: Dimension, example: str) -> None:
        self.dimension = dimension
        self.example = example

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        from pydantic_core import core_schema

        dimension = self.dimension
        unit = _example_unit(dimension)

        def validate(value: Any) -> float:
            try:
                return parse_quantity(value, dimension)
            except ConfigError as error:  # pydantic reports ValueErrors with the key path
                raise ValueError(str(error)) from None

        return core_schema.no_info_plain_validator_function(
            validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda value: f"{value:g} {unit}", return_schema=core_schema.str_schema()
            ),
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "string",
            "description": f"a {self.dimension.value} with its unit, e.g. {self.example!r}",
            "examples": [self.example],
        }


# Pydantic field types: text with a unit in, internal float out.
Duration = Annotated[float, _Unit(Dimension.DURATION, "2.5 min")]
Rate = Annotated[float, _Unit(Dimension.RATE, "100000/yr")]
Length = Annotated[float, _Unit(Dimension.LENGTH, "11 m")]
Speed = Annotated[float, _Unit(Dimension.SPEED, "7 m/s")]
Volume = Annotated[float, _Unit(Dimension.VOLUME, "40 L")]
Flow = Annotated[float, _Unit(Dimension.FLOW, "12 L/min")]
ApplicationRate = Annotated[float, _Unit(Dimension.APPLICATION_RATE, "15 L/ha")]
Area = Annotated[float, _Unit(Dimension.AREA, "20 ha")]
Mass = Annotated[float, _Unit(Dimension.MASS, "25 kg")]
Energy = Annotated[float, _Unit(Dimension.ENERGY, "1000 Wh")]
Power = Annotated[float, _Unit(Dimension.POWER, "500 W")]
Angle = Annotated[float, _Unit(Dimension.ANGLE, "45 deg")]
