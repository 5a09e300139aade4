"""The discrete-event engine: a small compiled kernel plus its Python driver."""

# ruff: noqa: E402  (the cache guard must run before any kernel module is imported)

from droneworks.factory.engine.cache_guard import refresh_stale_cache

refresh_stale_cache()

from droneworks.factory.engine.result import PurchaseOrderLike, SimResult
from droneworks.factory.engine.simulate import compile_seconds, simulate

__all__ = ["PurchaseOrderLike", "SimResult", "compile_seconds", "simulate"]
