# numba extension code: untyped by nature, checked by the kernel's tests
# mypy: ignore-errors
"""Arrays the kernel borrows: no reference counting.

numba counts references to every array it passes or creates: one call to ``NRT_incref`` or
``NRT_decref`` each (never inlined), even when the array carries no memory-info pointer.
The kernel's memory ``I``/``F`` and every view into it live as long as the driver's numpy
arrays, so counting is pure cost (it was about a tenth of the run time).
:class:`BorrowedArray` is a numpy array type laid out exactly like numba's own, but whose
memory-info slot is a plain pointer: numba emits no counting for it, and every array
operation (indexing, ``shape``, slices) works unchanged.
"""

from __future__ import annotations

from numba.core import cgutils, types
from numba.core.datamodel import models
from numba.extending import intrinsic, register_model

__all__ = ["BorrowedArray", "borrowed"]


class BorrowedArray(types.Array):
    """A C-contiguous array whose memory is kept alive by someone else."""

    def __init__(self, dtype, ndim, layout="C", readonly=False, name=None, aligned=True):
        super().__init__(dtype, ndim, layout, readonly=readonly, aligned=aligned,
                         name=name or f"borrowed array({dtype}, {ndim}d, {layout})")  # fmt: skip


@register_model(BorrowedArray)
class _BorrowedArrayModel(models.StructModel):
    """numba's array layout with an untracked pointer in place of the memory info."""

    def __init__(self, dmm, fe_type):
        members = [
            ("meminfo", types.voidptr),
            ("parent", types.pyobject),
            ("nitems", types.intp),
            ("itemsize", types.intp),
            ("data", types.CPointer(fe_type.dtype)),
            ("shape", types.UniTuple(types.intp, fe_type.ndim)),
            ("strides", types.UniTuple(types.intp, fe_type.ndim)),
        ]
        super().__init__(dmm, fe_type, members)


@intrinsic
def borrowed(typingctx, array):
    """The same array as a :class:`BorrowedArray` (memory-info pointer cleared). Only for
    arrays the caller keeps alive (the kernel's I and F)."""
    out_type = BorrowedArray(array.dtype, array.ndim, array.layout)

    def codegen(context, builder, signature, args):
        source = context.make_array(signature.args[0])(context, builder, value=args[0])
        out = context.make_array(out_type)(context, builder)
        for field in ("parent", "nitems", "itemsize", "data", "shape", "strides"):
            setattr(out, field, getattr(source, field))
        out.meminfo = cgutils.get_null_value(out.meminfo.type)
        return out._getvalue()

    return out_type(array), codegen
