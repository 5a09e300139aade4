# numba kernel code: untyped by nature, checked by its tests
# mypy: ignore-errors
"""The kernel's named access to its memory: one accessor per entry of the spec.

``jobs = tables.jobs(I, F)`` gives a namedtuple with one raw pointer per column, so a
handler reads ``jobs.pos[j]`` and writes ``stations.job[s] = j``; ``jobs.n`` is the row
count. Arrays come back as borrowed views (``tables.state_min(I, F)[w, k]``; not reference
counted: :mod:`.borrowed`), the run parameters as plain values
(``tables.params(I, F).horizon``). A column pointer costs a
header read, one load per access and no reference counting; pointers rather than array
views also keep the compile a third shorter (measured: benchmarks/RESULTS.md).

The accessors are generated from :data:`~.spec.SPEC` at import; ``print(SOURCE)`` shows them.
"""

from __future__ import annotations

import numba as nb
from numba.core import cgutils, types
from numba.extending import intrinsic

from droneworks.factory.engine.borrowed import BorrowedArray
from droneworks.factory.engine.memory import _float_width, _int_width, _view_type, header_of
from droneworks.factory.engine.spec import SPEC, Array, Record

JIT = {"nogil": True, "boundscheck": False, "error_model": "numpy"}


def _data(context, builder, memory_type, memory):
    """The data pointer of the kernel's memory: a borrowed pointer, or a numpy array."""
    if isinstance(memory_type, types.CPointer):
        return memory
    return context.make_array(memory_type)(context, builder, value=memory).data


def _view(context, builder, memory_type, memory, start, shape, strides, layout):
    array_type = BorrowedArray(memory_type.dtype, len(shape), layout)
    out = context.make_array(array_type)(context, builder)
    itemsize = context.get_constant(types.intp, memory_type.dtype.bitwidth // 8)
    context.populate_array(
        out,
        data=builder.gep(_data(context, builder, memory_type, memory), [start]),
        shape=cgutils.pack_array(builder, shape),
        strides=cgutils.pack_array(builder, [builder.mul(s, itemsize) for s in strides]),
        itemsize=itemsize,
        meminfo=None,
    )
    return out._getvalue()


def _block(ndim):
    @intrinsic
    def block(typingctx, memory, start, d0, d1, d2):
        def codegen(context, builder, signature, args):
            dims = list(args[2 : 2 + ndim])
            one = context.get_constant(types.intp, 1)
            strides = [one] * ndim
            for k in range(ndim - 2, -1, -1):
                strides[k] = builder.mul(strides[k + 1], dims[k + 1])
            return _view(context, builder, signature.args[0], args[0], args[1], dims, strides,
                         "C")  # fmt: skip

        return BorrowedArray(memory.dtype, ndim, "C")(memory, start, d0, d1, d2), codegen

    return block


block1, block2, block3 = _block(1), _block(2), _block(3)


@intrinsic
def pointer(typingctx, memory, start):
    """A raw pointer to ``memory[start]``: indexing it costs one load, and it carries no
    reference count."""

    def codegen(context, builder, signature, args):
        return builder.gep(_data(context, builder, signature.args[0], args[0]), [args[1]])

    return types.CPointer(memory.dtype)(memory, start), codegen


def _accessor_source(entry) -> str:
    h = header_of(entry.name)
    head = f"def {entry.name}(I, F):\n"
    if isinstance(entry, Array):
        memory = "I" if entry.kind == "int" else "F"
        dims = ", ".join(f"I[{h + k}]" for k in range(4))
        return head + f"    return block{entry.ndim}({memory}, {dims})\n"
    if isinstance(entry, Record):
        values = ", ".join(f"F[I[{h + 1}] + {c}]" for c in range(len(entry.floats)))
        return head + f"    return {entry.name}_type({values}, 1)\n"
    wi, wf = _int_width(entry), _float_width(entry)
    columns = [f"pointer(I, I[{h}] + {c} * I[{h + 3}])" for c in range(wi)]
    columns += [f"pointer(F, I[{h + 1}] + {c} * I[{h + 3}])" for c in range(wf)]
    return head + f"    return {entry.name}_type({', '.join(columns)}, I[{h + 2}])\n"


SOURCE = "\n".join(_accessor_source(entry) for entry in SPEC)


def _compile() -> dict:
    namespace = {"pointer": pointer, "block1": block1, "block2": block2, "block3": block3}
    namespace.update(
        {f"{entry.name}_type": _view_type(entry) for entry in SPEC if not isinstance(entry, Array)}
    )
    exec(compile(SOURCE, "<droneworks kernel tables>", "exec"), namespace)
    return {entry.name: nb.njit(**JIT)(namespace[entry.name]) for entry in SPEC}


globals().update(_compile())
