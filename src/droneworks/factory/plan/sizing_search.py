"""The search steps of capacity sizing: rank single steps, greedy, prune (the method is
described in :mod:`droneworks.factory.plan.sizing`)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from droneworks.factory.model import Plant
from droneworks.factory.plan.roughcut import rough_cut
from droneworks.factory.plan.sizing_eval import Evaluation, Evaluator
from droneworks.factory.plan.sizing_space import (
    Configuration,
    Limits,
    Move,
    annual_cost,
    apply_move,
    moves,
)

__all__ = ["MIN_GAIN", "search"]

MIN_GAIN = 0.002  # a step must raise mean output by 0.2 % to count as an improvement


def _served(plant: Plant) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Work centres each pool serves, and the work centres feeding each work centre."""
    served: dict[str, set[str]] = {pool: set() for pool in plant.workers}
    feeders: dict[str, set[str]] = {wc: set() for wc in plant.work_centres}
    for item in plant.items.values():
        previous: str | None = None
        for _path, step in item.all_steps():
            for pool in plant.pools_for(step.worker, step.skill):
                served[pool].add(step.work_centre)
        for operation in item.operations:
            if previous is not None and previous != operation.work_centre:
                feeders[operation.work_centre].add(previous)
            previous = operation.work_centre
    return served, feeders


@dataclass(frozen=True)
class _Pressure:
    """What the current configuration's simulation says about where output is lost."""

    means: dict[str, float]
    mean_output: float
    utilisation: dict[tuple[str, str], float]  # (kind, name) → rough-cut, at simulated output
    served: dict[str, set[str]]
    feeders: dict[str, set[str]]

    @classmethod
    def of(cls, plant: Plant, current: Evaluation) -> _Pressure:
        mean = max(current.output_mean, 1.0)
        cut = rough_cut(current.config.apply(plant), mean)
        served, feeders = _served(plant)
        utilisation = {(r.kind, r.name): r.utilisation for r in cut.resources}
        return cls(current.kpi_means, mean, utilisation, served, feeders)

    def on_shift(self, wc: str, states: tuple[str, ...]) -> float | None:
        """Share of the work centre's on-shift time in ``states`` (None if not simulated)."""
        if f"wc.{wc}.working" not in self.means:
            return None
        on_shift = 1.0 - self.means.get(f"wc.{wc}.off_shift", 0.0)
        total = sum(self.means.get(f"wc.{wc}.{state}", 0.0) for state in states)
        return total / on_shift if on_shift > 0 else 0.0

    def constraint(self, wc: str) -> float:
        """How strongly a work centre constrains output, 0–1: its busy share to the 8th
        power, or — if larger — the head of a blocking chain: feeders blocked, itself not
        blocked, weighted by its busy share (rough-cut utilisation before any simulation)."""
        busy = self.on_shift(wc, ("working", "setup", "down"))
        if busy is None:
            return min(self.utilisation["work_centre", wc], 1.0) ** 8
        blocked = [self.on_shift(f, ("blocked",)) or 0.0 for f in self.feeders[wc]]
        own_blocked = self.on_shift(wc, ("blocked",)) or 0.0
        head = max(blocked, default=0.0) * (1.0 - own_blocked) * busy
        return max(min(busy, 1.0) ** 8, head)

    def gain(self, move: Move, config: Configuration) -> float:
        """Output gain per year a step up is expected to bring (a ranking heuristic): the
        capacity the step adds (1/n of a lever at n), weighted by how close that resource is
        to being the constraint (its busy share, or rough-cut utilisation, to the 8th power)."""
        mean, key = self.mean_output, move.key
        if move.lever == "shifts":
            return mean / config.shifts_per_day
        if move.lever == "stations":
            return mean * self.constraint(key) / config.value("stations", key)
        if move.lever == "workers":
            waits = [self.on_shift(wc, ("starved_worker",)) or 0.0 for wc in self.served[key]]
            used = self.means.get(f"worker.{key}.utilisation", self.utilisation["workers", key])
            pressure = max(max(waits, default=0.0), min(used, 1.0) ** 8)
            return mean * pressure / max(1, config.value("workers", key))
        # a bigger input buffer helps only a constraint that starves while its feeders block
        blocked = [self.on_shift(wc, ("blocked",)) or 0.0 for wc in self.feeders[key]]
        starved = self.on_shift(key, ("starved_work",)) or 0.0
        busy = self.on_shift(key, ("working", "setup", "down")) or 0.0
        relief = min(starved, max(blocked, default=0.0))
        return mean * busy**8 * relief / (config.value("buffers", key) + 2)


Ranked = tuple[float, str, Move, Configuration]


