"""Reference serial line (REFERENCE.md §1): droneworks engine vs the project's SimPy program.

Both draw the same per-station streams (processing times; up then repair times) and must
count the same units; the script checks it. One simulated year, seed 0 by default. Prints
one JSON object with medians over the runs (the engine is run several times, SimPy once or
twice: it is slow; the machine is shared, so CPU seconds are reported too).

    .venv/bin/python benchmarks/bench_engine.py [--years 1] [--runs 5] [--simpy-runs 1]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))

from droneworks.factory.engine import compile_seconds, simulate
from simpy_line import MINUTES_PER_YEAR, reference_line, simulate_simpy


def _timed(function: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[T, float, float]:
    cpu = time.process_time()
    wall = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - wall, time.process_time() - cpu


T = TypeVar("T")


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--years", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--simpy-runs", type=int, default=1)
    parser.add_argument("--exponential", action="store_true", help="exponential times")
    args = parser.parse_args(argv)
    problem = reference_line(args.years * MINUTES_PER_YEAR, exponential=args.exponential)
    compile_s = compile_seconds()
    engine = [_timed(simulate, problem, seed=args.seed) for _ in range(args.runs)]
    simpy_runs = [_timed(simulate_simpy, problem, seed=args.seed) for _ in range(args.simpy_runs)]
    units_engine = {int(result.kpis["units"]) for result, _, _ in engine}
    units_simpy = {units for (units, _), _, _ in simpy_runs}
    wall_engine = statistics.median(wall for _, wall, _ in engine)
    cpu_engine = statistics.median(cpu for _, _, cpu in engine)
    wall_simpy = statistics.median(wall for _, wall, _ in simpy_runs)
    cpu_simpy = statistics.median(cpu for _, _, cpu in simpy_runs)
    result = {
        "units_engine": units_engine.pop() if len(units_engine) == 1 else sorted(units_engine),
        "units_simpy": units_simpy.pop() if len(units_simpy) == 1 else sorted(units_simpy),
        "wall_s_engine": round(wall_engine, 4),
        "wall_s_simpy": round(wall_simpy, 3),
        "ratio": round(wall_simpy / wall_engine, 1),
        "cpu_s_engine": round(cpu_engine, 4),
        "cpu_s_simpy": round(cpu_simpy, 3),
        "ratio_cpu": round(cpu_simpy / cpu_engine, 1),
        "compile_s": round(compile_s, 3),
        "years": args.years,
        "seed": args.seed,
        "exponential": args.exponential,
        "runs_engine": args.runs,
        "runs_simpy": args.simpy_runs,
        "machine": f"{platform.machine()} {platform.system()} Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    result["identical_units"] = result["units_engine"] == result["units_simpy"]
    return result


if __name__ == "__main__":
    outcome = main()
    print(json.dumps(outcome))
    sys.exit(0 if outcome["identical_units"] else 1)
