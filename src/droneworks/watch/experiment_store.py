"""Watch experiment points in the runs database (:mod:`droneworks.core.store`).

Each point is a run of kind ``watch-experiment`` whose content is the point's wall data as
canonical JSON (and the folder its relative paths start from), with the wall's seed. Each
Monte Carlo run is stored as a replication holding every run figure of `watch simulate`
as it finishes, so a second experiment with another metric, or the same one after Ctrl-C,
reuses what was simulated: a complete run is read back, an interrupted one continued.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from droneworks.core.store import RunStore

__all__ = ["RUN_KIND", "PointRecord", "open_point", "point_content"]

RUN_KIND = "watch-experiment"


def point_content(data: Mapping[str, Any], base_dir: Path) -> str:
    """What identifies a point's simulation: the wall data and where its paths start."""
    from droneworks.core.sweep import canonical_json  # pydantic: not at CLI start-up

    return canonical_json({"wall": data, "base_dir": str(base_dir.resolve())})


@dataclass
class PointRecord:
    """A point's stored run: the figures of its finished runs, by run index."""

    store: RunStore | None
    run_id: int | None
    seed: int
    figures: dict[int, dict[str, float]] = field(default_factory=dict)
    complete: bool = False  # read back whole: nothing to simulate or store
    reused: int = 0  # runs read from the store
    stored: int = 0  # replications in the stored run (it may hold runs past ``runs``)

    def add(self, run: int, figures: Mapping[str, float], wall_s: float) -> None:
        self.figures[run] = dict(figures)
        if self.store is not None and self.run_id is not None:
            self.store.add_replication(self.run_id, run, self.seed, figures, None, wall_s)
            self.stored += 1

    def finish(self, summary: Mapping[str, Any], wall_s: float) -> None:
        if self.store is not None and self.run_id is not None and not self.complete:
            self.store.complete_run(self.run_id, summary, self.stored, wall_s)
            self.complete = True

    def interrupted(self, wall_s: float) -> None:
        if self.store is not None and self.run_id is not None and not self.complete:
            self.store.mark_interrupted(self.run_id, wall_s)


def open_point(
    store: RunStore | None, name: str, content: str, seed: int, runs: int, settings: Any
) -> PointRecord:
    """The point's stored run: reused when complete with ``runs`` runs, continued when
    interrupted, else a new run (nothing stored without a store)."""
    if store is None:
        return PointRecord(None, None, seed)
    from droneworks.core.store import text_sha256

    for stored in store.runs_with_content(RUN_KIND, text_sha256(content), seed):
        kept = {
            r.index: r.kpis
            for r in store.replications(stored.id, with_series=False)
            if r.index < runs
        }
        if stored.status == "complete" and len(kept) == runs:
            return PointRecord(store, stored.id, seed, kept, True, runs)
        if stored.status != "complete":
            store.mark_running(stored.id)
            return PointRecord(store, stored.id, seed, kept, False, len(kept), stored.replications)
    run_id = store.create_run(RUN_KIND, name, content, seed, dict(settings))
    return PointRecord(store, run_id, seed)


def figures_summary(
    figures: Mapping[int, Mapping[str, float]], confidence: float
) -> dict[str, dict[str, float]]:
    """Each figure's mean and interval over the runs, as a run's stored ``kpis``."""
    from droneworks.watch.metrics import mean_interval
    from droneworks.watch.simulate import _bounds

    keys = sorted(set().union(*(f.keys() for f in figures.values()))) if figures else []
    summary = {}
    for key in keys:
        values = [f.get(key, math.nan) for f in figures.values()]
        interval = mean_interval(values, confidence, _bounds(key))
        summary[key] = {  # the keys of a factory run's KPI intervals, and the cut bounds
            "mean": interval.mean,
            "halfwidth": max(interval.mean - interval.low, interval.high - interval.mean),
            "low": interval.low,
            "high": interval.high,
            "n": float(interval.n),
            "confidence": confidence,
        }
    return summary
