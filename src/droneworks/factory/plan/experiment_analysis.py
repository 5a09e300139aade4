"""What an experiment says: main effects with intervals, the verdict's sensitivity to each
factor, and the points that miss the target.

Main effect of a factor: the output per year and P(output ≥ target) in each of its levels
(:mod:`droneworks.core.sweep_levels`; in a one-at-a-time design a level and the base point
share random numbers). The output interval is a
t interval over the level's point means (over the replications when a level has one point);
P is the mean of the level's points' probabilities. The verdict's sensitivity to a factor is
the spread of P over its levels; factors are ranked by it, then by the output spread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from droneworks.core.sweep import Factor, Point
from droneworks.core.sweep_levels import factor_levels
from droneworks.factory.plan.experiment_run import ExperimentResult, PointResult
from droneworks.factory.plan.statistics import Interval, t_interval

__all__ = ["FactorEffect", "LevelEffect", "main_effects", "missed_points"]


@dataclass(frozen=True)
class LevelEffect:
    label: str
    points: int
    output: Interval
    probability: float


@dataclass(frozen=True)
class FactorEffect:
    factor: Factor
    levels: tuple[LevelEffect, ...]

    @property
    def output_spread(self) -> float:
        means = [level.output.mean for level in self.levels]
        return max(means) - min(means) if means else 0.0

    @property
    def probability_spread(self) -> float:
        values = [level.probability for level in self.levels if np.isfinite(level.probability)]
        return max(values) - min(values) if values else 0.0


def missed_points(result: ExperimentResult) -> list[PointResult]:
    """Points whose P(output ≥ target) is below the confidence asked, worst first."""
    missed = [p for p in result.points if not p.probability >= result.confidence]
    return sorted(missed, key=lambda p: (np.nan_to_num(p.probability), p.output.mean))


def main_effects(result: ExperimentResult) -> list[FactorEffect]:
    """Every factor's levels, ranked by the verdict's sensitivity, then the output's."""
    kind = result.experiment.spec.design.kind
    effects = []
    for position, factor in enumerate(result.experiment.factors):
        groups = factor_levels(result.points, _point_of, kind, factor, position)
        effects.append(FactorEffect(factor, tuple(_level(label, pts) for label, pts in groups)))
    return sorted(effects, key=lambda e: (-e.probability_spread, -e.output_spread))


def _point_of(result: PointResult) -> Point:
    return result.prepared.point


def _level(label: str, points: Sequence[PointResult]) -> LevelEffect:
    if len(points) == 1:
        output = points[0].output
    else:
        output = t_interval([p.output.mean for p in points], points[0].output.confidence)
    probability = float(np.mean([p.probability for p in points]))
    return LevelEffect(label, len(points), output, probability)
