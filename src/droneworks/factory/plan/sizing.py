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

import time
from dataclasses import dataclass

from droneworks.core.executor import Executor, SerialExecutor
from droneworks.core.progress import NO_PROGRESS, Progress
from droneworks.factory.model import Demand, Plant, ReleaseKind, with_changes
from droneworks.factory.plan.replications import SimulateFn
from droneworks.factory.plan.sizing_eval import (
    OUTPUT_KPI,
    PROBABILITY_METHOD,
    CompileFn,
    Evaluation,
    Evaluator,
    differences,
)
from droneworks.factory.plan.sizing_search import search
from droneworks.factory.plan.sizing_space import LEVERS, Configuration, Limits, rough_cut_starts

__all__ = [
    "OUTPUT_KPI",
    "PROBABILITY_METHOD",
    "CompileFn",
    "Evaluation",
    "SizingResult",
    "capacity_view",
    "demand_mix",
    "size",
]


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
    capacity_mode: bool = False

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
            if e is not base and len(differences(e.config, base.config)) == 1
        ]
        return sorted(steps, key=lambda item: -item[1])

    @property
    def verified(self) -> bool:
        return self.verification is not None and self.verification.feasible


def demand_mix(demand: Demand, products: list[str]) -> dict[str, float]:
    """The product mix the demand asks for: plan totals, rates or the mix, as shares."""
    if demand.release is ReleaseKind.PLAN:
        weights = {product: float(sum(units)) for product, units in demand.plan.items()}
    elif demand.release is ReleaseKind.RATE:
        weights = dict(demand.rate_per_min)
    else:
        return demand.mix_weights(products)
    total = sum(weights.values())
    return {product: weight / total for product, weight in weights.items() if weight > 0}


def capacity_view(plant: Plant) -> Plant:
    """The plant with orders always waiting, in the demand's product mix.

    "Can the plant build N a year" is a capacity question: under a plan or a release rate the
    output can never exceed what is released (a plant asked for exactly 100,000 a year never
    shows 100,000 in a year that ends in a holiday backlog), so no change could ever reach such
    a target. Sizing therefore releases as many units as the line takes (``release =
    "unlimited"``) at the demand's mix, keeping the CONWIP cap and everything else.
    """
    if plant.demand.release is ReleaseKind.UNLIMITED:
        return plant
    mix = demand_mix(plant.demand, list(plant.products))
    data = plant.demand.model_dump(by_alias=True)
    data.update(release="unlimited", plan={}, rate={}, mix=mix)
    return with_changes(plant, demand=Demand.model_validate(data))


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
    capacity: bool = True,
) -> SizingResult:
    """Find the cheapest allowed change with P(annual output ≥ target) ≥ ``confidence``.

    With ``capacity`` (the default) the plant is sized as :func:`capacity_view` sees it:
    orders always waiting in the demand's mix; with ``capacity=False`` as its demand releases.

    ``reps`` replications per configuration (common random numbers, seed ``seed``);
    ``verify_reps`` (default ``2 × reps``) independent replications with another seed check
    the winner. ``max_evaluations`` bounds the configurations simulated.
    """
    if target_per_year <= 0 or not 0 < confidence < 1 or reps < 2:
        raise ValueError("need target > 0, 0 < confidence < 1 and reps >= 2")
    started = time.perf_counter()
    if capacity:
        plant = capacity_view(plant)
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
    evaluator = Evaluator(plant, target_per_year, confidence, reps, run_seed, run)
    limits = Limits.of(plant, levers)
    base = evaluator.evaluate(evaluator.base, "plant as is")
    starts = [] if base.feasible else rough_cut_starts(plant, target_per_year, limits)
    best, reason = search(evaluator, base, starts, limits, candidates_per_step, max_evaluations)
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
        capacity_mode=capacity,
    )
