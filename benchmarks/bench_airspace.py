"""How no-fly airspace preparation scales with the zone's detail (issue 11).

A "coastline" zone — a 1.5 km circle with a wobble and metre-scale jitter on every vertex,
500, 2,000 and 10,000 vertices, 20 m margin — is prepared (``Airspace(...)``) and then asked
for 40 legs that cross it (the paths around it). Each size runs in its own child process so
that its peak memory (``ru_maxrss`` minus the interpreter after imports) is its own; a child
that runs past ``--timeout`` seconds is reported as such. Prints one JSON object.

Run it with the code to measure first on ``PYTHONPATH`` to compare two versions:

    .venv/bin/python benchmarks/bench_airspace.py
    PYTHONPATH=/tmp/old/src .venv/bin/python benchmarks/bench_airspace.py --sizes 500 2000
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import time
from typing import Any

import numpy as np
from shapely.geometry import Polygon

RADIUS_M = 1500.0
MARGIN_M = 20.0
LEGS = 40


def coastline(vertices: int, seed: int = 0) -> Polygon:
    """A simple polygon of ``vertices`` corners: a wobbly circle with jittered radii."""
    rng = np.random.default_rng(seed)
    angles = np.linspace(0.0, 2 * math.pi, vertices, endpoint=False)
    wobble = 0.08 * np.sin(5 * angles) + 0.04 * np.sin(13 * angles + 1.0)
    radii = RADIUS_M * (1 + wobble) + rng.uniform(-3.0, 3.0, vertices)
    return Polygon(np.column_stack([radii * np.cos(angles), radii * np.sin(angles)]))


def measure(vertices: int) -> dict[str, Any]:
    """Prepare the airspace of one zone and fly ``LEGS`` legs across it (in this process)."""
    from droneworks.missions.delivery.airspace import Airspace

    zone = coastline(vertices)
    base_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    airspace = Airspace([zone], MARGIN_M)
    built = time.perf_counter()
    far = 3 * RADIUS_M
    lengths = []
    for k in range(LEGS):
        angle = 2 * math.pi * k / LEGS
        a = (far * math.cos(angle), far * math.sin(angle))
        b = (-a[0], -a[1] + 100.0)
        lengths.append(airspace.length_m(a, b))
    done = time.perf_counter()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "vertices": vertices,
        "build_s": round(built - started, 3),
        "legs_s": round(done - built, 3),
        "peak_mb": round((peak_kb - base_kb) / 1024, 1),
        "mean_leg_m": round(float(np.mean(lengths)), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 10000])
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(measure(args.child)))
        return
    results: list[dict[str, Any]] = []
    for size in args.sizes:
        command = [sys.executable, __file__, "--child", str(size)]
        try:
            out = subprocess.run(
                command, capture_output=True, text=True, timeout=args.timeout, check=True
            )
            results.append(json.loads(out.stdout))
        except subprocess.TimeoutExpired:
            results.append({"vertices": size, "timeout_s": args.timeout})
        except subprocess.CalledProcessError as error:
            results.append({"vertices": size, "failed": error.stderr.strip().splitlines()[-1]})
    print(json.dumps({"margin_m": MARGIN_M, "legs": LEGS, "results": results}))


if __name__ == "__main__":
    main()
