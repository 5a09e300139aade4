"""Capacity sizing: the cheapest set of changes with P(annual output ≥ target) ≥ confidence.

The search (every configuration tried is kept, with its cost and estimated probability):

1. The plant as it is. If it already meets the target with the confidence, done.
2. The *rough-cut bound*: the cheapest configuration (over the allowed shifts per day) whose
   rough-cut utilisations at the target are all ≤ 100 % — nothing cheaper can work on
   average, so the search starts there. The rough-cut bound with one more shift is also
   simulated: if it meets the target it is the *incumbent*, and the greedy never spends
   more than it costs.
3. *Greedy on the bottleneck with marginal cost*: from the current configuration, every
   single-lever step up (+1 station, +1 worker per shift, +1 shift, +2 buffer slots) gets an
   estimated gain: the capacity it adds (1/n of a lever at n; 1/shifts for a shift) × mean
   output × how strongly that resource constrains output — a work centre's busy share of
   on-shift time to the 8th power, or the head of a blocking chain (its feeders blocked,
   itself not); the share of time work centres wait for a pool's workers, or the pool's
   utilisation to the 8th power; for a buffer, the starvation of its work centre while its
   feeders block — divided by the step's extra cost per year (free steps count as costing
   as much as the cheapest priced step). The best ``candidates_per_step`` steps are
   simulated: the cheapest that meets the target is taken, else the one with the largest
   measured output gain per unit of cost (at least +0.2 % of output). Levers whose step did
   not raise output go to the back of the queue (tabu).
4. *Prune*: single steps back down (never below the plant as it is), largest saving first,
   kept while the target is still met.
5. *Verify*: the winner is simulated again with an independent set of replications (a
   different seed) and the probability re-estimated.

Probability estimate (decides "meets the target"): the replications' annual outputs are
taken as normal, and P(next year's output ≥ target) is the Student-t *predictive*
probability ``T_{n−1}((mean − target) / (s·√(1 + 1/n)))`` — it includes the uncertainty of
the estimated mean and spread, so few replications make it cautious, not optimistic. The
share of replications that reached the target is reported beside it with its Wilson 95 %
interval. Every configuration is simulated with the same seed and replication indices
(common random numbers), so differences between them are not noise between seeds.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from droneworks.core.executor import Executor, SerialExecutor
from droneworks.core.progress import NO_PROGRESS, Progress
from droneworks.factory.model import Plant
from droneworks.factory.plan.replications import ReplicationStudy, SimulateFn, replicate
from droneworks.factory.plan.roughcut import rough_cut
from droneworks.factory.plan.sizing_space import (
    LEVERS,
    Configuration,
    Limits,
    Move,
    annual_cost,
    apply_move,
    moves,
    rough_cut_starts,
)
from droneworks.factory.plan.statistics import normal_exceedance, wilson_interval

__all__ = ["OUTPUT_KPI", "PROBABILITY_METHOD", "Evaluation", "SizingResult", "size"]

OUTPUT_KPI = "throughput_per_year"
PROBABILITY_METHOD = (
    "normal model of annual output, Student-t predictive probability "
    "T(n-1)((mean - target) / (s*sqrt(1 + 1/n))); empirical share with Wilson 95% interval"
)
CompileFn = Callable[[Plant], Any]
MIN_GAIN = 0.002  # a step must raise mean output by 0.2 % to count as an improvement


@dataclass(frozen=True)
class Evaluation:
    """One configuration simulated with ``n`` replications."""

    step: int
    label: str
    config: Configuration
    changes: str
    extra_cost_per_year: float
    n: int
    seed: int
    output_mean: float
    output_std: float
    probability: float
    successes: int
    wilson: tuple[float, float]
    feasible: bool
    kpi_means: dict[str, float] = field(repr=False, default_factory=dict)
    study: ReplicationStudy | None = field(repr=False, compare=False, default=None)

    def as_dict(self) -> dict[str, Any]:
        """Plain values for JSON, tables and the runs database."""
        return {
            "step": self.step,
            "label": self.label,
            "changes": self.changes,
            "extra_cost_per_year": self.extra_cost_per_year,
            "replications": self.n,
            "seed": self.seed,
            "output_mean_per_year": self.output_mean,
            "output_std_per_year": self.output_std,
            "probability": self.probability,
            "replications_meeting_target": self.successes,
            "share_meeting_target_wilson95": list(self.wilson),
            "meets_target": self.feasible,
        }


@dataclass(frozen=True)
class SizingResult:
    """What the search found; ``best`` is None when no allowed configuration works."""

    target_per_year: float
    confidence: float
    reps: int
    base: Evaluation
    start: Configuration | None
    tried: tuple[Evaluation, ...]
    best: Evaluation | None
    verification: Evaluation | None
    reason: str
    wall_s: float
    method: str = PROBABILITY_METHOD

    @property
    def feasible(self) -> bool:
        return self.best is not None

    @property
    def closest(self) -> Evaluation:
        """The configuration tried that came nearest (highest probability, then output)."""
        return max(self.tried, key=lambda e: (e.probability, e.output_mean, -e.step))

    def single_steps(self) -> list[tuple[Evaluation, float]]:
        """Configurations one step from the plant as it is, with their measured output gain
        over it (common random numbers), largest gain first."""
        base = self.base
        steps = [
            (e, e.output_mean - base.output_mean)
            for e in self.tried
            if e is not base and len(_differences(e.config, base.config)) == 1
        ]
        return sorted(steps, key=lambda item: -item[1])

    @property
    def verified(self) -> bool:
        return self.verification is not None and self.verification.feasible


def _differences(config: Configuration, base: Configuration) -> list[tuple[str, str]]:
    changes = config.changes_from(base)
    keys = [
        (lever, key) for lever, value in changes.items() if isinstance(value, dict) for key in value
    ]
    return keys + [("shifts", "shifts")] * ("shifts_per_day" in changes)


class _Evaluator:
    """Simulates configurations (cached), numbering them in the order tried."""

    def __init__(
        self,
        plant: Plant,
        target: float,
        confidence: float,
        reps: int,
        seed: int,
        run: Mapping[str, Any],
    ) -> None:
        self.plant, self.target, self.confidence = plant, target, confidence
        self.reps, self.seed, self.run = reps, seed, run
        self.base = Configuration.of(plant)
        self.base_cost = annual_cost(plant, self.base)
        self.tried: list[Evaluation] = []
        self._cache: dict[Configuration, Evaluation] = {}

    def extra_cost(self, config: Configuration) -> float:
        return annual_cost(self.plant, config) - self.base_cost

    def evaluate(self, config: Configuration, label: str) -> Evaluation:
        if config in self._cache:
            return self._cache[config]
        evaluation = self.simulate(config, label, self.seed, self.reps)
        self._cache[config] = evaluation
        self.tried.append(evaluation)
        self.run["progress"].update(len(self.tried))
        return evaluation

    def simulate(self, config: Configuration, label: str, seed: int, reps: int) -> Evaluation:
        problem = self.run["compile_fn"](config.apply(self.plant))
        study = replicate(
            problem,
            reps,
            seed=seed,
            executor=self.run["executor"],
            simulate_fn=self.run["simulate_fn"],
            horizon_min=self.run["horizon_min"],
        )
        outputs = study.values(OUTPUT_KPI)
        successes = int((outputs >= self.target).sum())
        probability = normal_exceedance(outputs, self.target)
        return Evaluation(
            step=len(self.tried),
            label=label,
            config=config,
            changes=config.describe(self.base),
            extra_cost_per_year=annual_cost(self.plant, config) - self.base_cost,
            n=study.n,
            seed=seed,
            output_mean=float(outputs.mean()),
            output_std=float(outputs.std(ddof=1)) if study.n > 1 else 0.0,
            probability=probability,
            successes=successes,
            wilson=wilson_interval(successes, study.n, 0.95),
            feasible=bool(probability >= self.confidence),
            kpi_means={k: v.mean for k, v in study.intervals.items()},
            study=study,
        )


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
    evaluator: _Evaluator, current: Evaluation, limits: Limits, futile: set[tuple[str, str]]
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
    evaluator: _Evaluator,
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


def _prune(evaluator: _Evaluator, current: Evaluation, limits: Limits, budget: int) -> Evaluation:
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


def _search(
    evaluator: _Evaluator,
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


def size(
    plant: Plant,
    target_per_year: float,
    confidence: float = 0.95,
    *,
    reps: int = 10,
    verify_reps: int | None = None,
    seed: int | None = None,
    levers: tuple[str, ...] = LEVERS,
    max_evaluations: int = 40,
    candidates_per_step: int = 3,
    horizon_min: float | None = None,
    executor: Executor | None = None,
    simulate_fn: SimulateFn | None = None,
    compile_fn: CompileFn | None = None,
    progress: Progress = NO_PROGRESS,
) -> SizingResult:
    """Find the cheapest allowed change with P(annual output ≥ target) ≥ ``confidence``.

    ``reps`` replications per configuration (common random numbers, seed ``seed``);
    ``verify_reps`` (default ``2 × reps``) independent replications with another seed check
    the winner. ``max_evaluations`` bounds the configurations simulated.
    """
    if target_per_year <= 0 or not 0 < confidence < 1 or reps < 2:
        raise ValueError("need target > 0, 0 < confidence < 1 and reps >= 2")
    started = time.perf_counter()
    run_seed = plant.seed if seed is None else seed
    if compile_fn is None:
        from droneworks.factory import compile_plant

        compile_fn = compile_plant
    run = {
        "executor": executor or SerialExecutor(),
        "simulate_fn": simulate_fn,
        "compile_fn": compile_fn,
        "horizon_min": horizon_min,
        "progress": progress,
    }
    progress.start("sizing: configurations simulated", max_evaluations)
    evaluator = _Evaluator(plant, target_per_year, confidence, reps, run_seed, run)
    limits = Limits.of(plant, levers)
    base = evaluator.evaluate(evaluator.base, "plant as is")
    starts = [] if base.feasible else rough_cut_starts(plant, target_per_year, limits)
    best, reason = _search(evaluator, base, starts, limits, candidates_per_step, max_evaluations)
    verification = None
    if best is not None:
        verification = evaluator.simulate(
            best.config, "verification (independent seed)", run_seed + 1, verify_reps or 2 * reps
        )
    return SizingResult(
        target_per_year,
        confidence,
        reps,
        base,
        starts[0][1] if starts else None,
        tuple(evaluator.tried),
        best,
        verification,
        reason,
        time.perf_counter() - started,
    )
