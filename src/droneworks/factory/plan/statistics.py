"""Confidence intervals over replications and probability estimates.

* :func:`t_interval` — Student-t interval of a mean from independent replications:
  ``mean ± t(1 − α/2, n − 1) · s / √n``.
* :func:`wilson_interval` — Wilson score interval of a proportion (``k`` of ``n``
  replications met a target).
* :func:`normal_exceedance` — the probability that *next* year's output reaches a target,
  from a normal model of the replications' outputs with estimation uncertainty included
  (Student-t predictive distribution: ``P = T_{n−1}((mean − target) / (s · √(1 + 1/n)))``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "Interval",
    "normal_exceedance",
    "required_replications",
    "t_interval",
    "wilson_interval",
]


@dataclass(frozen=True)
class Interval:
    """A two-sided confidence interval of a mean over ``n`` replications."""

    mean: float
    halfwidth: float
    std: float
    n: int
    confidence: float

    @property
    def low(self) -> float:
        return self.mean - self.halfwidth

    @property
    def high(self) -> float:
        return self.mean + self.halfwidth

    def covers(self, value: float) -> bool:
        """True when ``value`` lies inside the interval."""
        return self.low <= value <= self.high

    def as_dict(self) -> dict[str, float]:
        """Plain numbers for JSON and the runs database."""
        return {
            "mean": self.mean,
            "halfwidth": self.halfwidth,
            "low": self.low,
            "high": self.high,
            "std": self.std,
            "n": float(self.n),
            "confidence": self.confidence,
        }


def _check_confidence(confidence: float) -> None:
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be between 0 and 1, not {confidence!r}")


def t_quantile(confidence: float, n: int) -> float:
    """The two-sided Student-t quantile for ``n`` observations (inf below 2)."""
    _check_confidence(confidence)
    if n < 2:
        return math.inf
    from scipy import stats  # heavy: only when an interval needs it

    return float(stats.t.ppf(0.5 + confidence / 2.0, n - 1))


def t_interval(values: Sequence[float] | np.ndarray, confidence: float = 0.95) -> Interval:
    """Student-t confidence interval of the mean of independent replications.

    One value gives an infinite half-width; identical values give zero.
    """
    data = np.asarray(values, dtype=float)
    if data.size == 0:
        raise ValueError("t_interval needs at least one value")
    n = int(data.size)
    mean = float(data.mean())
    std = float(data.std(ddof=1)) if n > 1 else math.nan
    halfwidth = math.inf if n < 2 else t_quantile(confidence, n) * std / math.sqrt(n)
    return Interval(mean=mean, halfwidth=halfwidth, std=std, n=n, confidence=confidence)


def required_replications(interval: Interval, halfwidth: float) -> int:
    """Replications needed for ``halfwidth`` if the standard deviation stays as estimated."""
    if halfwidth <= 0:
        raise ValueError(f"target half-width must be positive, not {halfwidth!r}")
    if interval.n < 2 or not math.isfinite(interval.std):
        return interval.n + 1
    t_value = t_quantile(interval.confidence, interval.n)
    return max(interval.n, math.ceil((t_value * interval.std / halfwidth) ** 2))


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a proportion ``successes / n``."""
    _check_confidence(confidence)
    if n < 1 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n and n >= 1, not {successes}/{n}")
    from scipy import stats  # heavy: only when an interval needs it

    z = float(stats.norm.ppf(0.5 + confidence / 2.0))
    share = successes / n
    denominator = 1.0 + z * z / n
    centre = (share + z * z / (2 * n)) / denominator
    spread = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / denominator
    low = 0.0 if successes == 0 else max(0.0, centre - spread)
    high = 1.0 if successes == n else min(1.0, centre + spread)
    return low, high


def normal_exceedance(values: Sequence[float] | np.ndarray, target: float) -> float:
    """P(next value ≥ target) under a normal model, with the t predictive distribution.

    With zero spread the answer is 1 or 0; with one value it is undefined (NaN).
    """
    data = np.asarray(values, dtype=float)
    n = int(data.size)
    if n < 2:
        return math.nan
    mean = float(data.mean())
    std = float(data.std(ddof=1))
    if std == 0.0:
        return 1.0 if mean >= target else 0.0
    score = (mean - target) / (std * math.sqrt(1.0 + 1.0 / n))
    from scipy import stats  # heavy: only when an interval needs it

    return float(stats.t.cdf(score, n - 1))


BOOTSTRAP_RESAMPLES = 2000


def bootstrap_bands(output: np.ndarray, confidence: float) -> list[tuple[float, float, float]]:
    """Per period (columns) of replications (rows): the mean and its percentile-bootstrap
    interval. It never leaves the range of the replications, so it is never below zero
    and with few replications it is only as wide as they are apart (a t interval of
    two replications reached −1,558 … 13,388 drones). Seeded: the same data give the
    same band."""
    data = np.asarray(output, dtype=float)
    n = data.shape[0]
    rng = np.random.default_rng(0)
    picks = rng.integers(0, n, size=(BOOTSTRAP_RESAMPLES, n))
    means = data[picks].mean(axis=1)  # (resamples, periods)
    alpha = (1.0 - confidence) / 2
    low = np.quantile(means, alpha, axis=0)
    high = np.quantile(means, 1.0 - alpha, axis=0)
    return [
        (float(m), float(lo), float(hi))
        for m, lo, hi in zip(data.mean(axis=0), low, high, strict=True)
    ]
