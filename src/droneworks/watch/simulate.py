"""Monte Carlo over simulated incursions: scenario → multi-sensor tracker → alerts → scores.

Run ``r`` draws every random number from ``RandomStreams(wall.seed, replication=r)``, so a
run is reproducible on its own and runs are independent. Summaries carry Student-t
confidence intervals over the runs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from droneworks.core.executor import Executor, SerialExecutor
from droneworks.core.progress import NO_PROGRESS, Progress
from droneworks.watch.alerts import AlertParams, RunScore, TrackLog, TruthLog, score_run
from droneworks.watch.incursions import IncursionScenario, generate_incursions
from droneworks.watch.metrics import MeanInterval, mean_interval
from droneworks.watch.tracking import MultiTargetTracker, Scan, TrackerParams
from droneworks.watch.wall import Wall

__all__ = [
    "RunResult",
    "SimulationResult",
    "alert_params",
    "run_tracker",
    "simulate",
    "simulate_run",
    "tracker_params",
]


def tracker_params(wall: Wall) -> TrackerParams:
    """The tracker settings of a wall file."""
    spec = wall.tracker
    return TrackerParams(
        q_m2ps3=spec.process_noise,
        missed_distance=spec.gate,
        min_points=spec.confirm_hits,
        tentative_max_misses=spec.delete_tentative_misses,
        confirmed_max_misses=spec.delete_confirmed_misses,
        prior_velocity_sd_mps=spec.velocity_prior,
    )


def alert_params(wall: Wall) -> AlertParams:
    """The alert settings of a wall file (durations are minutes inside the wall)."""
    return AlertParams(
        lookahead_s=wall.alert_lookahead_s,
        false_alert_merge_s=wall.alerts.false_alert_merge * 60.0,
        shift_s=wall.alerts.shift * 60.0,
    )


def run_tracker(scenario: IncursionScenario, params: TrackerParams) -> TrackLog:
    """Feed the detections tick by tick (sensor by sensor) and log the confirmed tracks."""
    tracker = MultiTargetTracker(params)
    bounds = np.searchsorted(scenario.det_tick, np.arange(scenario.n_ticks + 1))
    logs: list[tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
    for tick in range(scenario.n_ticks):
        lo, hi = bounds[tick], bounds[tick + 1]
        if lo == hi and len(tracker.tracks) == 0 and len(tracker.tentative) == 0:
            continue
        time_s = tick * scenario.tick_s
        tracks = tracker.step_sensors(time_s, _sensor_scans(scenario, lo, hi, time_s))
        if len(tracks):
            logs.append(
                (tick, tracks.ids, tracks.means[:, [0, 2]], tracks.means[:, [1, 3]], tracks.sensor)
            )  # the scans label each detection with its row, so ``sensor`` is that row
    if not logs:
        return TrackLog(
            np.empty(0, np.int64), np.empty(0, np.int64), np.empty((0, 2)), np.empty((0, 2)),
            np.empty(0, np.int64),
        )  # fmt: skip
    return TrackLog(
        np.concatenate([np.full(len(ids), tick, np.int64) for tick, ids, *_ in logs]),
        np.concatenate([entry[1] for entry in logs]),
        np.concatenate([entry[2] for entry in logs]),
        np.concatenate([entry[3] for entry in logs]),
        np.concatenate([entry[4] for entry in logs]),
    )


def _sensor_scans(scenario: IncursionScenario, lo: int, hi: int, time_s: float) -> list[Scan]:
    """The detections of one tick (rows lo..hi, sorted by sensor), one scan per sensor.

    Each detection is labelled with its row in the scenario (the tracker carries the label
    of a track's last detection), so alerts can be traced to the drone or the clutter.
    """
    sensors = scenario.det_sensor[lo:hi]
    cuts = np.flatnonzero(np.diff(sensors)) + 1
    scans = []
    for start, stop in zip(np.r_[0, cuts], np.r_[cuts, len(sensors)], strict=True):
        rows = slice(lo + start, lo + stop)
        scans.append(
            Scan(
                time_s,
                scenario.det_xy_m[rows],
                scenario.det_noise[rows],
                np.arange(lo + start, lo + stop, dtype=np.int64),
            )
        )
    return scans


@dataclass(frozen=True)
class RunResult:
    """One run: its scenario, track log and scores."""

    replication: int
    scenario: IncursionScenario
    log: TrackLog
    score: RunScore


def simulate_run(wall: Wall, replication: int) -> RunResult:
    """Simulate and score run ``replication`` of the wall."""
    scenario = generate_incursions(wall, replication)
    log = run_tracker(scenario, tracker_params(wall))
    seen = tuple(
        len(np.unique(scenario.det_sensor[scenario.det_target == i]))
        for i in range(len(scenario.incursions))
    )
    truth = TruthLog(
        scenario.truth_tick, scenario.truth_target, scenario.truth_xy_m,
        len(scenario.incursions), seen, scenario.det_target,
    )  # fmt: skip
    score = score_run(log, truth, wall.border, scenario.tick_s, wall.horizon_s, alert_params(wall))
    return RunResult(replication, scenario, log, score)


@dataclass(frozen=True)
class SimulationResult:
    """Monte Carlo summary: per-threat and overall figures with confidence intervals."""

    runs: int
    by_threat: Mapping[str, Mapping[str, MeanInterval]]
    overall: Mapping[str, MeanInterval]
    first_run: RunResult
    per_run: tuple[Mapping[str, float], ...] = field(default=())


def simulate(
    wall: Wall,
    runs: int | None = None,
    progress: Progress = NO_PROGRESS,
    executor: Executor | None = None,
) -> SimulationResult:
    """Monte Carlo over ``runs`` runs (default: the wall's ``runs``).

    Runs are independent (run ``r`` uses replication ``r`` of the wall's seed), so an
    ``executor`` may run them in parallel; the result does not depend on it.
    """
    n_runs = wall.runs if runs is None else runs
    if n_runs < 1:
        raise ValueError(f"runs must be >= 1, not {n_runs!r}")
    progress.start("simulating incursions", n_runs)
    results: dict[int, RunResult] = {}
    runner = executor if executor is not None else SerialExecutor()
    for index, result in runner.map_unordered(_run_task, [(wall, r) for r in range(n_runs)]):
        results[index] = result
        progress.update(len(results))
    ordered = [results[r] for r in range(n_runs)]
    threat_ids = list(dict.fromkeys(t.id for t in wall.threats))
    by_threat = {tid: _summary(ordered, tid) for tid in threat_ids}
    per_run = tuple(_run_figures(result, None) for result in ordered)
    return SimulationResult(n_runs, by_threat, _summary(ordered, None), ordered[0], per_run)


def _run_task(task: tuple[Wall, int]) -> RunResult:
    """One run (a module-level function, so process pools can pickle it)."""
    return simulate_run(*task)


def _run_figures(result: RunResult, threat_id: str | None) -> dict[str, float]:
    """Run-level figures (means over the run's incursions of one threat or all)."""
    incursions = result.scenario.incursions
    chosen = [o for o, inc in zip(result.score.outcomes, incursions, strict=True)
              if threat_id is None or inc.threat_id == threat_id]  # fmt: skip
    nan = float("nan")
    alerted = [o for o in chosen if o.detected]

    def mean(values: list[float]) -> float:
        return float(np.mean(values)) if values else nan

    return {
        "detected_share": mean([float(o.detected) for o in chosen]),
        "alert_after_cross_s": mean([o.alert_after_cross_s for o in alerted]),
        "depth_at_alert_m": mean([o.depth_at_alert_m for o in alerted]),
        "fragments": mean([float(o.fragments) for o in chosen if o.fragments]),
        "switches": mean([float(o.switches) for o in chosen]),
        "fragments_to_cross": mean([float(o.fragments_to_cross) for o in chosen if o.fragments]),
        "sensors_seen": mean([float(o.sensors_seen) for o in chosen]),
        "false_alerts_per_100km_h": result.score.false_alerts_per_100km_h,
        "false_alerts_per_shift": result.score.false_alerts_per_shift,
        "gospa_m": result.score.gospa_mean_m,
    }


_SIGNED = {"alert_after_cross_s", "depth_at_alert_m"}  # negative: before the line
_SHARES = {"detected_share"}


def _bounds(key: str) -> tuple[float, float]:
    """The range a run figure cannot leave: shares in [0, 1], counts and rates ≥ 0."""
    if key in _SIGNED:
        return (-math.inf, math.inf)
    return (0.0, 1.0) if key in _SHARES else (0.0, math.inf)


def _summary(results: list[RunResult], threat_id: str | None) -> dict[str, MeanInterval]:
    figures = [_run_figures(r, threat_id) for r in results]
    keys = figures[0].keys()
    return {key: mean_interval([f[key] for f in figures], bounds=_bounds(key)) for key in keys}
