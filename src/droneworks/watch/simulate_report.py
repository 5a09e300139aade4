"""A Monte Carlo result as plain data, table rows and a map picture (CLI and demo share it)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from droneworks.watch.metrics import MeanInterval
from droneworks.watch.simulate import RunResult, SimulationResult
from droneworks.watch.wall import Wall

__all__ = ["SUMMARY_COLUMNS", "plot_run", "result_data", "summary_rows"]

SUMMARY_COLUMNS = [
    "threat", "alerted", "alert vs crossing s", "depth at alert m", "tracks to crossing",
    "tracks whole route", "sensors seen",
]  # fmt: skip


def _interval(value: MeanInterval, digits: int = 0, percent: bool = False) -> str:
    if math.isnan(value.mean):
        return "—"
    if percent:
        text = f"{value.mean:.0%}"
        return text if math.isnan(value.low) else f"{text} [{value.low:.0%}, {value.high:.0%}]"
    text = f"{value.mean:.{digits}f}"
    return text if math.isnan(value.low) else f"{text} ± {(value.high - value.low) / 2:.{digits}f}"


def summary_rows(result: SimulationResult) -> list[list[str]]:
    """One row per threat and one overall: means with 95 % confidence intervals."""
    rows = []
    for name, figures in [*result.by_threat.items(), ("all", result.overall)]:
        rows.append([
            name,
            _interval(figures["detected_share"], percent=True),
            _interval(figures["alert_after_cross_s"]),
            _interval(figures["depth_at_alert_m"]),
            _interval(figures["fragments_to_cross"], 1),
            _interval(figures["fragments"], 1),
            _interval(figures["sensors_seen"], 1),
        ])  # fmt: skip
    return rows


def _figures(figures: Mapping[str, MeanInterval]) -> dict[str, dict[str, float | int | None]]:
    def clean(x: float) -> float | None:
        return None if math.isnan(x) else x

    return {
        key: {"mean": clean(v.mean), "low": clean(v.low), "high": clean(v.high), "runs": v.n}
        for key, v in figures.items()
    }


def result_data(result: SimulationResult, wall: Wall) -> dict[str, Any]:
    """Everything the result says, as JSON-ready data."""
    first = result.first_run
    return {
        "wall": wall.name,
        "runs": result.runs,
        "horizon_s": wall.horizon_s,
        "map_length_km": wall.border.length_m / 1000.0,
        "official_length_km": wall.border.official_length_km,
        "false_alerts_per": f"100 km of the map line ({wall.border.length_m / 1000:.1f} km) "
        "and hour",
        "operator_shift_h": wall.alerts.shift / 60.0,
        "incursions_per_run": len(first.scenario.incursions),
        "alert_rule": f"confirmed track past the line or predicted to cross within "
        f"{wall.alert_lookahead_s:g} s",
        "confidence": "95 % Student-t interval over runs",
        "overall": _figures(result.overall),
        "by_threat": {tid: _figures(f) for tid, f in result.by_threat.items()},
        "first_run": _run_data(first),
    }


def _run_data(run: RunResult) -> dict[str, Any]:
    def clean(x: float) -> float | None:
        return None if math.isnan(x) else x

    return {
        "replication": run.replication,
        "detections": len(run.scenario.det_tick),
        "false_alarm_detections": int((run.scenario.det_target < 0).sum()),
        "confirmed_tracks": len(np.unique(run.log.track_id)),
        "alerts": len(run.score.alerts.tick),
        "false_alerts": run.score.false_alerts,
        "false_alerts_by_shift": list(run.score.false_alerts_by_shift),
        "gospa_mean_m": run.score.gospa_mean_m,
        "incursions": [
            {
                "threat": inc.threat_id,
                "cross_along_km": inc.cross_along_m / 1000.0,
                "detected": out.detected,
                "cross_s": out.cross_s,
                "first_alert_s": clean(out.first_alert_s),
                "alert_after_cross_s": clean(out.alert_after_cross_s),
                "depth_at_alert_m": clean(out.depth_at_alert_m),
                "fragments": out.fragments,
                "switches": out.switches,
                "fragments_to_cross": out.fragments_to_cross,
                "sensors_seen": out.sensors_seen,
            }
            for inc, out in zip(run.scenario.incursions, run.score.outcomes, strict=True)
        ],
    }


def plot_run(path: Path, wall: Wall, run: RunResult) -> Path:
    """Map of one run: border, sensors, confirmed tracks and alerts (offline PNG)."""
    from droneworks.watch.maps import plot_wall

    log = run.log
    tracks = [log.xy_m[log.track_id == tid] for tid in np.unique(log.track_id)]
    alerts = [(float(x), float(y)) for x, y in run.score.alerts.xy_m]
    title = f"{wall.name}: run {run.replication}, {len(tracks)} tracks, {len(alerts)} alerts"
    return Path(str(plot_wall(path, wall, tracks=tracks, alerts=alerts, title=title)))
