"""Sweeps over a user file: factors at key paths, designs, and the changed files per point.

Any wing's file (a plant, a wall) is a nested mapping once parsed. A :class:`Factor` names a
key path into it (``work_centres.frame.failures.up_time.mean``, ``products.sprayer.
operations[2].time``) and the values it takes: explicit ``levels``, multipliers of the file's
own value (``scale``), or a ``distribution`` to sample. A design turns factors into points
(full factorial, Latin hypercube with a seed, one factor at a time around the base);
:func:`apply_point` writes a point's values into a copy of the file's data, which the wing
then validates as usual, so a value of the wrong kind gets the wing's own key-path message.

Values keep the file's notation: ``"120 h"`` scaled by 0.8 is ``"96 h"``, an integer stays an
integer. Only the number in front of a unit is changed; the unit is never converted.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field, model_validator

from droneworks.core.errors import ConfigError
from droneworks.core.validation import UserModel

__all__ = [
    "Design",
    "DesignKind",
    "Distribution",
    "Factor",
    "Point",
    "apply_point",
    "canonical_json",
    "check_factor_paths",
    "design_points",
    "get_path",
    "parse_path",
]

Value = str | int | float | bool
_NUMBER = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")
_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
MAX_POINTS = 10_000


class Distribution(UserModel):
    """A factor's uncertainty: values with units (``"96 h"``) or plain numbers."""

    kind: Literal["uniform", "triangular", "normal"]
    low: Value | None = None
    mode: Value | None = None
    high: Value | None = None
    mean: Value | None = None
    sd: Value | None = None

    @model_validator(mode="after")
    def _complete(self) -> Distribution:
        needed = {
            "uniform": ("low", "high"),
            "triangular": ("low", "mode", "high"),
            "normal": ("mean", "sd"),
        }[self.kind]
        missing = [name for name in needed if getattr(self, name) is None]
        if missing:
            raise ValueError(f"a {self.kind} distribution needs {', '.join(missing)}")
        numbers = {name: split_number(getattr(self, name))[0] for name in needed}
        units = {split_number(getattr(self, name))[1] for name in needed}
        if len(units) > 1:
            raise ValueError(f"write every bound in one unit, not {sorted(units)}")
        if self.kind == "normal" and not numbers["sd"] > 0:
            raise ValueError("sd must be positive")
        if self.kind != "normal":
            low, high = numbers["low"], numbers["high"]
            mode = numbers.get("mode", low)
            if not low <= mode <= high or not low < high:
                raise ValueError("need low < high (and low ≤ mode ≤ high)")
        return self

    def levels(self) -> list[Value]:
        """The values a factorial or one-at-a-time design uses: the bounds (and the mode)."""
        if self.kind == "normal":
            mean, unit = split_number(self.mean)
            sd = split_number(self.sd)[0]
            return [
                join_number(mean - sd, unit, self.mean),
                join_number(mean + sd, unit, self.mean),
            ]
        names = ("low", "mode", "high") if self.kind == "triangular" else ("low", "high")
        return [getattr(self, name) for name in names]

    def quantile(self, u: float) -> Value:
        """The value at probability ``u`` in (0, 1)."""
        from scipy import stats

        reference = self.low if self.kind != "normal" else self.mean
        _, unit = split_number(reference)
        if self.kind == "uniform":
            low, high = split_number(self.low)[0], split_number(self.high)[0]
            number = low + u * (high - low)
        elif self.kind == "triangular":
            low, mode, high = (split_number(v)[0] for v in (self.low, self.mode, self.high))
            c = (mode - low) / (high - low)
            number = float(stats.triang.ppf(u, c, loc=low, scale=high - low))
        else:
            mean, sd = split_number(self.mean)[0], split_number(self.sd)[0]
            number = float(stats.norm.ppf(u, loc=mean, scale=sd))
        return join_number(float(f"{number:.4g}"), unit, reference)  # 4 digits: readable


