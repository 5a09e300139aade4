"""The kernel's data, declared once: every table, its columns and what a row is.

Allocation, growth, the kernel's accessors (``jobs = tables.jobs(I, F)`` → ``jobs.pos[j]``)
and the driver's read-out (``memory.view("jobs").pos``) are all derived from ``SPEC``; no
offset or column number is written anywhere else. To add a column, add its name here.

A :class:`Table` is one row per thing (job, station, work centre …) with named int and
float columns; ``n`` is its row count. An :class:`Array` is a plain 1-, 2- or 3-D array
(a histogram, a per-period matrix). A :class:`Record` is a single read-only row (the run's
parameters). Tables marked ``problem`` are filled from the compiled plant and never
written by the kernel, except the per-thing counters added beside them (``ops.done``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from droneworks.factory.problem import (  # noqa: F401  (re-exported to the kernel)
    BASIS_BUSY,
    BASIS_CALENDAR,
    BASIS_OPERATIONS,
    CHANGE_STATIONS,
    CHANGE_WORKERS,
    DISPATCH_EDD,
    DISPATCH_FIFO,
    DISPATCH_PRIORITY,
    DISPATCH_SPT,
    RELEASE_PLAN,
    RELEASE_RATE,
    RELEASE_SATURATE,
)


def _names(words: str) -> tuple[str, ...]:
    return tuple(words.split())


@dataclass(frozen=True)
class Table:
    """Rows of one kind of thing; int columns live in I, float columns in F (names given as
    one space-separated string each)."""

    name: str
    int_columns: str
    float_columns: str = ""
    doc: str = ""

    @property
    def ints(self) -> tuple[str, ...]:
        return _names(self.int_columns)

    @property
    def floats(self) -> tuple[str, ...]:
        return _names(self.float_columns)


@dataclass(frozen=True)
class Array:
    """A plain array of ``ndim`` dimensions (sizes chosen at allocation)."""

    name: str
    kind: str  # "int" or "float"
    ndim: int = 1
    doc: str = ""


@dataclass(frozen=True)
class Record:
    """One read-only row of float values (the run's parameters)."""

    name: str
    float_columns: str
    doc: str = ""

    @property
    def floats(self) -> tuple[str, ...]:
        return _names(self.float_columns)


Entry = Table | Array | Record

SPEC: tuple[Entry, ...] = (
    # ---- the plant (filled from the problem) ----------------------------------------------
    Record(
        "params",
        "horizon warmup period plan_period n_periods conwip release timers_per_station "
        "n_products n_parts hist_lo hist_per_decade kitting",
        "run parameters; conwip < 0: no cap; timers per station: 1 + outage sources",
    ),
    Table(
        "ops",
        "wc time_stream setup_stream batch pool cons_start cons_len test_stream rework_start "
        "rework_len max_reworks job_type workers done tested move_stream mover",
        "yield0 yield1 yield_half yield_retest learn_exp learn_floor learn_init mean batch_wait",
        "operations; done/tested count units for the learning and yield curves",
    ),
    Table(
        "job_types",
        "route_start route_len sub_start sub_len arrival_stream first_wc target backlog done "
        "scrap reworks first_pass released released_all ordered order_head order_tail untimed "
        "priority late",
        "mix lead_sum lead_sq sojourn pool_area pool_since wait_sum due_in tardiness",
        "products, then assemblies; backlog: units ordered, not released yet (the order pool); "
        "ordered: orders after the warm-up; order_head/order_tail: the pool's ring of order "
        "times; untimed: orders it had no room for; wait_sum: order → release minutes of "
        "completed units; late, tardiness: completed units after their due date",
    ),
    Table(
        "centres",
        "stations max_stations buffer station_start source_start source_len first_types_start "
        "first_types_len busy_sources end_sources queue_head queue_tail queue_len blocked_head "
        "blocked_tail idle present active tests fails next_type incoming rule fastest kitting "
        "batching calendar on_shift",
        "active_since",
        "work centres: shape, job queue, stations blocked waiting to hand a job in; "
        "incoming: places reserved for jobs moving there; rule: DISPATCH_*; fastest: 1 when "
        "stations differ in speed (an arriving job takes the fastest idle one); kitting: 1 when "
        "stations take only jobs whose materials are in stock; batching: stations waiting for "
        "a full batch; the calendar they work by (0: the plant's) and whether it is in a "
        "working window",
    ),
    Table("sources", "basis preempts stream ops_between crew", "first_up up down",
          "outage sources (failures, maintenance) of each centre; fixed times if stream < 0; "
          "crew −1: repaired without waiting for a technician"),
    Table("parts", "initial reorder_point reorder_qty stream supply",
          "late_prob short_prob short_fraction", "purchased parts and their suppliers"),
    Table("supply", "orders", "rate free_at wait_sum",
          "supplier capacities (units/min) shared by the parts pointing to them (parts.supply "
          "−1: none); when each has made its last order; orders and their waits after warm-up"),
    Table("route", "op", "", "routing steps of all job types, back to back"),
    Table("subs", "job_type qty", "", "sub-assemblies a job type releases"),
    Table("consumes", "material qty", "", "materials an operation takes"),
    Table("rework_route", "op", "", "rework routing steps of all tests"),
    Table("first_types", "job_type", "", "job types whose routing starts at a centre"),
    Table("calendar", "", "start end", "working windows (minutes) of every calendar"),
    Table("calendars", "first count", "", "the plant calendar, then the centres' own: "
          "their rows in the calendar table"),
    Table("changes", "kind target value", "at", "dated capacity changes"),
    Table("orders", "part qty", "at", "external purchase orders"),
    Array("plan", "int", 2, "units per plan period and product"),
    # ---- the moving parts -------------------------------------------------------------------
    Table("jobs", "type pos rework reworks next first_pass op", "released ordered due rank",
          "jobs; type −1: a free row; rework −1: on the main routing; op: the operation it "
          "is at (kept by routing.advance); ordered: when the "
          "order a product fills arrived (its release time when it fills none); due: ordered "
          "+ due_in; rank: dispatching key in a queue (lowest first)"),
    Table(
        "stations",
        "wc job n_jobs op phase last_type pool next present retire down state run",
        "remain segment_start state_since speed",
        "job: first job held; next: link in a wait list; run: 0 no, 1 setup, 2 processing",
    ),
    Table("outages", "phase ops_left next", "remain segment_start",
          "one row per station and outage source; next: link in a crew's wait list"),
    Table("pools", "cap busy wait_head wait_tail", "busy_area cap_area since",
          "worker pools and the stations waiting for workers"),
    Table("transporters", "count capacity busy wait_head wait_tail n_wait trips moved",
          "busy_area wait_area since",
          "transporter pools; jobs waiting for a vehicle are linked by jobs.next"),
    Table("crews", "cap busy shift_only wait_head wait_tail repairs",
          "busy_area wait_sum since",
          "repair crews: technicians, the outages waiting for one (FIFO), repairs started"),
    Table("materials", "stock on_order wait_head wait_tail n_wait",
          "stockout_min starved_min since", "parts, then assembly stocks"),
    # ---- engine machinery -------------------------------------------------------------------
    Array("timer_at", "float", 1, "time of each timer slot (inf: off)"),
    Array("timer_tree", "int", 1, "tournament tree over timer_at: node → winning slot"),
    Array("timer_min", "float", 1, "the same tree: node → time of its winning slot"),
    Array("timer_station", "int", 1, "timer slot → its station (no division in the loop)"),
    Table("heap", "kind a b c seq", "at", "plant-wide events"),
    Table("streams", "pos fill", "", "read and write counts of each random ring"),
    Array("rings", "float", 2, "random values: stream × RING"),
    Table("todo", "action arg", "", "ring of pending cascade actions"),
    Array("pending", "int", 2, "action × argument: already in the to-do ring"),
    # ---- statistics -------------------------------------------------------------------------
    Array("state_min", "float", 2, "work centre × KPI state: minutes after warm-up"),
    Array("state_min_by_period", "float", 3, "period × work centre × KPI state"),
    Array("output_by_period", "int", 2, "period × job type: completed units"),
    Array("wip_area_by_period", "float", 1, "period: WIP × minutes"),
    Array("stock_by_period", "float", 2, "period × part: stock at the period's end"),
    Array("lead_hist", "int", 1, "log-binned floor times (release → completion)"),
    Array("order_hist", "int", 1, "log-binned lead times (order → delivery)"),
    Array("order_at", "float", 2, "product × ORDER_RING: arrival times of pool orders"),
    Table("log", "code job_type job wc station", "at", "event log buffer"),
    Table("active", "wc", "start end", "active periods buffer"),
)  # fmt: skip

# ---- plant-wide scalars (fixed slots at the start of I and F) -------------------------------
GLOBALS_INT = ("on_shift", "period", "wip", "free_head", "free_n", "heap_n", "seq", "refill",
               "grow", "kick", "log", "log_n", "log_lost", "ap", "ap_n", "ap_lost", "todo_head",
               "todo_n", "warm", "error")  # fmt: skip
GLOBALS_FLOAT = ("now", "wip_area", "wip_t")
(G_ON_SHIFT, G_PERIOD, G_WIP, G_FREE_HEAD, G_FREE_N, G_HEAP_N, G_SEQ, G_REFILL, G_GROW,
 G_KICK, G_LOG, G_LOG_N, G_LOG_LOST, G_AP, G_AP_N, G_AP_LOST, G_TODO_HEAD, G_TODO_N, G_WARM,
 G_ERROR) = range(len(GLOBALS_INT))  # fmt: skip
GF_NOW, GF_WIP_AREA, GF_WIP_T = range(len(GLOBALS_FLOAT))
G_N, GF_N = len(GLOBALS_INT), len(GLOBALS_FLOAT)
HEADER = 4  # ints per entry header after the globals: (at_int, at_float | d0, rows | d1, d2)

# ---- codes --------------------------------------------------------------------------------------
# station phases
PH_IDLE, PH_WAIT_MAT, PH_WAIT_WORKER, PH_SETUP, PH_PROC, PH_BLOCKED, PH_WAIT_BATCH = range(7)
# KPI states of a station (ABSENT is not reported)
STATES = ("working", "setup", "blocked", "starved_work", "starved_material",
          "starved_worker", "down", "off_shift")  # fmt: skip
(ST_WORKING, ST_SETUP, ST_BLOCKED, ST_STARVED, ST_STARVED_MAT, ST_STARVED_WORKER, ST_DOWN,
 ST_OFF, ST_ABSENT) = range(9)  # fmt: skip
N_STATES = 9
# outage phases
OU_UP, OU_DOWN, OU_PENDING, OU_COUNTING, OU_WAIT_CREW = range(5)
# plant-wide events (heap)
(EV_SHIFT, EV_PERIOD, EV_WARMUP, EV_PLAN, EV_ARRIVAL, EV_DELIVERY, EV_CHANGE, EV_PO,
 EV_PLAN_UNIT, EV_MOVE) = range(10)  # fmt: skip
# to-do actions
A_PULL, A_SLOT, A_RELEASE, A_MATERIAL, A_WORKER, A_CREW = range(6)
N_ACTIONS = 6
# event log codes
LOG_CODES = ("release", "start", "end", "complete", "scrap", "down", "up", "delivery", "test_fail")
L_RELEASE, L_START, L_END, L_COMPLETE, L_SCRAP, L_DOWN, L_UP, L_DELIVERY, L_TEST_FAIL = range(9)
# kernel return status
STATUS_STOP, STATUS_REFILL, STATUS_GROW, STATUS_LOG, STATUS_AP, STATUS_ERROR = range(6)
ERROR_HEAP, ERROR_TODO = 1, 2  # G_ERROR codes

RING = 4096  # ring buffer of random values per stream (power of two)
RING_MASK = RING - 1
RING_LOW = RING // 2  # ask for a refill when fewer values are left
LOG_ROWS = 1 << 16
AP_ROWS = 1 << 14
HEAP_CAP = 1 << 16
ORDER_RING = 1 << 15  # order times kept per product (orders waiting in the pool)
ORDER_MASK = ORDER_RING - 1
HIST_LO_LOG10 = -2.0  # lead time histogram: 0.01 min …
HIST_PER_DECADE = 100
HIST_BINS = 9 * HIST_PER_DECADE  # … 1e7 min
INF = math.inf
