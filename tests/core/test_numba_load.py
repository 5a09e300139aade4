"""numba's array-maths registry loads without scipy.linalg, and BLAS still works (issue 12).

Each check runs in a fresh interpreter: numba imports its registries once per process."""

from __future__ import annotations

import json
import subprocess
import sys

DOT = """
import json, sys
from droneworks.core.numba_load import import_arraymath_lightly
import_arraymath_lightly()
import numba, numpy as np
import numba.np.arraymath as arraymath
light = "scipy.linalg" not in sys.modules

@numba.njit
def product(a, b):
    return np.dot(a, b)

value = product(np.arange(4.0).reshape(2, 2), np.ones(2)).tolist()
print(json.dumps([light, arraymath._HAVE_BLAS, value, "scipy.linalg" in sys.modules]))
"""


def test_arraymath_loads_without_scipy_linalg_and_dot_still_uses_blas() -> None:
    done = subprocess.run(
        [sys.executable, "-c", DOT], capture_output=True, text=True, check=True, timeout=600
    )
    light, have_blas, value, linalg_later = json.loads(done.stdout)
    assert light and have_blas
    assert value == [1.0, 5.0]
    assert linalg_later  # compiling np.dot ran numba's real BLAS probe


NUMBA_FIRST = """
import sys
import numba.np.arraymath
from droneworks.core.numba_load import import_arraymath_lightly
import_arraymath_lightly()
print(numba.np.arraymath.ensure_blas is numba.np.linalg.ensure_blas)
"""


def test_an_arraymath_imported_before_is_left_alone() -> None:
    done = subprocess.run(
        [sys.executable, "-c", NUMBA_FIRST], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "True"
