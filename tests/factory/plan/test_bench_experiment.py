"""Smoke test of benchmarks/bench_experiment.py's code path on a tiny size."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "benchmarks" / "bench_experiment.py"


def test_benchmark_runs_both_executors_with_identical_outputs() -> None:
    pytest.importorskip("distributed")
    spec = importlib.util.spec_from_file_location("bench_experiment", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.run(points=3, reps=2, years=0.03, workers=2)
    assert result["identical_outputs"] is True
    for executor in ("local_pool", "dask_local_cluster"):
        figures = result[executor]
        assert 0 < figures["replication_cpu_s_sum"] <= figures["replication_s_sum"] * 1.05
        assert figures["sweep_s"] > 0
    estimate = result["estimated_wall_s_by_workers"]
    assert estimate["1"] >= estimate["2"] >= estimate["64"] > 0  # more workers, never slower
    # the estimate replays the measured CPU times: one worker takes their sum, plus start-up
    start = result["dask_local_cluster"]["startup_s"]
    assert estimate["1"] >= start + result["dask_local_cluster"]["replication_cpu_s_sum"] * 0.9
