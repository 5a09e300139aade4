"""Smoke test of benchmarks/bench_replications.py's code path on a tiny size."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "benchmarks" / "bench_replications.py"


def test_benchmark_code_path_gives_identical_kpis_serial_and_parallel() -> None:
    spec = importlib.util.spec_from_file_location("bench_replications", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.run(reps=2, years=0.02, workers=2)
    assert result["identical_kpis"] is True
    assert result["replications"] == 2 and result["units_mean"] > 0
    assert result["speedup"] > 0
