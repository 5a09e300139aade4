"""Independent replications with common random numbers, confidence intervals and a store.

Replication ``r`` of a run calls ``simulate(problem, seed=seed, replication=r)``; the engine
draws every stochastic source from ``RandomStreams(seed, r)``, so replication ``r`` of two
scenarios of the same plant sees the same processing times, failures and supplier delays
(common random numbers: differences between scenarios are estimated with far less noise),
while replications ``r`` and ``r + 1`` are independent. Replications run in parallel through
an :class:`~droneworks.core.executor.Executor`; each finished one is stored at once.

Every KPI gets a Student-t interval. With ``until_halfwidth`` the run continues in batches
until each named KPI's half-width is at most its target (an absolute value, or a share of
the mean when given as ``"1%"``), or ``max_reps`` is reached. The batch sizes depend only on
the data (never on the number of workers), so a run is reproducible on any machine.
Sequential stopping with a small first batch covers slightly less often than the nominal
confidence (the estimated spread decides when to stop); start with ``reps`` ≥ 10.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from droneworks.core.errors import ConfigError
from droneworks.core.executor import Executor, SerialExecutor
from droneworks.core.progress import NO_PROGRESS, Progress
from droneworks.factory.plan.bottleneck import active_period_bottlenecks, bottleneck_kpis
from droneworks.factory.plan.recording import Recorder, RunRecording
from droneworks.factory.plan.statistics import Interval, required_replications, t_interval

__all__ = [
    "HalfwidthTarget",
    "ReplicationOutcome",
    "ReplicationStudy",
    "ReplicationTask",
    "RunRecording",
    "SeriesNames",
    "parse_halfwidth",
    "reduce_result",
    "replicate",
    "run_replication",
    "single_run_study",
]

SimulateFn = Callable[..., Any]
SERIES_NAMES = (
    "output_by_period",
    "wip_by_period",
    "wc_state_by_period",
    "stock_by_period",
    "lead_times_hist",
    "order_to_delivery_hist",
    "lead_time_edges_min",
)


@dataclass(frozen=True)
class SeriesNames:
    """Names along the axes of the per-period series (from the compiled problem)."""

    products: tuple[str, ...] = ()
    work_centres: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()
    warmup_min: float = 0.0


@dataclass(frozen=True)
class HalfwidthTarget:
    """Stop when the KPI's half-width is ≤ ``value`` (or ≤ ``value`` × |mean| if relative)."""

    kpi: str
    value: float
    relative: bool = False

    def limit(self, interval: Interval) -> float:
        return self.value * abs(interval.mean) if self.relative else self.value

    def met(self, interval: Interval) -> bool:
        return interval.halfwidth <= self.limit(interval)


def parse_halfwidth(text: str) -> HalfwidthTarget:
    """``"units=500"`` or ``"throughput_per_year=1%"`` → a target."""
    kpi, sep, value = text.partition("=")
    if not sep or not kpi.strip():
        raise ConfigError(f'--until-halfwidth "{text}": write KPI=VALUE, e.g. units=500')
    relative = value.strip().endswith("%")
    try:
        number = float(value.strip().rstrip("%"))
    except ValueError:
        raise ConfigError(f'--until-halfwidth "{text}": "{value}" is not a number') from None
    if not number > 0:
        raise ConfigError(f'--until-halfwidth "{text}": the half-width must be positive')
    return HalfwidthTarget(kpi.strip(), number / 100 if relative else number, relative)


@dataclass(frozen=True)
class ReplicationTask:
    """What one worker needs to run one replication (picklable)."""

    problem: Any
    seed: int
    replication: int
    horizon_min: float | None = None
    record_active_periods: bool = True
    simulate_fn: SimulateFn | None = None  # None: droneworks.factory.simulate


@dataclass(frozen=True)
class ReplicationOutcome:
    """KPIs (including bottleneck shares) and per-period series of one replication."""

    replication: int
    seed: int
    kpis: dict[str, float]
    series: dict[str, np.ndarray] = field(default_factory=dict)
    wall_s: float = 0.0
    cpu_s: float = 0.0  # CPU seconds of the thread that simulated it (0 when read back)


def _engine_simulate() -> SimulateFn:
    import importlib

    return importlib.import_module("droneworks.factory").simulate  # type: ignore[no-any-return]


