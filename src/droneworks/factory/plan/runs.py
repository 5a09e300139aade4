"""Plant-level runs shared by the CLI and the demo: replicate a plant file, size it, compare
stored runs. Each stores what it did in the runs database when given a store.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from droneworks.core.errors import ConfigError
from droneworks.core.executor import Executor
from droneworks.core.limits import MAX_YEARS
from droneworks.core.loader import read_text
from droneworks.core.progress import NO_PROGRESS, Progress
from droneworks.core.store import RunStore
from droneworks.core.units import MINUTES_PER_YEAR
from droneworks.factory.model import Plant, ReleaseKind, load_plant, with_changes
from droneworks.factory.plan.compare import BottleneckComparison, compare_bottlenecks
from droneworks.factory.plan.replications import (
    HalfwidthTarget,
    ReplicationStudy,
    RunRecording,
    SeriesNames,
    SimulateFn,
    replicate,
)
from droneworks.factory.plan.roughcut import annual_demand, rough_cut
from droneworks.factory.plan.sizing import OUTPUT_KPI, SizingResult, capacity_view, size
from droneworks.factory.plan.statistics import t_interval, t_quantile
from droneworks.factory.plan.verdict import Verdict, make_verdict
from droneworks.factory.plan.worksize import check_work_size

__all__ = [
    "KpiDifference",
    "PlantStudy",
    "check_replicate_size",
    "check_sizing_size",
    "compare_runs",
    "load_for_run",
    "replicate_plant",
    "size_plant",
]


def _engine() -> tuple[Callable[[Plant], Any], SimulateFn]:
    import importlib

    factory = importlib.import_module("droneworks.factory")
    return factory.compile_plant, factory.simulate


def load_for_run(path: str | Path, years: float | None = None) -> tuple[Plant, str]:
    """The validated plant (horizon changed to ``years`` if given) and the file's text."""
    text = read_text(path)
    plant = load_plant(path)
    if years is not None:
        warmup_years = plant.warmup_min / MINUTES_PER_YEAR
        if not warmup_years < years <= MAX_YEARS:  # also refuses nan
            raise ConfigError(
                f"--years must exceed the plant's warm-up ({warmup_years:.3g} yr) and be at "
                f"most {MAX_YEARS:g}, not {years}"
            )
        plant = with_changes(plant, horizon_min=years * MINUTES_PER_YEAR)
    return plant, text


@dataclass(frozen=True)
class PlantStudy:
    """A replicated plant with its rough cut and the bottleneck comparison."""

    plant: Plant
    study: ReplicationStudy
    comparison: BottleneckComparison
    names: SeriesNames
    verdict: Verdict | None = None


def replicate_plant(
    path: str | Path,
    reps: int,
    confidence: float = 0.95,
    *,
    until_halfwidth: tuple[HalfwidthTarget, ...] = (),
    max_reps: int = 200,
    seed: int | None = None,
    years: float | None = None,
    store: RunStore | None = None,
    resume_run_id: int | None = None,
    executor: Executor | None = None,
    progress: Progress = NO_PROGRESS,
    size_guard: bool = True,
) -> PlantStudy:
    """Replicate a plant file (stored when ``store`` is given; resumed by run id).

    ``size_guard``: refuse a study estimated to take hours (:mod:`.worksize`)."""
    if resume_run_id is not None:
        if store is None:
            raise ConfigError("--resume needs the runs database")
        settings = store.get_run(resume_run_id).settings
        years = settings.get("years")
        reps, confidence = int(settings["reps"]), float(settings["confidence"])
        max_reps, seed = int(settings["max_reps"]), store.get_run(resume_run_id).seed
        until_halfwidth = tuple(HalfwidthTarget(k, v, r) for k, v, r in settings["until_halfwidth"])
    plant, text = load_for_run(path, years)
    check_replicate_size(plant, reps, max_reps if until_halfwidth else None, size_guard)
    compile_plant, simulate = _engine()
    problem = compile_plant(plant)
    recording = None
    if store is not None:
        recording = RunRecording(store, plant.name, text, "replicate", resume_run_id)
    study = replicate(
        problem,
        reps,
        seed=plant.seed if seed is None else seed,
        confidence=confidence,
        until_halfwidth=until_halfwidth,
        max_reps=max_reps,
        executor=executor,
        recording=recording,
        simulate_fn=simulate,
        progress=progress,
        extra_settings={"years": years},
    )
    mean_output = study.intervals[OUTPUT_KPI].mean if OUTPUT_KPI in study.intervals else None
    comparison = compare_bottlenecks(rough_cut(plant, mean_output), study)
    names = SeriesNames(
        tuple(problem.products),
        tuple(problem.work_centres),
        tuple(problem.parts),
        float(problem.warmup_min),
    )
    capacity = capacity_study(plant, study, executor, progress)
    verdict = make_verdict(capacity, study, annual_demand(plant), warmup_min=plant.warmup_min)
    if store is not None and study.run_id is not None:
        store.add_to_summary(study.run_id, {"verdict": verdict.as_dict()})
    return PlantStudy(plant, study, comparison, names, verdict)


