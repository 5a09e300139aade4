"""Start-up and end to end, as a user meets them (issue 12): every figure is a fresh process.

1. Start-up per command: ``droneworks --version``, ``--help``, ``catalogue list`` and
   ``factory validate`` of the assembly benchmark plant (wall and CPU, median of runs).
2. Cold compile: loading the simulation kernel with an empty cache folder
   (``DRONEWORKS_CACHE_DIR`` pointed at a new temporary folder), against loading it from
   the warm cache.
3. End to end on a warm cache: ``droneworks factory simulate`` of one year of
   ``examples/plants/assembly-benchmark.toml`` against its SimPy program
   ``benchmarks/simpy_assembly.py`` run as a script, side by side (alternating, so both
   see the same machine load), median of runs. Goal: droneworks ≥ 3× faster.

    .venv/bin/python benchmarks/bench_startup.py [--runs 5] [--e2e-runs 3] [--skip-cold]

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PLANT = REPO / "examples" / "plants" / "assembly-benchmark.toml"
SIMPY = REPO / "benchmarks" / "simpy_assembly.py"
DRONEWORKS = str(Path(sys.executable).with_name("droneworks"))
STARTUP = {
    "--version": [DRONEWORKS, "--version"],
    "--help": [DRONEWORKS, "--help"],
    "catalogue list": [DRONEWORKS, "catalogue", "list"],
    "factory validate": [DRONEWORKS, "factory", "validate", str(PLANT)],
}
KERNEL = [sys.executable, "-m", "droneworks.cli.kernel"]


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run ``command`` to the end: (wall s, CPU s of the child, its stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        command, capture_output=True, text=True, check=True, env=env, timeout=3600
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def medians(samples: list[tuple[float, float, str]]) -> dict[str, float]:
    return {
        "wall_s": round(statistics.median(s[0] for s in samples), 3),
        "cpu_s": round(statistics.median(s[1] for s in samples), 3),
        "runs": len(samples),
    }


def startup(runs: int) -> dict[str, dict[str, float]]:
    timed(STARTUP["--help"])  # warm the file system cache once
    return {
        name: medians([timed(command) for _ in range(runs)]) for name, command in STARTUP.items()
    }


def cold_compile() -> dict[str, float]:
    """Kernel load with an empty cache folder, then from the cache it filled."""
    with tempfile.TemporaryDirectory() as folder:
        env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
        env["DRONEWORKS_CACHE_DIR"] = folder
        cold = timed(KERNEL, env)
        warm = timed(KERNEL, env)
    return {
        "cold_wall_s": round(cold[0], 2),
        "cold_cpu_s": round(cold[1], 2),
        "warm_wall_s": round(warm[0], 3),
        "warm_cpu_s": round(warm[1], 3),
    }


def end_to_end(runs: int) -> dict[str, Any]:
    """One simulated year: the droneworks CLI against the SimPy script, alternating."""
    simulate = [DRONEWORKS, "factory", "simulate", str(PLANT), "--json"]
    simpy_script = [sys.executable, str(SIMPY)]
    timed(KERNEL)  # the warm cache this figure is about
    engine: list[tuple[float, float, str]] = []
    simpy: list[tuple[float, float, str]] = []
    for run in range(runs):
        pair = [(engine, simulate), (simpy, simpy_script)]
        for samples, command in pair if run % 2 == 0 else pair[::-1]:
            samples.append(timed(command))
    engine_kpis = json.loads(engine[-1][2])
    simpy_kpis = json.loads(simpy[-1][2])
    result: dict[str, Any] = {
        "droneworks": {
            **medians(engine),
            "units": engine_kpis["units"],
            "simulate_wall_s": round(engine_kpis["wall_s"], 3),
        },
        "simpy_script": {
            **medians(simpy),
            "units": simpy_kpis["units"],
            "simulate_wall_s": round(simpy_kpis["wall_s"], 3),
        },
    }
    result["ratio_wall"] = round(
        result["simpy_script"]["wall_s"] / result["droneworks"]["wall_s"], 2
    )
    result["ratio_cpu"] = round(result["simpy_script"]["cpu_s"] / result["droneworks"]["cpu_s"], 2)
    result["goal_3x_met"] = result["ratio_wall"] >= 3.0
    return result


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="runs per start-up figure")
    parser.add_argument("--e2e-runs", type=int, default=3, help="runs of each end-to-end side")
    parser.add_argument("--skip-cold", action="store_true", help="skip the cold compile")
    args = parser.parse_args(argv)
    result: dict[str, Any] = {"startup": startup(args.runs)}
    if not args.skip_cold:
        result["kernel"] = cold_compile()
    result["end_to_end_one_year"] = end_to_end(args.e2e_runs)
    result["machine"] = (
        f"{platform.machine()} {platform.system()} Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    result["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return result


if __name__ == "__main__":
    print(json.dumps(main()))
