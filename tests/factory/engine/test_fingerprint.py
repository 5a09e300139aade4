"""Smoke test of benchmarks/engine_fingerprint.py, the proof that a kernel change changes
no result: its random plants build and run, a run's fingerprint is reproducible, and a
changed value is reported."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[3] / "benchmarks" / "engine_fingerprint.py"


def _module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("engine_fingerprint", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("engine_fingerprint", module)
    spec.loader.exec_module(module)
    return module


def test_random_plants_fingerprint_reproducibly_and_differences_are_listed() -> None:
    fp = _module()
    runs = {}
    for k in range(6):
        problem = fp.random_plant(k)
        runs[k] = fp.fingerprint(problem, 0)
        assert "error" not in runs[k], runs[k]
        assert fp.fingerprint(problem, 0) == runs[k]  # the same seed, the same everything
    assert {"units", "event_log", "output_by_period"} <= set(runs[0])
    changed = {**runs[0], "units": runs[0]["units"] + 1}
    assert fp.compare({"a": runs[0]}, {"a": runs[0]}) == []
    assert fp.compare({"a": runs[0]}, {"a": changed}) == [
        f"a units: {runs[0]['units']} → {runs[0]['units'] + 1}"
    ]
    assert fp.compare({"a": runs[0]}, {"b": runs[0]}) == ["a: only in one", "b: only in one"]
