"""Rough-cut against simulation: where does the simulated bottleneck differ, and why?

The rough-cut bottleneck is the work centre with the highest load ÷ available time; the
simulated one is, by default, the work centre whose stations are busy (working, setting up
or down) the largest share of their on-shift time, with the active-period bottleneck shares
(sole + shifting, Roser et al.) beside it — see :func:`compare_bottlenecks` for why the
busy share ranks by default. They differ when something the rough cut ignores takes capacity:
blocking behind a finite buffer, failures whose *variability* (not just their average)
starves and blocks neighbours, waiting for workers or material, setups, or shifts whose
ends cut work. Each work centre's row says which of these took ≥ 5 % of its time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from droneworks.factory.plan.replications import ReplicationStudy
from droneworks.factory.plan.roughcut import ResourceLoad, RoughCut

__all__ = ["BottleneckComparison", "ComparisonRow", "compare_bottlenecks"]

LOSS_STATES = {
    "blocked": "blocked {:.0%} (finite buffer downstream)",
    "down": "down {:.0%} (failures, maintenance)",
    "starved_worker": "waiting for workers {:.0%}",
    "starved_material": "waiting for material {:.0%}",
    "setup": "setting up {:.0%}",
}
BUSY_STATES = ("working", "setup", "down")
NOTABLE_SHARE = 0.05
METHODS = ("utilisation", "active_period")


@dataclass(frozen=True)
class ComparisonRow:
    """One work centre: rough-cut utilisation beside its simulated shares."""

    work_centre: str
    stations: int
    roughcut_utilisation: float
    roughcut_rank: int
    busy_share: float  # working + setup + down, share of on-shift station time
    off_shift_share: float
    bottleneck_share: float  # active-period sole + shifting, mean over replications
    bottleneck_halfwidth: float
    sole_share: float
    shifting_share: float
    simulated_rank: int
    losses: tuple[str, ...]
    flag: str


@dataclass(frozen=True)
class BottleneckComparison:
    """The side-by-side table and the two bottlenecks."""

    rows: tuple[ComparisonRow, ...]
    roughcut_bottleneck: str
    simulated_bottleneck: str
    volume_per_year: float
    method: str
    parts_starving: tuple[tuple[str, float], ...] = ()  # (part, minutes operations waited)

    def rows_by_name(self) -> dict[str, ComparisonRow]:
        return {row.work_centre: row for row in self.rows}

    @property
    def agree(self) -> bool:
        return self.roughcut_bottleneck == self.simulated_bottleneck

    def table_rows(self) -> list[list[object]]:
        return [
            [
                r.work_centre,
                r.stations,
                round(100 * r.roughcut_utilisation, 1),
                r.roughcut_rank,
                round(100 * r.busy_share, 1),
                r.simulated_rank,
                round(100 * r.bottleneck_share, 1),
                round(100 * r.bottleneck_halfwidth, 1),
                round(100 * r.sole_share, 1),
                round(100 * r.shifting_share, 1),
                "; ".join(r.losses),
                r.flag,
            ]
            for r in self.rows
        ]

    COLUMNS = (
        "work centre",
        "stations",
        "rough-cut utilisation %",
        "rough-cut rank",
        "busy % of on-shift time",
        "simulated rank",
        "active-period bottleneck %",
        "± %",
        "sole %",
        "shifting %",
        "on-shift time lost to",
        "flag",
    )


def _ranks(values: dict[str, float]) -> dict[str, int]:
    order = sorted(values, key=lambda key: (-values[key], key))
    return {key: index + 1 for index, key in enumerate(order)}


def _mean(study: ReplicationStudy, kpi: str, default: float = 0.0) -> float:
    interval = study.intervals.get(kpi)
    return interval.mean if interval is not None else default


def _busy_share(study: ReplicationStudy, wc: str) -> float:
    on_shift = 1.0 - _mean(study, f"wc.{wc}.off_shift")
    if on_shift <= 0:
        return 0.0
    return sum(_mean(study, f"wc.{wc}.{state}") for state in BUSY_STATES) / on_shift


def _row(
    study: ReplicationStudy, wc: str, resource: ResourceLoad, ranks: tuple[int, int], flag: str
) -> ComparisonRow:
    on_shift = max(1e-12, 1.0 - _mean(study, f"wc.{wc}.off_shift"))
    losses = tuple(
        text.format(_mean(study, f"wc.{wc}.{state}") / on_shift)
        for state, text in LOSS_STATES.items()
        if _mean(study, f"wc.{wc}.{state}") / on_shift >= NOTABLE_SHARE
    )
    total = study.intervals.get(f"bottleneck.{wc}.total")
    return ComparisonRow(
        wc,
        resource.count,
        resource.utilisation,
        ranks[0],
        _busy_share(study, wc),
        _mean(study, f"wc.{wc}.off_shift"),
        _mean(study, f"bottleneck.{wc}.total", math.nan),
        total.halfwidth if total is not None else math.nan,
        _mean(study, f"bottleneck.{wc}.sole"),
        _mean(study, f"bottleneck.{wc}.shifting"),
        ranks[1],
        losses,
        flag,
    )


def compare_bottlenecks(
    rough: RoughCut, study: ReplicationStudy, method: str = "utilisation"
) -> BottleneckComparison:
    """Side-by-side table of rough-cut utilisation (at ``rough``'s volume) and the simulated
    shares, with the simulated bottleneck ranked by ``method``:

    * ``"utilisation"`` (default): the busy share (working, setting up, down) of on-shift
      station time, mean over replications;
    * ``"active_period"``: the active-period sole + shifting share (Roser et al.). The engine
      counts a work centre active while *any* of its stations is, which overstates work
      centres with many parallel stations; it is exact for single stations.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    centres = {r.name: r for r in rough.work_centres()}
    utilisation = {wc: r.utilisation for wc, r in centres.items()}
    if method == "utilisation":
        score = {
            wc: _busy_share(study, wc) for wc in centres if f"wc.{wc}.working" in study.intervals
        }
    else:
        score = {
            wc: _mean(study, f"bottleneck.{wc}.total")
            for wc in centres
            if f"bottleneck.{wc}.total" in study.intervals
        }
    rc_rank, sim_rank = _ranks(utilisation), _ranks(score)
    rc_top = min(rc_rank, key=lambda wc: rc_rank[wc])
    sim_top = min(sim_rank, key=lambda wc: sim_rank[wc]) if sim_rank else ""
    rows = []
    for wc, resource in centres.items():
        flag = ""
        if wc == sim_top and wc != rc_top:
            flag = f"simulated bottleneck; rough cut ranks it {rc_rank[wc]}"
        elif wc == rc_top and wc != sim_top and sim_top:
            flag = f"rough-cut bottleneck; simulation ranks it {sim_rank.get(wc, 0)}"
        rows.append(_row(study, wc, resource, (rc_rank[wc], sim_rank.get(wc, 0)), flag))
    rows.sort(key=lambda row: (row.simulated_rank or 10**6, row.roughcut_rank))
    return BottleneckComparison(
        tuple(rows), rc_top, sim_top, rough.volume_per_year, method, parts_starving(study)
    )


def parts_starving(study: ReplicationStudy, top: int = 5) -> tuple[tuple[str, float], ...]:
    """Purchased parts that made operations wait, by mean minutes waited per replication
    (``part.<id>.starved_min``), largest first."""
    waits = [
        (name[len("part.") : -len(".starved_min")], interval.mean)
        for name, interval in study.intervals.items()
        if name.startswith("part.") and name.endswith(".starved_min") and interval.mean > 0
    ]
    return tuple(sorted(waits, key=lambda item: -item[1])[:top])
