"""Progress reporting hooks: long work reports, the caller decides how to show it.

Library code takes an optional :class:`Progress` and calls ``progress.update(done, total)``;
it never prints. The CLI passes a rich progress bar, tests pass :class:`RecordingProgress`,
and the default :data:`NO_PROGRESS` does nothing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

__all__ = ["NO_PROGRESS", "NullProgress", "Progress", "RecordingProgress", "ticking"]


class Progress(Protocol):
    """Receives progress of one piece of long work."""

    def start(self, description: str, total: float) -> None:
        """Work named ``description`` begins; ``total`` is its size in any unit."""

    def update(self, done: float) -> None:
        """``done`` of ``total`` is finished (monotone, ends at ``total``)."""


class NullProgress:
    """Ignores progress."""

    def start(self, description: str, total: float) -> None:
        pass

    def update(self, done: float) -> None:
        pass


NO_PROGRESS = NullProgress()


class RecordingProgress:
    """Keeps every call, for tests."""

    def __init__(self) -> None:
        self.started: list[tuple[str, float]] = []
        self.updates: list[float] = []

    def start(self, description: str, total: float) -> None:
        self.started.append((description, total))

    def update(self, done: float) -> None:
        self.updates.append(done)


@contextmanager
def ticking(
    progress: Progress, description: str, estimate_s: float, every_s: float = 0.25
) -> Iterator[None]:
    """Report one blocking call of about ``estimate_s`` seconds (e.g. a compile) as
    elapsed seconds, from a helper thread; it stops just short of the estimate if the work
    takes longer, and reports the total at the end."""
    total = max(estimate_s, every_s)
    progress.start(description, total)
    started = time.perf_counter()
    done = threading.Event()

    def tick() -> None:
        while not done.wait(every_s):
            progress.update(min(time.perf_counter() - started, 0.99 * total))

    ticker = threading.Thread(target=tick, name="progress-ticker", daemon=True)
    ticker.start()
    try:
        yield
    finally:
        done.set()
        ticker.join()
    progress.update(total)
