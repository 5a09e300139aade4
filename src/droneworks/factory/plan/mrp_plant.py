"""MRP for a plant file: the plan, the BOM and the ``policy = "mrp"`` parts as an MRP problem.

:func:`plan_plant_mrp` turns a validated :class:`~droneworks.factory.model.plant.Plant` into
an :class:`~droneworks.factory.plan.mrp.MrpProblem` and plans it:

- periods are the demand's plan period (``demand.plan_period``, else ``plant.period``);
  independent demand is the production plan (extended after its end by ``after_plan``), or
  rate × period for ``release = "rate"``;
- products and sub-assemblies are made items with a lead time of 0 periods (their
  routings take hours, a period is a week or more), sub-assemblies netted against their
  initial stock; purchased parts with ``policy = "mrp"`` are purchased items. Parts with
  another policy are replenished by the engine and left out of the plan;
- the *planned lead time* of a part is a quantile (``service_level``, default 0.9) of its
  delivery time: the supplier's lead-time distribution plus ``late_by`` with probability
  ``late_probability``, estimated from 20,000 seeded draws and rounded up to whole periods.
  An order released that many periods before the need arrives in time with at least that
  probability; short deliveries are left to safety stock;
- lot sizing comes from the part's ``lot_sizing`` and its parameters; EOQ, Silver–Meal and
  Wagner–Whitin use ``order_cost`` and ``holding_rate_per_year × unit_cost`` per period, EOQ
  with the part's average gross requirement per period; ``minimum_order`` and
  ``order_multiple`` apply to every rule.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from droneworks.core.errors import ConfigError
from droneworks.core.report import Table
from droneworks.core.streams import RandomStreams
from droneworks.core.units import MINUTES_PER_YEAR
from droneworks.factory.plan.lotsizing import (
    ConstrainedSizer,
    EoqSizer,
    FixedQuantitySizer,
    LotForLotSizer,
    LotSizer,
    PeriodOrderQuantitySizer,
    SilverMealSizer,
    WagnerWhitinSizer,
    economic_order_quantity,
)
from droneworks.factory.plan.mrp import BomLine, MrpItem, MrpProblem, MrpResult, plan_mrp

if TYPE_CHECKING:
    from droneworks.factory.model.material import Part
    from droneworks.factory.model.plant import Plant

__all__ = [
    "PlantMrp",
    "PurchaseOrder",
    "mrp_parts",
    "mrp_summary",
    "mrp_tables",
    "plan_plant_mrp",
    "planned_lead_time_min",
    "plant_demand",
]

_DRAWS = 20_000


@dataclass(frozen=True)
class PurchaseOrder:
    """A planned purchase order as the engine takes it (``simulate(purchase_orders=...)``)."""

    release_min: float
    part: str
    quantity: int


@dataclass(frozen=True)
class PlantMrp:
    """A plant's MRP: the problem, its result and the planned lead time of each part."""

    problem: MrpProblem
    result: MrpResult
    planned_lead_time_min: dict[str, float]
    service_level: float

    def purchase_orders(self) -> tuple[PurchaseOrder, ...]:
        """The planned purchase orders for the engine, in release order."""
        return tuple(
            PurchaseOrder(order.release_min, order.item, round(order.quantity))
            for order in self.result.purchase_orders()
        )


def mrp_parts(plant: Plant) -> tuple[str, ...]:
    """Ids of the parts replenished by MRP (``policy = "mrp"``)."""
    return tuple(key for key, part in plant.parts.items() if part.policy.value == "mrp")


def plan_period_min(plant: Plant) -> float:
    """The MRP period: the plan's period, else the plant's KPI period."""
    return plant.demand.plan_period_min or plant.period_min


def plant_demand(plant: Plant, n_periods: int) -> dict[str, tuple[float, ...]]:
    """Units of each product to release per MRP period over ``n_periods`` periods."""
    demand = plant.demand
    period = plan_period_min(plant)
    if demand.release.value == "plan":
        out: dict[str, tuple[float, ...]] = {}
        for product, plan in demand.plan.items():
            values = [float(value) for value in plan[:n_periods]]
            tail = float(plan[-1]) if demand.after_plan.value == "repeat_last" else 0.0
            values += [tail] * (n_periods - len(values))
            out[product] = tuple(values)
        return out
    if demand.release.value == "rate":
        return {
            product: (rate * period,) * n_periods for product, rate in demand.rate_per_min.items()
        }
    raise ConfigError('MRP needs demand with release = "plan" or "rate", not "unlimited"')


def planned_lead_time_min(plant: Plant, part: str, service_level: float = 0.9) -> float:
    """The ``service_level`` quantile of the part's delivery time (lead time + lateness)."""
    if not 0.0 < service_level < 1.0:
        raise ValueError(f"service_level must be in (0, 1), not {service_level!r}")
    terms = plant.supply_terms(part)
    if terms is None:
        raise ConfigError(f"parts.{part}: MRP needs a lead time (on the part or its supplier)")
    rng = RandomStreams(plant.seed).generator(f"mrp/lead-time/{part}")
    delivery = terms.lead_time.sample(rng, _DRAWS)
    late = rng.random(_DRAWS) < terms.late_probability
    delivery = delivery + np.where(late, terms.late_by.sample(rng, _DRAWS), 0.0)
    return float(np.quantile(delivery, service_level))


