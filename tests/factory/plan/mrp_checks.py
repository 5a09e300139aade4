"""Invariant checkers for MRP results, shared by every MRP test."""

from __future__ import annotations

import math

from droneworks.factory.plan.mrp import MrpProblem, MrpResult, OrderKind

TOLERANCE = 1e-6


def assert_mrp_balances(problem: MrpProblem, result: MrpResult) -> None:
    """Every MRP table balances and every planned order is released inside the plan.

    For every item and period: projected stock = previous stock + scheduled receipts +
    planned receipts − gross requirements; planned releases are planned receipts shifted back
    by the lead time; no order is released before period 0 or before its period starts;
    gross requirements are independent demand plus parents' releases × quantity per; stock
    never falls below safety stock once an order could have arrived.
    """
    items = {item.id: item for item in problem.items}
    assert set(result.records) == set(items)
    n = problem.n_periods
    for name, record in result.records.items():
        item = items[name]
        previous = item.on_hand
        for t in range(n):
            expected = (
                previous
                + record.scheduled_receipts[t]
                + record.planned_receipts[t]
                - record.gross_requirements[t]
            )
            assert math.isclose(record.projected_on_hand[t], expected, abs_tol=TOLERANCE), (
                f"{name} period {t}: {record.projected_on_hand[t]} != {expected}"
            )
            previous = record.projected_on_hand[t]
            lead = item.lead_time_periods
            if record.planned_receipts[t] > TOLERANCE:
                assert t - lead >= 0, f"{name}: receipt in {t} released before period 0"
                assert math.isclose(record.planned_releases[t - lead], record.planned_receipts[t])
            if t >= lead:
                assert record.projected_on_hand[t] >= item.safety_stock - TOLERANCE, (
                    f"{name} period {t}: stock below safety stock after the lead time"
                )
        assert math.isclose(sum(record.planned_releases), sum(record.planned_receipts))
    for name, record in result.records.items():
        for t in range(n):
            demand = problem.demand.get(name, ())
            expected = demand[t] if t < len(demand) else 0.0
            for line in problem.bom:
                if line.component == name:
                    expected += result.records[line.parent].planned_releases[t] * line.quantity_per
            assert math.isclose(record.gross_requirements[t], expected, abs_tol=TOLERANCE)
    for order in result.orders:
        assert order.release_period >= 0
        assert order.release_min >= 0
        assert math.isclose(order.release_min, order.release_period * problem.period_min)
        assert order.receipt_period == order.release_period + items[order.item].lead_time_periods
        assert order.kind is (OrderKind.PURCHASE if items[order.item].purchased else OrderKind.SHOP)
    released = sum(order.quantity for order in result.orders)
    planned = sum(sum(record.planned_releases) for record in result.records.values())
    assert math.isclose(released, planned, abs_tol=TOLERANCE)
