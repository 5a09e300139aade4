"""The discrete-event engine: a small compiled kernel plus its Python driver."""

from droneworks.factory.engine.result import PurchaseOrderLike, SimResult
from droneworks.factory.engine.simulate import compile_seconds, simulate

__all__ = ["PurchaseOrderLike", "SimResult", "compile_seconds", "simulate"]
