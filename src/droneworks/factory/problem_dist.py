"""Distributions of the flat problem: a kind (``problem.DIST_*``) and its parameters, as
the builder takes them (``Dist.lognormal(1.5, 0.25)``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from droneworks.factory import problem as p

__all__ = ["UNIT_UNIFORM", "Dist"]


@dataclass(frozen=True)
class Dist:
    """A distribution of the flat problem: a kind (``problem.DIST_*``) and 3 parameters."""

    kind: int
    params: tuple[float, float, float] = (0.0, 0.0, 0.0)
    samples: tuple[float, ...] = ()

    @staticmethod
    def constant(value: float) -> Dist:
        return Dist(p.DIST_CONSTANT, (value, 0.0, 0.0))

    @staticmethod
    def uniform(low: float, high: float) -> Dist:
        return Dist(p.DIST_UNIFORM, (low, high, 0.0))

    @staticmethod
    def triangular(low: float, mode: float, high: float) -> Dist:
        return Dist(p.DIST_TRIANGULAR, (low, mode, high))

    @staticmethod
    def normal(mean: float, sd: float) -> Dist:
        return Dist(p.DIST_NORMAL, (mean, sd, 0.0))

    @staticmethod
    def lognormal(mean: float, cv: float) -> Dist:
        return Dist(p.DIST_LOGNORMAL, (mean, cv, 0.0))

    @staticmethod
    def exponential(mean: float) -> Dist:
        return Dist(p.DIST_EXPONENTIAL, (mean, 0.0, 0.0))

    @staticmethod
    def empirical(samples: Sequence[float]) -> Dist:
        if not samples:
            raise ValueError("an empirical distribution needs samples")
        return Dist(p.DIST_EMPIRICAL, samples=tuple(float(x) for x in samples))


UNIT_UNIFORM = Dist(p.DIST_UNIT_UNIFORM)
