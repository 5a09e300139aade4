"""Stalls found in a finished run: stretches of KPI periods in which the plant had work in
process and stations on shift, yet nothing was worked on and no product was completed.

Read from the per-period arrays every run already has (output, WIP, station-minutes by
state), so it costs nothing at run time. A stall that lasts to the end of the horizon is
one the plant never recovers from (``factory simulate`` then exits non-zero). What the
stations were doing in the stall (holding units starved of material, blocked …) comes
from the same arrays; what they waited for, from the parts starved in the run and the
plant's resource-holding cycles (``model/holding.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from droneworks.factory.engine import SimResult
from droneworks.factory.kpi.stations import StationHold
from droneworks.factory.model.holding import HoldingCycle

__all__ = ["Stall", "StalledCentre", "find_stalls", "with_stations"]

_ACTIVE = ("working", "setup", "down")
MIN_PERIODS = 2  # shorter gaps are ordinary (a long operation, a slow week)


@dataclass(frozen=True)
class StalledCentre:
    """A work centre during a stall: its main state and what its units wait for."""

    work_centre: str
    state: str
    share: float  # of its on-shift station time in the stall
    waiting_for: tuple[str, ...]


@dataclass(frozen=True)
class Stall:
    """Periods ``first_period`` … ``last_period`` (inclusive) without any progress."""

    start_min: float
    end_min: float
    first_period: int
    last_period: int
    wip: float  # mean work in process during the stall
    recovered: bool
    centres: tuple[StalledCentre, ...]
    # the stations holding units at the stall's end (see :func:`with_stations`)
    stations: tuple[StationHold, ...] = ()

    def describe(self) -> str:
        """One sentence for a terminal or a report."""
        days = (self.end_min - self.start_min) / 1440
        when = f"from day {self.start_min / 1440:.0f} ({days:.0f} days)"
        held = "; ".join(
            f"{c.work_centre} {c.state} {100 * c.share:.0f} %"
            + (f" waiting for {', '.join(c.waiting_for)}" if c.waiting_for else "")
            for c in self.centres
        )
        outcome = "then recovered" if self.recovered else "and never recovered"
        stuck = (
            f"; at day {self.end_min / 1440:.0f}: {_holding(self.stations)}"
            if self.stations
            else ""
        )
        return (
            f"stall {when}: nothing completed or worked on while {self.wip:.0f} units were "
            f"in process ({held}{stuck}), {outcome}"
        )


def _holding(stations: Sequence[StationHold]) -> str:
    """``assembly 1, 2 hold sprayer, waiting for material arm``: stations grouped by what
    they hold and do."""
    groups: dict[tuple[str, str, str, str], list[int]] = {}
    for h in stations:
        groups.setdefault((h.work_centre, h.holds, h.activity, h.waiting_for), []).append(h.station)
    return "; ".join(
        f"{wc} station{'s' if len(numbers) > 1 else ''} {', '.join(map(str, numbers))} "
        f"hold{'' if len(numbers) > 1 else 's'} {holds}, {activity}"
        + (f" {waiting}" if waiting else "")
        for (wc, holds, activity, waiting), numbers in groups.items()
    )


def with_stations(
    stalls: Sequence[Stall], result: SimResult, rerun: Callable[[float], SimResult] | None
) -> list[Stall]:
    """Each stall with the stations that hold units at its end: the run's own end for a
    stall that never recovered, else ``rerun(end_min)`` (the same run simulated up to the
    stall's end; skipped when None or the stall ends in the warm-up)."""
    found = []
    for stall in stalls:
        source: SimResult | None = result
        if stall.recovered:
            ends_after_warmup = stall.end_min > result.warmup_min
            source = rerun(stall.end_min) if rerun is not None and ends_after_warmup else None
        holding = tuple(h for h in getattr(source, "station_holds", ()) if h.holds)
        found.append(replace(stall, stations=holding))
    return found


def _stalled_periods(result: SimResult) -> np.ndarray:
    states = list(result.states)
    by_state = result.wc_state_by_period  # (periods, work centres, states)
    active = by_state[:, :, [states.index(s) for s in _ACTIVE]].sum(axis=(1, 2))
    on_shift = by_state.sum(axis=2).sum(axis=1) - by_state[:, :, states.index("off_shift")].sum(
        axis=1
    )
    output = result.output_by_period.sum(axis=1)
    stalled: np.ndarray = (output == 0) & (active <= 1e-9) & (on_shift > 0)
    stalled &= result.wip_by_period > 0
    return stalled


def _centres(
    result: SimResult, first: int, last: int, holding: Sequence[HoldingCycle]
) -> tuple[StalledCentre, ...]:
    block = result.wc_state_by_period[first : last + 1].sum(axis=0)  # (wc, states)
    states = list(result.states)
    off = states.index("off_shift")
    starved_parts = tuple(p for p in result.parts if result.kpis[f"part.{p}.starved_min"] > 0)
    centres = []
    for w, name in enumerate(result.work_centres):
        on_shift = block[w].sum() - block[w, off]
        if on_shift <= 0:
            continue
        shares = {s: block[w, k] / on_shift for k, s in enumerate(states) if k != off}
        state = max(shares, key=lambda s: shares[s])
        if state == "starved_work":
            continue  # idle stations hold nothing
        waiting: tuple[str, ...] = ()
        if state == "starved_material":
            waiting = tuple(sorted({c.component for c in holding if c.work_centre == name}))
            waiting = waiting or starved_parts
        centres.append(StalledCentre(name, state, float(shares[state]), waiting))
    return tuple(centres)


def find_stalls(result: SimResult, holding: Sequence[HoldingCycle] = ()) -> list[Stall]:
    """Every stall of at least :data:`MIN_PERIODS` periods in ``result``."""
    stalled = _stalled_periods(result)
    stalls: list[Stall] = []
    k, n = 0, len(stalled)
    while k < n:
        if not stalled[k]:
            k += 1
            continue
        end = k
        while end + 1 < n and stalled[end + 1]:
            end += 1
        last_period = end == n - 1
        if end - k + 1 >= MIN_PERIODS:
            stalls.append(
                Stall(
                    start_min=k * result.period_min,
                    end_min=min((end + 1) * result.period_min, result.horizon_min),
                    first_period=k,
                    last_period=end,
                    wip=float(result.wip_by_period[k : end + 1].mean()),
                    recovered=not last_period,
                    centres=_centres(result, k, end, holding),
                )
            )
        k = end + 1
    return stalls