def run_replication(task: ReplicationTask) -> ReplicationOutcome:
    """Simulate one replication and reduce its result to KPIs and small series."""
    simulate = task.simulate_fn or _engine_simulate()
    started, cpu_started = time.perf_counter(), time.thread_time()
    result = simulate(
        task.problem,
        seed=task.seed,
        replication=task.replication,
        horizon_min=task.horizon_min,
        record_active_periods=task.record_active_periods,
    )
    outcome = reduce_result(result, task.problem, task.replication, task.seed, task.horizon_min)
    wall_s, cpu_s = time.perf_counter() - started, time.thread_time() - cpu_started
    return replace(outcome, wall_s=wall_s, cpu_s=cpu_s)


def reduce_result(
    result: Any, problem: Any, replication: int, seed: int, horizon_min: float | None = None
) -> ReplicationOutcome:
    """KPIs (plus bottleneck shares when active periods were recorded) and per-period
    series of one simulation result."""
    kpis = {key: float(value) for key, value in result.kpis.items()}
    active = getattr(result, "active_periods", None)
    if active:
        horizon = horizon_min or float(problem.horizon_min)
        warmup = float(getattr(problem, "warmup_min", 0.0))
        names = tuple(getattr(problem, "work_centres", tuple(active)))
        kpis.update(bottleneck_kpis(active_period_bottlenecks(active, warmup, horizon, names)))
    series = {
        name: np.asarray(getattr(result, name))
        for name in SERIES_NAMES
        if getattr(result, name, None) is not None
    }
    if getattr(result, "period_min", None) is not None:
        series["period_min"] = np.asarray(float(result.period_min))
    return ReplicationOutcome(replication, seed, kpis, series, float(getattr(result, "wall_s", 0)))


def single_run_study(result: Any, problem: Any, confidence: float = 0.95) -> ReplicationStudy:
    """One simulation result as a one-replication study (for reports of a single run)."""
    seed = int(getattr(result, "seed", 0))
    replication = int(getattr(result, "replication", 0))
    outcome = reduce_result(result, problem, replication, seed)
    return ReplicationStudy(
        (outcome,),
        confidence,
        _intervals({0: outcome}, confidence),
        "a single run: no confidence interval",
        seed,
    )


@dataclass(frozen=True)
class ReplicationStudy:
    """The replications of one scenario and a confidence interval for every KPI."""

    outcomes: tuple[ReplicationOutcome, ...]
    confidence: float
    intervals: dict[str, Interval]
    stop_reason: str
    seed: int
    run_id: int | None = None
    targets: tuple[HalfwidthTarget, ...] = ()
    wall_s: float = 0.0
    batches: tuple[int, ...] = ()  # cumulative replication counts checked by the rule

    @property
    def n(self) -> int:
        return len(self.outcomes)

    def values(self, kpi: str) -> np.ndarray:
        """The KPI in every replication, by replication index."""
        return np.array([outcome.kpis[kpi] for outcome in self.outcomes])

    def summary(self) -> dict[str, dict[str, float]]:
        """Intervals as plain numbers (what the runs database keeps)."""
        return {kpi: interval.as_dict() for kpi, interval in self.intervals.items()}


def _intervals(
    outcomes: Mapping[int, ReplicationOutcome], confidence: float
) -> dict[str, Interval]:
    ordered = [outcomes[index] for index in sorted(outcomes)]
    names = sorted(set().union(*(outcome.kpis for outcome in ordered))) if ordered else []
    return {
        name: t_interval([o.kpis[name] for o in ordered if name in o.kpis], confidence)
        for name in names
    }


def _next_target(
    intervals: Mapping[str, Interval], targets: tuple[HalfwidthTarget, ...], n: int
) -> int | None:
    """How many replications the run needs in total, or None when every target is met."""
    needed = n
    for target in targets:
        if target.kpi not in intervals:
            known = ", ".join(sorted(intervals)[:12])
            raise ConfigError(f'--until-halfwidth: no KPI "{target.kpi}" (known: {known}, …)')
        interval = intervals[target.kpi]
        if not target.met(interval):
            limit = target.limit(interval)
            needed = max(needed, n + 1, required_replications(interval, limit) if limit else n + 1)
    return None if needed == n else needed


@dataclass(frozen=True)
class _Plan:
    reps: int
    max_reps: int
    first_replication: int
    targets: tuple[HalfwidthTarget, ...]
    confidence: float


