"""A full year of examples/plants/minsk-100k.toml on the general kernel (bar: < 2 s after
warm-up on one core), plus compile time and a check that memory does not grow with the
horizon (peak traced Python memory for 1 and 3 simulated years).

    .venv/bin/python benchmarks/bench_plant.py [--plant PATH] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

from droneworks.core.units import MINUTES_PER_YEAR
from droneworks.factory import compile_plant, compile_seconds, load_plant, simulate

ROOT = Path(__file__).resolve().parents[1]


def _peak_mb(problem: object, years: float) -> float:
    tracemalloc.start()
    simulate(problem, seed=0, horizon_min=years * MINUTES_PER_YEAR)  # type: ignore[arg-type]
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plant", type=Path, default=ROOT / "examples/plants/minsk-100k.toml")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--years", type=float, default=1.0)
    parser.add_argument("--memory", action=argparse.BooleanOptionalAction, default=True)
    args = parser.parse_args(argv)
    kernel_s = compile_seconds()
    started = time.perf_counter()
    plant = load_plant(args.plant)
    problem = compile_plant(plant, horizon_min=max(args.years, 3.0) * MINUTES_PER_YEAR)
    compile_plant_s = time.perf_counter() - started
    horizon = args.years * MINUTES_PER_YEAR
    walls, cpus, units = [], [], set()
    for run in range(args.runs):
        cpu = time.process_time()
        result = simulate(problem, seed=run, horizon_min=horizon)
        cpus.append(time.process_time() - cpu)
        walls.append(result.wall_s)
        units.add(int(result.kpis["units"]))
    outcome: dict[str, object] = {
        "plant": plant.name,
        "years": args.years,
        "units_by_seed": sorted(units),
        "wall_s_median": round(statistics.median(walls), 3),
        "cpu_s_median": round(statistics.median(cpus), 3),
        "wall_s_runs": [round(w, 3) for w in walls],
        "bar_s": 2.0,
        "meets_bar": statistics.median(walls) < 2.0,
        "kernel_compile_or_cache_load_s": round(kernel_s, 3),
        "compile_plant_s": round(compile_plant_s, 3),
        "machine": f"{platform.machine()} {platform.system()} Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    if args.memory:
        one, three = _peak_mb(problem, 1.0), _peak_mb(problem, 3.0)
        outcome["peak_traced_mb_1_year"] = round(one, 2)
        outcome["peak_traced_mb_3_years"] = round(three, 2)
    return outcome


if __name__ == "__main__":
    print(json.dumps(main()))
    sys.exit(0)