def _rank_steps(
    evaluator: Evaluator, current: Evaluation, limits: Limits, futile: set[tuple[str, str]]
) -> tuple[list[Ranked], float]:
    """Single steps up, levers that did not help before last (tabu), then by estimated gain
    per unit of extra cost; and the cost floor used for free steps."""
    plant = evaluator.plant
    pressure = _Pressure.of(plant, current)
    steps = [
        (move, apply_move(current.config, move))
        for move in moves(current.config, evaluator.base, limits, up=True)
    ]
    base_cost = annual_cost(plant, current.config)
    extras = [annual_cost(plant, config) - base_cost for _, config in steps]
    floor = _cost_floor(extras)
    ranked = [
        (pressure.gain(move, current.config) / max(extra, floor), move.label(), move, config)
        for (move, config), extra in zip(steps, extras, strict=True)
    ]
    ranked.sort(key=lambda row: ((row[2].lever, row[2].key) in futile, -row[0], row[1]))
    return ranked, floor


def _greedy(
    evaluator: Evaluator,
    current: Evaluation,
    limits: Limits,
    per_step: int,
    budget: int,
    cap: float = math.inf,
) -> tuple[Evaluation, str]:
    """Steps up from ``current`` until the target is met, the budget is spent, nothing
    helps, or every step would cost at least ``cap`` (an incumbent's extra cost)."""
    futile: set[tuple[str, str]] = set()
    while not current.feasible:
        ranked, floor = _rank_steps(evaluator, current, limits, futile)
        ranked = [row for row in ranked if evaluator.extra_cost(row[3]) < cap]
        if not ranked:
            return current, "every further step costs more than a configuration that works"
        chosen: Evaluation | None = None
        for first in range(0, min(len(ranked), 2 * per_step), per_step):
            if len(evaluator.tried) >= budget:
                return current, f"evaluation budget ({budget}) spent before the target was met"
            rows = ranked[first : first + per_step][: budget - len(evaluator.tried)]
            batch = [evaluator.evaluate(row[3], row[2].label()) for row in rows]
            threshold = current.output_mean * (1.0 + MIN_GAIN)
            futile |= {
                (row[2].lever, row[2].key)
                for row, e in zip(rows, batch, strict=True)
                if e.output_mean < threshold and not e.feasible
            }
            chosen = _choose(batch, current, floor)
            if chosen is not None:
                break
        if chosen is None:
            return current, "no single allowed change raises the output (limits reached?)"
        current = chosen
    return current, ""


def _cost_floor(extras: list[float]) -> float:
    """Free steps (a buffer slot without cost) are ranked as if they cost as much as the
    cheapest priced step: otherwise any free step with a tiny gain beats every real one,
    and the search crawls in free steps."""
    priced = [extra for extra in extras if extra > 0]
    return max(1.0, min(priced)) if priced else 1.0


def _choose(batch: list[Evaluation], current: Evaluation, floor: float) -> Evaluation | None:
    """The cheapest candidate meeting the target, else the best measured output gain per
    unit of extra cost among those raising mean output by at least MIN_GAIN."""
    feasible = [e for e in batch if e.feasible]
    if feasible:
        return min(feasible, key=lambda e: (e.extra_cost_per_year, -e.probability))
    threshold = MIN_GAIN * current.output_mean
    improving = [e for e in batch if e.output_mean - current.output_mean >= threshold]
    if not improving:
        return None
    return max(
        improving,
        key=lambda e: (
            (e.output_mean - current.output_mean)
            / max(e.extra_cost_per_year - current.extra_cost_per_year, floor)
        ),
    )


def _prune(evaluator: Evaluator, current: Evaluation, limits: Limits, budget: int) -> Evaluation:
    plant = evaluator.plant
    improved = True
    while improved:
        improved = False
        steps = sorted(
            moves(current.config, evaluator.base, limits, up=False),
            key=lambda m: (annual_cost(plant, apply_move(current.config, m)), m.label()),
        )
        for move in steps:
            if len(evaluator.tried) >= budget:
                return current
            candidate = evaluator.evaluate(
                apply_move(current.config, move), f"prune: {move.label()}"
            )
            if candidate.feasible and candidate.extra_cost_per_year < current.extra_cost_per_year:
                current, improved = candidate, True
                break
    return current


def search(
    evaluator: Evaluator,
    base: Evaluation,
    starts: list[tuple[float, Configuration]],
    limits: Limits,
    per_step: int,
    budget: int,
) -> tuple[Evaluation | None, str]:
    """Greedy from the cheapest rough-cut start, with the next shift level's start as an
    incumbent that caps what the greedy may spend; then prune the cheapest feasible."""
    if base.feasible:
        return base, "the plant as it is meets the target"
    if not starts:
        return None, "even at every allowed limit the rough-cut load exceeds capacity"
    current = evaluator.evaluate(starts[0][1], "rough-cut bound")
    incumbent: Evaluation | None = None
    more_shifts = [c for _, c in starts if c.shifts_per_day > starts[0][1].shifts_per_day]
    if more_shifts and not current.feasible:
        anchor = evaluator.evaluate(more_shifts[0], "rough-cut bound, one more shift")
        incumbent = anchor if anchor.feasible else None
    cap = incumbent.extra_cost_per_year if incumbent is not None else math.inf
    current, reason = _greedy(evaluator, current, limits, per_step, budget, cap)
    found = [e for e in (current, incumbent) if e is not None and e.feasible]
    if not found:
        return None, reason
    best = min(found, key=lambda e: e.extra_cost_per_year)
    return _prune(evaluator, best, limits, budget), "cheapest configuration found"
