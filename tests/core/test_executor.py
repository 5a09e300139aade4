"""Executors: every task's result arrives once, with its index; Ctrl-C keeps finished results."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from droneworks.core.executor import Executor, LocalExecutor, SerialExecutor, default_workers


def square(value: int) -> int:
    return value * value


def fail_on_three(value: int) -> int:
    if value == 3:
        raise ArithmeticError("three")
    return value


def slow_identity(value: int) -> int:
    time.sleep(0.05 * value)
    return value


def pid_of(_value: int) -> int:
    time.sleep(0.05)
    return os.getpid()


def check_all_results(executor: Executor) -> None:
    results = dict(executor.map_unordered(square, range(10)))
    assert results == {index: index * index for index in range(10)}


def test_serial_executor_returns_every_result_in_order() -> None:
    executor = SerialExecutor()
    assert list(executor.map_unordered(square, [2, 3])) == [(0, 4), (1, 9)]
    check_all_results(executor)


def test_local_executor_returns_every_result_once() -> None:
    with LocalExecutor(workers=2) as executor:
        check_all_results(executor)
        check_all_results(executor)  # the pool is reused


def test_local_executor_uses_several_processes() -> None:
    with LocalExecutor(workers=2) as executor:
        pids = {pid for _, pid in executor.map_unordered(pid_of, range(6))}
    assert os.getpid() not in pids
    assert len(pids) >= 1


def test_local_executor_propagates_task_errors() -> None:
    with LocalExecutor(workers=2) as executor, pytest.raises(ArithmeticError):
        list(executor.map_unordered(fail_on_three, range(6)))


def test_workers_must_be_positive() -> None:
    with pytest.raises(ValueError, match="workers"):
        LocalExecutor(workers=0)
    assert default_workers() >= 1


def test_ctrl_c_keeps_finished_results() -> None:
    """SIGINT while tasks run: finished results are yielded, then KeyboardInterrupt."""
    received: list[int] = []
    timer = threading.Timer(0.4, lambda: os.kill(os.getpid(), signal.SIGINT))
    with LocalExecutor(workers=2) as executor:
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            for _index, value in executor.map_unordered(slow_identity, [1, 1, 1, 40, 40, 40]):
                received.append(value)
        timer.cancel()
    assert received[:3] == [1, 1, 1]
    assert len(received) < 6
