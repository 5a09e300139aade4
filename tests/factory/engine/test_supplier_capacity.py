"""Supplier capacity: orders are made one after another at the supplier's rate, then take
their lead time — checked against the D/D/1 recursion of the delivery times, and as the
long-run limit of a plant starved by its supplier."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from droneworks.factory import Dist, ProblemBuilder, simulate
from droneworks.factory.problem import Problem

RATE, LEAD = 2.0, 60.0  # units per minute, minutes


@dataclass(frozen=True)
class Order:
    release_min: float
    part: str
    quantity: int


def _plant(capacity: float | None, horizon_min: float = 3_000.0, rop: int = -1,
           roq: int = 0, time_min: float = 100.0) -> Problem:  # fmt: skip
    b = ProblemBuilder(horizon_min=horizon_min, period_min=horizon_min / 2)
    if capacity is not None:
        b.add_supplier_capacity("acme", capacity)
    b.add_part(
        "tube",
        initial=0,
        reorder_point=rop,
        reorder_qty=roq,
        lead_time=Dist.constant(LEAD),
        capacity=None if capacity is None else "acme",
    )
    b.add_work_centre("cell")
    b.add_product("frame")
    b.add_operation("frame", "build", "cell", Dist.constant(time_min), consumes={"tube": 1})
    return b.build()


def _deliveries(problem: Problem, orders: list[Order], tmp_path: Path) -> np.ndarray:
    log = tmp_path / "log.parquet"
    simulate(problem, seed=0, purchase_orders=orders, event_log=log)
    table = pq.read_table(log).to_pydict()
    times = [t for t, event in zip(table["time_min"], table["event"], strict=True)
             if event == "delivery"]  # fmt: skip
    return np.sort(times)


def test_orders_queue_at_the_supplier(tmp_path: Path) -> None:
    orders = [Order(at, "tube", qty) for at, qty in [(0.0, 100), (10.0, 60), (400.0, 10)]]
    free, expected = 0.0, []
    for order in orders:  # D/D/1: start when ordered or when the previous one is made
        free = max(float(order.release_min), free) + order.quantity / RATE
        expected.append(free + LEAD)
    assert _deliveries(_plant(RATE), orders, tmp_path).tolist() == pytest.approx(expected)
    alone = _deliveries(_plant(None), orders, tmp_path)
    assert alone.tolist() == pytest.approx([o.release_min + LEAD for o in orders])


def test_a_slow_supplier_caps_the_output() -> None:
    """A 1-minute cell fed by a supplier making 0.25 units a minute: output ≈ 0.25/min."""
    horizon = 20_000.0
    starved = simulate(_plant(0.25, horizon, rop=400, roq=100, time_min=1.0), seed=0)
    roomy = simulate(_plant(None, horizon, rop=400, roq=100, time_min=1.0), seed=0)
    first = 100 / 0.25 + LEAD  # the first order arrives
    assert starved.kpis["units"] == pytest.approx(0.25 * (horizon - first), abs=100)
    assert roomy.kpis["units"] > 0.9 * horizon
    assert starved.kpis["supplier.acme.wait_mean_min"] > 0.0
