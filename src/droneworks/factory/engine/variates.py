"""Random variates of the flat problem, drawn in blocks from named streams.

Every stream draws from its own ``RandomStreams(seed, replication).generator(name)``. A
stream that cycles through several distributions (a failure stream: up time, repair, …)
draws exactly one uniform per value and maps it through the inverse CDF of the
distribution at that position; a stream of one exponential or lognormal distribution uses
numpy's own samplers. Both are element-sequential, so the values do not depend on block
sizes: the engine refills a ring buffer in blocks of any size, the SimPy benchmark draws in
its own blocks, and both see the same numbers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from droneworks.core.streams import RandomStreams
from droneworks.factory import problem as p
from droneworks.factory.problem import Problem

__all__ = ["VariateStream", "inverse_cdf", "problem_streams"]


def inverse_cdf(kind: int, par: np.ndarray, samples: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Values of distribution (``kind``, ``par``) at uniforms ``u`` in [0, 1)."""
    return np.asarray(_inverse_cdf(kind, par, samples, u), dtype=np.float64)


def _inverse_cdf(kind: int, par: np.ndarray, samples: np.ndarray, u: np.ndarray) -> Any:
    a, b, c = float(par[0]), float(par[1]), float(par[2])
    if kind == p.DIST_CONSTANT:
        return np.full(u.shape, a)
    if kind == p.DIST_UNIT_UNIFORM:
        return u.copy()
    if kind == p.DIST_UNIFORM:
        return a + (b - a) * u
    if kind == p.DIST_EXPONENTIAL:
        return -a * np.log1p(-u)
    if kind == p.DIST_LOGNORMAL:
        if a <= 0:
            return np.zeros(u.shape)
        from scipy.special import ndtri  # here only: importing scipy costs start-up time

        sigma2 = np.log1p(b * b)
        return np.exp(np.log(a) - sigma2 / 2 + np.sqrt(sigma2) * ndtri(u))
    if kind == p.DIST_NORMAL:
        if b <= 0:
            return np.full(u.shape, max(a, 0.0))
        from scipy.special import ndtr, ndtri

        low = ndtr(-a / b)  # mass below 0, cut off
        return np.maximum(a + b * ndtri(low + u * (1.0 - low)), 0.0)
    if kind == p.DIST_TRIANGULAR:
        if c <= a:
            return np.full(u.shape, a)
        split = (b - a) / (c - a)
        left = a + np.sqrt(u * (c - a) * (b - a))
        right = c - np.sqrt((1.0 - u) * (c - a) * (c - b))
        return np.where(u < split, left, right)
    if kind == p.DIST_EMPIRICAL:
        index = np.minimum((u * len(samples)).astype(np.int64), len(samples) - 1)
        return samples[index]
    raise ValueError(f"unknown distribution kind {kind}")


_NATIVE = (p.DIST_EXPONENTIAL, p.DIST_LOGNORMAL)


def _native(generator: np.random.Generator, kind: int, par: np.ndarray, out: np.ndarray) -> None:
    """numpy's own samplers (ziggurat) into ``out``, element by element in order: also
    independent of the block size, and several times faster than the inverse CDF. In place
    (no temporaries): the same operations in the same order as ``mean * exponential`` and
    ``exp(log(mean) - sigma2 / 2 + sqrt(sigma2) * normal)``."""
    mean, cv = float(par[0]), float(par[1])
    if kind == p.DIST_EXPONENTIAL:
        generator.standard_exponential(out=out)
        out *= mean
        return
    generator.standard_normal(out=out)
    if mean <= 0:
        out[:] = 0.0
        return
    sigma2 = float(np.log1p(cv * cv))
    out *= np.sqrt(sigma2)
    out += np.log(mean) - sigma2 / 2
    np.exp(out, out=out)


class VariateStream:
    """The values of one named stream, in order: ``take(n)`` gives the next ``n``."""

    def __init__(
        self,
        generator: np.random.Generator,
        kinds: list[int],
        pars: list[np.ndarray],
        samples: list[np.ndarray],
    ) -> None:
        self._generator = generator
        self._kinds = kinds
        self._pars = pars
        self._samples = samples
        self.position = 0

    def take(self, n: int) -> np.ndarray:
        """The next ``n`` values of the stream."""
        out = np.empty(n)
        self.take_into(out)
        return out

    def take_into(self, out: np.ndarray) -> None:
        """Write the next ``len(out)`` values of the stream into ``out`` (contiguous)."""
        n = len(out)
        if len(self._kinds) == 1 and self._kinds[0] in _NATIVE:
            _native(self._generator, self._kinds[0], self._pars[0], out)
            self.position += n
            return
        u = self._generator.random(n)
        cycle = len(self._kinds)
        for k in range(cycle):
            first = (k - self.position) % cycle
            out[first::cycle] = inverse_cdf(
                self._kinds[k], self._pars[k], self._samples[k], u[first::cycle]
            )
        self.position += n

    def next(self) -> float:
        """The next value (slow path, for tests and the SimPy benchmark)."""
        return float(self.take(1)[0])


def problem_streams(problem: Problem, seed: int, replication: int = 0) -> list[VariateStream]:
    """One :class:`VariateStream` per stream of ``problem`` for (seed, replication)."""
    streams = RandomStreams(seed, replication)
    result = []
    for index, name in enumerate(problem.stream_names):
        start = int(problem.stream_dist_start[index])
        dists = problem.stream_dists[start : start + int(problem.stream_dist_len[index])]
        kinds = [int(problem.dist_kind[d]) for d in dists]
        pars = [problem.dist_par[d] for d in dists]
        samples = [
            problem.emp_values[problem.emp_start[d] : problem.emp_start[d] + problem.emp_len[d]]
            for d in dists
        ]
        result.append(VariateStream(streams.generator(name), kinds, pars, samples))
    return result
