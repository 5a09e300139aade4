"""Exact fingerprints of engine runs, to show that a change of the kernel changes no result.

Runs every example plant (60 days), the reference lines, and ``--random`` random plants
drawn from every feature the engine has (parallel stations, finite and zero buffers,
batches, setups, worker pools, purchased parts and sub-assemblies, tests with rework,
failures by calendar, busy time and operation count, maintenance, shifts, capacity
changes, warm-up, release by plan, rate or saturation, CONWIP, and the plant features of
issue 15: repair crews, dispatching rules, station speeds, kitting, calendars per work
centre, batches waiting for a full load, moves with transporters, supplier capacity,
several workers per operation), each for two seeds, and
writes one JSON object: per run, every KPI and a hash of every per-period array and of
the event log. Compare two source trees:

    PYTHONPATH=/path/to/old/src python benchmarks/engine_fingerprint.py old.json
    .venv/bin/python benchmarks/engine_fingerprint.py new.json
    python benchmarks/engine_fingerprint.py --compare old.json new.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
ARRAYS = ("output_by_period", "wip_by_period", "wc_state_by_period", "stock_by_period",
          "lead_times_hist")  # fmt: skip


def _dist(rng: np.random.Generator, mean: float) -> Any:
    from droneworks.factory import Dist

    kind = rng.integers(6)
    if kind == 0:
        return Dist.constant(mean)
    if kind == 1:
        return Dist.uniform(0.5 * mean, 1.5 * mean)
    if kind == 2:
        return Dist.triangular(0.5 * mean, mean, 2.0 * mean)
    if kind == 3:
        return Dist.lognormal(mean, 0.3)
    if kind == 4:
        return Dist.normal(mean, 0.2 * mean)
    return Dist.exponential(mean)


def random_plant(seed: int) -> Any:
    """A random plant of every feature of the engine (small, so that it runs fast)."""
    from droneworks.factory import ProblemBuilder
    from droneworks.factory import problem as p

    rng = np.random.default_rng(seed)
    horizon = float(rng.choice([2_000.0, 8_000.0, 20_000.0]))
    b = ProblemBuilder(horizon_min=horizon, warmup_min=float(rng.choice([0.0, horizon / 10])),
                       period_min=horizon / int(rng.integers(1, 6)))  # fmt: skip
    n_wc = int(rng.integers(1, 6))
    crews = [f"c{k}" for k in range(int(rng.integers(0, 2)))]
    for c in crews:
        b.add_crew(c, int(rng.integers(1, 3)), on_shift_only=bool(rng.random() < 0.5))
    own = rng.random() < 0.3
    if own:
        shifts = range(int(horizon // 480) + 8)
        b.add_calendar("own", [[k * 480.0, k * 480.0 + 360.0] for k in shifts])
    for w in range(n_wc):
        _work_centre(rng, b, f"w{w}", crews, "own" if own and rng.random() < 0.5 else None)
        if rng.random() < 0.2:
            b.add_maintenance(f"w{w}", every_min=500.0, duration_min=30.0,
                              basis=int(rng.choice([p.BASIS_CALENDAR, p.BASIS_BUSY])))  # fmt: skip
    pools = {f"q{k}": int(rng.integers(1, 4)) for k in range(int(rng.integers(0, 3)))}
    for q, workers in pools.items():
        b.add_pool(q, workers)
    parts = [f"m{k}" for k in range(int(rng.integers(0, 3)))]
    supplier = "s0" if parts and rng.random() < 0.3 else None
    if supplier:
        b.add_supplier_capacity(supplier, float(rng.uniform(0.05, 1.0)))
    for m in parts:
        b.add_part(m, initial=int(rng.integers(0, 50)), reorder_point=int(rng.integers(-1, 20)),
                   reorder_qty=int(rng.integers(0, 40)), lead_time=_dist(rng, 60.0),
                   late_prob=0.2, late_by=_dist(rng, 30.0), short_prob=0.1, short_fraction=0.5,
                   capacity=supplier if rng.random() < 0.7 else None)  # fmt: skip
    rate = rng.random() < 0.4
    products = [f"p{k}" for k in range(int(rng.integers(1, 3)))]
    for name in products:
        b.add_product(name, interarrival=_dist(rng, 6.0) if rate else None,
                      mix=float(rng.uniform(0.5, 2.0)))  # fmt: skip
        if rng.random() < 0.5:
            b.set_due(name, float(rng.uniform(60.0, 2_000.0)), int(rng.integers(0, 3)))
    movers = ["t0"] if rng.random() < 0.4 else []
    for t in movers:
        b.add_transporter(t, int(rng.integers(1, 3)), int(rng.integers(1, 3)))
    assemblies = [f"a{k}" for k in range(int(rng.integers(0, 2)))]
    for name in assemblies:
        b.add_assembly(name, target_stock=int(rng.choice([-1, 3])), initial_stock=2)
    for job_type in assemblies + products:
        materials = parts + (assemblies if job_type in products else [])
        _route(rng, b, job_type, n_wc, pools, materials, movers)
    if rate:
        b.release_by_rate()
    elif rng.random() < 0.3:
        periods = int(rng.integers(1, 5))
        b.release_by_plan(horizon / periods, rng.integers(0, 200, (periods, len(products))))
    if rng.random() < 0.3:
        b.conwip_cap = int(rng.integers(1, 10))
    if rng.random() < 0.3:
        days = range(int(horizon // 1_440) + 8)
        b.set_calendar([[k * 1_440.0, k * 1_440.0 + 960.0] for k in days])
    if rng.random() < 0.3:
        b.add_change(horizon / 3, p.CHANGE_STATIONS, f"w{int(rng.integers(n_wc))}",
                     int(rng.integers(0, 4)))  # fmt: skip
    if pools and rng.random() < 0.3:
        b.add_change(horizon / 2, p.CHANGE_WORKERS, "q0", int(rng.integers(1, 4)))
    return b.build()


def _work_centre(rng: np.random.Generator, b: Any, name: str, crews: list[str],
                 calendar: str | None) -> None:  # fmt: skip
    from droneworks.factory import problem as p

    buffer = None if rng.random() < 0.3 else int(rng.integers(0, 5))
    stations = int(rng.integers(1, 4))
    speeds = [float(x) for x in rng.uniform(0.5, 2.0, stations)] if rng.random() < 0.3 else []
    rules = [p.DISPATCH_FIFO, p.DISPATCH_FIFO, p.DISPATCH_SPT, p.DISPATCH_EDD, p.DISPATCH_PRIORITY]
    b.add_work_centre(name, stations=stations, buffer=buffer, speeds=speeds,
                      dispatch=int(rng.choice(rules)), kitting=bool(rng.random() < 0.2),
                      calendar=calendar)  # fmt: skip
    if rng.random() < 0.5:
        basis = int(rng.choice([p.BASIS_CALENDAR, p.BASIS_BUSY, p.BASIS_OPERATIONS]))
        crew = str(rng.choice(crews)) if crews and rng.random() < 0.6 else None
        b.add_failures(name, repair=_dist(rng, 10.0), up=_dist(rng, 200.0), basis=basis,
                       ops_between=int(rng.integers(1, 30)), preempts=bool(rng.random() < 0.7),
                       crew=crew)  # fmt: skip


def _route(rng: np.random.Generator, b: Any, job_type: str, n_wc: int, pools: dict[str, int],
           materials: list[str], movers: list[str]) -> None:  # fmt: skip
    for k in range(int(rng.integers(1, 5))):
        test = rng.random() < 0.2
        consumes = {m: int(rng.integers(1, 3)) for m in materials if rng.random() < 0.4}
        batch = int(rng.choice([1, 1, 1, 2, 3]))
        pool = str(rng.choice(list(pools))) if pools and rng.random() < 0.4 else None
        moved = rng.random() < 0.3
        mover = movers[0] if moved and movers and rng.random() < 0.7 else None
        index = b.add_operation(
            job_type, f"o{k}", f"w{int(rng.integers(n_wc))}", _dist(rng, float(rng.uniform(1, 8))),
            setup=_dist(rng, 3.0) if rng.random() < 0.2 else None,
            batch=batch, batch_wait=float(rng.uniform(5, 60)) if rng.random() < 0.5 else 0.0,
            pool=pool, workers=int(rng.integers(1, pools[pool] + 1)) if pool else 1,
            move=_dist(rng, 2.0) if moved else None, transporter=mover,
            consumes=consumes, test_yield=0.8 if test else None,
            retest_yield=0.9 if test and rng.random() < 0.5 else None,
            max_reworks=int(rng.integers(0, 3)),
            learning=(0.9, 0.6, 0) if rng.random() < 0.1 else None,
        )  # fmt: skip
        if test and rng.random() < 0.7:
            b.add_operation(job_type, f"o{k}r", f"w{int(rng.integers(n_wc))}",
                            _dist(rng, 5.0), rework_of=index)  # fmt: skip


def _digest(values: Any) -> str:
    return hashlib.sha256(np.ascontiguousarray(values).tobytes()).hexdigest()[:16]


def fingerprint(problem: Any, seed: int, horizon: float | None = None) -> dict[str, Any]:
    """Every KPI, a hash of every per-period array and of the event log of one run."""
    import pyarrow.parquet as pq

    from droneworks.factory import simulate

    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "log.parquet"
        try:
            result = simulate(problem, seed=seed, horizon_min=horizon, event_log=log,
                              record_active_periods=True)  # fmt: skip
        except Exception as error:  # a kernel limit is a result too: it must not change
            return {"error": f"{type(error).__name__}: {error}"}
        table = pq.read_table(log)
        events = hashlib.sha256(str(table.to_pydict()).encode()).hexdigest()[:16]
    out: dict[str, Any] = {k: (None if v != v else v) for k, v in result.kpis.items()}
    out.update({name: _digest(getattr(result, name)) for name in ARRAYS})
    out["active_periods"] = _digest(np.concatenate(
        [v.ravel() for v in result.active_periods.values()] or [np.zeros(0)]))  # fmt: skip
    out["event_log"] = events
    return out


def collect(n_random: int) -> dict[str, Any]:
    from droneworks.factory.compile import compile_plant
    from droneworks.factory.model import load_plant
    from simpy_line import reference_line

    runs: dict[str, Any] = {}
    for path in sorted((ROOT / "examples" / "plants").glob("*.toml")):
        problem = compile_plant(load_plant(path))
        horizon = max(min(problem.horizon_min, 60 * 1_440.0), problem.warmup_min + 1_440.0)
        for seed in (0, 1):
            runs[f"{path.name}:{seed}"] = fingerprint(problem, seed, horizon)
    for exponential in (False, True):
        runs[f"reference_line:{exponential}"] = fingerprint(
            reference_line(30 * 1_440.0, exponential=exponential), 0)  # fmt: skip
    for k in range(n_random):
        try:
            problem = random_plant(k)
        except ValueError as error:
            runs[f"random:{k}"] = {"build": str(error)}
            continue
        for seed in (0, 1):
            runs[f"random:{k}:{seed}"] = fingerprint(problem, seed)
    return runs


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Every difference, as readable lines."""
    lines = [f"{key}: only in one" for key in sorted(set(old) ^ set(new))]
    for key in sorted(set(old) & set(new)):
        for field in sorted(set(old[key]) | set(new[key])):
            a, b = old[key].get(field, "—"), new[key].get(field, "—")
            if a != b:
                lines.append(f"{key} {field}: {a} → {b}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", nargs="?", help="JSON file to write the fingerprints to")
    parser.add_argument("--random", type=int, default=60, help="how many random plants")
    parser.add_argument("--compare", nargs=2, metavar=("OLD", "NEW"))
    args = parser.parse_args(argv)
    if args.compare:
        old, new = (json.loads(Path(name).read_text()) for name in args.compare)
        lines = compare(old, new)
        print("\n".join(lines[:50]) or f"identical: {len(old)} runs")
        return 1 if lines else 0
    runs = collect(args.random)
    Path(args.out).write_text(json.dumps(runs, indent=0, sort_keys=True))
    errors = sum("error" in run or "build" in run for run in runs.values())
    print(f"{len(runs)} runs ({errors} errors) → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
