"""Tracker benchmark (REFERENCE.md §2): droneworks vs Stone Soup, side by side, one run.

For each N both trackers run on the SAME detections with the same settings; GOSPA
(α = 2, p = 2, c = 100 m) of confirmed-track positions vs truth is averaged over scans
10–199 with the same GOSPA code for both, and CPU seconds per scan are measured around the
tracker calls only (``time.process_time``). Ours is the median of ``--repeats`` runs; Stone
Soup runs once. Prints one JSON object.

    .venv/bin/python benchmarks/bench_tracker.py                 # N = 10, 100, 1000
    .venv/bin/python benchmarks/bench_tracker.py --n 10 --scans 30   # smoke size
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from droneworks.watch.metrics import gospa
from droneworks.watch.scenario import (
    ReferenceScenarioParams,
    TrackerScenario,
    reference_tracker_scenario,
)
from droneworks.watch.tracking import MultiTargetTracker, TrackerParams
from stonesoup_peer import run_stonesoup

FIRST_SCORED_SCAN = 10


def run_ours(scenario: TrackerScenario, params: TrackerParams) -> tuple[list[np.ndarray], float]:
    """Confirmed-track positions after each scan and the CPU seconds of the tracker calls."""
    tracker = MultiTargetTracker(params)
    outputs: list[np.ndarray] = []
    cpu_s = 0.0
    for scan in scenario.scans:
        start = time.process_time()
        tracks = tracker.step(scan)
        cpu_s += time.process_time() - start
        outputs.append(tracks.positions_m())
    return outputs, cpu_s


def scan_gospa(scenario: TrackerScenario, outputs: list[np.ndarray]) -> list[float]:
    """Per-scan GOSPA over the scored scans."""
    return [
        gospa(scenario.truth_positions_m(k), outputs[k], c_m=100.0, p=2.0).distance
        for k in range(FIRST_SCORED_SCAN, len(outputs))
    ]


def bench_one(n: int, n_scans: int, seed: int, repeats: int) -> dict[str, object]:
    """Both trackers on one N."""
    scenario_params = ReferenceScenarioParams(n_targets=n, n_scans=n_scans)
    scenario = reference_tracker_scenario(scenario_params, seed=seed)
    params = TrackerParams()
    runs = [run_ours(scenario, params) for _ in range(repeats)]
    ours_out = runs[0][0]
    ours_s = statistics.median(cpu for _, cpu in runs) / n_scans
    theirs_out, theirs_cpu = run_stonesoup(scenario.scans, params, scenario_params.sigma_m)
    theirs_s = theirs_cpu / n_scans
    g_ours, g_theirs = scan_gospa(scenario, ours_out), scan_gospa(scenario, theirs_out)
    return {
        "n": n,
        "scans": n_scans,
        "seed": seed,
        "gospa_ours": float(np.mean(g_ours)),
        "gospa_stonesoup": float(np.mean(g_theirs)),
        "gospa_abs_diff": abs(float(np.mean(g_ours)) - float(np.mean(g_theirs))),
        "max_scan_gospa_diff": float(np.max(np.abs(np.subtract(g_ours, g_theirs)))),
        "same_track_count_every_scan": all(
            len(a) == len(b) for a, b in zip(ours_out, theirs_out, strict=True)
        ),
        "confirmed_tracks_last_scan": len(ours_out[-1]),
        "s_per_scan_ours": ours_s,
        "s_per_scan_stonesoup": theirs_s,
        "ratio": theirs_s / ours_s,
        "repeats_ours": repeats,
        "repeats_stonesoup": 1,
    }


def main(argv: list[str] | None = None) -> dict[str, object]:
    """Run the benchmark and print one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--scans", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    import stonesoup

    results = [bench_one(n, args.scans, args.seed, args.repeats) for n in args.n]
    report = {
        "benchmark": "tracker (REFERENCE.md §2)",
        "date_utc": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()} {os.cpu_count()} CPU, Python {platform.python_version()}",
        "stonesoup_version": stonesoup.__version__,
        "results": results,
    }
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
