"""Load numba's array-maths registry without importing ``scipy.linalg`` (issue 12).

The first time numba compiles a function or loads one from its cache, it imports all its
implementation registries. One of them, ``numba.np.arraymath``, probes at import whether a
BLAS is available by importing ``scipy.linalg.cython_blas`` — which imports the whole of
``scipy.linalg`` (with scipy's array-API layer and ``numpy.f2py``): about 0.2 s of CPU, an
eighth of a warm one-year ``factory simulate``. Our kernels use no linear algebra.

:func:`import_arraymath_lightly` imports that registry first with the probe answered from
the installed packages (is scipy there?) instead. The answer is the same as numba's, and
numba's linear-algebra functions still call the real probe (importing ``scipy.linalg``)
when one of them is compiled, so ``np.dot`` and friends keep working.
"""

from __future__ import annotations

import importlib.util
import sys

__all__ = ["import_arraymath_lightly"]


def _scipy_installed() -> None:
    """numba's BLAS probe, answered without importing scipy: raise ImportError if absent."""
    if importlib.util.find_spec("scipy") is None:
        raise ImportError("scipy 0.16+ is required for linear algebra")


def import_arraymath_lightly() -> None:
    """Import ``numba.np.arraymath`` without its ``scipy.linalg`` import (once; a no-op
    when it is already imported or numba's layout differs from the one this knows)."""
    if "numba.np.arraymath" in sys.modules:
        return
    import numba.np.linalg as linalg

    probe = getattr(linalg, "ensure_blas", None)
    if probe is None:
        return
    linalg.ensure_blas = _scipy_installed
    try:
        import numba.np.arraymath as arraymath
    finally:
        linalg.ensure_blas = probe
    if getattr(arraymath, "ensure_blas", None) is _scipy_installed:
        arraymath.ensure_blas = probe  # type: ignore[attr-defined]
