"""Seeded random streams, one per named stochastic source.

Every stochastic part of a model draws from its own :class:`numpy.random.Generator`,
derived from the run's seed and the source's *name* (for example
``"station/frame/process"`` and ``"station/frame/failure"``). The name, not the order in
which sources are created, selects the stream, so adding, removing or changing one part of a
model leaves the random numbers of every other part unchanged: two scenarios of the same plant
see the same processing times and failures (common random numbers).

    >>> streams = RandomStreams(seed=42)
    >>> a = streams.generator("station/1/process").random()
    >>> b = RandomStreams(seed=42).generator("station/1/process").random()
    >>> a == b
    True
"""

from __future__ import annotations

import hashlib

import numpy as np

__all__ = ["RandomStreams", "stream_key"]


def stream_key(name: str) -> tuple[int, ...]:
    """A stable tuple of 32-bit words identifying ``name`` (independent of Python's hash)."""
    if not name:
        raise ValueError("a random stream needs a non-empty name")
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return tuple(int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4))


class RandomStreams:
    """A family of independent generators derived from one seed, addressed by name.

    ``replication`` selects an independent family for the same seed (replication ``r`` of
    two scenarios shares streams; replications ``r`` and ``r + 1`` do not).
    """

    def __init__(self, seed: int, replication: int = 0) -> None:
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
            raise ValueError(f"seed must be a non-negative integer, not {seed!r}")
        if replication < 0:
            raise ValueError(f"replication must be >= 0, not {replication!r}")
        self.seed = int(seed)
        self.replication = int(replication)

    def seed_sequence(self, name: str) -> np.random.SeedSequence:
        """The SeedSequence behind stream ``name`` (for engines that seed their own RNGs)."""
        return np.random.SeedSequence(
            entropy=self.seed, spawn_key=(self.replication, *stream_key(name))
        )

    def generator(self, name: str) -> np.random.Generator:
        """A fresh generator for stream ``name``; the same name always restarts the stream."""
        return np.random.Generator(np.random.PCG64(self.seed_sequence(name)))

    def integer_seed(self, name: str) -> int:
        """A 63-bit integer seed for stream ``name`` (for compiled engines with own RNGs)."""
        return int(self.seed_sequence(name).generate_state(2, np.uint64)[0] >> np.uint64(1))

    def for_replication(self, replication: int) -> RandomStreams:
        """The same seed's stream family for another replication."""
        return RandomStreams(self.seed, replication)

    def __repr__(self) -> str:
        return f"RandomStreams(seed={self.seed}, replication={self.replication})"
