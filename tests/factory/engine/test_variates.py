"""Random variates: right means, and values independent of the block size."""

from __future__ import annotations

import numpy as np
import pytest

from droneworks.core.streams import RandomStreams
from droneworks.factory import problem as p
from droneworks.factory.engine.variates import VariateStream

CASES = [
    (p.DIST_CONSTANT, (2.0, 0, 0), 2.0),
    (p.DIST_UNIFORM, (1.0, 3.0, 0), 2.0),
    (p.DIST_TRIANGULAR, (1.0, 2.0, 6.0), 3.0),
    (p.DIST_LOGNORMAL, (1.5, 0.25, 0), 1.5),
    (p.DIST_EXPONENTIAL, (480.0, 0, 0), 480.0),
    (p.DIST_UNIT_UNIFORM, (0, 0, 0), 0.5),
]


def _stream(kinds: list[int], pars: list[tuple[float, float, float]]) -> VariateStream:
    generator = RandomStreams(5).generator("s")
    arrays = [np.asarray(par, dtype=float) for par in pars]
    return VariateStream(generator, kinds, arrays, [np.zeros(0)] * len(kinds))


@pytest.mark.parametrize(("kind", "par", "mean"), CASES)
def test_means(kind: int, par: tuple[float, float, float], mean: float) -> None:
    values = _stream([kind], [par]).take(40_000)
    assert values.mean() == pytest.approx(mean, rel=0.02)
    assert (values >= 0).all()


def test_truncated_normal_is_non_negative() -> None:
    values = _stream([p.DIST_NORMAL], [(1.0, 1.0, 0.0)]).take(20_000)
    assert values.min() >= 0.0
    assert values.mean() == pytest.approx(1.2876, rel=0.03)  # mean of N(1, 1) cut at 0


@pytest.mark.parametrize(
    "kinds", [[p.DIST_LOGNORMAL], [p.DIST_EXPONENTIAL], [p.DIST_EXPONENTIAL, p.DIST_UNIFORM]]
)
def test_values_do_not_depend_on_block_sizes(kinds: list[int]) -> None:
    pars = [(3.0, 0.5, 0.0) if k != p.DIST_UNIFORM else (1.0, 2.0, 0.0) for k in kinds]
    whole = _stream(kinds, pars).take(1_000)
    pieces = _stream(kinds, pars)
    parts = [pieces.take(size) for size in (1, 7, 100, 3, 889)]
    assert np.array_equal(np.concatenate(parts), whole)


def test_the_kernel_rings_hold_each_stream_in_order_across_refills() -> None:
    """The driver refills the kernel's ring buffers in place, wrapping at the end of a
    ring: whatever was consumed, the values ahead of each stream's read position are that
    stream's next values, in order (what the SimPy cross-checks rely on over long runs)."""
    from droneworks.factory import Dist, ProblemBuilder
    from droneworks.factory.engine import spec
    from droneworks.factory.engine.build import build_memory, refill
    from droneworks.factory.engine.variates import problem_streams

    b = ProblemBuilder(horizon_min=1_000.0)
    b.add_work_centre("w", stations=2)
    b.add_failures("w", up=Dist.exponential(100.0), repair=Dist.uniform(1.0, 3.0))
    b.add_product("unit")
    b.add_operation("unit", "o", "w", Dist.lognormal(2.0, 0.3))
    problem = b.build()
    streams = problem_streams(problem, 3)  # the driver's streams: the rings, then refills
    memory = build_memory(problem, np.zeros((0, 3)), 1_000.0, streams)
    reference = [s.take(8 * spec.RING) for s in problem_streams(problem, 3)]
    rings, counts = memory.view("rings"), memory.view("streams")
    rng = np.random.default_rng(1)
    for _ in range(12):  # consume an odd amount of each stream, then refill
        counts.pos[:] += rng.integers(1, spec.RING // 2, size=len(streams))
        refill(memory, streams)
        for k in range(len(streams)):
            pos, fill = int(counts.pos[k]), int(counts.fill[k])
            assert spec.RING - spec.RING // 4 < fill - pos <= spec.RING  # topped up
            ahead = [rings[k, i & spec.RING_MASK] for i in range(pos, fill)]
            assert np.array_equal(ahead, reference[k][pos:fill])
