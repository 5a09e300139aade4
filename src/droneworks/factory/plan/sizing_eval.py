"""One configuration simulated with replications: its cost, output and probability of
meeting the target (see :mod:`droneworks.factory.plan.sizing` for the method)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from droneworks.factory.model import Plant
from droneworks.factory.plan.replications import ReplicationStudy, replicate
from droneworks.factory.plan.sizing_space import Configuration, annual_cost
from droneworks.factory.plan.statistics import normal_exceedance, wilson_interval

__all__ = [
    "OUTPUT_KPI",
    "PROBABILITY_METHOD",
    "CompileFn",
    "Evaluation",
    "Evaluator",
    "differences",
]

OUTPUT_KPI = "throughput_per_year"
PROBABILITY_METHOD = (
    "normal model of annual output, Student-t predictive probability "
    "T(n-1)((mean - target) / (s*sqrt(1 + 1/n))); empirical share with Wilson 95% interval"
)
CompileFn = Callable[[Plant], Any]


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


def differences(config: Configuration, base: Configuration) -> list[tuple[str, str]]:
    changes = config.changes_from(base)
    keys = [
        (lever, key) for lever, value in changes.items() if isinstance(value, dict) for key in value
    ]
    return keys + [("shifts", "shifts")] * ("shifts_per_day" in changes)


class Evaluator:
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
