"""30 replications of a year of minsk-100k: 1 core against 2 cores, side by side, one run.

Both runs go through ``droneworks.factory.plan.replicate`` with bottleneck recording (as
``droneworks factory replicate`` does): first on a :class:`SerialExecutor`, then on a
:class:`LocalExecutor` with ``--workers`` processes. Workers are warmed up first (the
numba kernel is loaded from its on-disk cache once per process), so the figure is the
steady-state speed-up; the warm-up time is reported separately. The two runs must give
identical KPIs replication by replication (same seed, same replication indices) — the
benchmark checks it. Prints one JSON object.

    .venv/bin/python benchmarks/bench_replications.py                      # 30 reps, 1 year
    .venv/bin/python benchmarks/bench_replications.py --reps 2 --years 0.02   # smoke size
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import time
from pathlib import Path
from typing import Any

import numpy as np

from droneworks.core.executor import LocalExecutor, SerialExecutor
from droneworks.core.units import MINUTES_PER_YEAR
from droneworks.factory.engine.simulate import compile_seconds
from droneworks.factory.model import load_plant, with_changes
from droneworks.factory.plan.replications import replicate

PLANT = Path(__file__).resolve().parents[1] / "examples" / "plants" / "minsk-100k.toml"


def run(reps: int, years: float, workers: int) -> dict[str, Any]:
    """Time the serial and the parallel run of the same replications."""
    import droneworks.factory as factory

    plant = load_plant(PLANT)
    if years != 1.0:
        plant = with_changes(
            plant,
            horizon_min=years * MINUTES_PER_YEAR,
            warmup_min=min(plant.warmup_min, 0.1 * years * MINUTES_PER_YEAR),
        )
    problem = factory.compile_plant(plant)
    started = time.perf_counter()
    compile_seconds()  # load the compiled kernel (numba on-disk cache) in this process
    warm_s = time.perf_counter() - started
    started = time.perf_counter()
    serial = replicate(problem, reps, executor=SerialExecutor(), simulate_fn=factory.simulate)
    serial_s = time.perf_counter() - started
    with LocalExecutor(workers, initializer=_warm_up) as executor:
        started = time.perf_counter()
        list(executor.map_unordered(abs, range(workers)))  # start and warm the workers
        pool_start_s = time.perf_counter() - started
        started = time.perf_counter()
        parallel = replicate(problem, reps, executor=executor, simulate_fn=factory.simulate)
        parallel_s = time.perf_counter() - started
    identical = all(
        a.kpis == b.kpis for a, b in zip(serial.outcomes, parallel.outcomes, strict=True)
    )
    units = serial.values("units")
    return {
        "benchmark": "replications",
        "plant": "minsk-100k",
        "replications": reps,
        "years": years,
        "workers": workers,
        "cpu_count": os.cpu_count(),
        "wall_s_1core": round(serial_s, 2),
        "wall_s_parallel": round(parallel_s, 2),
        "speedup": round(serial_s / parallel_s, 2),
        "efficiency": round(serial_s / parallel_s / workers, 2),
        "s_per_replication_1core": round(serial_s / reps, 3),
        "kernel_warmup_s": round(warm_s, 2),
        "pool_start_and_warmup_s": round(pool_start_s, 2),
        "identical_kpis": identical,
        "units_mean": float(np.mean(units)),
        "units_halfwidth_95": serial.intervals["units"].halfwidth,
        "throughput_per_year_mean": serial.intervals["throughput_per_year"].mean,
        "machine": platform.platform(),
        "python": platform.python_version(),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }


def _warm_up() -> None:
    compile_seconds()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--years", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(json.dumps(run(args.reps, args.years, args.workers), indent=2))


if __name__ == "__main__":
    main()
