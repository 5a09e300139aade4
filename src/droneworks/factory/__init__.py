"""droneworks factory wing: plant files, the compiled problem, the simulation engine.

from droneworks.factory import load_plant, compile_plant, simulate
plant = load_plant("examples/plants/minsk-100k.toml")
result = simulate(compile_plant(plant), seed=0)
result.kpis["units"], result.kpis["wc.flight-test.blocked"]

The names are imported on first use (PEP 562): reading a plant file does not load numba.
numba caches compiled code in the user cache folder (:mod:`droneworks.core.numba_cache`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from droneworks.core.lazy import lazy_attributes
from droneworks.core.numba_cache import use_user_cache

use_user_cache()  # before any module of the wing imports numba

if TYPE_CHECKING:
    from droneworks.factory.compile import compile_plant
    from droneworks.factory.engine.result import PurchaseOrderLike, SimResult
    from droneworks.factory.engine.simulate import compile_seconds, simulate
    from droneworks.factory.model import (
        Plant,
        load_plant,
        parse_plant,
        plant_json_schema,
        with_changes,
    )
    from droneworks.factory.problem import Problem
    from droneworks.factory.problem_builder import Dist, ProblemBuilder

_HOME = {
    "compile_plant": "compile",
    "PurchaseOrderLike": "engine",
    "SimResult": "engine",
    "compile_seconds": "engine",
    "simulate": "engine",
    "Plant": "model",
    "load_plant": "model",
    "parse_plant": "model",
    "plant_json_schema": "model",
    "with_changes": "model",
    "Problem": "problem",
    "Dist": "problem_builder",
    "ProblemBuilder": "problem_builder",
}

__all__ = [
    "Dist",
    "Plant",
    "Problem",
    "ProblemBuilder",
    "PurchaseOrderLike",
    "SimResult",
    "compile_plant",
    "compile_seconds",
    "load_plant",
    "parse_plant",
    "plant_json_schema",
    "simulate",
    "with_changes",
]


__getattr__ = lazy_attributes(__name__, _HOME)
