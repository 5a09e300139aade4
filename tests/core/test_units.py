from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from droneworks.core.errors import ConfigError
from droneworks.core.units import (
    LIMIT_TEXTS,
    LIMITS,
    MINUTES_PER_YEAR,
    SMALLEST,
    Dimension,
    Duration,
    Speed,
    format_duration,
    parse_quantity,
)
from droneworks.core.validation import validate

GOOD = [
    ("90 s", Dimension.DURATION, 1.5),
    ("2.5 min", Dimension.DURATION, 2.5),
    ("8 h", Dimension.DURATION, 480.0),
    ("3 d", Dimension.DURATION, 4320.0),
    ("4 w", Dimension.DURATION, 40320.0),
    ("1 yr", Dimension.DURATION, 525600.0),
    ("1e3 s", Dimension.DURATION, 1000 / 60),
    ("100000/yr", Dimension.RATE, 100000 / 525600),
    ("100_000 /yr", Dimension.RATE, 100000 / 525600),
    ("12 per h", Dimension.RATE, 0.2),
    ("11 m", Dimension.LENGTH, 11.0),
    ("2 km", Dimension.LENGTH, 2000.0),
    ("4.34 mm", Dimension.LENGTH, 0.00434),
    ("7 m/s", Dimension.SPEED, 7.0),
    ("36 km/h", Dimension.SPEED, 10.0),
    ("65 mph", Dimension.SPEED, 65 * 1609.344 / 3600),
    ("40 L", Dimension.VOLUME, 40.0),
    ("500 mL", Dimension.VOLUME, 0.5),
    ("12 L/min", Dimension.FLOW, 12.0),
    ("15 L/ha", Dimension.APPLICATION_RATE, 15.0),
    ("20 ha", Dimension.AREA, 200_000.0),
    ("25 kg", Dimension.MASS, 25.0),
    ("8 lb", Dimension.MASS, 8 * 0.45359237),
    ("1.5 kWh", Dimension.ENERGY, 1500.0),
    ("500 W", Dimension.POWER, 500.0),
    ("90 deg", Dimension.ANGLE, 90.0),
]


@pytest.mark.parametrize(("text", "dimension", "expected"), GOOD)
def test_parses_to_internal_unit(text: str, dimension: Dimension, expected: float) -> None:
    assert parse_quantity(text, dimension) == pytest.approx(expected, rel=1e-12)


BAD = [
    ("2,5 min", Dimension.DURATION, "decimal point"),
    ("480", Dimension.DURATION, "no unit"),
    ("min", Dimension.DURATION, "is not a duration"),
    ("5 parsecs", Dimension.DURATION, 'unknown unit "parsecs"'),
    ("7 m/s", Dimension.DURATION, "it is a speed"),
    ("2 km", Dimension.SPEED, "it is a length"),
    ("40 L", Dimension.MASS, "it is a volume"),
    ("", Dimension.LENGTH, "is not a length"),
    ("1e999 m", Dimension.LENGTH, "finite"),
    ("15 L/hq", Dimension.APPLICATION_RATE, "is not an application rate"),
]


@pytest.mark.parametrize(("text", "dimension", "fragment"), BAD)
def test_rejects_malformed_with_quoted_value(
    text: str, dimension: Dimension, fragment: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_quantity(text, dimension)
    assert f'"{text}"' in str(caught.value)
    assert fragment in str(caught.value)


@pytest.mark.parametrize("value", [480, 2.5, True, None, [1]])
def test_rejects_non_text(value: object) -> None:
    with pytest.raises(ConfigError, match="duration"):
        parse_quantity(value, Dimension.DURATION)


@given(
    st.just(0.0)
    | st.floats(min_value=SMALLEST, max_value=LIMITS[Dimension.DURATION] / 60, allow_nan=False)
)
def test_minutes_round_trip(minutes: float) -> None:
    assert parse_quantity(f"{minutes!r} min", Dimension.DURATION) == minutes
    assert parse_quantity(f"{minutes!r} h", Dimension.DURATION) == pytest.approx(minutes * 60)


def test_year_is_365_days() -> None:
    assert MINUTES_PER_YEAR == 525_600


def test_format_duration() -> None:
    assert format_duration(90) == "1.5 h"
    assert format_duration(0.5) == "30 s"
    assert format_duration(2880) == "2 d"


class _Op(BaseModel):
    time: Duration
    speed: Speed


def test_pydantic_field_types_name_the_key_path() -> None:
    op = validate(_Op, {"time": "90 s", "speed": "36 km/h"}, "x.toml")
    assert (op.time, op.speed) == (1.5, 10.0)
    with pytest.raises(ConfigError) as caught:
        validate(_Op, {"time": "2,5 min", "speed": "7 m/s"}, "plant.toml")
    assert str(caught.value).startswith('plant.toml: time: "2,5 min" is not a duration')


def test_pydantic_field_serialises_with_unit_and_exports_schema() -> None:
    op = _Op(time="2 h", speed="7 m/s")  # type: ignore[arg-type]
    assert op.model_dump() == {"time": "120 min", "speed": "7 m/s"}
    schema = _Op.model_json_schema()
    assert schema["properties"]["time"]["type"] == "string"
    assert math.isclose(_Op.model_validate(op.model_dump()).time, 120.0)


@pytest.mark.parametrize(
    ("text", "dimension", "fragment"),
    [
        ("1e308 yr", Dimension.DURATION, "at most 1000 yr"),  # finite before the conversion
        ("1e-300 wk", Dimension.DURATION, "too small"),
        ("1001 yr", Dimension.DURATION, "too large"),
        ("1e308 kg", Dimension.MASS, "at most 1e9 kg"),
        ("2e5 km", Dimension.LENGTH, "at most 100000 km"),
        ("-1e9 m/s", Dimension.SPEED, "too large"),
    ],
)
def test_range_checked_after_conversion(text: str, dimension: Dimension, fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        parse_quantity(text, dimension)


@pytest.mark.parametrize("dimension", list(Dimension))
def test_limits_are_accepted_and_just_beyond_refused(dimension: Dimension) -> None:
    number, _, unit = LIMIT_TEXTS[dimension].partition(" ")
    assert parse_quantity(LIMIT_TEXTS[dimension], dimension) == pytest.approx(LIMITS[dimension])
    assert parse_quantity(f"0 {unit}", dimension) == 0
    with pytest.raises(ConfigError, match="too large"):
        parse_quantity(f"{float(number) * 1.01} {unit}", dimension)
