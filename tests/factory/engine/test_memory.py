"""The kernel's memory is laid out from the spec alone: tables never overlap, growth keeps
every row, and the kernel's accessors see what the driver's views see."""

from __future__ import annotations

import numba as nb
import numpy as np
import pytest

from droneworks.factory.engine import tables
from droneworks.factory.engine.borrowed import BorrowedArray, borrowed
from droneworks.factory.engine.memory import Memory
from droneworks.factory.engine.spec import SPEC, Array, Table


def _shapes(rows: int) -> dict[str, int | tuple[int, ...]]:
    shapes: dict[str, int | tuple[int, ...]] = {}
    for k, entry in enumerate(SPEC):
        if isinstance(entry, Array):
            shapes[entry.name] = tuple(range(2 + k % 3, 2 + k % 3 + entry.ndim))
        else:
            shapes[entry.name] = 1 if entry.name == "params" else rows + k % 4
    return shapes


def _columns(memory: Memory) -> list[np.ndarray]:
    out = []
    for entry in SPEC:
        view = memory.view(entry.name)
        if isinstance(entry, Array):
            out.append(view)
        else:
            out.extend(getattr(view, column) for column in view._fields if column != "n")
    return out


def test_names_are_unique_and_tables_have_no_column_named_n() -> None:
    names = [entry.name for entry in SPEC]
    assert len(names) == len(set(names))
    for entry in SPEC:
        if isinstance(entry, Table):
            columns = entry.ints + entry.floats
            assert "n" not in columns and len(columns) == len(set(columns)), entry.name


def test_every_column_has_its_own_memory() -> None:
    memory = Memory(_shapes(5))
    columns = _columns(memory)
    for k, column in enumerate(columns):
        column[...] = k + 1
    for k, column in enumerate(columns):
        assert np.all(column == k + 1), k


def test_growing_a_table_keeps_every_value() -> None:
    memory = Memory(_shapes(5))
    for k, column in enumerate(_columns(memory)):
        column[...] = np.arange(column.size).reshape(column.shape) + 100 * k
    bigger = memory.grown("jobs", 40)
    assert bigger.view("jobs").n == 40
    for old, new in zip(_columns(memory), _columns(bigger), strict=True):
        assert np.array_equal(new[: len(old)] if new.shape != old.shape else new, old)


def test_a_missing_size_is_named() -> None:
    shapes = _shapes(3)
    del shapes["stations"]
    with pytest.raises(ValueError, match="stations"):
        Memory(shapes)


@nb.njit
def _kernel_reads(I, F, j):  # type: ignore[no-untyped-def]  # noqa: E741
    jobs = tables.jobs(I, F)
    jobs.next[j] = jobs.pos[j] + 1
    return jobs.n, jobs.released[j], tables.state_min(I, F)[1, 2], tables.params(I, F).warmup


def test_the_kernel_sees_what_the_driver_sees() -> None:
    memory = Memory(_shapes(6))
    rows = memory.view("jobs").n
    memory.fill("jobs", pos=np.arange(rows) * 10, released=np.arange(rows) * 0.5)
    memory.view("state_min")[1, 2] = 7.25
    memory.fill("params", warmup=99.0)
    seen = _kernel_reads(memory.I, memory.F, 3)
    jobs = memory.view("jobs")
    assert seen == (rows, 1.5, 7.25, 99.0)
    assert jobs.next[3] == 31


@nb.njit
def _add(state, w, k, minutes):  # type: ignore[no-untyped-def]
    state[w, k] += minutes
    return state.shape[0]


@nb.njit
def _borrowing_caller(I, F):  # type: ignore[no-untyped-def]  # noqa: E741
    I, F = borrowed(I), borrowed(F)  # noqa: E741
    return _caller(I, F, 1)


@nb.njit
def _caller(I, F, w):  # type: ignore[no-untyped-def]  # noqa: E741
    total = 0
    for k in range(3):
        if k != w:
            total += _add(tables.state_min(I, F), w, k, 2.5)
    return total + tables.jobs(I, F).n


def test_borrowed_arrays_work_and_are_never_reference_counted() -> None:
    """The kernel borrows its memory: I and F are raw pointers, the views made from them
    carry no memory info that numba would count, so the code that makes and passes them
    emits no NRT_incref/decref."""
    memory = Memory(_shapes(6))
    state = memory.view("state_min")
    total = _borrowing_caller(memory.I, memory.F)
    assert state[1, :3].tolist() == [2.5, 0.0, 2.5]
    assert total == 2 * state.shape[0] + memory.view("jobs").n
    assert _caller.signatures[0][:2] == (nb.types.CPointer(nb.int64), nb.types.CPointer(nb.float64))
    assert type(_add.signatures[0][0]) is BorrowedArray
    models = nb.core.registry.cpu_target.target_context.data_model_manager
    assert not models[BorrowedArray(nb.float64, 2)].contains_nrt_meminfo()
    assert models[nb.types.Array(nb.float64, 2, "C")].contains_nrt_meminfo()
    assert _nrt_calls(_caller) == 0


def _nrt_calls(function) -> int:  # type: ignore[no-untyped-def]
    """NRT_incref/decref calls in the compiled body of ``function`` (not in the wrapper that
    converts its Python arguments)."""
    code = function.inspect_llvm(function.signatures[0])
    bodies = code.split("\ndefine ")[1:]
    body = next(b for b in bodies if function.__name__ in b.split("(")[0] and "cpython" not in
                b.split("(")[0])  # fmt: skip
    body = body.split("\n}\n")[0]
    return body.count("@NRT_incref(") + body.count("@NRT_decref(")


def test_the_engine_guide_lists_every_engine_module() -> None:
    """docs/engine.md's file list names each module of factory/engine (and no other)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    guide = (root / "docs" / "engine.md").read_text(encoding="utf-8")
    start = guide.index("factory/engine/\n")
    listed = set(re.findall(r"^  (\w+\.py)", guide[start : guide.index("```", start)], re.M))
    modules = {p.name for p in (root / "src/droneworks/factory/engine").glob("*.py")}
    assert listed == modules - {"__init__.py"}
