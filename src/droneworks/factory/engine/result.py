"""What one simulation run returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:
    from droneworks.factory.kpi.stations import StationHold

__all__ = ["PurchaseOrderLike", "SimResult"]


class PurchaseOrderLike(Protocol):
    """An external purchase order (e.g. an MRP release): ordered at ``release_min``, it
    arrives after the supplier's stochastic lead time."""

    @property
    def release_min(self) -> float: ...

    @property
    def part(self) -> str: ...

    @property
    def quantity(self) -> int: ...


@dataclass(frozen=True, eq=False)
class SimResult:
    """KPIs of one run: flat scalars in :attr:`kpis` plus per-period arrays.

    Shares of work-centre time (``wc.<wc>.<state>``) are over the time its stations
    exist; ``off_shift`` is one of the states. Totals exclude the warm-up; per-period
    arrays cover the whole horizon, warm-up included (period ``k`` is
    ``[k·period_min, (k+1)·period_min)``).
    """

    kpis: dict[str, float]
    products: tuple[str, ...]
    work_centres: tuple[str, ...]
    parts: tuple[str, ...]
    pools: tuple[str, ...]
    states: tuple[str, ...]
    horizon_min: float
    warmup_min: float
    seed: int
    replication: int
    period_min: float
    output_by_period: np.ndarray  # (periods, products) units completed
    wip_by_period: np.ndarray  # (periods,) time-average products in the system
    wc_state_by_period: np.ndarray  # (periods, work centres, states) station-minutes
    stock_by_period: np.ndarray  # (periods, parts) stock at the end of each period
    lead_times_hist: np.ndarray  # (bins,) completed products per floor-time bin (release →)
    lead_time_edges_min: np.ndarray  # (bins + 1,) bin edges in minutes (log-spaced)
    wall_s: float
    compile_s: float
    active_periods: dict[str, np.ndarray] = field(default_factory=dict)
    event_log_rows: int = 0
    # (bins,) completed products per lead-time bin, order → delivery (same edges)
    order_to_delivery_hist: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    station_holds: tuple[StationHold, ...] = ()  # every present station at the end

    @property
    def units(self) -> int:
        """Products completed after the warm-up."""
        return int(self.kpis["units"])

    def units_by_product(self) -> dict[str, int]:
        """Completed units of each product after the warm-up."""
        return {name: int(self.kpis[f"units.{name}"]) for name in self.products}

    def work_centre_shares(self, work_centre: str) -> dict[str, float]:
        """Share of time in each state for one work centre."""
        return {state: self.kpis[f"wc.{work_centre}.{state}"] for state in self.states}
