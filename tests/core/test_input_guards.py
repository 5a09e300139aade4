"""Generic input guards of core.validation: booleans are not numbers, limits are shared."""

from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import Field

from droneworks.core.errors import ConfigError
from droneworks.core.limits import MAX_COUNT
from droneworks.core.validation import UserModel, validate


class _Point(UserModel):
    lat: float = Field(default=0.0, ge=-90, le=90)
    counts: dict[str, Annotated[int, Field(ge=1, le=MAX_COUNT)]] = Field(default_factory=dict)
    plan: tuple[int, ...] = ()
    optional: int | None = None
    flag: bool = False
    name: str = ""


class _File(UserModel):
    points: list[_Point] = Field(default_factory=list)


@pytest.mark.parametrize(
    ("point", "key"),
    [
        ({"lat": True}, "lat"),
        ({"counts": {"arm": False}}, "counts"),
        ({"plan": [1, True]}, "plan"),
        ({"optional": True}, "optional"),
    ],
)
def test_boolean_is_not_a_number(point: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError, match=rf"f.toml: points\[0\]: {key}: true/false is not"):
        validate(_File, {"points": [point]}, "f.toml")


def test_booleans_and_numbers_where_they_belong() -> None:
    parsed = validate(_File, {"points": [{"lat": 1, "flag": True, "plan": [0, 2]}]}, "f")
    assert parsed.points[0].lat == 1.0
    assert parsed.points[0].flag is True


@pytest.mark.parametrize(
    ("point", "fragment"),
    [
        ({"lat": float("nan")}, "nan is not a finite number"),
        ({"lat": float("inf")}, "inf is not a finite number"),
        ({"optional": 2**63}, "an integer outside"),
        ({"counts": {"arm": MAX_COUNT + 1}}, "less than or equal to 1000000000"),
        ({"lat": 1e30}, "less than or equal to 90"),
    ],
)
def test_non_finite_huge_and_out_of_range(point: dict[str, object], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        validate(_File, {"points": [point]}, "f")


def test_non_finite_refused_from_python_too() -> None:
    """allow_inf_nan=False holds for values built in code, past the file walk."""
    with pytest.raises(Exception, match="finite"):
        _Point(lat=float("nan"))
