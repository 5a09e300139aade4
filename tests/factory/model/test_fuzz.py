"""Any damaged plant file gives a ConfigError or ModelError, never another exception."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from droneworks.core.errors import ConfigError, ModelError
from droneworks.core.validation import read_toml
from droneworks.factory.model import parse_plant

BASE = read_toml(Path(__file__).resolve().parents[1] / "data" / "ok_small.toml")


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


PATHS = _paths(BASE)
JUNK = st.one_of(
    st.integers(-5, 5),
    st.floats(allow_nan=False, allow_infinity=True),
    st.sampled_from(["", "x", "-1 min", "2,5 min", "3 m", "1e400 min", "7/yr", "nan min"]),
    st.lists(st.integers(0, 3), max_size=2),
    st.dictionaries(st.sampled_from(["dist", "mean", "x"]), st.just("1 min"), max_size=2),
    st.booleans(),
)


@settings(max_examples=150, deadline=None)
@given(index=st.integers(0, len(PATHS) - 1), junk=JUNK, delete=st.booleans())
def test_damaged_file_fails_cleanly(index: int, junk: Any, delete: bool) -> None:
    data = copy.deepcopy(BASE)
    *parents, last = PATHS[index]
    holder: Any = data
    for key in parents:
        holder = holder[key]
    if delete:
        del holder[last]
    else:
        holder[last] = junk
    try:
        parse_plant(data, "fuzz.toml")
    except (ConfigError, ModelError) as error:
        assert str(error).startswith("fuzz.toml: ")
