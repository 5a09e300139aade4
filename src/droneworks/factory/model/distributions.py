"""Random durations of the plant file: processing, setup, repair, lead times.

A distribution is written as an inline table with its kind in ``dist`` and every duration
as text with a unit; a bare duration (``time = "2 min"``) is shorthand for a constant::

    time = {dist = "lognormal", mean = "1.5 min", cv = 0.25}
    time = {dist = "triangular", low = "15 min", mode = "20 min", high = "25 min"}
    time = "10 min"

Kinds and their keys: ``constant`` (value), ``uniform`` (low, high), ``triangular`` (low,
mode, high), ``normal`` (mean, sd; truncated at 0 by redrawing), ``lognormal`` (mean, cv),
``exponential`` (mean), ``empirical`` (samples: drawn uniformly from the list).
Internally every value is in minutes; :attr:`Distribution.mean_min` is the exact mean and
:meth:`Distribution.sample` draws with a numpy Generator.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Annotated, Any

import numpy as np
from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from droneworks.core.errors import ConfigError
from droneworks.core.units import Dimension, Duration, parse_quantity
from droneworks.core.validation import UserModel

__all__ = ["DistKind", "Distribution", "DistributionSpec", "NonNegativeDuration"]


def _non_negative(value: float) -> float:
    if value < 0:
        raise ValueError(f"must not be negative, got {value:g} min")
    return value


NonNegativeDuration = Annotated[Duration, AfterValidator(_non_negative)]
"""A duration (text with a unit, minutes inside) that must be ≥ 0."""


class DistKind(StrEnum):
    """The distribution families a plant file may name in ``dist``."""

    CONSTANT = "constant"
    UNIFORM = "uniform"
    TRIANGULAR = "triangular"
    NORMAL = "normal"
    LOGNORMAL = "lognormal"
    EXPONENTIAL = "exponential"
    EMPIRICAL = "empirical"


_KEYS: dict[DistKind, tuple[str, ...]] = {
    DistKind.CONSTANT: ("value",),
    DistKind.UNIFORM: ("low", "high"),
    DistKind.TRIANGULAR: ("low", "mode", "high"),
    DistKind.NORMAL: ("mean", "sd"),
    DistKind.LOGNORMAL: ("mean", "cv"),
    DistKind.EXPONENTIAL: ("mean",),
    DistKind.EMPIRICAL: ("samples",),
}
_ALL_KEYS = ("value", "low", "mode", "high", "mean", "sd", "cv", "samples")


class Distribution(UserModel):
    """A non-negative random duration; every value in minutes."""

    dist: DistKind
    value: NonNegativeDuration | None = None
    low: NonNegativeDuration | None = None
    mode: NonNegativeDuration | None = None
    high: NonNegativeDuration | None = None
    mean: NonNegativeDuration | None = None
    sd: NonNegativeDuration | None = None
    cv: Annotated[float, Field(ge=0.0)] | None = None
    samples: list[NonNegativeDuration] | None = None

    @model_validator(mode="after")
    def _check_keys(self) -> Distribution:
        wanted = _KEYS[self.dist]
        missing = [key for key in wanted if getattr(self, key) is None]
        if missing:
            names = ", ".join(f'"{key}"' for key in missing)
            raise ValueError(f"{self.dist.value} distribution needs {names}")
        extra = [key for key in _ALL_KEYS if key not in wanted and getattr(self, key) is not None]
        if extra:
            names = ", ".join(f'"{key}"' for key in extra)
            takes = ", ".join(wanted)
            raise ValueError(f"{self.dist.value} distribution takes {takes}, not {names}")
        self._check_order()
        return self

    def _check_order(self) -> None:
        if self.dist is DistKind.UNIFORM and self._f("low") > self._f("high"):
            raise ValueError("uniform distribution needs low ≤ high")
        if self.dist is DistKind.TRIANGULAR and not (
            self._f("low") <= self._f("mode") <= self._f("high")
        ):
            raise ValueError("triangular distribution needs low ≤ mode ≤ high")
        if self.dist is DistKind.EMPIRICAL and not self.samples:
            raise ValueError("empirical distribution needs at least one sample")
        if self.dist is DistKind.NORMAL and self._f("mean") == 0 and self._f("sd") > 0:
            raise ValueError("normal distribution truncated at 0 needs mean > 0")

    def _f(self, key: str) -> float:
        value = getattr(self, key)
        assert isinstance(value, float)
        return value

    def _samples(self) -> np.ndarray:
        return np.asarray(self.samples or (), dtype=float)

    @classmethod
    def constant(cls, minutes: float) -> Distribution:
        """A constant duration of ``minutes`` (for code building plants directly)."""
        return cls.model_construct(dist=DistKind.CONSTANT, value=float(minutes))

    @property
    def mean_min(self) -> float:
        """The exact mean in minutes (for the truncated normal: of the truncated law)."""
        kind = self.dist
        if kind is DistKind.CONSTANT:
            return self._f("value")
        if kind is DistKind.UNIFORM:
            return (self._f("low") + self._f("high")) / 2
        if kind is DistKind.TRIANGULAR:
            return (self._f("low") + self._f("mode") + self._f("high")) / 3
        if kind is DistKind.NORMAL:
            return self._truncated_normal_moments()[0]
        if kind is DistKind.EMPIRICAL:
            return float(np.mean(self._samples()))
        return self._f("mean")  # lognormal, exponential

    @property
    def variance_min2(self) -> float:
        """The exact variance in minutes²."""
        kind = self.dist
        if kind is DistKind.CONSTANT:
            return 0.0
        if kind is DistKind.UNIFORM:
            return (self._f("high") - self._f("low")) ** 2 / 12
        if kind is DistKind.TRIANGULAR:
            a, c, b = self._f("low"), self._f("mode"), self._f("high")
            return (a * a + b * b + c * c - a * b - a * c - b * c) / 18
        if kind is DistKind.NORMAL:
            return self._truncated_normal_moments()[1]
        if kind is DistKind.LOGNORMAL:
            return (self._f("mean") * self._f("cv")) ** 2
        if kind is DistKind.EXPONENTIAL:
            return self._f("mean") ** 2
        return float(np.var(self._samples()))

    def scv(self) -> float:
        """Squared coefficient of variation (variance / mean²); 0 for a zero mean."""
        mean = self.mean_min
        return self.variance_min2 / (mean * mean) if mean > 0 else 0.0

    def _truncated_normal_moments(self) -> tuple[float, float]:
        """Mean and variance of the normal law truncated to [0, ∞)."""
        mean, sd = self._f("mean"), self._f("sd")
        if sd == 0:
            return mean, 0.0
        from scipy import stats  # only here: importing it costs a second

        law = stats.truncnorm(-mean / sd, math.inf, loc=mean, scale=sd)
        return float(law.mean()), float(law.var())

    def lognormal_params(self) -> tuple[float, float]:
        """(mu, sigma) of the underlying normal for a lognormal of this mean and cv."""
        mean, cv = self._f("mean"), self._f("cv")
        sigma2 = math.log1p(cv * cv)
        return math.log(mean) - sigma2 / 2 if mean > 0 else -math.inf, math.sqrt(sigma2)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Draw ``n`` durations in minutes (float64) with ``rng``."""
        kind = self.dist
        if kind is DistKind.CONSTANT:
            return np.full(n, self._f("value"))
        if kind is DistKind.UNIFORM:
            return rng.uniform(self._f("low"), self._f("high"), n)
        if kind is DistKind.TRIANGULAR:
            low, mode, high = self._f("low"), self._f("mode"), self._f("high")
            if low == high:
                return np.full(n, low)
            return rng.triangular(low, mode, high, n)
        if kind is DistKind.NORMAL:
            return self._sample_truncated_normal(rng, n)
        if kind is DistKind.LOGNORMAL:
            if self._f("mean") == 0:
                return np.zeros(n)
            mu, sigma = self.lognormal_params()
            return rng.lognormal(mu, sigma, n)
        if kind is DistKind.EXPONENTIAL:
            return rng.exponential(self._f("mean"), n)
        samples = self._samples()
        return samples[rng.integers(0, len(samples), n)]

    def _sample_truncated_normal(self, rng: np.random.Generator, n: int) -> np.ndarray:
        mean, sd = self._f("mean"), self._f("sd")
        out = rng.normal(mean, sd, n)
        bad = out < 0
        while bad.any():  # redraw negatives: exact truncation at 0
            out[bad] = rng.normal(mean, sd, int(bad.sum()))
            bad = out < 0
        return out


def _shorthand(value: Any) -> Any:
    """A bare duration (text with a unit) means a constant distribution."""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        try:
            minutes = parse_quantity(value, Dimension.DURATION)
        except ConfigError as error:
            raise ValueError(f"{error} (write a duration or a distribution table)") from None
        _non_negative(minutes)
        return {"dist": "constant", "value": value}
    return value


DistributionSpec = Annotated[
    Distribution,
    BeforeValidator(_shorthand, json_schema_input_type=Duration | Distribution),
]
"""A distribution field: an inline table, or a bare duration meaning a constant."""
