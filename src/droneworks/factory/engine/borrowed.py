# numba extension code: untyped by nature, checked by the kernel's tests
# mypy: ignore-errors
"""Memory the kernel borrows: raw pointers and arrays without reference counting.

numba counts references to every array it passes or creates: one call to ``NRT_incref`` or
``NRT_decref`` each (never inlined), even when the array carries no memory-info pointer.
The kernel's memory ``I``/``F`` and every view into it live as long as the driver's numpy
arrays, so counting is pure cost (it was about a tenth of the run time). Inside the kernel
``I`` and ``F`` are raw pointers (:func:`borrowed`): one argument per call instead of an
array's seven. :class:`BorrowedArray`, the type of the views into them, is a numpy array
type laid out exactly like numba's own, but whose memory-info slot is a plain pointer:
numba emits no counting for it, and every array operation (indexing, ``shape``, slices)
works unchanged.
"""

from __future__ import annotations

from numba.core import types
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
    """A raw pointer to the data of ``array`` (the kernel's I or F): indexing it costs one
    load, passing it one argument (an array is seven), and it is never reference counted.
    Only for arrays the caller keeps alive."""

    def codegen(context, builder, signature, args):
        return context.make_array(signature.args[0])(context, builder, value=args[0]).data

    return types.CPointer(array.dtype)(array), codegen
