"""Executors: map a function over tasks and yield results as they finish.

Replications and scenario sweeps are embarrassingly parallel. They are written against the
small :class:`Executor` protocol, so the same code runs in-process (:class:`SerialExecutor`,
for tests and debugging), on every local core (:class:`LocalExecutor`, a process pool) or,
later, on a cluster (a Ray or Dask engine implementing the same protocol)::

    with LocalExecutor(workers=2) as executor:
        for index, value in executor.map_unordered(simulate_one, tasks):
            store(index, value)          # each result as soon as it is done

Ctrl-C: the generator yields the results that are already finished, stops the workers
(tasks still running are abandoned, so the interrupt takes effect at once) and re-raises
:class:`KeyboardInterrupt`; every finished result reaches the caller (who stores it) before
the interrupt propagates. Worker processes ignore SIGINT; only the parent decides. When the
consumer stops early (an exception in its loop, a ``break``) the running tasks are abandoned
too: closing the executor never waits for work nobody will read.

Workers die with their parent, even when it is killed with SIGKILL: on Linux each worker
asks the kernel for SIGKILL when its parent goes (``prctl(PR_SET_PDEATHSIG)``); elsewhere a
watch thread in each worker exits when the parent process is gone.
"""

from __future__ import annotations

import concurrent.futures as cf
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import Protocol, TypeVar

__all__ = ["Executor", "LocalExecutor", "SerialExecutor", "default_workers", "pid_alive"]

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    """Runs ``fn`` on every task, yielding ``(task index, result)`` as each finishes."""

    @property
    def workers(self) -> int:
        """How many tasks run at the same time."""
        ...

    def map_unordered(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[tuple[int, R]]:
        """Yield ``(index, fn(task))`` in completion order; exceptions of ``fn`` propagate."""
        ...

    def close(self) -> None:
        """Release workers (the executor may not be used afterwards)."""
        ...


def default_workers() -> int:
    """The number of CPU cores this process may use (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class SerialExecutor:
    """Runs tasks one after the other in this process (deterministic, easy to debug)."""

    @property
    def workers(self) -> int:
        return 1

    def map_unordered(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[tuple[int, R]]:
        for index, task in enumerate(tasks):
            yield index, fn(task)

    def close(self) -> None:
        pass

    def __enter__(self) -> SerialExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _init_worker(owner_pid: int, initializer: Callable[[], None] | None) -> None:
    """In each worker: ignore Ctrl-C, die with the owner, then the user's initializer."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(owner_pid)
    if initializer is not None:
        initializer()


def _die_with_parent(owner_pid: int) -> None:
    """Exit with the process that made the pool (directly, or via a forkserver that exits
    with it): kernel signal on Linux, a watch thread elsewhere."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
            if not pid_alive(owner_pid):  # it died before prctl took effect
                os._exit(1)
            return
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int, interval_s: float = 1.0) -> None:
    """Exit this worker once its parent is gone (where PR_SET_PDEATHSIG is missing)."""
    while os.getppid() == parent:
        time.sleep(interval_s)
    os._exit(1)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id exists on this host (another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class LocalExecutor:
    """A pool of worker processes on this machine, created on first use and reused.

    ``initializer`` runs once in each worker (for example to warm up a compiled engine).
    Functions and tasks must be picklable (module-level functions, frozen dataclasses).
    """

    def __init__(
        self, workers: int | None = None, initializer: Callable[[], None] | None = None
    ) -> None:
        count = default_workers() if workers is None else workers
        if count < 1:
            raise ValueError(f"workers must be >= 1, not {workers!r}")
        self._workers = count
        self._initializer = initializer
        self._pool: cf.ProcessPoolExecutor | None = None

    @property
    def workers(self) -> int:
        return self._workers

    def _get_pool(self) -> cf.ProcessPoolExecutor:
        if self._pool is None:
            self._pool = cf.ProcessPoolExecutor(
                max_workers=self._workers,
                initializer=_init_worker,
                initargs=(os.getpid(), self._initializer),
            )
        return self._pool

    def map_unordered(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[tuple[int, R]]:
        pool = self._get_pool()
        futures: dict[cf.Future[R], int] = {
            pool.submit(fn, task): index for index, task in enumerate(tasks)
        }
        try:
            for future in cf.as_completed(futures):
                yield futures.pop(future), future.result()
        except KeyboardInterrupt:
            finished = [(futures[f], f) for f in futures if f.done() and not f.cancelled()]
            self._terminate()
            for index, future in finished:
                if future.exception() is None:
                    yield index, future.result()
            raise
        except BaseException:  # a task failed, or the consumer stopped reading
            self._terminate()
            raise

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _terminate(self) -> None:
        """Stop the workers now, abandoning running tasks."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        processes = list(getattr(pool, "_processes", {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(timeout=5)

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
