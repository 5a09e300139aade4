# numba kernel code: untyped by nature, checked by its tests
# mypy: ignore-errors
"""The kernel's named access to its memory: one accessor per entry of the spec.

``jobs = tables.jobs(I, F)`` gives a namedtuple with one raw pointer per column, so a
handler reads ``jobs.pos[j]`` and writes ``stations.job[s] = j``; ``jobs.n`` is the row
count. Arrays come back as borrowed views (``tables.state_min(I, F)[w, k]``; not reference
counted: :mod:`.borrowed`), the run parameters as plain values
(``tables.params(I, F).horizon``). A column pointer costs a header read, one load per
access and no reference counting; pointers rather than array views also keep the compile
a third shorter (measured: benchmarks/RESULTS.md).

The accessors are generated from :data:`~.spec.SPEC` at import, as numba intrinsics: their
few instructions (header loads, one address per column) are written straight into the
calling handler, where the columns it does not use vanish — never a call, whatever the
size of the handler.
"""

from __future__ import annotations

from numba.core import cgutils, types
from numba.extending import intrinsic

from droneworks.factory.engine.borrowed import BorrowedArray
from droneworks.factory.engine.memory import _float_width, _int_width, _view_type, header_of
from droneworks.factory.engine.spec import SPEC, Array, Record


def _data(context, builder, memory_type, memory):
    """The data pointer of the kernel's memory: a borrowed pointer, or a numpy array."""
    if isinstance(memory_type, types.CPointer):
        return memory
    return context.make_array(memory_type)(context, builder, value=memory).data


def _header(context, builder, signature, args, h):
    """A loader of ``I[h + k]``, and the data pointers of I and F."""
    I = _data(context, builder, signature.args[0], args[0])  # noqa: E741
    F = _data(context, builder, signature.args[1], args[1])

    def at(k):
        return builder.load(builder.gep(I, [context.get_constant(types.intp, h + k)]))

    return at, I, F


def _columns(context, builder, data, start, stored, width):
    """Pointers to columns 0 … width − 1 of a table part starting at ``data[start]``."""
    step = [builder.mul(context.get_constant(types.intp, c), stored) for c in range(width)]
    return [builder.gep(data, [builder.add(start, offset)]) for offset in step]


def _view(context, builder, dtype, data, start, shape):
    """A C-contiguous borrowed array of ``shape`` at ``data[start]``."""
    array_type = BorrowedArray(dtype, len(shape), "C")
    out = context.make_array(array_type)(context, builder)
    itemsize = context.get_constant(types.intp, dtype.bitwidth // 8)
    strides = [itemsize] * len(shape)
    for k in range(len(shape) - 2, -1, -1):
        strides[k] = builder.mul(strides[k + 1], shape[k + 1])
    context.populate_array(out, data=builder.gep(data, [start]),
                           shape=cgutils.pack_array(builder, shape),
                           strides=cgutils.pack_array(builder, strides), itemsize=itemsize,
                           meminfo=None)  # fmt: skip
    return out._getvalue()


def _array_accessor(entry):
    h = header_of(entry.name)
    index = 0 if entry.kind == "int" else 1

    def accessor(typingctx, I, F):  # noqa: E741
        dtype = (I, F)[index].dtype

        def codegen(context, builder, signature, args):
            at, *memory = _header(context, builder, signature, args, h)
            shape = [at(1 + k) for k in range(entry.ndim)]
            return _view(context, builder, dtype, memory[index], at(0), shape)

        return BorrowedArray(dtype, entry.ndim, "C")(I, F), codegen

    return accessor


def _table_accessor(entry):
    h = header_of(entry.name)
    record = isinstance(entry, Record)
    kinds = [types.CPointer(types.int64)] * _int_width(entry)
    kinds += [types.float64 if record else types.CPointer(types.float64)] * _float_width(entry)
    tuple_type = types.BaseTuple.from_types([*kinds, types.int64], _view_type(entry))

    def accessor(typingctx, I, F):  # noqa: E741
        def codegen(context, builder, signature, args):
            at, I_data, F_data = _header(context, builder, signature, args, h)
            wi, wf = _int_width(entry), _float_width(entry)
            if record:  # the values themselves, n = 1
                values = _columns(context, builder, F_data, at(1), at(3), wf)
                values = [builder.load(value) for value in values]
                one = context.get_constant(types.int64, 1)
                return context.make_tuple(builder, tuple_type, [*values, one])
            columns = _columns(context, builder, I_data, at(0), at(3), wi)
            columns += _columns(context, builder, F_data, at(1), at(3), wf)
            return context.make_tuple(builder, tuple_type, [*columns, at(2)])

        return tuple_type(I, F), codegen

    return accessor


def _accessors() -> dict:
    out = {}
    for entry in SPEC:
        make = _array_accessor if isinstance(entry, Array) else _table_accessor
        function = make(entry)
        function.__name__ = function.__qualname__ = entry.name
        out[entry.name] = intrinsic(function)
    return out


globals().update(_accessors())
