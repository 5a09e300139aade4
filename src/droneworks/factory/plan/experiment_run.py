"""Running an experiment: every point's replications through one executor, each point a
stored run, identical points reused from the store by their content hash.

All missing replications of all points go to the executor in one map, so the workers stay
busy across points (and a cluster executor can batch them into large tasks). With
``until_halfwidth`` targets, points that have not met them get more replications in further
rounds, as :func:`~droneworks.factory.plan.replications.replicate` does for one run.
Ctrl-C: finished replications are stored, every unfinished point is marked interrupted, and
running the same experiment again continues where it stopped (points are found by content).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from droneworks.core.executor import Executor, SerialExecutor
from droneworks.core.progress import NO_PROGRESS, Progress
from droneworks.core.store import RunStore, text_sha256
from droneworks.factory.plan.experiment import Experiment, PreparedPoint, prepare_points
from droneworks.factory.plan.recording import Recorder, RunRecording
from droneworks.factory.plan.replications import (
    ReplicationOutcome,
    ReplicationStudy,
    ReplicationTask,
    _intervals,
    _next_target,
    parse_halfwidth,
    run_replication,
)
from droneworks.factory.plan.sizing_eval import OUTPUT_KPI
from droneworks.factory.plan.statistics import Interval, normal_exceedance

__all__ = ["ExperimentResult", "PointResult", "run_experiment", "run_point_task", "warm_engine"]

RUN_KIND = "experiment"


@dataclass(frozen=True)
class PointTask:
    """One replication of one point (picklable)."""

    point: int
    task: ReplicationTask


def warm_engine() -> None:
    """Load the compiled kernel once in this process (a worker's initializer)."""
    from droneworks.factory.engine.simulate import compile_seconds

    compile_seconds()


def run_point_task(task: PointTask) -> tuple[int, ReplicationOutcome]:
    return task.point, run_replication(task.task)


@dataclass(frozen=True)
class PointResult:
    """A simulated point: its replications' output and the verdict against the target."""

    prepared: PreparedPoint
    run_id: int | None
    outputs: np.ndarray  # output per year, by replication
    wall_s: np.ndarray  # seconds each replication took to simulate
    cpu_s: np.ndarray  # its CPU seconds (0 for replications read from the store)
    intervals: dict[str, Interval]
    probability: float  # P(output ≥ target), normal model with the t predictive
    reused: int  # replications taken from the store instead of simulated

    @property
    def output(self) -> Interval:
        return self.intervals[OUTPUT_KPI]


@dataclass(frozen=True)
class ExperimentResult:
    experiment: Experiment
    points: tuple[PointResult, ...]
    simulated: int
    reused: int
    wall_s: float

    @property
    def confidence(self) -> float:
        return self.experiment.spec.experiment.confidence


@dataclass
class _PointRun:
    prepared: PreparedPoint
    problem: Any
    recorder: Recorder
    done: dict[int, ReplicationOutcome]
    wanted: int
    reused: int = 0
    finished: bool = False  # a complete stored run was reused as it is


def run_experiment(
    experiment: Experiment,
    *,
    store: RunStore | None = None,
    executor: Executor | None = None,
    progress: Progress = NO_PROGRESS,
    compile_fn: Callable[[Any], Any] | None = None,
    simulate_fn: Callable[..., Any] | None = None,
) -> ExperimentResult:
    """Simulate every point of the design (see the module docstring)."""
    if compile_fn is None or simulate_fn is None:
        import importlib

        factory = importlib.import_module("droneworks.factory")
        compile_fn, simulate_fn = factory.compile_plant, factory.simulate
    settings = experiment.spec.replications
    confidence = experiment.spec.experiment.confidence
    targets = tuple(parse_halfwidth(text) for text in settings.until_halfwidth)
    seed_setting = experiment.spec.experiment.seed
    started = time.perf_counter()
    runs = []
    for prepared in prepare_points(experiment):
        seed = prepared.plant.seed if seed_setting is None else seed_setting
        runs.append(_open(store, experiment, prepared, compile_fn, seed, settings.reps))
    reused = sum(run.reused for run in runs)
    simulated = 0
    try:
        while True:
            tasks = [
                PointTask(position, _task(run, index, simulate_fn))
                for position, run in enumerate(runs)
                for index in range(run.wanted)
                if index not in run.done
            ]
            if not tasks:
                break
            simulated += _simulate(runs, tasks, executor or SerialExecutor(), progress)
            for run in runs if targets else ():
                kept = {i: run.done[i] for i in range(run.wanted)}
                more = _next_target(_intervals(kept, confidence), targets, run.wanted)
                if more is not None:
                    run.wanted = min(settings.max_reps, more)
    except BaseException:
        for run in runs:
            if not run.finished:
                run.recorder.interrupted(time.perf_counter() - started)
        raise
    points = tuple(_finish(run, experiment, confidence, targets) for run in runs)
    return ExperimentResult(experiment, points, simulated, reused, time.perf_counter() - started)


def _open(
    store: RunStore | None,
    experiment: Experiment,
    prepared: PreparedPoint,
    compile_fn: Callable[[Any], Any],
    seed: int,
    reps: int,
) -> _PointRun:
    """The point's stored run: reused if complete, resumed if interrupted, else new."""
    name = f"{experiment.name} #{prepared.point.index}"
    problem = compile_fn(prepared.plant)
    settings = {"reps": reps, "experiment": str(experiment.path), "point": prepared.label}
    if store is not None:
        for stored in store.runs_with_content(RUN_KIND, text_sha256(prepared.content), seed):
            if stored.status == "complete" and stored.replications >= reps:
                done = {
                    r.index: ReplicationOutcome(r.index, r.seed, r.kpis, {}, r.wall_s)
                    for r in store.replications(stored.id, with_series=False)
                }
                recorder = Recorder(None, settings, seed, stored.id)
                return _PointRun(prepared, problem, recorder, done, reps, len(done), True)
            if stored.status != "complete":
                recording = RunRecording(store, name, prepared.content, RUN_KIND, stored.id)
                recorder = Recorder(recording, settings, seed)
                done = recorder.open()
                return _PointRun(prepared, problem, recorder, done, reps, len(done))
    new = RunRecording(store, name, prepared.content, RUN_KIND) if store else None
    recorder = Recorder(new, settings, seed)
    return _PointRun(prepared, problem, recorder, recorder.open(), reps)


def _task(run: _PointRun, index: int, simulate_fn: Callable[..., Any]) -> ReplicationTask:
    return ReplicationTask(run.problem, run.recorder.seed, index, None, False, simulate_fn)


def _simulate(
    runs: list[_PointRun], tasks: list[PointTask], executor: Executor, progress: Progress
) -> int:
    total = sum(run.wanted for run in runs)
    count = total - len(tasks)
    progress.start("replications (all points)", total)
    progress.update(count)
    for _, (position, outcome) in executor.map_unordered(run_point_task, tasks):
        run = runs[position]
        run.done[outcome.replication] = outcome
        run.recorder.add(outcome)
        count += 1
        progress.update(count)
    return len(tasks)


def _finish(
    run: _PointRun, experiment: Experiment, confidence: float, targets: tuple[Any, ...]
) -> PointResult:
    kept = {index: run.done[index] for index in range(run.wanted)}
    intervals = _intervals(kept, confidence)
    outputs = np.array([kept[index].kpis[OUTPUT_KPI] for index in sorted(kept)])
    wall_s = np.array([kept[index].wall_s for index in sorted(kept)])
    cpu_s = np.array([kept[index].cpu_s for index in sorted(kept)])
    if not run.finished:
        study = ReplicationStudy(
            outcomes=tuple(kept[index] for index in sorted(kept)),
            confidence=confidence,
            intervals=intervals,
            stop_reason=f"{len(kept)} replications",
            seed=run.recorder.seed,
            run_id=run.recorder.run_id,
            targets=targets,
        )
        run.recorder.complete(study)
    probability = normal_exceedance(outputs, experiment.target_per_year)
    run_id, reused = run.recorder.run_id, run.reused
    return PointResult(run.prepared, run_id, outputs, wall_s, cpu_s, intervals, probability, reused)
