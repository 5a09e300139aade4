"""Transport between work centres against closed forms and a SimPy model.

Poisson arrivals → an M/M/1 station → a move → a work centre of ample stations with a
constant time. Departures of an M/M/1 queue are Poisson (Burke), so a move without a
transporter (an infinite-server delay) adds exactly its mean, and a single transporter is
an M/G/1 server (Pollaczek–Khinchine). Trips carrying several units are checked against
an independent SimPy model of the same plant.
"""

from __future__ import annotations

import numpy as np
import pytest
import simpy

from droneworks.factory import Dist, ProblemBuilder, simulate

from .checks import assert_little_law, assert_shares_sum_to_one, interval_99

ARRIVAL, SERVICE, FINAL = 0.5, 1.0, 1.0  # per min, M/M/1 mean, constant last step
REPLICATIONS = 6


def _plant(move: Dist, vehicles: int = 0, capacity: int = 1, arrival: float = ARRIVAL,
           service: float = SERVICE, horizon_min: float = 40_000.0) -> ProblemBuilder:  # fmt: skip
    b = ProblemBuilder(horizon_min=horizon_min, warmup_min=2_000.0, period_min=10_000.0)
    b.add_work_centre("s0")
    b.add_work_centre("s1", stations=50)  # ample: nobody waits there
    if vehicles:
        b.add_transporter("agv", vehicles, capacity)
    b.add_product("job", interarrival=Dist.exponential(1.0 / arrival))
    b.release_by_rate()
    b.add_operation("job", "first", "s0", Dist.exponential(service))
    b.add_operation("job", "last", "s1", Dist.constant(FINAL), move=move,
                    transporter="agv" if vehicles else None)  # fmt: skip
    return b


def _lead_times(b: ProblemBuilder) -> list[float]:
    problem = b.build()
    results = [simulate(problem, seed=3, replication=r) for r in range(REPLICATIONS)]
    for result in results:
        assert_little_law(result)  # jobs on the move are work in process
        assert_shares_sum_to_one(result)
    return [result.kpis["lead_time_mean_min"] for result in results]


def test_a_move_without_transporter_adds_its_mean() -> None:
    low, high = interval_99(_lead_times(_plant(Dist.uniform(1.0, 3.0))))
    expected = 1.0 / (1.0 / SERVICE - ARRIVAL) + 2.0 + FINAL
    assert low <= expected <= high


def test_one_transporter_is_an_mg1_server() -> None:
    low_s, high_s = 0.5, 1.5
    mean = (low_s + high_s) / 2
    second_moment = mean**2 + (high_s - low_s) ** 2 / 12
    rho = ARRIVAL * mean
    wait = ARRIVAL * second_moment / (2 * (1 - rho))  # Pollaczek–Khinchine
    b = _plant(Dist.uniform(low_s, high_s), vehicles=1)
    low, high = interval_99(_lead_times(b))
    assert low <= 1.0 / (1.0 / SERVICE - ARRIVAL) + wait + mean + FINAL <= high
    kpis = simulate(b.build(), seed=4).kpis
    assert kpis["transport.agv.utilisation"] == pytest.approx(rho, abs=0.02)
    assert kpis["transport.agv.wait_mean_min"] == pytest.approx(wait, rel=0.15)
    assert kpis["transport.agv.trips"] == kpis["transport.agv.units"] == kpis["units"]


def test_a_move_starts_only_when_its_destination_has_room() -> None:
    # s1 has no buffer: its one place is reserved while a unit moves there, so a unit
    # leaves s0 only when s1 is empty: one unit every 5 (move) + 2 (s1) minutes
    b = ProblemBuilder(horizon_min=7_000.0, period_min=1_000.0)
    b.add_work_centre("s0", buffer=0)
    b.add_work_centre("s1", buffer=0)
    b.add_product("job")
    b.add_operation("job", "first", "s0", Dist.constant(1.0))
    b.add_operation("job", "last", "s1", Dist.constant(2.0), move=Dist.constant(5.0))
    result = simulate(b.build(), seed=0)
    assert result.units == pytest.approx(7_000 / 7, abs=1)
    assert result.kpis["wc.s0.blocked"] == pytest.approx(6 / 7, abs=0.01)  # works 1 of 7


def test_a_move_to_the_first_operation_delays_every_unit_by_its_time() -> None:
    b = ProblemBuilder(horizon_min=10_000.0, period_min=1_000.0)
    b.add_work_centre("s0")
    b.add_product("job", interarrival=Dist.constant(10.0))
    b.release_by_rate()
    b.add_operation("job", "only", "s0", Dist.constant(1.0), move=Dist.constant(3.0))
    result = simulate(b.build(), seed=0)
    assert result.kpis["floor_time_mean_min"] == pytest.approx(4.0)
    assert result.units == pytest.approx(10_000 / 10, abs=1)


# ---- trips of several units: SimPy ---------------------------------------------------------
def _simpy_lead_time(seed: int, vehicles: int, capacity: int, horizon_min: float,
                     warmup_min: float) -> float:  # fmt: skip
    """The same plant in SimPy: a vehicle takes the first waiting unit and up to
    ``capacity − 1`` more waiting ones, moves them, and comes back at once."""
    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    station = simpy.Resource(env, 1)
    pickup: simpy.Store = simpy.Store(env)
    leads: list[float] = []

    def job(released: float):  # type: ignore[no-untyped-def]
        with station.request() as turn:
            yield turn
            yield env.timeout(rng.exponential(0.7))
        yield pickup.put(released)

    def finish(released: float):  # type: ignore[no-untyped-def]
        yield env.timeout(FINAL)
        if released >= warmup_min:
            leads.append(env.now - released)

    def vehicle():  # type: ignore[no-untyped-def]
        while True:
            load = [(yield pickup.get())]
            while pickup.items and len(load) < capacity:
                load.append(pickup.items.pop(0))
            yield env.timeout(rng.uniform(1.5, 2.5))
            for released in load:
                env.process(finish(released))

    def source():  # type: ignore[no-untyped-def]
        while True:
            yield env.timeout(rng.exponential(1.0))
            env.process(job(env.now))

    env.process(source())
    for _ in range(vehicles):
        env.process(vehicle())
    env.run(until=horizon_min)
    return float(np.mean(leads))


def test_trips_of_several_units_agree_with_simpy() -> None:
    # one vehicle, 3 units a trip, 2 min a trip: too slow for single trips (ρ would be 2)
    horizon, warmup = 40_000.0, 2_000.0
    b = _plant(Dist.uniform(1.5, 2.5), vehicles=1, capacity=3, arrival=1.0, service=0.7,
               horizon_min=horizon)  # fmt: skip
    engine = _lead_times(b)
    peer = [_simpy_lead_time(100 + r, 1, 3, horizon, warmup) for r in range(REPLICATIONS)]
    # floor time of completed units (the engine's lead time also counts the order pool: 0)
    difference = np.mean(engine) - np.mean(peer)
    spread = np.sqrt(np.var(engine, ddof=1) / len(engine) + np.var(peer, ddof=1) / len(peer))
    assert abs(difference) < 4 * spread + 0.01 * np.mean(peer), (engine, peer)
    kpis = simulate(b.build(), seed=5).kpis
    assert 1.0 < kpis["transport.agv.units"] / kpis["transport.agv.trips"] <= 3.0