def _sizer(part: Part, period_min: float, demand_per_period: float) -> LotSizer:
    rule = part.lot_sizing.value
    holding = part.holding_rate_per_year * part.unit_cost * period_min / MINUTES_PER_YEAR
    sizer: LotSizer
    if rule == "fixed":
        assert part.lot_size is not None
        sizer = FixedQuantitySizer(part.lot_size)
    elif rule == "poq":
        assert part.periods is not None
        sizer = PeriodOrderQuantitySizer(part.periods)
    elif rule in {"eoq", "silver_meal", "wagner_whitin"} and holding <= 0:
        raise ConfigError(f'lot_sizing "{rule}" needs unit_cost > 0 and holding_rate_per_year > 0')
    elif rule == "eoq":
        eoq = economic_order_quantity(demand_per_period, part.order_cost, holding)
        sizer = EoqSizer(max(eoq, 1.0))
    elif rule == "silver_meal":
        sizer = SilverMealSizer(part.order_cost, holding)
    elif rule == "wagner_whitin":
        sizer = WagnerWhitinSizer(part.order_cost, holding)
    else:
        sizer = LotForLotSizer()
    # Whole units always (the engine orders integers); then minimum and multiple.
    return ConstrainedSizer(sizer, float(part.minimum_order), float(part.order_multiple))


def _bom(plant: Plant, planned: set[str]) -> tuple[BomLine, ...]:
    lines = []
    for parent, item in plant.items.items():
        for child, quantity in item.components().items():
            if child in planned:
                lines.append(BomLine(parent, child, float(quantity)))
    return tuple(lines)


def _problem(
    plant: Plant, n_periods: int, lead_min: dict[str, float], averages: dict[str, float]
) -> MrpProblem:
    period = plan_period_min(plant)
    items = [MrpItem(key, 0, purchased=False) for key in plant.products]
    items += [
        MrpItem(key, 0, on_hand=float(spec.initial_stock), purchased=False)
        for key, spec in plant.assemblies.items()
    ]
    for key, minutes in lead_min.items():
        part = plant.parts[key]
        items.append(
            MrpItem(
                key,
                math.ceil(minutes / period - 1e-9),
                on_hand=float(part.initial_stock),
                safety_stock=float(part.safety_stock),
                lot_sizer=_sizer(part, period, averages.get(key, 0.0)),
            )
        )
    planned = {item.id for item in items}
    return MrpProblem(
        tuple(items), _bom(plant, planned), plant_demand(plant, n_periods), n_periods, period
    )


def plan_plant_mrp(
    plant: Plant,
    horizon_min: float | None = None,
    service_level: float = 0.9,
    parts: Sequence[str] | None = None,
) -> PlantMrp:
    """Plan the plant's MRP parts over ``horizon_min`` (default: the plant's horizon)."""
    horizon = plant.horizon_min if horizon_min is None else horizon_min
    if not horizon > 0:
        raise ValueError(f"horizon_min must be > 0, not {horizon!r}")
    period = plan_period_min(plant)
    n_periods = max(1, math.ceil(horizon / period - 1e-9))
    chosen = mrp_parts(plant) if parts is None else tuple(parts)
    lead_min = {key: planned_lead_time_min(plant, key, service_level) for key in chosen}
    # First pass lot-for-lot: each part's average gross requirement (for EOQ).
    first = plan_mrp(_problem(plant, n_periods, lead_min, {}))
    averages = {key: float(np.mean(first.records[key].gross_requirements)) for key in chosen}
    problem = _problem(plant, n_periods, lead_min, averages)
    return PlantMrp(problem, plan_mrp(problem), lead_min, service_level)


def _date(start: dt.date, minutes: float) -> str:
    return (start + dt.timedelta(minutes=minutes)).isoformat()


def mrp_tables(plant: Plant, planned: PlantMrp) -> dict[str, Table]:
    """The MRP result as report tables: ``orders``, ``exceptions`` and the full ``table``."""
    start = plant.plant.start_date
    result = planned.result
    orders = Table(
        ["item", "kind", "release period", "release date", "receipt period", "receipt date",
         "quantity"],
        [[o.item, o.kind.value, o.release_period, _date(start, o.release_min),
          o.receipt_period, _date(start, o.receipt_min), o.quantity] for o in result.orders],
        caption="Planned orders (purchase orders go to suppliers, shop orders to the plant)",
    )  # fmt: skip
    exceptions = Table(
        ["item", "kind", "period", "quantity", "message"],
        [[e.item, e.kind.value, e.period, e.quantity, e.message] for e in result.exceptions],
        caption="MRP exception messages",
    )
    rows = []
    for name, record in result.records.items():
        for period in range(result.n_periods):
            rows.append(
                [name, period, _date(start, period * result.period_min),
                 record.gross_requirements[period], record.scheduled_receipts[period],
                 record.projected_on_hand[period], record.net_requirements[period],
                 record.planned_receipts[period], record.planned_releases[period]]
            )  # fmt: skip
    table = Table(
        ["item", "period", "period start", "gross requirements", "scheduled receipts",
         "projected on hand", "net requirements", "planned receipts", "planned releases"],
        rows,
        caption="MRP table per item and period",
    )  # fmt: skip
    return {"orders": orders, "exceptions": exceptions, "table": table}


def mrp_summary(plant: Plant, planned: PlantMrp) -> dict[str, Any]:
    """The MRP result as plain data (for ``--json``)."""
    start = plant.plant.start_date
    result = planned.result
    return {
        "plant": plant.name,
        "start_date": start.isoformat(),
        "period_min": result.period_min,
        "n_periods": result.n_periods,
        "service_level": planned.service_level,
        "planned_lead_time_min": planned.planned_lead_time_min,
        "orders": [
            {
                **asdict(order),
                "kind": order.kind.value,
                "release_date": _date(start, order.release_min),
                "receipt_date": _date(start, order.receipt_min),
            }
            for order in result.orders
        ],
        "exceptions": [{**asdict(e), "kind": e.kind.value} for e in result.exceptions],
        "records": {
            name: {key: value for key, value in asdict(record).items() if key != "item"}
            for name, record in result.records.items()
        },
    }