class Factor(UserModel):
    """One uncertain or varied input: a key path and the values it takes."""

    path: str
    levels: list[Value] | None = Field(default=None, min_length=1)
    scale: list[float] | None = Field(default=None, min_length=1)
    distribution: Distribution | None = None
    relative: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> Factor:
        given = [n for n in ("levels", "scale", "distribution") if getattr(self, n) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of levels, scale or distribution")
        if self.relative and self.distribution is None:
            raise ValueError("relative = true applies to a distribution only")
        for number in self.scale or []:
            if not (math.isfinite(number) and number > 0):
                raise ValueError(f"scale factors must be positive numbers, not {number!r}")
        parse_path(self.path)
        return self

    @property
    def continuous(self) -> bool:
        return self.distribution is not None

    def discrete_values(self, base: Any) -> list[Value]:
        """The values a factorial or one-at-a-time design uses (``base``: the file's value)."""
        if self.levels is not None:
            return list(self.levels)
        if self.scale is not None:
            return [scale_value(base, s, self.path) for s in self.scale]
        assert self.distribution is not None
        return [self._resolve(value, base) for value in self.distribution.levels()]

    def sample(self, u: float, base: Any) -> Value:
        """The value at probability ``u`` (levels: one of them, equally likely)."""
        if self.distribution is not None:
            return self._resolve(self.distribution.quantile(u), base)
        values = self.discrete_values(base)
        return values[min(len(values) - 1, int(u * len(values)))]

    def _resolve(self, value: Value, base: Any) -> Value:
        if not self.relative:
            return value
        return scale_value(base, split_number(value)[0], self.path)


class DesignKind(StrEnum):
    FULL = "full"
    LHS = "lhs"
    OAT = "oat"


class Design(UserModel):
    """How factors become points: ``full`` factorial, ``lhs`` (``points``, ``seed``) or
    ``oat`` (the base, then each factor's values one at a time)."""

    kind: DesignKind = DesignKind.FULL
    points: int | None = Field(default=None, ge=2, le=MAX_POINTS)
    seed: int = Field(default=0, ge=0, lt=2**63)

    @model_validator(mode="after")
    def _points(self) -> Design:
        if self.kind is DesignKind.LHS and self.points is None:
            raise ValueError("a Latin hypercube needs points (how many)")
        if self.kind is not DesignKind.LHS and self.points is not None:
            raise ValueError(f"points applies to kind = 'lhs', not '{self.kind}'")
        return self


@dataclass(frozen=True)
class Point:
    """One configuration: the value of every factor (None: the file's own value)."""

    index: int
    values: tuple[Value | None, ...]

    def label(self, factors: Sequence[Factor]) -> str:
        changed = [
            f"{factor.path} = {value}"
            for factor, value in zip(factors, self.values, strict=True)
            if value is not None
        ]
        return ", ".join(changed) or "base (the file as it is)"


def design_points(
    design: Design, factors: Sequence[Factor], data: Mapping[str, Any]
) -> list[Point]:
    """The design's points, in a fixed order (same file and seed → same points)."""
    if not factors:
        raise ConfigError("an experiment needs at least one factor")
    bases = [get_path(data, factor.path) for factor in factors]
    rows: list[tuple[Value | None, ...]]
    if design.kind is DesignKind.LHS:
        from scipy.stats import qmc

        assert design.points is not None
        sample = qmc.LatinHypercube(d=len(factors), seed=design.seed).random(design.points)
        rows = [
            tuple(f.sample(float(u), b) for f, u, b in zip(factors, row, bases, strict=True))
            for row in sample
        ]
    elif design.kind is DesignKind.FULL:
        grids = [f.discrete_values(b) for f, b in zip(factors, bases, strict=True)]
        count = math.prod(len(grid) for grid in grids)
        if count > MAX_POINTS:
            raise ConfigError(f"a full factorial of {count:,} points is over {MAX_POINTS:,}")
        rows = list(itertools.product(*grids))
    else:
        rows = [tuple(None for _ in factors)]
        row: list[Value | None]
        for position, (factor, base) in enumerate(zip(factors, bases, strict=True)):
            for value in factor.discrete_values(base):
                row = [None for _ in factors]
                row[position] = value
                rows.append(tuple(row))
    return [Point(index, tuple(row)) for index, row in enumerate(rows)]


def parse_path(path: str) -> list[str | int]:
    """``"a.b[2].c"`` → ``["a", "b", 2, "c"]``; a malformed path is a ConfigError."""
    parts: list[str | int] = []
    position = 0
    text = path.strip()
    while position < len(text):
        if parts and text[position] == ".":
            position += 1
        match = _PART.match(text, position)
        if match is None:
            raise ConfigError(f'factor path "{path}": cannot read it at character {position + 1}')
        parts.append(match.group(1).strip() if match.group(1) else int(match.group(2)))
        position = match.end()
    if not parts or not isinstance(parts[0], str):
        raise ConfigError(f'factor path "{path}": write keys joined by dots, e.g. demand.rate')
    return parts


def get_path(data: Any, path: str) -> Any:
    """The value at ``path`` (a ConfigError names the first key that is not there)."""
    node = data
    walked = ""
    for part in parse_path(path):
        walked = f"{walked}[{part}]" if isinstance(part, int) else f"{walked}.{part}".lstrip(".")
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                raise ConfigError(f'factor path "{path}": {walked} is not in the file')
        elif not isinstance(node, Mapping) or part not in node:
            known = ", ".join(sorted(map(str, node))[:12]) if isinstance(node, Mapping) else ""
            hint = f" (there: {known})" if known else ""
            raise ConfigError(f'factor path "{path}": {walked} is not in the file{hint}')
        node = node[part]
    return node


def check_factor_paths(factors: Sequence[Factor], data: Mapping[str, Any], source: str) -> None:
    """Every factor's path is in ``data`` (a ConfigError names ``factors[i].path``)."""
    for position, factor in enumerate(factors):
        try:
            get_path(data, factor.path)
        except ConfigError as error:
            raise ConfigError(f"{source}: factors[{position}].path: {error}") from None


def apply_point(data: Mapping[str, Any], factors: Sequence[Factor], point: Point) -> dict[str, Any]:
    """A deep copy of ``data`` with the point's values written at the factors' paths."""
    changed = copy.deepcopy(dict(data))
    for factor, value in zip(factors, point.values, strict=True):
        if value is None:
            continue
        *parents, last = parse_path(factor.path)
        get_path(changed, factor.path)  # every key exists (checked with a clear message)
        node: Any = changed
        for part in parents:
            node = node[part]
        node[last] = value
    return changed


def canonical_json(data: Mapping[str, Any]) -> str:
    """The data as JSON with sorted keys: equal content gives equal text (and hash), whatever
    the key order, comments or formatting of the file it came from."""
    return json.dumps(data, sort_keys=True, default=str, indent=1)


def split_number(value: Any) -> tuple[float, str]:
    """``"120 h"`` → ``(120.0, "h")``; ``5`` → ``(5.0, "")``."""
    if isinstance(value, bool):
        raise ConfigError(f"{value!r} is not a number")
    if isinstance(value, int | float):
        return float(value), ""
    match = _NUMBER.match(str(value))
    if match is None:
        raise ConfigError(f'"{value}" does not start with a number')
    return float(match.group(1)), match.group(2)


def join_number(number: float, unit: str, like: Any) -> Value:
    """A number written like ``like``: an int stays an int, a unit stays attached."""
    if not math.isfinite(number):
        raise ConfigError(f"a factor value came out as {number}")
    if isinstance(like, int) and not isinstance(like, bool) and not unit:
        return round(number)
    if isinstance(like, int | float) and not unit:
        return number
    text = f"{number:.10g}"
    if "/" in unit:
        return f"{text}{unit}"  # rates are written "100000/yr"
    return f"{text} {unit}".strip()


def scale_value(base: Any, factor: float, path: str) -> Value:
    """The file's value at ``path`` times ``factor`` (the unit kept)."""
    try:
        number, unit = split_number(base)
    except ConfigError:
        raise ConfigError(
            f'factor path "{path}": scale needs a number there, the file has {base!r}'
        ) from None
    return join_number(number * factor, unit, base)
