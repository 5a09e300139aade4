"""The droneworks engine vs SimPy, side by side in one run, on two plants:

- the reference serial line (REFERENCE.md §1) against ``simpy_line.py``: both draw the same
  per-station streams and must count the same units (the script checks it);
- the non-serial assembly benchmark plant (``examples/plants/assembly-benchmark.toml``:
  feeder lines, BOM, a purchased part with a reorder point, test with rework, failures
  everywhere, two shifts) against its independent SimPy program ``simpy_assembly.py``
  (same plant, own random numbers: agreement in distribution, checked by
  ``tests/factory/engine/test_assembly_benchmark.py``).

One simulated year each, seed 0 by default. Prints one JSON object with medians over the
runs (the engine is run several times, SimPy once or twice: it is slow). The machine is
shared, so CPU seconds are the figure to read; wall seconds are reported too.

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
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from droneworks.factory.compile import compile_plant
from droneworks.factory.engine import compile_seconds, simulate
from droneworks.factory.model import load_plant
from simpy_assembly import simulate_simpy as simulate_assembly_simpy
from simpy_line import MINUTES_PER_YEAR, reference_line
from simpy_line import simulate_simpy as simulate_line_simpy

ASSEMBLY = Path(__file__).resolve().parents[1] / "examples" / "plants" / "assembly-benchmark.toml"


def _timed(function: Callable[[], Any], runs: int) -> tuple[list[Any], float, float]:
    """Values of ``runs`` calls, and the median wall and CPU seconds of a call."""
    values, walls, cpus = [], [], []
    for _ in range(runs):
        cpu, wall = time.process_time(), time.perf_counter()
        values.append(function())
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return values, statistics.median(walls), statistics.median(cpus)


def _compare(engine: tuple[list[Any], float, float], peer: tuple[list[Any], float, float],
             prefix: str) -> dict[str, Any]:  # fmt: skip
    return {
        f"{prefix}_cpu_s_engine": round(engine[2], 4),
        f"{prefix}_cpu_s_simpy": round(peer[2], 3),
        f"{prefix}_ratio_cpu": round(peer[2] / engine[2], 1),
        f"{prefix}_wall_s_engine": round(engine[1], 4),
        f"{prefix}_wall_s_simpy": round(peer[1], 3),
        f"{prefix}_ratio_wall": round(peer[1] / engine[1], 1),
    }


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--years", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--simpy-runs", type=int, default=1)
    args = parser.parse_args(argv)
    horizon = args.years * MINUTES_PER_YEAR
    compile_s = compile_seconds()
    line = reference_line(horizon)
    line_engine = _timed(lambda: simulate(line, seed=args.seed), args.runs)
    line_simpy = _timed(lambda: simulate_line_simpy(line, seed=args.seed), args.simpy_runs)
    plant = compile_plant(load_plant(ASSEMBLY), horizon_min=horizon)
    plant_engine = _timed(lambda: simulate(plant, seed=args.seed), args.runs)
    plant_simpy = _timed(lambda: simulate_assembly_simpy(horizon, args.seed), args.simpy_runs)
    units_engine = {int(result.kpis["units"]) for result in line_engine[0]}
    units_simpy = {units for units, _ in line_simpy[0]}
    result: dict[str, object] = {
        "line_units_engine": sorted(units_engine),
        "line_units_simpy": sorted(units_simpy),
        **_compare(line_engine, line_simpy, "line"),
        "assembly_units_engine": statistics.median(r.kpis["units"] for r in plant_engine[0]),
        "assembly_units_simpy": statistics.median(r["units"] for r in plant_simpy[0]),
        **_compare(plant_engine, plant_simpy, "assembly"),
        "compile_s": round(compile_s, 3),
        "years": args.years,
        "seed": args.seed,
        "runs_engine": args.runs,
        "runs_simpy": args.simpy_runs,
        "machine": f"{platform.machine()} {platform.system()} Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    result["identical_units"] = units_engine == units_simpy and len(units_engine) == 1
    return result


if __name__ == "__main__":
    outcome = main()
    print(json.dumps(outcome))
    sys.exit(0 if outcome["identical_units"] else 1)
