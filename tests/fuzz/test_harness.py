"""The fuzz harness's limits: CPU time makes a hang, waiting for a core does not."""

from __future__ import annotations

import time

import pytest

from tests.fuzz.harness import CaseTimeout, limits


def test_a_busy_loop_is_stopped_by_its_cpu_time() -> None:
    started = time.process_time()
    # the clock limit far away: 1 s of CPU took over 10 s on the clock beside a CPU hog
    with pytest.raises(CaseTimeout, match="more than 1 s of CPU time"), limits(1, wall_factor=600):
        while True:
            pass
    # The message says the CPU timer fired, not the clock's. The kernel charges that timer
    # by its own accounting: beside make test's load it fired at 0.87 s of process_time.
    assert time.process_time() - started >= 0.5


def test_waiting_is_not_cpu_time() -> None:
    """A case that sleeps (as one does on a loaded machine, waiting for a core) past its
    CPU limit still finishes."""
    with limits(seconds=1):
        time.sleep(1.5)
