"""Border alerts and their metrics, from the confirmed tracks of one simulated run.

An **alert** is raised the first time a confirmed track is on the protected side of the
border, or is predicted (straight line at its estimated velocity) to be there within the
look-ahead time. Each alert is attributed to the incursion whose detections built its track
(the simulation knows the origin of every detection); an alert is **false** only when the
track was built from clutter (false alarms). Without detection origins (hand-made logs) an
alert goes to the incursion its track is assigned to at that moment (optimal assignment
within ``association_distance_m``), or to the one it followed most of its life.

Per incursion: detected (an alert before the drone left), time of the first alert relative
to the moment the drone crossed the line (negative = warned before), the drone's depth past
the line at that moment (negative = still outside), and track continuity as it passes from
sensor to sensor: how many track ids followed it (fragments; 1 = one unbroken track), how
often the following id changed (switches), how many ids followed it up to the moment it
crossed (the hand-overs that matter for the alert), beside how many sensors detected it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from droneworks.watch.border import Border
from droneworks.watch.metrics import assign_within, gospa
from droneworks.watch.tracking.models import FloatArray

__all__ = [
    "AlertParams",
    "Alerts",
    "IncursionOutcome",
    "RunScore",
    "TrackLog",
    "TruthLog",
    "find_alerts",
    "score_run",
]

IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class AlertParams:
    """Alert rule and scoring settings."""

    lookahead_s: float = 60.0
    association_distance_m: float = 1500.0
    false_alert_merge_s: float = 30.0
    gospa_c_m: float = 100.0
    lookahead_samples: int = 4
    shift_s: float = 8 * 3600.0  # an operator shift: false alerts are counted per shift


@dataclass(frozen=True)
class TrackLog:
    """Confirmed tracks after every processed tick (one row per track and tick)."""

    tick: IntArray
    track_id: IntArray
    xy_m: FloatArray
    velocity_mps: FloatArray
    detection: IntArray  # row of the track's last associated detection (-1: unknown)


@dataclass(frozen=True)
class TruthLog:
    """Truth positions (one row per incursion and tick)."""

    tick: IntArray
    target: IntArray
    xy_m: FloatArray
    n_targets: int
    sensors_seen: tuple[int, ...] = ()  # distinct sensors that detected each incursion
    detection_origin: IntArray | None = None  # incursion behind each detection row, -1 clutter


@dataclass(frozen=True)
class Alerts:
    """One alert per alerting track: where the track was when it first met the rule."""

    track_id: IntArray
    tick: IntArray
    xy_m: FloatArray
    crossed: NDArray[np.bool_]  # True: on the protected side; False: predicted to cross
    target: IntArray  # attributed incursion, -1 = false alert


def find_alerts(log: TrackLog, border: Border, params: AlertParams) -> tuple[IntArray, IntArray]:
    """Row indices of ``log`` where each track first meets the alert rule, and the rule met.

    Returns ``(rows, crossed)`` with ``crossed`` 1 when the track was past the line, 0 when
    it was predicted to cross within the look-ahead.
    """
    if len(log.tick) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    _, offset_now = border.locate(log.xy_m)
    inside = offset_now > 0
    predicted = np.zeros(len(log.tick), dtype=bool)
    for k in range(1, params.lookahead_samples + 1):
        ahead = log.xy_m + log.velocity_mps * (params.lookahead_s * k / params.lookahead_samples)
        predicted |= border.locate(ahead)[1] > 0
    rule = inside | predicted
    rows = np.flatnonzero(rule)
    order = np.lexsort((log.tick[rows], log.track_id[rows]))
    rows = rows[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = log.track_id[rows][1:] != log.track_id[rows][:-1]
    rows = rows[first]
    return rows, inside[rows].astype(np.int64)


@dataclass(frozen=True)
class IncursionOutcome:
    """What the wall did about one incursion."""

    index: int
    detected: bool
    cross_s: float
    first_alert_s: float  # NaN if never alerted
    alert_after_cross_s: float  # NaN if never alerted
    depth_at_alert_m: float  # NaN if never alerted
    fragments: int
    switches: int
    fragments_to_cross: int  # track ids that followed it up to the crossing
    sensors_seen: int


@dataclass(frozen=True)
class RunScore:
    """Scores of one run."""

    outcomes: tuple[IncursionOutcome, ...]
    alerts: Alerts
    false_alerts: int
    false_alerts_per_100km_h: float
    gospa_mean_m: float
    false_alerts_by_shift: tuple[int, ...] = ()  # shift 1, 2, … of the run (last may be part)
    false_alerts_per_shift: float = 0.0  # the run's rate per full operator shift


def score_run(
    log: TrackLog,
    truth: TruthLog,
    border: Border,
    tick_s: float,
    horizon_s: float,
    params: AlertParams,
) -> RunScore:
    """Alerts, their attribution and the per-incursion outcomes of one run."""
    matched, gospa_mean = _match_ticks(log, truth, params)
    rows, crossed = find_alerts(log, border, params)
    if truth.detection_origin is not None:
        target = _origin_of_alerts(log, rows, truth.detection_origin)
    else:
        majority = _majority_target(log.track_id, matched)
        fallback = np.array([majority.get(int(i), -1) for i in log.track_id[rows]], np.int64)
        target = np.where(matched[rows] >= 0, matched[rows], fallback)
    alerts = Alerts(log.track_id[rows], log.tick[rows], log.xy_m[rows], crossed > 0, target)
    truth_offset = border.locate(truth.xy_m)[1] if len(truth.tick) else np.empty(0)
    outcomes = tuple(
        _outcome(i, log, truth, truth_offset, matched, alerts, tick_s)
        for i in range(truth.n_targets)
    )
    false_ticks = _merged_false_alerts(alerts, tick_s, params)
    exposure = border.length_m / 100_000.0 * horizon_s / 3600.0
    shifts = max(1, math.ceil(horizon_s / params.shift_s - 1e-9))
    by_shift = np.bincount(
        np.minimum((false_ticks * tick_s // params.shift_s).astype(np.int64), shifts - 1),
        minlength=shifts,
    )
    return RunScore(
        outcomes, alerts, len(false_ticks), len(false_ticks) / exposure, gospa_mean,
        tuple(int(c) for c in by_shift), len(false_ticks) / horizon_s * params.shift_s,
    )  # fmt: skip


def _match_ticks(log: TrackLog, truth: TruthLog, params: AlertParams) -> tuple[IntArray, float]:
    """Incursion matched to each log row at its tick (-1: none), and mean GOSPA over ticks."""
    matched = np.full(len(log.tick), -1, dtype=np.int64)
    ticks = np.union1d(log.tick, truth.tick)
    log_order = np.argsort(log.tick, kind="stable")
    truth_order = np.argsort(truth.tick, kind="stable")
    log_bounds = np.searchsorted(log.tick[log_order], [ticks, ticks + 1])
    truth_bounds = np.searchsorted(truth.tick[truth_order], [ticks, ticks + 1])
    total = 0.0
    for k in range(len(ticks)):
        log_rows = log_order[log_bounds[0, k] : log_bounds[1, k]]
        truth_rows = truth_order[truth_bounds[0, k] : truth_bounds[1, k]]
        total += gospa(truth.xy_m[truth_rows], log.xy_m[log_rows], c_m=params.gospa_c_m).distance
        if len(log_rows) and len(truth_rows):
            t_idx, l_idx = assign_within(
                truth.xy_m[truth_rows], log.xy_m[log_rows], params.association_distance_m
            )
            matched[log_rows[l_idx]] = truth.target[truth_rows[t_idx]]
    return matched, total / len(ticks) if len(ticks) else 0.0


def _origin_of_alerts(log: TrackLog, rows: IntArray, origin: IntArray) -> IntArray:
    """The incursion whose detections fed each alerting track up to its alert; -1 if clutter.

    Over the track's logged rows up to the alert, each row votes with the origin of the
    detection last associated with it; the track is clutter when clutter votes outnumber
    the votes of every incursion together.
    """
    voted = np.where(log.detection >= 0, origin[np.maximum(log.detection, 0)], -1)
    target = np.full(len(rows), -1, dtype=np.int64)
    for k, row in enumerate(rows):
        votes = voted[(log.track_id == log.track_id[row]) & (log.tick <= log.tick[row])]
        real = votes[votes >= 0]
        if len(real) and len(real) >= (votes < 0).sum():
            target[k] = int(np.bincount(real).argmax())
    return target


def _majority_target(track_id: IntArray, matched: IntArray) -> dict[int, int]:
    """Track id → the incursion it was matched to most, if matched in ≥ half its rows."""
    label: dict[int, int] = {}
    for tid in np.unique(track_id):
        rows = matched[track_id == tid]
        hits = rows[rows >= 0]
        if len(hits) and len(hits) * 2 >= len(rows):
            label[int(tid)] = int(np.bincount(hits).argmax())
    return label


def _outcome(
    index: int,
    log: TrackLog,
    truth: TruthLog,
    truth_offset: FloatArray,
    matched: IntArray,
    alerts: Alerts,
    tick_s: float,
) -> IncursionOutcome:
    mine = truth.target == index
    ticks, offsets = truth.tick[mine], truth_offset[mine]
    inside = np.flatnonzero(offsets > 0)
    cross_tick = float(ticks[inside[0]]) if len(inside) else float(ticks[-1]) if len(ticks) else 0.0
    own = np.flatnonzero(alerts.target == index)
    fragments, switches = _continuity(log, matched, index, math.inf)
    to_cross, _ = _continuity(log, matched, index, cross_tick)
    seen = truth.sensors_seen[index] if truth.sensors_seen else 0
    if len(own) == 0:
        nan = float("nan")
        return IncursionOutcome(
            index, False, cross_tick * tick_s, nan, nan, nan, fragments, switches, to_cross, seen
        )
    alert_tick = int(alerts.tick[own].min())
    at = np.flatnonzero(ticks == alert_tick)
    depth = float(offsets[at[0]]) if len(at) else float("nan")
    return IncursionOutcome(
        index, True, cross_tick * tick_s, alert_tick * tick_s,
        (alert_tick - cross_tick) * tick_s, depth, fragments, switches, to_cross, seen,
    )  # fmt: skip


def _continuity(log: TrackLog, matched: IntArray, index: int, until_tick: float) -> tuple[int, int]:
    """(distinct track ids, changes of the matched id) for one incursion up to a tick."""
    rows = np.flatnonzero((matched == index) & (log.tick <= until_tick))
    if len(rows) == 0:
        return 0, 0
    rows = rows[np.argsort(log.tick[rows], kind="stable")]
    ids = log.track_id[rows]
    return len(np.unique(ids)), int((ids[1:] != ids[:-1]).sum())


def _merged_false_alerts(alerts: Alerts, tick_s: float, params: AlertParams) -> IntArray:
    """Ticks of false alerts, counting as one those within the merge time and distance."""
    rows = np.flatnonzero(alerts.target < 0)
    rows = rows[np.argsort(alerts.tick[rows], kind="stable")]
    counted: list[int] = []
    kept: list[int] = []
    for row in rows:
        near = any(
            (alerts.tick[row] - alerts.tick[k]) * tick_s <= params.false_alert_merge_s
            and np.linalg.norm(alerts.xy_m[row] - alerts.xy_m[k]) <= params.association_distance_m
            for k in kept
        )
        if not near:
            counted.append(int(alerts.tick[row]))
        kept.append(int(row))
    return np.asarray(counted, dtype=np.int64)
