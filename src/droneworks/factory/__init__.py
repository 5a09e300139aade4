"""droneworks factory wing: plant files, the compiled problem, the simulation engine.

from droneworks.factory import load_plant, compile_plant, simulate
plant = load_plant("examples/plants/minsk-100k.toml")
result = simulate(compile_plant(plant), seed=0)
result.kpis["units"], result.kpis["wc.flight-test.blocked"]
"""

from droneworks.factory.compile import compile_plant
from droneworks.factory.engine import PurchaseOrderLike, SimResult, compile_seconds, simulate
from droneworks.factory.model import Plant, load_plant, parse_plant, plant_json_schema, with_changes
from droneworks.factory.problem import Problem
from droneworks.factory.problem_builder import Dist, ProblemBuilder

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
