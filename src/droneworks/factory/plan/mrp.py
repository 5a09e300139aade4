"""Material requirements planning: BOM explosion, netting, lot sizing, lead-time offsetting.

A pure library over small frozen values. :func:`plan_mrp` takes an :class:`MrpProblem`
(items with lead times in periods, on-hand stock, safety stock, scheduled receipts and a lot
sizer; BOM lines; independent demand per period) and returns an :class:`MrpResult`: the full
MRP table of every item (gross requirements, scheduled receipts, projected on hand, net
requirements, planned receipts, planned releases per period), the planned purchase and shop
orders, and exception messages.

Items are processed by *low-level code* (the deepest level at which an item appears in any
BOM), so an item's gross requirements are complete — the planned releases of every parent
times the quantity per parent, in the parent's release period, plus independent demand —
before it is netted. For every item and period the table balances::

    projected_on_hand[t] = projected_on_hand[t-1] + scheduled_receipts[t]
                           + planned_receipts[t] - gross_requirements[t]

No order is released before the first period: when a requirement falls inside the lead time
(its release would be past due), the receipt moves to the first period it can arrive in,
the projected stock goes negative in between, and the result carries a ``past_due_release``
exception and ``shortage`` exceptions instead of a plan that cannot happen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from droneworks.core.errors import ModelError
from droneworks.factory.plan.lotsizing import LotForLotSizer, LotSizer

__all__ = [
    "BomLine",
    "ExceptionKind",
    "MrpException",
    "MrpItem",
    "MrpProblem",
    "MrpRecord",
    "MrpResult",
    "OrderKind",
    "PlannedOrder",
    "low_level_codes",
    "plan_mrp",
]

_EPS = 1e-9


class OrderKind(StrEnum):
    """Who fills a planned order: a supplier (purchase) or the plant itself (shop)."""

    PURCHASE = "purchase"
    SHOP = "shop"


class ExceptionKind(StrEnum):
    """MRP exception messages for the planner."""

    PAST_DUE_RELEASE = "past_due_release"
    EXPEDITE = "expedite"
    DE_EXPEDITE = "de_expedite"
    SHORTAGE = "shortage"


@dataclass(frozen=True)
class MrpItem:
    """One item of the plan: a purchased part or an item made in the plant."""

    id: str
    lead_time_periods: int
    on_hand: float = 0.0
    safety_stock: float = 0.0
    lot_sizer: LotSizer = field(default_factory=LotForLotSizer)
    scheduled_receipts: tuple[tuple[int, float], ...] = ()  # (period, quantity)
    purchased: bool = True

    def __post_init__(self) -> None:
        if self.lead_time_periods < 0:
            raise ValueError(f"{self.id}: lead_time_periods must be >= 0")
        if self.on_hand < 0 or self.safety_stock < 0:
            raise ValueError(f"{self.id}: on_hand and safety_stock must be >= 0")
        for period, quantity in self.scheduled_receipts:
            if period < 0 or quantity < 0:
                raise ValueError(f"{self.id}: scheduled receipt ({period}, {quantity}) < 0")


@dataclass(frozen=True)
class BomLine:
    """``quantity_per`` units of ``component`` go into one unit of ``parent``."""

    parent: str
    component: str
    quantity_per: float

    def __post_init__(self) -> None:
        if not self.quantity_per > 0:
            raise ValueError(f"{self.parent} → {self.component}: quantity_per must be > 0")


@dataclass(frozen=True)
class MrpProblem:
    """Items, BOM and independent demand per period (period 0 starts at minute 0)."""

    items: tuple[MrpItem, ...]
    bom: tuple[BomLine, ...]
    demand: Mapping[str, Sequence[float]]
    n_periods: int
    period_min: float = 7 * 1440.0

    def __post_init__(self) -> None:
        if self.n_periods < 1:
            raise ValueError(f"n_periods must be >= 1, not {self.n_periods!r}")
        if not self.period_min > 0:
            raise ValueError(f"period_min must be > 0, not {self.period_min!r}")
        known = {item.id for item in self.items}
        if len(known) != len(self.items):
            raise ModelError("MRP items must have unique ids")
        for line in self.bom:
            for name in (line.parent, line.component):
                if name not in known:
                    raise ModelError(f"BOM line {line.parent} → {line.component}: unknown {name}")
        for name, values in self.demand.items():
            if name not in known:
                raise ModelError(f"demand for unknown item {name!r}")
            if any(value < 0 for value in values):
                raise ValueError(f"demand for {name} must be >= 0")


@dataclass(frozen=True)
class MrpRecord:
    """The MRP table of one item; every series has one value per period."""

    item: str
    low_level_code: int
    lead_time_periods: int
    on_hand_start: float
    safety_stock: float
    gross_requirements: tuple[float, ...]
    scheduled_receipts: tuple[float, ...]
    projected_on_hand: tuple[float, ...]  # at the end of the period
    net_requirements: tuple[float, ...]
    planned_receipts: tuple[float, ...]
    planned_releases: tuple[float, ...]


@dataclass(frozen=True)
class PlannedOrder:
    """One planned order: released at the start of one period, received at another's."""

    item: str
    kind: OrderKind
    release_period: int
    receipt_period: int
    quantity: float
    release_min: float
    receipt_min: float


