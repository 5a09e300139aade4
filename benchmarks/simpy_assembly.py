"""The assembly benchmark plant (examples/plants/assembly-benchmark.toml) as an idiomatic,
independent SimPy ≥ 4 program: it imports neither droneworks nor numpy, and draws its own
random numbers (``random.Random``, one stream per source), so it agrees with the droneworks
engine in distribution, not draw for draw.

The plant: two feeder lines (frame-cut → frame-bond, harness-crimp → harness-solder) make
frames and harnesses to a base stock of 12 each (each one taken from stock releases one
more). Final assembly (3 stations) takes a frame, a harness and 4 purchased motors at once
before it starts (motors: reorder point 10,000, order quantity 15,000, lead time uniform
1–2 weeks); raw material is unlimited, so a drone is released whenever an assembly station
is empty. Then a bench test (first-pass yield 0.88; a failed drone goes to the rework bench
and is tested again with yield 0.8, scrapped after 2 reworks) and packing.

The rules are the engine's (docs/factory.md): ``simpy.Store`` buffers with blocking after
service (a finished unit waits on its station until the next buffer has room; units on
stations do not count), a station takes its next unit as soon as it is empty, even while
down or off shift, and works only while up and on shift. Failures in calendar time
interrupt the work; the remaining work resumes after the repair. Two shifts 06:00–22:00,
Monday to Friday (time 0 is a Monday midnight); work pauses at shift end.

    python benchmarks/simpy_assembly.py [--years 1] [--seed 0]

prints one JSON object of KPIs named as the engine names them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import random
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from typing import Any

import simpy

MINUTES_PER_YEAR = 525_600.0
DAY_MIN = 1440.0
SHIFTS_MIN = (360.0, 1320.0)  # two 8-hour shifts back to back, 06:00–22:00
WORKING_WEEKDAYS = 5  # Monday to Friday

# (time distribution, stations, buffer or None for unlimited, (mean up, mean repair) min)
WORK_CENTRES: dict[str, tuple[tuple[Any, ...], int, int | None, tuple[float, float]]] = {
    "frame-cut": (("lognormal", 2.9, 0.3), 1, None, (600.0, 20.0)),
    "frame-bond": (("lognormal", 5.6, 0.3), 2, 4, (900.0, 30.0)),
    "harness-crimp": (("lognormal", 2.8, 0.3), 1, None, (480.0, 15.0)),
    "harness-solder": (("triangular", 2.0, 2.8, 4.0), 1, 4, (720.0, 20.0)),
    "assembly": (("lognormal", 9.0, 0.25), 3, None, (1200.0, 40.0)),
    "test": (("triangular", 2.0, 2.5, 3.2), 1, 6, (960.0, 25.0)),
    "rework": (("exponential", 12.0), 1, None, (1440.0, 30.0)),
    "pack": (("uniform", 2.0, 3.0), 1, 4, (1440.0, 15.0)),
}
FEEDERS = {"frame": ("frame-cut", "frame-bond"), "harness": ("harness-crimp", "harness-solder")}
BASE_STOCK = 12  # target and initial stock of frames and of harnesses
BOM = {"frame": 1, "harness": 1, "motor": 4}
MOTOR = {"initial": 15_000, "reorder_point": 10_000, "quantity": 15_000, "lead_wk": (1.0, 2.0)}
TEST = {"yield": 0.88, "retest_yield": 0.8, "max_reworks": 2}


def sampler(spec: tuple[Any, ...], rng: random.Random) -> Callable[[], float]:
    """A function drawing minutes from a distribution named as in the plant file."""
    kind, *values = spec
    if kind == "lognormal":
        mean, cv = values
        sigma = math.sqrt(math.log(1.0 + cv * cv))
        mu = math.log(mean) - sigma * sigma / 2.0
        return lambda: rng.lognormvariate(mu, sigma)
    if kind == "triangular":
        low, mode, high = values
        return lambda: rng.triangular(low, high, mode)
    if kind == "uniform":
        return lambda: rng.uniform(values[0], values[1])
    if kind == "exponential":
        return lambda: rng.expovariate(1.0 / values[0])
    raise ValueError(f"unknown distribution {kind!r}")


def working_window(now: float) -> tuple[float, float]:
    """The shift containing ``now``, or the next one: (start, end) with end > now."""
    day = int(now // DAY_MIN)
    while True:
        if day % 7 < WORKING_WEEKDAYS and now < day * DAY_MIN + SHIFTS_MIN[1]:
            return day * DAY_MIN + SHIFTS_MIN[0], day * DAY_MIN + SHIFTS_MIN[1]
        day += 1


@dataclass
class Unit:
    """A frame, a harness or a drone moving through the plant."""

    kind: str
    released: float
    step: int = 0
    reworks: int = 0


@dataclass
class Tally:
    """KPIs accumulated while running."""

    units: int = 0
    scrap: int = 0
    reworks: int = 0
    first_pass: int = 0
    lead_sum: float = 0.0
    wip: int = 0
    wip_area: float = 0.0
    wip_since: float = 0.0
    busy_min: dict[str, float] = field(default_factory=dict)
    assemblies: dict[str, int] = field(default_factory=dict)

    def wip_change(self, now: float, delta: int) -> None:
        self.wip_area += self.wip * (now - self.wip_since)
        self.wip, self.wip_since = self.wip + delta, now


class Station:
    """One station: its unit loop, its failure process and its calendar."""

    def __init__(self, plant: Plant, centre: str, times: Callable[[], float]) -> None:
        self.plant, self.env, self.centre, self.times = plant, plant.env, centre, times
        self.broken = False
        self.working = False
        self.repaired = self.env.event()
        self.process: Any = None

    def work(self, minutes: float) -> Generator[Any, Any, None]:
        """Work ``minutes`` while up and on shift; failures and shift ends pause it."""
        env, remaining = self.env, minutes
        while remaining > 1e-9:
            if self.broken:
                yield self.repaired
                continue
            start, end = working_window(env.now)
            if env.now < start:
                yield env.timeout(start - env.now)
                continue
            begun = env.now
            self.working = True
            with contextlib.suppress(simpy.Interrupt):  # a failure: resume after repair
                yield env.timeout(min(remaining, end - begun))
            self.working = False
            remaining -= env.now - begun
            self.plant.tally.busy_min[self.centre] += env.now - begun

    def run(self) -> Generator[Any, Any, None]:
        plant = self.plant
        inbox = plant.stores.get(self.centre)
        while True:
            if inbox is None:  # final assembly: unlimited raw material
                unit = plant.release_drone()
                yield plant.stockroom.take(BOM)
            else:
                unit = yield inbox.get()
            yield from self.work(self.times())
            target = plant.after(unit, self.centre)
            if target is not None:
                yield plant.stores[target].put(unit)

    def breakdowns(self, up: Callable[[], float], repair: Callable[[], float]) -> Iterator[Any]:
        env = self.env
        while True:
            yield env.timeout(up())
            self.broken = True
            if self.working:
                self.process.interrupt()
            yield env.timeout(repair())
            self.broken = False
            self.repaired.succeed()
            self.repaired = env.event()


class Stockroom:
    """Frames, harnesses and motors; an operation takes all its materials at once, FIFO."""

    def __init__(self, plant: Plant, rng: random.Random) -> None:
        self.plant, self.env, self.rng = plant, plant.env, rng
        self.stock = {"frame": BASE_STOCK, "harness": BASE_STOCK, "motor": MOTOR["initial"]}
        self.on_order = 0
        self.waiting: list[tuple[dict[str, int], simpy.Event]] = []
        self.reorder()

    def take(self, needs: dict[str, int]) -> simpy.Event:
        event = self.env.event()
        self.waiting.append((needs, event))
        self.serve()
        return event

    def add(self, item: str, quantity: int) -> None:
        self.stock[item] += quantity
        self.serve()

    def serve(self) -> None:
        for needs, event in list(self.waiting):
            if all(self.stock[item] >= quantity for item, quantity in needs.items()):
                self.waiting.remove((needs, event))
                for item, quantity in needs.items():
                    self.stock[item] -= quantity
                    if item in FEEDERS:  # base stock: make another one
                        for _ in range(quantity):
                            self.plant.release(item)
                self.reorder()
                event.succeed()

    def reorder(self) -> None:
        while self.stock["motor"] + self.on_order <= MOTOR["reorder_point"]:
            self.on_order += MOTOR["quantity"]
            low, high = MOTOR["lead_wk"]
            self.env.process(self.deliver(MOTOR["quantity"], self.rng.uniform(low, high) * 10_080))

    def deliver(self, quantity: int, lead_min: float) -> Iterator[Any]:
        yield self.env.timeout(lead_min)
        self.on_order -= quantity
        self.add("motor", quantity)


class Plant:
    """The whole plant: stores, stations, stockroom and the routing of units."""

    def __init__(self, seed: int) -> None:
        self.env = simpy.Environment()
        self.tally = Tally()

        def rng(name: str) -> random.Random:
            return random.Random(f"{seed}/{name}")

        self.test_outcomes = rng("test")
        self.stores = {
            centre: simpy.Store(self.env, capacity=math.inf if buffer is None else buffer)
            for centre, (_, _, buffer, _) in WORK_CENTRES.items()
            if centre != "assembly"
        }
        self.stockroom = Stockroom(self, rng("motor"))
        for centre, (spec, stations, _, (up_mean, repair_mean)) in WORK_CENTRES.items():
            self.tally.busy_min[centre] = 0.0
            times = sampler(spec, rng(f"{centre}/times"))
            for k in range(stations):
                station = Station(self, centre, times)
                station.process = self.env.process(station.run())
                outages = rng(f"{centre}/{k}/failures")
                self.env.process(
                    station.breakdowns(
                        sampler(("exponential", up_mean), outages),
                        sampler(("exponential", repair_mean), outages),
                    )
                )

    def release(self, kind: str) -> None:
        """One more frame or harness into its feeder line's order pool."""
        self.stores[FEEDERS[kind][0]].put(Unit(kind, self.env.now))

    def release_drone(self) -> Unit:
        self.tally.wip_change(self.env.now, +1)
        return Unit("drone", self.env.now)

    def after(self, unit: Unit, centre: str) -> str | None:
        """Where ``unit`` goes after ``centre`` (None: it left the line)."""
        if unit.kind in FEEDERS:
            line = FEEDERS[unit.kind]
            if centre == line[0]:
                return line[1]
            self.tally.assemblies[unit.kind] = self.tally.assemblies.get(unit.kind, 0) + 1
            self.stockroom.add(unit.kind, 1)
            return None
        if centre in ("assembly", "rework"):
            return "test"
        if centre == "test":
            return self.tested(unit)
        self.leave(unit, done=True)
        return None

    def tested(self, unit: Unit) -> str | None:
        chance = TEST["retest_yield"] if unit.reworks else TEST["yield"]
        if self.test_outcomes.random() < chance:
            return "pack"
        unit.reworks += 1
        if unit.reworks > TEST["max_reworks"]:
            self.leave(unit, done=False)
            return None
        self.tally.reworks += 1
        return "rework"

    def leave(self, unit: Unit, done: bool) -> None:
        tally, now = self.tally, self.env.now
        tally.wip_change(now, -1)
        if not done:
            tally.scrap += 1
            return
        tally.units += 1
        tally.first_pass += unit.reworks == 0
        tally.lead_sum += now - unit.released

    def run(self, horizon_min: float) -> dict[str, float]:
        self.env.run(until=horizon_min)
        tally = self.tally
        tally.wip_change(horizon_min, 0)
        departures = tally.units + tally.scrap
        kpis = {
            "units": float(tally.units),
            "throughput_per_year": tally.units / horizon_min * MINUTES_PER_YEAR,
            "wip_mean": tally.wip_area / horizon_min,
            "lead_time_mean_min": tally.lead_sum / tally.units if tally.units else math.nan,
            "scrap": float(tally.scrap),
            "reworks": float(tally.reworks),
            "yield_first_pass": tally.first_pass / departures if departures else math.nan,
        }
        for kind, count in sorted(tally.assemblies.items()):
            kpis[f"assemblies.{kind}"] = float(count)
        for centre, (_, stations, _, _) in WORK_CENTRES.items():
            kpis[f"wc.{centre}.working"] = tally.busy_min[centre] / (stations * horizon_min)
        return kpis


def simulate_simpy(horizon_min: float = MINUTES_PER_YEAR, seed: int = 0) -> dict[str, float]:
    """Run the plant once; KPIs named as the droneworks engine names them, plus wall_s."""
    started = time.perf_counter()
    kpis = Plant(seed).run(horizon_min)
    kpis["wall_s"] = time.perf_counter() - started
    return kpis


def main(argv: list[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description="The assembly benchmark plant in SimPy.")
    parser.add_argument("--years", type=float, default=1.0, help="simulated years")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    return simulate_simpy(args.years * MINUTES_PER_YEAR, args.seed)


if __name__ == "__main__":
    print(json.dumps({key: round(value, 6) for key, value in main().items()}))
