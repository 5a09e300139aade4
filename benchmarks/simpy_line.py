"""The reference serial line (REFERENCE.md §1) as an idiomatic SimPy ≥ 4 program.

Ten stations in series, ``simpy.Store`` buffers of 5 parts between them, blocking after
service (a finished part waits on its station until the next buffer has room), infinite raw
material before station 1 and an infinite sink after station 10. Failures in calendar time
are a separate process per station that interrupts the station's processing; the remaining
work resumes after the repair. A station takes its next part as soon as it is empty, even
while down; it works only while up.

Random numbers: station ``k`` draws its processing times from the stream
``process_stream_name("unit", f"op{k}")`` and its up/repair times from
``failure_stream_name(f"s{k}", 0)`` — the same named streams, in the same order, as the
droneworks engine on the same line (:func:`reference_line`), so both must count the same
units.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import simpy

from droneworks.factory.engine.variates import VariateStream, problem_streams
from droneworks.factory.problem import Problem
from droneworks.factory.problem_builder import (
    Dist,
    ProblemBuilder,
    failure_stream_name,
    process_stream_name,
)

STATIONS = 10
BUFFER = 5
MINUTES_PER_YEAR = 525_600.0


def reference_line(horizon_min: float = MINUTES_PER_YEAR, exponential: bool = False) -> Problem:
    """The reference line as a droneworks :class:`Problem` (built directly, no plant file)."""
    builder = ProblemBuilder(horizon_min=horizon_min, period_min=10_080.0)
    for k in range(1, STATIONS + 1):
        builder.add_work_centre(f"s{k}", buffer=0 if k == 1 else BUFFER)
        builder.add_failures(f"s{k}", up=Dist.exponential(480.0), repair=Dist.exponential(20.0))
    builder.add_product("unit")
    for k in range(1, STATIONS + 1):
        mean = 2.0 if k == 6 else 1.5
        time_dist = Dist.exponential(mean) if exponential else Dist.lognormal(mean, 0.25)
        builder.add_operation("unit", f"op{k}", f"s{k}", time_dist)
    return builder.build()


def _values(stream: VariateStream, block: int = 4096) -> Iterator[float]:
    while True:
        yield from stream.take(block).tolist()


class Station:
    """One station: its processing process and its failure state."""

    def __init__(self, env: simpy.Environment, times: Iterator[float]) -> None:
        self.env = env
        self.times = times
        self.broken = False
        self.working = False
        self.repaired = env.event()
        self.process: Any = None

    def run(self, source: simpy.Store | None, sink: simpy.Store | None, done: list[int]) -> Any:
        env = self.env
        while True:
            if source is not None:
                yield source.get()
            remaining = next(self.times)
            while True:
                if self.broken:
                    yield self.repaired
                start = env.now
                self.working = True
                try:
                    yield env.timeout(remaining)
                    self.working = False
                    break
                except simpy.Interrupt:
                    self.working = False
                    remaining -= env.now - start
            if sink is None:
                done[0] += 1
            else:
                yield sink.put(1)

    def fail(self, up_and_repair: Iterator[float]) -> Any:
        env = self.env
        while True:
            yield env.timeout(next(up_and_repair))
            self.broken = True
            if self.working:
                self.process.interrupt()
            yield env.timeout(next(up_and_repair))
            self.broken = False
            self.repaired.succeed()
            self.repaired = env.event()


def simulate_simpy(problem: Problem, seed: int = 0) -> tuple[int, float]:
    """Run the line in SimPy; returns (units completed, wall seconds of the run loop)."""
    streams = dict(zip(problem.stream_names, problem_streams(problem, seed), strict=True))
    env = simpy.Environment()
    done = [0]
    buffers = [simpy.Store(env, capacity=BUFFER) for _ in range(STATIONS - 1)]
    for k in range(1, STATIONS + 1):
        station = Station(env, _values(streams[process_stream_name("unit", f"op{k}")]))
        source = buffers[k - 2] if k > 1 else None
        sink = buffers[k - 1] if k < STATIONS else None
        station.process = env.process(station.run(source, sink, done))
        env.process(station.fail(_values(streams[failure_stream_name(f"s{k}", 0)])))
    started = time.perf_counter()
    env.run(until=problem.horizon_min)
    return done[0], time.perf_counter() - started


if __name__ == "__main__":
    units, wall_s = simulate_simpy(reference_line(), seed=0)
    print({"units_simpy": units, "wall_s_simpy": round(wall_s, 3)})
