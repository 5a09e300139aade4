"""An experiment sweep on the local process pool against a two-worker Dask LocalCluster.

The example experiment (examples/experiments/minsk-100k-risk.toml, five uncertain inputs of
minsk-100k in a Latin hypercube) with ``--points`` points × ``--reps`` replications of
``--years`` years, run first on a :class:`LocalExecutor` and then on a
:class:`DaskExecutor` with the same number of workers, side by side in one run, no runs
database. Both must give identical outputs point by point (the script checks it).

Overhead of an executor = sweep wall time ÷ (its own summed replication time ÷ workers) − 1:
the share of the ideal parallel time lost to transfers, scheduling and idle tails, each
executor measured against the replication times its own workers took (so a machine shared
with other work slows the ideal and the sweep alike). Start-up (workers, kernel warm-up) is
reported apart. The
simulated-cluster estimate replays the measured replication CPU times (what a worker with
a core of its own takes; on a shared machine the wall times also hold the other work) on W
workers (tasks taken in order by the first free worker), scaled by Dask's measured
efficiency, plus the measured fixed start-up, to show how wall time scales with workers.
Prints one JSON object.

    .venv/bin/python benchmarks/bench_experiment.py                  # 64 points × 10 reps, 1 yr
    .venv/bin/python benchmarks/bench_experiment.py --points 8 --reps 2 --years 0.05  # smoke
"""

from __future__ import annotations

import argparse
import datetime
import heapq
import json
import os
import platform
import time
from pathlib import Path
from typing import Any

from droneworks.core.cluster import DaskExecutor
from droneworks.core.executor import Executor, LocalExecutor
from droneworks.factory.plan.experiment import Experiment, load_experiment
from droneworks.factory.plan.experiment_run import ExperimentResult, run_experiment, warm_engine

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "experiments" / "minsk-100k-risk.toml"


def sized(points: int, reps: int, years: float) -> Experiment:
    experiment = load_experiment(EXAMPLE)
    spec = experiment.spec
    spec = spec.model_copy(
        update={
            "experiment": spec.experiment.model_copy(update={"years": years}),
            "design": spec.design.model_copy(update={"points": points}),
            "replications": spec.replications.model_copy(update={"reps": reps}),
        }
    )
    return Experiment(experiment.name, experiment.path, experiment.plant_path,
                      experiment.plant_data, spec)  # fmt: skip


def timed(experiment: Experiment, executor: Executor) -> tuple[ExperimentResult, float, float]:
    """(result, start-up seconds, sweep seconds) on a started, warmed executor."""
    started = time.perf_counter()
    list(executor.map_unordered(abs, range(2 * executor.workers)))  # start the workers
    startup_s = time.perf_counter() - started
    started = time.perf_counter()
    result = run_experiment(experiment, executor=executor)
    return result, startup_s, time.perf_counter() - started


def task_seconds(result: ExperimentResult, clock: str = "wall_s") -> list[float]:
    """Measured wall (or CPU, ``cpu_s``) seconds of every replication, in submission order."""
    return [float(seconds) for point in result.points for seconds in getattr(point, clock)]


def executor_figures(result: ExperimentResult, startup_s: float, sweep_s: float,
                     workers: int) -> dict[str, Any]:  # fmt: skip
    """Sweep, replication wall and CPU sums, the slowest replication and the overhead."""
    wall, cpu = task_seconds(result), task_seconds(result, "cpu_s")
    return {
        "startup_s": round(startup_s, 2),
        "sweep_s": round(sweep_s, 2),
        "replication_s_sum": round(sum(wall), 1),
        "replication_cpu_s_sum": round(sum(cpu), 1),
        "replication_s_max": round(max(wall), 2),
        "replication_cpu_s_median": round(sorted(cpu)[len(cpu) // 2], 4),
        "overhead": round(sweep_s / (sum(wall) / workers) - 1, 3),
    }


def makespan(seconds: list[float], workers: int) -> float:
    """Tasks in order, each to the first free worker (what both executors do)."""
    free = [0.0] * workers
    for duration in seconds:
        heapq.heappush(free, heapq.heappop(free) + duration)
    return max(free)


def run(points: int, reps: int, years: float, workers: int) -> dict[str, Any]:
    experiment = sized(points, reps, years)
    load_at_start = os.getloadavg()
    warm_engine()
    with LocalExecutor(workers, initializer=warm_engine) as pool:
        local, local_start, local_s = timed(experiment, pool)
    with DaskExecutor(workers=workers, initializer=warm_engine) as cluster:
        dask, dask_start, dask_s = timed(experiment, cluster)
        dashboard = cluster.dashboard_link
    identical = all(
        list(a.outputs) == list(b.outputs) for a, b in zip(local.points, dask.points, strict=True)
    )
    seconds = task_seconds(dask, "cpu_s")
    dask_ideal = sum(task_seconds(dask)) / workers
    efficiency = dask_s / max(dask_ideal, 1e-9)  # measured slowdown over the ideal split
    scaling = {
        str(w): round(dask_start + makespan(seconds, w) * efficiency, 1)
        for w in (1, 2, 4, 8, 16, 32, 64)
    }
    return {
        "benchmark": "experiment",
        "experiment": experiment.name,
        "points": points,
        "replications_per_point": reps,
        "years": years,
        "workers": workers,
        "cpu_count": os.cpu_count(),
        "replication_cpu_s_mean": round(sum(seconds) / len(seconds), 3),
        "load_average_at_start": load_at_start,
        "local_pool": executor_figures(local, local_start, local_s, workers),
        "dask_local_cluster": {
            **executor_figures(dask, dask_start, dask_s, workers),
            "dashboard": dashboard,
        },
        "dask_over_local": round(dask_s / local_s, 3),
        "identical_outputs": identical,
        "estimated_wall_s_by_workers": scaling,
        "machine": platform.platform(),
        "load_average_at_end": os.getloadavg(),
        "python": platform.python_version(),
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=64)
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--years", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(json.dumps(run(args.points, args.reps, args.years, args.workers), indent=2))


if __name__ == "__main__":
    main()