def check_replicate_size(
    plant: Plant, reps: int, max_reps: int | None = None, guard: bool = True
) -> None:
    """The work-size guard of :func:`replicate_plant` (``max_reps``: with half-width
    targets), which also runs as many replications of the capacity study."""
    most, what = (max_reps, f"--max-reps {max_reps}") if max_reps else (reps, f"--reps {reps}")
    if plant.demand.release is not ReleaseKind.UNLIMITED:  # + capacity_study, as many
        most, what = 2 * most, f"{what} (twice: the file's demand, orders always waiting)"
    check_work_size(plant, most, what, guard=guard)


def check_sizing_size(
    plant: Plant,
    reps: int,
    verify_reps: int | None,
    max_evaluations: int,
    capacity: bool = True,
    guard: bool = True,
) -> None:
    """The work-size guard of :func:`size_plant`: every evaluation, then the verification."""
    runs = max_evaluations * reps + (verify_reps or 2 * reps)
    what = f"--max-evaluations {max_evaluations} × --reps {reps}"
    check_work_size(plant, runs, what, capacity=capacity, guard=guard)


def capacity_study(
    plant: Plant,
    delivered: ReplicationStudy,
    executor: Executor | None = None,
    progress: Progress = NO_PROGRESS,
) -> ReplicationStudy:
    """The same replications (seed and indices) with orders always waiting in the demand's
    mix — ``delivered`` itself when the file's demand is already unlimited."""
    if plant.demand.release is ReleaseKind.UNLIMITED:
        return delivered
    compile_plant, simulate = _engine()
    first = min((o.replication for o in delivered.outcomes), default=0)
    return replicate(
        compile_plant(capacity_view(plant)),
        max(delivered.n, 1),
        seed=delivered.seed,
        confidence=delivered.confidence,
        first_replication=first,
        executor=executor,
        simulate_fn=simulate,
        progress=progress,
    )


def size_plant(
    path: str | Path,
    target_per_year: float,
    confidence: float = 0.95,
    *,
    reps: int = 10,
    verify_reps: int | None = None,
    seed: int | None = None,
    years: float | None = None,
    levers: tuple[str, ...] | None = None,
    max_evaluations: int = 40,
    store: RunStore | None = None,
    executor: Executor | None = None,
    progress: Progress = NO_PROGRESS,
    capacity: bool = True,
    size_guard: bool = True,
) -> tuple[Plant, SizingResult, int | None]:
    """Size a plant file; the search is stored as one run of kind ``size``.

    ``capacity``: size with orders always waiting in the demand's mix (see
    :func:`~droneworks.factory.plan.sizing.capacity_view`), else as the demand releases.
    ``size_guard``: refuse a search estimated to take hours (:mod:`.worksize`).
    """
    plant, text = load_for_run(path, years)
    check_sizing_size(plant, reps, verify_reps, max_evaluations, capacity, size_guard)
    compile_plant, simulate = _engine()
    settings = {
        "target_per_year": target_per_year,
        "confidence": confidence,
        "reps": reps,
        "verify_reps": verify_reps,
        "years": years,
        "levers": levers,
        "max_evaluations": max_evaluations,
        "capacity": capacity,
    }
    run_seed = plant.seed if seed is None else seed
    run_id = store.create_run("size", plant.name, text, run_seed, settings) if store else None
    kwargs: dict[str, Any] = {} if levers is None else {"levers": levers}
    try:
        result = size(
            plant,
            target_per_year,
            confidence,
            reps=reps,
            verify_reps=verify_reps,
            seed=run_seed,
            max_evaluations=max_evaluations,
            executor=executor,
            simulate_fn=simulate,
            compile_fn=compile_plant,
            progress=progress,
            capacity=capacity,
            **kwargs,
        )
    except BaseException:
        if store is not None and run_id is not None:
            store.mark_interrupted(run_id)
        raise
    if store is not None and run_id is not None:
        store.complete_run(run_id, sizing_summary(result), 0, result.wall_s)
    return plant, result, run_id


