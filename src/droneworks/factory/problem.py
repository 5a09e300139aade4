"""The flat problem the engine runs: frozen numpy arrays and name tuples, no pydantic.

A :class:`Problem` is what :func:`droneworks.factory.compile_plant` makes of a validated
plant, or what :class:`~droneworks.factory.problem_builder.ProblemBuilder` makes in code
(tests, benchmarks). Everything is indexed by small integers:

- *job types*: products first (``0 .. n_products-1``), then sub-assemblies made in the plant;
- *materials*: purchased parts first (``0 .. n_parts-1``), then sub-assemblies
  (material ``n_parts + a`` is sub-assembly ``a``, job type ``n_products + a``);
- *operations*: one row per operation of a routing or of a rework routing;
- *stations*: the parallel stations of each work centre, contiguous, up to the largest
  station count any capacity change asks for;
- *outage sources*: failure modes and planned maintenance of a work centre, each applying
  to every station of it;
- *streams*: named random sources; stream ``k`` cycles through the distributions listed
  for it (a failure stream: up time, repair, up time, …) and draws one uniform per value
  from ``RandomStreams(seed, replication).generator(stream_names[k])``.

Times are minutes from midnight of the plant's start date.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

__all__ = [
    "BASIS_BUSY",
    "BASIS_CALENDAR",
    "BASIS_OPERATIONS",
    "CHANGE_STATIONS",
    "CHANGE_WORKERS",
    "DISPATCH_EDD",
    "DISPATCH_FIFO",
    "DISPATCH_PRIORITY",
    "DISPATCH_SPT",
    "DIST_CONSTANT",
    "DIST_EMPIRICAL",
    "DIST_EXPONENTIAL",
    "DIST_LOGNORMAL",
    "DIST_NORMAL",
    "DIST_TRIANGULAR",
    "DIST_UNIFORM",
    "DIST_UNIT_UNIFORM",
    "RELEASE_PLAN",
    "RELEASE_RATE",
    "RELEASE_SATURATE",
    "Problem",
]

# Distribution kinds (``dist_kind``); parameters in ``dist_par`` columns.
DIST_CONSTANT = 0  # value
DIST_UNIFORM = 1  # low, high
DIST_TRIANGULAR = 2  # low, mode, high
DIST_NORMAL = 3  # mean, sd (truncated at 0)
DIST_LOGNORMAL = 4  # mean, cv
DIST_EXPONENTIAL = 5  # mean
DIST_EMPIRICAL = 6  # samples in emp_values[emp_start : emp_start + emp_len]
DIST_UNIT_UNIFORM = 7  # the raw uniform in [0, 1) (test outcomes, supplier events)

# Release modes.
RELEASE_SATURATE = 0  # infinite raw material: the first work centre never starves
RELEASE_PLAN = 1  # plan_qty[period, product] released evenly over each plan period
RELEASE_RATE = 2  # arrivals with the inter-arrival stream of each product

# Dispatching rules of a work centre's queue.
DISPATCH_FIFO = 0
DISPATCH_SPT = 1  # shortest mean processing time (op_mean_min)
DISPATCH_EDD = 2  # earliest due date (order time + jt_due_in_min)
DISPATCH_PRIORITY = 3  # highest jt_priority

# Outage bases.
BASIS_CALENDAR = 0
BASIS_BUSY = 1
BASIS_OPERATIONS = 2

# Capacity change kinds.
CHANGE_STATIONS = 0
CHANGE_WORKERS = 1


@dataclass(frozen=True, eq=False)
class Problem:
    """A plant compiled into flat arrays (see the module docstring for the indexing)."""

    # names
    products: tuple[str, ...]
    assemblies: tuple[str, ...]
    work_centres: tuple[str, ...]
    parts: tuple[str, ...]
    pools: tuple[str, ...]
    transporters: tuple[str, ...]
    crews: tuple[str, ...]  # repair crews
    calendars: tuple[str, ...]  # work-centre calendars (calendar k + 1; 0 is the plant's)
    operations: tuple[str, ...]
    stream_names: tuple[str, ...]
    # run settings
    horizon_min: float
    warmup_min: float
    seed: int
    period_min: float
    release_mode: int
    conwip_cap: int  # −1: no cap
    plan_period_min: float
    plan_qty: np.ndarray  # (n_plan_periods, n_products) int64
    # distributions and streams
    dist_kind: np.ndarray  # (n_dists,) int64
    dist_par: np.ndarray  # (n_dists, 3) float64
    emp_start: np.ndarray
    emp_len: np.ndarray
    emp_values: np.ndarray
    stream_dist_start: np.ndarray
    stream_dist_len: np.ndarray
    stream_dists: np.ndarray
    # job types (products, then assemblies)
    jt_route_start: np.ndarray
    jt_route_len: np.ndarray
    route_ops: np.ndarray
    jt_sub_start: np.ndarray  # sub-assemblies released with each unit
    jt_sub_len: np.ndarray
    sub_type: np.ndarray
    sub_qty: np.ndarray
    jt_arrival_stream: np.ndarray  # −1 unless release_mode == RELEASE_RATE
    jt_mix: np.ndarray  # release weight of each product under RELEASE_SATURATE
    jt_target_stock: np.ndarray  # assemblies: base-stock level (−1: made with each unit)
    jt_initial_stock: np.ndarray  # assemblies: stock at time 0
    jt_due_in_min: np.ndarray  # due date = order time + this (inf: no due date)
    jt_priority: np.ndarray  # higher first where a work centre dispatches by priority
    # operations
    op_wc: np.ndarray
    op_time_stream: np.ndarray
    op_setup_stream: np.ndarray  # −1: no setup
    op_batch: np.ndarray
    op_batch_wait_min: np.ndarray  # > 0: wait up to this for a full batch (0: start at once)
    op_pool: np.ndarray  # −1: no worker
    op_workers: np.ndarray  # workers the operation holds
    op_cons_start: np.ndarray
    op_cons_len: np.ndarray
    cons_material: np.ndarray
    cons_qty: np.ndarray
    op_test_stream: np.ndarray  # −1: not a test
    op_yield: np.ndarray  # (n_ops, 4): initial, mature, halving units (0: constant), retest
    op_rework_start: np.ndarray
    op_rework_len: np.ndarray
    rework_ops: np.ndarray
    op_max_reworks: np.ndarray
    op_learning: np.ndarray  # (n_ops, 3): exponent log2(rate) (0: none), floor, initial units
    op_mean_min: np.ndarray  # mean processing time (shortest-processing-time dispatching)
    op_move_stream: np.ndarray  # move to the operation's work centre (−1: none)
    op_mover: np.ndarray  # transporter pool making that move (−1: none, moves never wait)
    # work centres and stations
    wc_stations: np.ndarray
    wc_max_stations: np.ndarray
    wc_buffer: np.ndarray  # −1: unlimited
    wc_dispatch: np.ndarray  # DISPATCH_*
    wc_kitting: np.ndarray  # 1: a station takes only a queued job whose materials are in stock
    station_speed: np.ndarray  # (n_stations,) processing rate factor of each station
    wc_station_start: np.ndarray
    wc_source_start: np.ndarray
    wc_source_len: np.ndarray
    source_basis: np.ndarray
    source_preempts: np.ndarray
    source_stream: np.ndarray  # −1: deterministic (maintenance)
    source_ops_between: np.ndarray
    source_fixed: np.ndarray  # (n_sources, 3): first up, up, down (deterministic sources)
    source_crew: np.ndarray  # −1: repaired at once, else the crew whose technician repairs
    crew_technicians: np.ndarray
    crew_shift_only: np.ndarray  # 1: repairs progress only while the centre is on shift
    # labour and transport
    pool_workers: np.ndarray
    transporter_count: np.ndarray
    transporter_capacity: np.ndarray  # units per trip
    # purchased parts
    part_initial: np.ndarray
    part_reorder_point: np.ndarray  # −1: no reorder policy (MRP or none)
    part_reorder_qty: np.ndarray
    part_stream: np.ndarray  # cycle: lead time, u_late, late_by, u_short
    part_late_prob: np.ndarray
    part_short_prob: np.ndarray
    part_short_fraction: np.ndarray  # share of the quantity missing from a short delivery
    part_supply: np.ndarray  # −1: made at once, else the supplier capacity that makes it
    supply_names: tuple[str, ...]  # supplier capacities: a supplier's, or a part's own
    supply_rate: np.ndarray  # units per minute
    # calendar and capacity changes
    calendar_windows: np.ndarray  # (n, 2) working windows [start, end) in minutes
    wc_calendar: np.ndarray  # 0: the plant calendar, k ≥ 1: calendars[k − 1]
    centre_windows: np.ndarray  # (m, 2) windows of the work-centre calendars, back to back
    centre_window_start: np.ndarray
    centre_window_len: np.ndarray
    change_time: np.ndarray
    change_kind: np.ndarray
    change_target: np.ndarray
    change_value: np.ndarray

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, np.ndarray):
                value.setflags(write=False)
        if self.horizon_min <= 0:
            raise ValueError(f"horizon_min must be positive, not {self.horizon_min}")
        if not 0 <= self.warmup_min < self.horizon_min:
            raise ValueError(f"warmup_min must be in [0, horizon), not {self.warmup_min}")
        if self.period_min <= 0:
            raise ValueError(f"period_min must be positive, not {self.period_min}")

    @property
    def job_types(self) -> tuple[str, ...]:
        """Products, then sub-assemblies (the job type index order)."""
        return self.products + self.assemblies

    @property
    def materials(self) -> tuple[str, ...]:
        """Purchased parts, then sub-assemblies (the material index order)."""
        return self.parts + self.assemblies

    @property
    def n_stations(self) -> int:
        """Stations allocated (the largest count of every work centre, summed)."""
        return int(self.wc_max_stations.sum())

    @property
    def calendar_end_min(self) -> float:
        """Until when the calendar is known (the end of its last working window)."""
        return float(self.calendar_windows[-1, 1]) if len(self.calendar_windows) else 0.0

    @property
    def is_continuous(self) -> bool:
        """True when the plant works around the clock over the whole horizon."""
        windows = self.calendar_windows
        return len(windows) == 1 and windows[0, 0] <= 0.0 and windows[0, 1] >= self.horizon_min
