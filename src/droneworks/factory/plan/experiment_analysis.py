"""What an experiment says: main effects with intervals, the verdict's sensitivity to each
factor, and the points that miss the target.

Main effect of a factor: the output per year and P(output ≥ target) in each of its levels.
Levels are the factor's values (levels, scale, or a distribution's bounds in a factorial or
one-at-a-time design) or, for a sampled factor in a Latin hypercube, its low / middle / high
third of the sampled values. In a one-at-a-time design each level is compared with the base
point only (both share random numbers), elsewhere a level pools every point that has it, so
the other factors vary inside it as they do in the design. The output interval is a
t interval over the level's point means (over the replications when a level has one point);
P is the mean of the level's points' probabilities. The verdict's sensitivity to a factor is
the spread of P over its levels; factors are ranked by it, then by the output spread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from droneworks.core.sweep import DesignKind, Factor, split_number
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
        if kind is DesignKind.OAT:
            groups = _one_at_a_time(result.points, position)
        elif factor.continuous and kind is DesignKind.LHS:
            groups = _thirds(result.points, position)
        else:
            groups = _by_value(result.points, position)
        effects.append(FactorEffect(factor, tuple(_level(label, pts) for label, pts in groups)))
    return sorted(effects, key=lambda e: (-e.probability_spread, -e.output_spread))


def _level(label: str, points: Sequence[PointResult]) -> LevelEffect:
    if len(points) == 1:
        output = points[0].output
    else:
        output = t_interval([p.output.mean for p in points], points[0].output.confidence)
    probability = float(np.mean([p.probability for p in points]))
    return LevelEffect(label, len(points), output, probability)


Group = tuple[str, list[PointResult]]


def _one_at_a_time(points: Sequence[PointResult], position: int) -> list[Group]:
    base = [p for p in points if all(v is None for v in p.prepared.point.values)]
    varied = [p for p in points if p.prepared.point.values[position] is not None]
    groups: list[Group] = [("file's value", base)] if base else []
    groups += [(str(p.prepared.point.values[position]), [p]) for p in varied]
    return groups


def _by_value(points: Sequence[PointResult], position: int) -> list[Group]:
    groups: dict[str, list[PointResult]] = {}
    for point in points:
        value = point.prepared.point.values[position]
        groups.setdefault("file's value" if value is None else str(value), []).append(point)
    return list(groups.items())


def _thirds(points: Sequence[PointResult], position: int) -> list[Group]:
    values = [split_number(p.prepared.point.values[position]) for p in points]
    numbers = np.array([number for number, _ in values])
    unit = values[0][1] if values else ""
    order = np.argsort(numbers, kind="stable")
    groups: list[Group] = []
    for name, chunk in zip(("low", "middle", "high"), np.array_split(order, 3), strict=True):
        if len(chunk) == 0:
            continue
        low, high = numbers[chunk].min(), numbers[chunk].max()
        label = f"{name} third ({low:.4g}–{high:.4g} {unit})".replace(" )", ")")
        groups.append((label, [points[i] for i in chunk]))
    return groups
