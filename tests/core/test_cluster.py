"""The Dask executor's local cluster never outlives the process that started it (distributed
ends a worker whose nanny's process is gone; this checks it for SIGKILL of the owner)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable

import pytest

from droneworks.core.executor import pid_alive

pytest.importorskip("distributed")

OWNER = """
import json, os, sys, time
from droneworks.core.cluster import DaskExecutor

executor = DaskExecutor(workers=2)
assert sorted(executor.map_unordered(abs, [-1, -2])) == [(0, 1), (1, 2)]
client = executor._client
pids = list(client.run(os.getpid).values())
print(json.dumps(pids), flush=True)
time.sleep(600)
"""


def test_a_killed_owner_takes_its_local_cluster_with_it() -> None:
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        assert owner.stdout is not None
        line = owner.stdout.readline()
        pids = json.loads(line)
        assert len(pids) == 2 and owner.pid not in pids  # two worker processes
        assert all(pid_alive(pid) for pid in pids)
        owner.send_signal(signal.SIGKILL)
        owner.wait(timeout=10)
        deadline = time.monotonic() + 30
        while any(pid_alive(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(pid_alive(pid) for pid in pids), (
            f"cluster processes outlived the owner: {pids}"
        )
    finally:
        if owner.poll() is None:
            owner.kill()


def quick_or_blocked(value: int) -> int:
    """1 returns at once; anything else blocks far longer than any test waits."""
    if value != 1:
        time.sleep(120)
    return value


def fail_on_three(value: int) -> int:
    if value == 3:
        raise ArithmeticError("three")
    return value


def test_every_result_arrives_once_in_batches_and_errors_propagate() -> None:
    from droneworks.core.cluster import DaskExecutor

    with DaskExecutor(workers=2, batch_s=0.5) as executor:
        results = dict(executor.map_unordered(abs, range(-200, 0)))
        assert results == {index: 200 - index for index in range(200)}
        assert executor.workers == 2 and executor.dashboard_link
        with pytest.raises(ArithmeticError, match="three"):
            list(executor.map_unordered(fail_on_three, range(6)))
        assert sorted(executor.map_unordered(abs, [-1, -2])) == [(0, 1), (1, 2)]  # still usable


def test_batches_hold_about_batch_s_of_work_but_leave_work_for_every_worker() -> None:
    from droneworks.core.cluster import DaskExecutor

    executor = DaskExecutor(workers=2, batch_s=2.0)  # not connected: 2 requested workers
    assert executor._batch_size(0.1, 1000) == 20  # 2 s of 0.1 s tasks
    assert executor._batch_size(5.0, 1000) == 1  # a task longer than a batch goes alone
    assert executor._batch_size(0.001, 40) == 10  # 40 left: a quarter each of 2 × 2 slots
    assert executor._batch_size(0.0, 10**6) == 250_000  # instant tasks: fair share caps it
    with pytest.raises(ValueError, match="batch_s"):
        DaskExecutor(batch_s=0)
    with pytest.raises(ValueError, match="workers"):
        DaskExecutor(workers=0)


def _interrupt_here() -> None:
    raise KeyboardInterrupt


def _interrupt_from_a_thread() -> None:
    threading.Thread(target=os.kill, args=(os.getpid(), signal.SIGINT)).start()


@pytest.mark.parametrize("interrupt", [_interrupt_here, _interrupt_from_a_thread])
def test_ctrl_c_keeps_finished_results_and_abandons_running_tasks(
    interrupt: Callable[[], None],
) -> None:
    """Ctrl-C while the caller handles a result, or while the executor waits for the
    blocked tasks: finished results were yielded, the blocked tasks are cancelled, not
    waited for (as with the local process pool)."""
    from droneworks.core.cluster import DaskExecutor

    received: list[int] = []
    started = time.perf_counter()
    with DaskExecutor(workers=2) as executor, pytest.raises(KeyboardInterrupt):
        for _index, value in executor.map_unordered(quick_or_blocked, [1, 1, 1, 9, 9, 9]):
            received.append(value)
            if len(received) == 3:
                interrupt()
    assert received == [1, 1, 1]
    assert time.perf_counter() - started < 60
