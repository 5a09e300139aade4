"""Experiments over a wall file: factors at key paths, a design, Monte Carlo runs per point.

::

    [experiment]
    wall = "../walls/belarus-poland.toml"   # relative to this file
    metric = "detected_share"               # a run figure of `watch simulate`
    target = 0.9                            # at least 90 % of incursions alerted on, per run
    runs = 5                                # Monte Carlo runs per point

    [design]
    kind = "full"                           # full | lhs | oat (as factory experiments)

    [[factors]]
    path = "sensors[2].every"
    levels = ["250 m", "500 m", "1 km"]

The factor and design machinery is :mod:`droneworks.core.sweep`, the same as factory
experiments. Each point is the wall file with the factors' values written in, validated like
any wall file (a bad value gets the wall's own key-path message, prefixed with the point).
All points keep the wall's seed, so they fly the same incursions (common random numbers)
and differences between points are the factors', not the dice's. A point meets the target
when the confidence interval of the metric's mean lies on the right side of the target;
P is the share of its runs that meet the target on their own. See docs/scale.md.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field, model_validator

from droneworks.core.errors import DroneworksError
from droneworks.core.executor import Executor, SerialExecutor
from droneworks.core.progress import NO_PROGRESS, Progress
from droneworks.core.sweep import (
    Design,
    Factor,
    Point,
    apply_point,
    check_factor_paths,
    design_points,
)
from droneworks.core.sweep_levels import factor_levels
from droneworks.core.validation import UserModel, read_toml, validate
from droneworks.watch.experiment_store import (
    PointRecord,
    figures_summary,
    open_point,
    point_content,
)
from droneworks.watch.limits import MAX_RUNS
from droneworks.watch.metrics import MeanInterval, mean_interval
from droneworks.watch.wall import Wall, compile_wall
from droneworks.watch.wall_model import WallSpec

if TYPE_CHECKING:
    from droneworks.core.store import RunStore

__all__ = ["METRICS", "WallExperiment", "load_wall_experiment", "run_wall_experiment"]

# Run figures of `watch simulate` an experiment can target, and which side is good.
METRICS: dict[str, str] = {
    "detected_share": "at least",
    "sensors_seen": "at least",
    "alert_after_cross_s": "at most",
    "depth_at_alert_m": "at most",
    "false_alerts_per_100km_h": "at most",
    "false_alerts_per_shift": "at most",
    "gospa_m": "at most",
    "fragments": "at most",
    "switches": "at most",
}


class WallExperimentSettings(UserModel):
    name: str | None = None
    wall: str
    metric: str = "detected_share"
    target: float
    runs: int = Field(default=5, ge=2, le=MAX_RUNS)
    confidence: float = Field(default=0.95, ge=0.5, le=0.999)

    @model_validator(mode="after")
    def _metric(self) -> WallExperimentSettings:
        if self.metric not in METRICS:
            raise ValueError(f'metric "{self.metric}": use one of {", ".join(METRICS)}')
        if not math.isfinite(self.target):
            raise ValueError("target must be a finite number")
        return self


class WallExperimentFile(UserModel):
    experiment: WallExperimentSettings
    design: Design = Field(default_factory=Design)
    factors: list[Factor] = Field(min_length=1, max_length=50)


@dataclass(frozen=True)
class WallExperiment:
    name: str
    path: Path
    wall_path: Path
    wall_data: Mapping[str, Any]
    spec: WallExperimentFile

    @property
    def settings(self) -> WallExperimentSettings:
        return self.spec.experiment

    @property
    def at_least(self) -> bool:
        return METRICS[self.settings.metric] == "at least"

    def meets(self, value: float) -> bool:
        """Whether one value of the metric is on the good side of the target."""
        target = self.settings.target
        return value >= target if self.at_least else value <= target


def load_wall_experiment(path: str | Path) -> WallExperiment:
    """Read and validate an experiment file and the wall it names (factor paths checked)."""
    path = Path(path)
    spec = validate(WallExperimentFile, read_toml(path), str(path))
    wall_path = path.parent / spec.experiment.wall
    wall_data = read_toml(wall_path)
    check_factor_paths(spec.factors, wall_data, str(path))
    name = spec.experiment.name or path.stem
    return WallExperiment(name, path, wall_path, wall_data, spec)


@dataclass(frozen=True)
class WallPoint:
    """A simulated point: its runs' metric, its interval, and the verdict."""

    point: Point
    label: str
    values: tuple[float, ...]  # the metric in each run (NaN: no incursion alerted on)
    metric: MeanInterval
    probability: float  # share of runs meeting the target
    meets: bool
    run_id: int | None = None  # its run in the runs database


@dataclass(frozen=True)
class LevelEffect:
    label: str
    points: int
    metric: MeanInterval
    probability: float


@dataclass(frozen=True)
class WallExperimentResult:
    experiment: WallExperiment
    points: tuple[WallPoint, ...]
    reused: int = 0  # Monte Carlo runs read from the runs database instead of simulated

    def effects(self) -> list[tuple[Factor, list[LevelEffect]]]:
        """Every factor's levels, ranked by the spread of P, then of the metric's mean."""
        kind = self.experiment.spec.design.kind
        confidence = self.experiment.settings.confidence
        effects = []
        for position, factor in enumerate(self.experiment.spec.factors):
            groups = factor_levels(self.points, _point_of, kind, factor, position)
            levels = [_level(label, points, confidence) for label, points in groups]
            effects.append((factor, levels))
        return sorted(effects, key=lambda e: (-_spread(e[1], "p"), -_spread(e[1], "m")))

    def missed(self) -> list[WallPoint]:
        """Points that do not meet the target, worst first."""
        sign = 1.0 if self.experiment.at_least else -1.0
        missed = [p for p in self.points if not p.meets]
        return sorted(missed, key=lambda p: (p.probability, sign * _finite(p.metric.mean)))