def sizing_verdict(
    plant: Plant,
    result: SizingResult,
    executor: Executor | None = None,
    progress: Progress = NO_PROGRESS,
    engine: tuple[Callable[[Plant], Any], SimulateFn] | None = None,
) -> Verdict | None:
    """The verdict on the plant as it is: its capacity from the search's first
    configuration, its delivered output from as many replications of the file's demand
    (``engine``: compile and simulate functions, the real engine by default)."""
    base = result.base.study
    if base is None:
        return None
    compile_plant, simulate = engine or _engine()
    capacity, delivered = base, base
    if result.capacity_mode and plant.demand.release is not ReleaseKind.UNLIMITED:
        delivered = replicate(
            compile_plant(plant),
            base.n,
            seed=base.seed,
            confidence=base.confidence,
            executor=executor,
            simulate_fn=simulate,
            progress=progress,
        )
    elif not result.capacity_mode:
        capacity = capacity_study(plant, base, executor, progress)
    demanded = annual_demand(plant)
    target = result.target_per_year
    return make_verdict(capacity, delivered, demanded, target, warmup_min=plant.warmup_min)


def nearest_summary(result: SizingResult) -> dict[str, Any] | None:
    """When no configuration reaches the target: the nearest one tried and its gap."""
    if result.feasible or not result.tried:
        return None
    nearest = result.closest
    return {
        **nearest.as_dict(),
        "gap_per_year": max(result.target_per_year - nearest.output_mean, 0.0),
        "probability_gap": max(result.confidence - nearest.probability, 0.0),
    }


def sizing_summary(result: SizingResult) -> dict[str, Any]:
    """The sizing search as plain data (JSON output and the runs database)."""
    return {
        "target_per_year": result.target_per_year,
        "confidence": result.confidence,
        "probability_method": result.method,
        "capacity_mode": result.capacity_mode,
        "feasible": result.feasible,
        "verified": result.verified,
        "reason": result.reason,
        "base": result.base.as_dict(),
        "best": None if result.best is None else result.best.as_dict(),
        "best_changes": None
        if result.best is None
        else result.best.config.changes_from(result.base.config),
        "verification": None if result.verification is None else result.verification.as_dict(),
        "nearest": nearest_summary(result),
        "tried": [evaluation.as_dict() for evaluation in result.tried],
        "wall_s": result.wall_s,
    }


@dataclass(frozen=True)
class KpiDifference:
    """B − A of one KPI with a confidence interval (paired when the runs share seeds)."""

    kpi: str
    mean_a: float
    mean_b: float
    difference: float
    halfwidth: float
    paired: bool
    n_a: int = 0  # replications behind mean_a
    n_b: int = 0
    n_difference: int = 0  # replications behind the difference (shared ones when paired)

    def basis(self) -> str:
        """What the difference is over, in words."""
        if self.paired:
            return (f"B − A over the {self.n_difference} replications both runs share (same "
                    f"seed and index: paired, common random numbers); means over all "
                    f"{self.n_a} and {self.n_b}")  # fmt: skip
        return (f"B − A of the means over {self.n_a} and {self.n_b} independent replications "
                "(Welch's interval: the runs do not share seeds)")  # fmt: skip


def compare_runs(
    store: RunStore, run_a: int, run_b: int, confidence: float = 0.95
) -> list[KpiDifference]:
    """KPI differences between two stored runs. With the same seed and replication indices
    (common random numbers) the interval is the paired-t interval of the per-replication
    differences; otherwise Welch's interval."""
    reps_a, reps_b = store.replications(run_a, False), store.replications(run_b, False)
    if not reps_a or not reps_b:
        raise ConfigError("both runs need stored replications to compare")
    by_a = {r.index: r for r in reps_a}
    by_b = {r.index: r for r in reps_b}
    common = sorted(set(by_a) & set(by_b))
    paired = store.get_run(run_a).seed == store.get_run(run_b).seed and len(common) >= 2
    kpis = sorted(set(reps_a[0].kpis) & set(reps_b[0].kpis))
    result = []
    for kpi in kpis:
        a = np.array([r.kpis.get(kpi, math.nan) for r in reps_a])
        b = np.array([r.kpis.get(kpi, math.nan) for r in reps_b])
        if paired:
            diff = np.array([by_b[i].kpis[kpi] - by_a[i].kpis[kpi] for i in common])
            interval = t_interval(diff, confidence)
            half, mean_diff = interval.halfwidth, interval.mean
        else:
            half, mean_diff = _welch(a, b, confidence), float(b.mean() - a.mean())
        shared = len(common) if paired else min(len(a), len(b))
        result.append(
            KpiDifference(
                kpi,
                float(a.mean()),
                float(b.mean()),
                mean_diff,
                half,
                paired,
                len(a),
                len(b),
                shared,
            )
        )
    return result


def _welch(a: np.ndarray, b: np.ndarray, confidence: float) -> float:
    if len(a) < 2 or len(b) < 2:
        return math.inf
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    if va + vb == 0:
        return 0.0
    dof = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    return t_quantile(confidence, int(max(2, math.floor(dof) + 1))) * math.sqrt(va + vb)
