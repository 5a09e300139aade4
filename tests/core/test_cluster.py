"""The Dask executor's local cluster never outlives the process that started it (distributed
ends a worker whose nanny's process is gone; this checks it for SIGKILL of the owner)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

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
