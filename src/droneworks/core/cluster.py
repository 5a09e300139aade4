"""Dask distributed behind the :class:`~droneworks.core.executor.Executor` protocol.

``DaskExecutor()`` starts a :class:`distributed.LocalCluster` on this machine (one
single-threaded worker process per core, dashboard on a free port);
``DaskExecutor("tcp://host:8786")`` uses a running cluster (``dask scheduler`` and ``dask
worker tcp://host:8786`` on each machine, see docs/scale.md). Tasks are sent in batches
sized from the measured task time, so a batch runs for about ``batch_s`` seconds and the
scheduler's per-task overhead stays small even for short replications; the first batch on
each worker is one task, to measure. Results come back as each batch finishes.

Ctrl-C: results of finished batches are yielded, the rest is cancelled, then
:class:`KeyboardInterrupt` propagates, as with the local process pool. Dask is an optional
extra: ``pip install "droneworks[cluster]"``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from droneworks.core.errors import ConfigError
from droneworks.core.executor import Executor, LocalExecutor, SerialExecutor, default_workers

__all__ = ["DaskExecutor", "open_executor", "run_batch"]

T = TypeVar("T")
R = TypeVar("R")


def _distributed() -> Any:
    """The ``distributed`` module (a ConfigError naming the extra when it is missing)."""
    from droneworks.core.extras import require

    return require("distributed", "cluster", "the Dask executor")


def run_batch(
    fn: Callable[[T], R], items: list[tuple[int, T]]
) -> tuple[list[tuple[int, R]], float]:
    """Run a batch on a worker: ``(index, fn(task))`` for each item, and the seconds taken."""
    started = time.perf_counter()
    results = [(index, fn(task)) for index, task in items]
    return results, time.perf_counter() - started


class DaskExecutor:
    """Runs tasks on a Dask cluster (a new local one when ``address`` is None)."""

    def __init__(
        self,
        address: str | None = None,
        workers: int | None = None,
        initializer: Callable[[], None] | None = None,
        batch_s: float = 2.0,
    ) -> None:
        count = default_workers() if workers is None else workers
        if count < 1:
            raise ValueError(f"workers must be >= 1, not {workers!r}")
        if not batch_s > 0:
            raise ValueError(f"batch_s must be positive, not {batch_s!r}")
        self._address = address
        self._requested = count
        self._initializer = initializer
        self._batch_s = batch_s
        self._client: Any = None
        self._cluster: Any = None

    # -- connection ----------------------------------------------------------------------

    def _connect(self) -> Any:
        if self._client is not None:
            return self._client
        import logging

        distributed = _distributed()

        if self._address is None:
            self._cluster = distributed.LocalCluster(
                n_workers=self._requested,
                threads_per_worker=1,
                processes=True,
                dashboard_address="127.0.0.1:0",
                silence_logs=logging.ERROR,
            )
            self._client = distributed.Client(self._cluster)
        else:
            try:
                self._client = distributed.Client(self._address, timeout="10s")
            except OSError as error:
                message = f"cannot reach the Dask scheduler {self._address}: {error}"
                raise ConfigError(message) from None
        if self._initializer is not None:
            self._client.run(self._initializer)
        return self._client

    @property
    def workers(self) -> int:
        """Worker threads in the cluster (the requested count before connecting)."""
        if self._client is None:
            return self._requested
        threads: dict[str, int] = self._client.nthreads()
        return max(1, sum(threads.values()))

    @property
    def dashboard_link(self) -> str | None:
        """The cluster's dashboard address (None before connecting or without bokeh)."""
        if self._client is None:
            return None
        link = getattr(self._client, "dashboard_link", None)
        return str(link) if link else None

    # -- mapping -------------------------------------------------------------------------

    def map_unordered(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[tuple[int, R]]:
        client = self._connect()
        pending = list(enumerate(tasks))
        pending.reverse()  # pop() from the end takes tasks in order
        in_flight = 2 * self.workers
        per_task_s: float | None = None
        running = _distributed().as_completed()

        def submit(size: int) -> None:
            items = [pending.pop() for _ in range(min(size, len(pending)))]
            running.add(client.submit(run_batch, fn, items, pure=False))

        for _ in range(min(in_flight, len(pending))):
            submit(1)
        try:
            for future in running:
                results, seconds = future.result()
                yield from results
                per_task_s = seconds / max(1, len(results))
                if pending:
                    submit(self._batch_size(per_task_s, len(pending)))
        except KeyboardInterrupt:
            finished = [f for f in running.futures if f.done() and f.status == "finished"]
            for future in list(running.futures):
                future.cancel()
            for future in finished:
                yield from future.result()[0]
            raise
        except BaseException:
            for future in list(running.futures):
                future.cancel()
            raise

    def _batch_size(self, per_task_s: float, remaining: int) -> int:
        """Tasks per batch: about ``batch_s`` of work, but enough batches for every worker."""
        by_time = max(1, math.floor(self._batch_s / max(per_task_s, 1e-6)))
        fair_share = max(1, math.ceil(remaining / (2 * self.workers)))
        return min(by_time, fair_share)

    def close(self) -> None:
        client, cluster = self._client, self._cluster
        self._client = self._cluster = None
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_executor(
    spec: str = "local",
    workers: int | None = None,
    initializer: Callable[[], None] | None = None,
) -> Executor:
    """``serial``, ``local`` (process pool), ``dask`` (a new local Dask cluster) or a
    scheduler address ``tcp://HOST:PORT`` → an executor (not yet started)."""
    choice = spec.strip()
    if choice == "serial":
        return SerialExecutor()
    if choice == "local":
        count = default_workers() if workers is None else workers
        return SerialExecutor() if count <= 1 else LocalExecutor(count, initializer)
    if choice == "dask":
        return DaskExecutor(None, workers, initializer)
    if choice.startswith(("tcp://", "tls://", "ucx://")):
        return DaskExecutor(choice, workers, initializer)
    raise ConfigError(
        f'--executor "{spec}": use serial, local, dask or a scheduler address tcp://HOST:PORT'
    )
