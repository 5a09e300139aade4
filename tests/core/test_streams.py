from __future__ import annotations

import numpy as np
import pytest

from droneworks.core.streams import RandomStreams, stream_key


def draws(streams: RandomStreams, name: str, n: int = 5) -> np.ndarray:
    return streams.generator(name).random(n)


def test_same_seed_same_numbers() -> None:
    assert np.array_equal(draws(RandomStreams(7), "a"), draws(RandomStreams(7), "a"))


def test_different_seeds_differ() -> None:
    assert not np.array_equal(draws(RandomStreams(7), "a"), draws(RandomStreams(8), "a"))


def test_streams_by_name_are_independent_of_creation_order() -> None:
    first = RandomStreams(3)
    a_then_b = (draws(first, "station/1/process"), draws(first, "station/2/process"))
    second = RandomStreams(3)
    b = draws(second, "station/2/process")
    _new_part = draws(second, "station/new/failure")  # a part added to the model
    a = draws(second, "station/1/process")
    assert np.array_equal(a_then_b[0], a)
    assert np.array_equal(a_then_b[1], b)


def test_named_streams_are_distinct_and_uncorrelated() -> None:
    streams = RandomStreams(0)
    x = streams.generator("process").random(20_000)
    y = streams.generator("failure").random(20_000)
    assert not np.array_equal(x, y)
    assert abs(np.corrcoef(x, y)[0, 1]) < 0.03


def test_replications_differ_but_are_reproducible() -> None:
    base = RandomStreams(1)
    r0 = draws(base.for_replication(0), "a")
    r1 = draws(base.for_replication(1), "a")
    assert not np.array_equal(r0, r1)
    assert np.array_equal(r1, draws(RandomStreams(1, replication=1), "a"))


def test_integer_seed_is_stable_and_non_negative() -> None:
    seed = RandomStreams(5).integer_seed("engine")
    assert seed == RandomStreams(5).integer_seed("engine")
    assert 0 <= seed < 2**63


@pytest.mark.parametrize("seed", [-1, 1.5, "3", True])
def test_bad_seed_is_value_error(seed: object) -> None:
    with pytest.raises(ValueError, match="seed"):
        RandomStreams(seed)  # type: ignore[arg-type]


def test_stream_key_needs_a_name() -> None:
    with pytest.raises(ValueError, match="name"):
        stream_key("")