@dataclass(frozen=True)
class MrpException:
    """An exception message: what is wrong with which item in which period."""

    item: str
    kind: ExceptionKind
    period: int
    quantity: float
    message: str


@dataclass(frozen=True)
class MrpResult:
    """The MRP tables, planned orders and exceptions of one plan."""

    records: Mapping[str, MrpRecord]  # in low-level-code order
    orders: tuple[PlannedOrder, ...]
    exceptions: tuple[MrpException, ...]
    n_periods: int
    period_min: float

    def purchase_orders(self) -> tuple[PlannedOrder, ...]:
        """The planned orders placed with suppliers, by release period."""
        return tuple(order for order in self.orders if order.kind is OrderKind.PURCHASE)

    def shop_orders(self) -> tuple[PlannedOrder, ...]:
        """The planned orders made in the plant, by release period."""
        return tuple(order for order in self.orders if order.kind is OrderKind.SHOP)


def low_level_codes(items: Sequence[str], bom: Sequence[BomLine]) -> dict[str, int]:
    """The deepest BOM level of every item (0 = end item); a cyclic BOM is a ModelError."""
    children: dict[str, list[str]] = {name: [] for name in items}
    for line in bom:
        children[line.parent].append(line.component)
    codes = dict.fromkeys(items, 0)
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == 1:
            cycle = " → ".join([*path[path.index(name) :], name])
            raise ModelError(f"cyclic bill of materials: {cycle}")
        if state.get(name) == 2:
            return
        state[name] = 1
        for child in children[name]:
            visit(child, [*path, name])
        state[name] = 2

    for name in items:
        visit(name, [])
    # Longest path from any root, in topological order (parents before children).
    order: list[str] = []
    seen: set[str] = set()

    def post(name: str) -> None:
        if name in seen:
            return
        seen.add(name)
        for child in children[name]:
            post(child)
        order.append(name)

    for name in items:
        post(name)
    for name in reversed(order):
        for child in children[name]:
            codes[child] = max(codes[child], codes[name] + 1)
    return codes


def plan_mrp(problem: MrpProblem) -> MrpResult:
    """Explode, net, lot-size and offset every item of ``problem``, level by level."""
    items = {item.id: item for item in problem.items}
    codes = low_level_codes(list(items), problem.bom)
    n = problem.n_periods
    gross: dict[str, list[float]] = {name: [0.0] * n for name in items}
    for name, values in problem.demand.items():
        for period, value in enumerate(values[:n]):
            gross[name][period] += float(value)
    records: dict[str, MrpRecord] = {}
    orders: list[PlannedOrder] = []
    exceptions: list[MrpException] = []
    for name in sorted(items, key=lambda key: (codes[key], key)):
        item = items[name]
        record, found = _net_item(item, codes[name], gross[name], n)
        records[name] = record
        exceptions.extend(found)
        exceptions.extend(_receipt_exceptions(item, record))
        for period, quantity in enumerate(record.planned_releases):
            if quantity > _EPS:
                orders.append(_order(item, period, quantity, problem.period_min))
        for line in problem.bom:
            if line.parent == name:
                for period, quantity in enumerate(record.planned_releases):
                    gross[line.component][period] += quantity * line.quantity_per
    orders.sort(key=lambda order: (order.release_period, order.item))
    exceptions.sort(key=lambda found: (found.period, found.item, found.kind.value))
    return MrpResult(records, tuple(orders), tuple(exceptions), n, problem.period_min)


