"""A cold kernel load also compiles the replications' numba helpers, under its notice."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
from droneworks.cli import kernel
from droneworks.factory.engine import cache_guard
import droneworks.factory.engine as engine
from droneworks.factory.plan import bottleneck

cache_guard.kernel_cached = lambda: False   # as on a fresh install
engine.compile_seconds = lambda progress=None: 0.0
assert not bottleneck._paint.signatures
kernel.ready_kernel(show_progress=False)
print(len(bottleneck._paint.signatures))
"""


def test_a_cold_load_readies_the_bottleneck_helpers() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"
    assert "compiling" in done.stderr  # the notice covers it