def _run_until_stopped(
    plan: _Plan,
    runner: Executor,
    task: Callable[[int], ReplicationTask],
    done: dict[int, ReplicationOutcome],
    recorder: Recorder,
    progress: Progress,
) -> tuple[dict[int, ReplicationOutcome], dict[str, Interval], str, list[int]]:
    """Run missing replications in batches until the half-width rule (if any) is met."""
    total, batches = plan.reps, []
    while True:
        indices = range(plan.first_replication, plan.first_replication + total)
        missing = [index for index in indices if index not in done]
        progress.start("replications", total)
        progress.update(total - len(missing))
        for _, outcome in runner.map_unordered(run_replication, map(task, missing)):
            done[outcome.replication] = outcome
            recorder.add(outcome)
            progress.update(sum(index in done for index in indices))
        kept = {index: done[index] for index in indices}
        batches.append(total)
        intervals = _intervals(kept, plan.confidence)
        wanted = _next_target(intervals, plan.targets, total) if plan.targets else None
        if wanted is None:
            reason = "half-widths met" if plan.targets else f"{total} replications"
            return kept, intervals, reason, batches
        if total >= plan.max_reps:
            reason = f"max_reps={plan.max_reps} reached before the half-width targets"
            return kept, intervals, reason, batches
        total = min(plan.max_reps, wanted)


def replicate(
    problem: Any,
    reps: int = 10,
    *,
    seed: int | None = None,
    confidence: float = 0.95,
    until_halfwidth: Mapping[str, float] | tuple[HalfwidthTarget, ...] = (),
    max_reps: int = 200,
    first_replication: int = 0,
    horizon_min: float | None = None,
    record_active_periods: bool = True,
    executor: Executor | None = None,
    recording: RunRecording | None = None,
    simulate_fn: SimulateFn | None = None,
    progress: Progress = NO_PROGRESS,
    extra_settings: Mapping[str, Any] | None = None,
) -> ReplicationStudy:
    """Run ``reps`` replications (more with ``until_halfwidth``) and compute the intervals.

    Replication indices are ``first_replication … first_replication + n − 1``; scenarios
    compared with the same ``seed`` and indices share random numbers. With ``recording`` the
    run is stored; Ctrl-C marks it interrupted (finished replications stay) and re-raises.
    """
    if reps < 1 or max_reps < reps:
        raise ValueError(f"need 1 <= reps <= max_reps, not reps={reps}, max_reps={max_reps}")
    targets = _as_targets(until_halfwidth)
    if targets and reps < 2:
        raise ValueError("a half-width target needs reps >= 2")
    run_seed = int(getattr(problem, "seed", 0) if seed is None else seed)
    settings = {
        "reps": reps,
        "confidence": confidence,
        "max_reps": max_reps,
        "until_halfwidth": [[t.kpi, t.value, t.relative] for t in targets],
        "first_replication": first_replication,
        "horizon_min": horizon_min,
        "record_active_periods": record_active_periods,
        **(extra_settings or {}),
    }
    recorder = Recorder(recording, settings, run_seed)
    done = recorder.open()
    runner = executor or SerialExecutor()
    started = time.perf_counter()

    def task(index: int) -> ReplicationTask:
        return ReplicationTask(
            problem, run_seed, index, horizon_min, record_active_periods, simulate_fn
        )

    plan = _Plan(reps, max_reps, first_replication, targets, confidence)
    try:
        kept, intervals, stop_reason, batches = _run_until_stopped(
            plan, runner, task, done, recorder, progress
        )
    except BaseException:
        recorder.interrupted(time.perf_counter() - started)
        raise
    study = ReplicationStudy(
        outcomes=tuple(kept[index] for index in sorted(kept)),
        confidence=confidence,
        intervals=intervals,
        stop_reason=stop_reason,
        seed=run_seed,
        run_id=recorder.run_id,
        targets=targets,
        wall_s=time.perf_counter() - started,
        batches=tuple(batches),
    )
    recorder.complete(study)
    return study


def _as_targets(
    until_halfwidth: Mapping[str, float] | tuple[HalfwidthTarget, ...],
) -> tuple[HalfwidthTarget, ...]:
    if isinstance(until_halfwidth, Mapping):
        targets = tuple(HalfwidthTarget(k, float(v)) for k, v in until_halfwidth.items())
    else:
        targets = tuple(until_halfwidth)
    for target in targets:
        if not target.value > 0 or math.isnan(target.value):
            raise ValueError(f"half-width target of {target.kpi} must be positive")
    return targets