def _order(item: MrpItem, release: int, quantity: float, period_min: float) -> PlannedOrder:
    receipt = release + item.lead_time_periods
    kind = OrderKind.PURCHASE if item.purchased else OrderKind.SHOP
    return PlannedOrder(
        item.id, kind, release, receipt, quantity, release * period_min, receipt * period_min
    )


def _net_item(
    item: MrpItem, code: int, gross: list[float], n: int
) -> tuple[MrpRecord, list[MrpException]]:
    """Net one item period by period; plan receipts no earlier than the lead time allows."""
    scheduled = [0.0] * n
    for period, quantity in item.scheduled_receipts:
        if period < n:
            scheduled[period] += quantity
    projected = [0.0] * n
    net = [0.0] * n
    receipts = [0.0] * n
    releases = [0.0] * n
    found: list[MrpException] = []
    lead = item.lead_time_periods
    previous = item.on_hand
    for period in range(n):
        available = previous + scheduled[period] - gross[period]
        net[period] = max(0.0, item.safety_stock - available)
        if net[period] > _EPS and period >= lead:
            later = [gross[k] - scheduled[k] for k in range(period + 1, n)]
            quantity = item.lot_sizer.lot_size(net[period], later)
            receipts[period] = quantity
            releases[period - lead] = quantity
            available += quantity
        elif net[period] > _EPS:
            carried = max(0.0, item.safety_stock - previous)
            missing = net[period] - carried
            if missing > _EPS:
                found.append(_past_due(item, period, missing))
        if available < -_EPS:
            found.append(
                MrpException(item.id, ExceptionKind.SHORTAGE, period, -available,
                             f"{item.id}: short {-available:g} in period {period}")
            )  # fmt: skip
        projected[period] = available
        previous = available
    record = MrpRecord(
        item.id, code, lead, item.on_hand, item.safety_stock, tuple(gross), tuple(scheduled),
        tuple(projected), tuple(net), tuple(receipts), tuple(releases),
    )  # fmt: skip
    return record, found


def _past_due(item: MrpItem, period: int, quantity: float) -> MrpException:
    due = period - item.lead_time_periods
    arrival = item.lead_time_periods
    return MrpException(
        item.id,
        ExceptionKind.PAST_DUE_RELEASE,
        period,
        quantity,
        f"{item.id}: {quantity:g} needed in period {period} should have been released in "
        f"period {due} (before the plan starts); earliest receipt is period {arrival}",
    )


def _receipt_exceptions(item: MrpItem, record: MrpRecord) -> list[MrpException]:
    """Expedite / de-expedite messages for scheduled receipts that arrive late or early.

    A receipt's *need period* is the first period in which stock would fall below safety
    stock without it (and without the receipts scheduled after it).
    """
    found: list[MrpException] = []
    n = len(record.gross_requirements)
    receipts = sorted((p, q) for p, q in item.scheduled_receipts if p < n and q > _EPS)
    base = item.on_hand
    for period, quantity in receipts:
        need = _need_period(base, record.gross_requirements, item.safety_stock)
        base += quantity
        if need is not None and need < period:
            found.append(
                MrpException(item.id, ExceptionKind.EXPEDITE, period, quantity,
                             f"{item.id}: expedite receipt of {quantity:g} from period "
                             f"{period} to period {need}")
            )  # fmt: skip
        elif need is None or need > period:
            target = "beyond the horizon" if need is None else f"to period {need}"
            found.append(
                MrpException(item.id, ExceptionKind.DE_EXPEDITE, period, quantity,
                             f"{item.id}: de-expedite receipt of {quantity:g} from period "
                             f"{period} {target}")
            )  # fmt: skip
    return found


def _need_period(stock: float, gross: Sequence[float], safety_stock: float) -> int | None:
    for period, requirement in enumerate(gross):
        stock -= requirement
        if stock < safety_stock - _EPS:
            return period
    return None
