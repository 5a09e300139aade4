"""The kernel's memory: two flat arrays ``I`` (int64) and ``F`` (float64) laid out from
:data:`~droneworks.factory.engine.spec.SPEC`.

Two plain arrays keep numba's calls cheap (a tuple of ~40 arrays would be passed and
reference-counted on every call). Layout of ``I``: the int globals, then one header of
four ints per spec entry, then the int data; ``F``: the float globals, then the float data.
A table's columns are stored one after the other (column c of the int part starts at
int start + c × stored rows). Header of a table: (int start, float start, rows, stored
rows); of an array: (start, size of each of up to three dimensions).

The driver reads and writes tables by name through :meth:`Memory.view` (numpy views into
the same memory); the kernel through the accessors of :mod:`.tables`.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Mapping
from typing import Any

import numpy as np

from droneworks.factory.engine.spec import (
    G_N,
    GF_N,
    HEADER,
    SPEC,
    Array,
    Entry,
    Record,
    Table,
)

__all__ = ["Memory", "entry_named", "header_of"]

_BY_NAME: dict[str, tuple[int, Entry]] = {entry.name: (k, entry) for k, entry in enumerate(SPEC)}


def entry_named(name: str) -> Entry:
    return _BY_NAME[name][1]


def header_of(name: str) -> int:
    """Index in ``I`` of the header of entry ``name``."""
    return G_N + HEADER * _BY_NAME[name][0]


def _int_width(entry: Entry) -> int:
    return len(entry.ints) if isinstance(entry, Table) else 0


def _float_width(entry: Entry) -> int:
    return len(entry.floats) if isinstance(entry, Table | Record) else 0


class Memory:
    """Flat memory for one run; ``shapes`` gives each table's rows (records: 1) and each
    array's shape. Everything starts at zero."""

    def __init__(self, shapes: Mapping[str, int | tuple[int, ...]]) -> None:
        missing = {entry.name for entry in SPEC} - set(shapes)
        if missing:
            raise ValueError(f"no size for kernel tables {sorted(missing)}")
        self.shapes = {name: _shape(entry_named(name), shapes[name]) for name in _BY_NAME}
        n_int, n_float = G_N + HEADER * len(SPEC), GF_N
        headers: list[tuple[int, int, int, int]] = []
        for entry in SPEC:
            shape = self.shapes[entry.name]
            stored = max(1, shape[0]) if not isinstance(entry, Array) else 1
            if isinstance(entry, Array):
                size = max(1, int(np.prod(shape)))
                at = n_int if entry.kind == "int" else n_float
                headers.append((at, *shape, *(0,) * (3 - len(shape))))  # type: ignore[arg-type]
                if entry.kind == "int":
                    n_int += size
                else:
                    n_float += size
                continue
            headers.append((n_int, n_float, shape[0], stored))
            n_int += stored * _int_width(entry)
            n_float += stored * _float_width(entry)
        self.I = np.zeros(n_int, dtype=np.int64)
        self.F = np.zeros(n_float, dtype=np.float64)
        self.I[G_N : G_N + HEADER * len(SPEC)] = np.asarray(headers, dtype=np.int64).reshape(-1)

    # ---- named access (numpy views into I and F) ------------------------------------------
    def view(self, name: str) -> Any:
        """Table → namedtuple of column views (plus ``n``); array → the array view."""
        entry = entry_named(name)
        h = header_of(name)
        at_i, at_f, rows, stored = (int(v) for v in self.I[h : h + 4])
        if isinstance(entry, Array):
            shape = self.shapes[name]
            flat = self.I if entry.kind == "int" else self.F
            return flat[at_i : at_i + int(np.prod(shape))].reshape(shape)
        columns: dict[str, Any] = {}
        for c, column in enumerate(_ints(entry)):
            columns[column] = self.I[at_i + c * stored : at_i + c * stored + rows]
        for c, column in enumerate(entry.floats):
            columns[column] = self.F[at_f + c * stored : at_f + c * stored + rows]
        return _view_type(entry)(**columns, n=rows)

    def fill(self, name: str, **columns: Any) -> None:
        """Set columns of table ``name`` (values broadcast over its rows)."""
        view = self.view(name)
        for column, values in columns.items():
            getattr(view, column)[:] = values

    @property
    def globals_int(self) -> np.ndarray:
        return self.I[:G_N]

    @property
    def globals_float(self) -> np.ndarray:
        return self.F[:GF_N]

    def grown(self, name: str, rows: int) -> Memory:
        """A copy with table ``name`` enlarged to ``rows`` (existing rows keep their index)."""
        bigger = Memory({**self.shapes, name: rows})
        bigger.I[:G_N] = self.globals_int
        bigger.F[:GF_N] = self.globals_float
        for entry in SPEC:
            old, new = self.view(entry.name), bigger.view(entry.name)
            if isinstance(entry, Array):
                new[...] = old
                continue
            for column in (*_ints(entry), *entry.floats):
                getattr(new, column)[: old.n] = getattr(old, column)
        return bigger


def _ints(entry: Entry) -> tuple[str, ...]:
    return entry.ints if isinstance(entry, Table) else ()


def _shape(entry: Entry, given: int | tuple[int, ...]) -> tuple[int, ...]:
    shape = (given,) if isinstance(given, int) else tuple(int(v) for v in given)
    expected = entry.ndim if isinstance(entry, Array) else 1
    if len(shape) != expected:
        raise ValueError(f"kernel table {entry.name!r} needs {expected} sizes, got {shape}")
    return shape


_VIEW_TYPES: dict[str, type] = {}


def _view_type(entry: Table | Record) -> Any:
    """The namedtuple type of a table's columns (shared by the kernel's accessors)."""
    if entry.name not in _VIEW_TYPES:
        title = "".join(part.title() for part in entry.name.split("_"))
        _VIEW_TYPES[entry.name] = namedtuple(title, [*_ints(entry), *entry.floats, "n"])
    return _VIEW_TYPES[entry.name]