def _point_of(point: WallPoint) -> Point:
    return point.point


def _finite(value: float) -> float:
    return value if math.isfinite(value) else -math.inf


def _level(label: str, points: Sequence[WallPoint], confidence: float) -> LevelEffect:
    if len(points) == 1:
        metric = points[0].metric
    else:
        metric = mean_interval([p.metric.mean for p in points], confidence)
    probability = sum(p.probability for p in points) / len(points)
    return LevelEffect(label, len(points), metric, probability)


def _spread(levels: Sequence[LevelEffect], what: str) -> float:
    values = [lv.probability if what == "p" else lv.metric.mean for lv in levels]
    finite = [v for v in values if math.isfinite(v)]
    return max(finite) - min(finite) if finite else 0.0


@dataclass(frozen=True)
class PreparedWall:
    """A point's wall, validated, and the content it is stored under."""

    point: Point
    label: str
    wall: Wall
    content: str


def prepare_walls(experiment: WallExperiment) -> list[PreparedWall]:
    """Every point's wall, validated (a bad value names the point and the wall's key)."""
    factors = experiment.spec.factors
    base_dir = experiment.wall_path.parent
    prepared = []
    for point in design_points(experiment.spec.design, factors, experiment.wall_data):
        label = point.label(factors)
        source = f"{experiment.path}: point {point.index} ({label})"
        data = apply_point(experiment.wall_data, factors, point)
        try:
            wall = compile_wall(validate(WallSpec, data, source), base_dir, source)
        except DroneworksError as error:
            text = str(error)
            raise type(error)(text if text.startswith(source) else f"{source}: {text}") from None
        prepared.append(PreparedWall(point, label, wall, point_content(data, base_dir)))
    return prepared


def _simulate_point_run(task: tuple[int, Wall, int]) -> tuple[int, int, dict[str, float], float]:
    """One Monte Carlo run of one point → (point position, run, its figures, seconds)."""
    from droneworks.watch.simulate import _run_figures, simulate_run

    position, wall, replication = task
    started = time.perf_counter()
    figures = _run_figures(simulate_run(wall, replication), None)
    return position, replication, figures, time.perf_counter() - started


def run_wall_experiment(
    experiment: WallExperiment,
    executor: Executor | None = None,
    progress: Progress = NO_PROGRESS,
    store: RunStore | None = None,
) -> WallExperimentResult:
    """Simulate every point's runs not already in ``store`` (all in one map over the
    executor), store each as it finishes, and judge the points."""
    settings = experiment.settings
    started = time.perf_counter()
    prepared = prepare_walls(experiment)
    records = [_open_point(store, experiment, p) for p in prepared]
    tasks = [
        (position, p.wall, run)
        for position, (p, record) in enumerate(zip(prepared, records, strict=True))
        for run in range(settings.runs)
        if run not in record.figures
    ]
    total = len(prepared) * settings.runs
    progress.start(f"simulating {len(prepared)} points × {settings.runs} runs", total)
    progress.update(total - len(tasks))
    runner = executor if executor is not None else SerialExecutor()
    try:
        finished = runner.map_unordered(_simulate_point_run, tasks)
        for done, (_, (position, run, figures, seconds)) in enumerate(finished, 1):
            records[position].add(run, figures, seconds)
            progress.update(total - len(tasks) + done)
    except BaseException:
        for record in records:
            record.interrupted(time.perf_counter() - started)
        raise
    points = [
        _judge(experiment, p, record, time.perf_counter() - started)
        for p, record in zip(prepared, records, strict=True)
    ]
    return WallExperimentResult(experiment, tuple(points), sum(r.reused for r in records))


def _open_point(
    store: RunStore | None, experiment: WallExperiment, prepared: PreparedWall
) -> PointRecord:
    runs = experiment.settings.runs
    name = f"{experiment.name} #{prepared.point.index}"
    settings = {"runs": runs, "experiment": str(experiment.path), "point": prepared.label}
    return open_point(store, name, prepared.content, prepared.wall.seed, runs, settings)


def _judge(
    experiment: WallExperiment, prepared: PreparedWall, record: PointRecord, wall_s: float
) -> WallPoint:
    from droneworks.watch.simulate import _bounds

    settings = experiment.settings
    runs = [record.figures[run][settings.metric] for run in range(settings.runs)]
    summary = figures_summary(record.figures, settings.confidence)
    record.finish({"kpis": summary, "point": prepared.label}, wall_s)
    metric = mean_interval(runs, settings.confidence, _bounds(settings.metric))
    side = metric.low if experiment.at_least else metric.high
    meets = math.isfinite(side) and experiment.meets(side)
    share = sum(experiment.meets(v) for v in runs if math.isfinite(v)) / len(runs)
    return WallPoint(prepared.point, prepared.label, tuple(runs), metric, share, meets,
                     record.run_id)  # fmt: skip
