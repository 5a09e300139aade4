"""Rough-cut against simulation: where does the simulated bottleneck differ, and why?

The rough-cut bottleneck is the work centre with the highest load ÷ available time; the
simulated one is the work centre with the largest active-period bottleneck share (sole +
shifting, Roser et al.). They differ when something the rough cut ignores takes capacity:
blocking behind a finite buffer, failures whose *variability* (not just their average)
starves and blocks neighbours, waiting for workers or material, setups, or shifts whose
ends cut work. Each work centre's row says which of these took ≥ 5 % of its time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from droneworks.factory.plan.replications import ReplicationStudy
from droneworks.factory.plan.roughcut import RoughCut

__all__ = ["BottleneckComparison", "ComparisonRow", "compare_bottlenecks"]

LOSS_STATES = {
    "blocked": "blocked {:.0%} (finite buffer downstream)",
    "down": "down {:.0%} (failures, maintenance)",
    "starved_worker": "waiting for workers {:.0%}",
    "starved_material": "waiting for material {:.0%}",
    "setup": "setting up {:.0%}",
    "off_shift": "off shift {:.0%}",
}
NOTABLE_SHARE = 0.05


@dataclass(frozen=True)
class ComparisonRow:
    """One work centre: rough-cut utilisation beside its simulated shares."""

    work_centre: str
    roughcut_utilisation: float
    roughcut_rank: int
    bottleneck_share: float  # sole + shifting, mean over replications
    bottleneck_halfwidth: float
    sole_share: float
    shifting_share: float
    simulated_rank: int
    working_share: float
    losses: tuple[str, ...]
    flag: str


@dataclass(frozen=True)
class BottleneckComparison:
    """The side-by-side table and the two bottlenecks."""

    rows: tuple[ComparisonRow, ...]
    roughcut_bottleneck: str
    simulated_bottleneck: str
    volume_per_year: float

    @property
    def agree(self) -> bool:
        return self.roughcut_bottleneck == self.simulated_bottleneck

    def table_rows(self) -> list[list[object]]:
        return [
            [
                r.work_centre,
                round(100 * r.roughcut_utilisation, 1),
                r.roughcut_rank,
                round(100 * r.bottleneck_share, 1),
                round(100 * r.bottleneck_halfwidth, 1),
                round(100 * r.sole_share, 1),
                round(100 * r.shifting_share, 1),
                r.simulated_rank,
                round(100 * r.working_share, 1),
                "; ".join(r.losses),
                r.flag,
            ]
            for r in self.rows
        ]

    COLUMNS = (
        "work centre",
        "rough-cut utilisation %",
        "rough-cut rank",
        "bottleneck share %",
        "± %",
        "sole %",
        "shifting %",
        "simulated rank",
        "working %",
        "time lost to",
        "flag",
    )


def _ranks(values: dict[str, float]) -> dict[str, int]:
    order = sorted(values, key=lambda key: (-values[key], key))
    return {key: index + 1 for index, key in enumerate(order)}


def compare_bottlenecks(rough: RoughCut, study: ReplicationStudy) -> BottleneckComparison:
    """Side-by-side table of rough-cut utilisation (at ``rough``'s volume) and simulated
    bottleneck shares with their confidence half-widths."""
    intervals = study.intervals
    utilisation = {r.name: r.utilisation for r in rough.work_centres()}
    shares = {
        wc: intervals[f"bottleneck.{wc}.total"].mean
        if f"bottleneck.{wc}.total" in intervals
        else math.nan
        for wc in utilisation
    }
    known = {wc: value for wc, value in shares.items() if not math.isnan(value)}
    rc_rank, sim_rank = _ranks(utilisation), _ranks(known)
    rc_top = min(rc_rank, key=lambda wc: rc_rank[wc])
    sim_top = min(sim_rank, key=lambda wc: sim_rank[wc]) if sim_rank else ""
    rows = []
    for wc in utilisation:

        def mean(kpi: str) -> float:
            return intervals[kpi].mean if kpi in intervals else 0.0

        losses = tuple(
            text.format(mean(f"wc.{wc}.{state}"))
            for state, text in LOSS_STATES.items()
            if mean(f"wc.{wc}.{state}") >= NOTABLE_SHARE
        )
        total = intervals.get(f"bottleneck.{wc}.total")
        flag = ""
        if wc == sim_top and wc != rc_top:
            flag = f"simulated bottleneck; rough cut ranks it {rc_rank[wc]}"
        elif wc == rc_top and wc != sim_top and sim_top:
            flag = f"rough-cut bottleneck; simulation ranks it {sim_rank.get(wc, 0)}"
        rows.append(
            ComparisonRow(
                wc,
                utilisation[wc],
                rc_rank[wc],
                shares[wc],
                total.halfwidth if total is not None else math.nan,
                mean(f"bottleneck.{wc}.sole"),
                mean(f"bottleneck.{wc}.shifting"),
                sim_rank.get(wc, 0),
                mean(f"wc.{wc}.working"),
                losses,
                flag,
            )
        )
    rows.sort(key=lambda row: (row.simulated_rank or 10**6, row.roughcut_rank))
    return BottleneckComparison(tuple(rows), rc_top, sim_top, rough.volume_per_year)
