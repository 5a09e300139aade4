"""Optional parts installed as pip extras, and the one message when one is missing.

The core install runs every command on the shipped examples; heavy parts used by a few
options are extras (``pip install 'droneworks[NAME]'``):

============  ===================  ======================================================
extra         packages             needed by
============  ===================  ======================================================
eventlog      pyarrow              ``factory simulate --event-log``
raster        rasterio             ``mission spray --ndvi`` (GeoTIFF rasters)
postgres      psycopg              ``--db postgresql://…``
report        plotly               ``--report`` of the factory commands (HTML with plotly
                                   figures) and the factory parts of ``demo``
cluster       dask[distributed]    the Dask executor (``--executor dask``-style options)
web           fastapi, jinja2,     ``droneworks serve`` (the web dashboard; it serves
              uvicorn, plotly      plotly.js to the reports it shows)
============  ===================  ======================================================

``make demo`` and ``make test`` install them all.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from droneworks.core.errors import MissingExtraError

__all__ = ["EXTRAS", "require"]

EXTRAS: dict[str, tuple[str, ...]] = {
    "eventlog": ("pyarrow",),
    "raster": ("rasterio",),
    "postgres": ("psycopg",),
    "report": ("plotly",),
    "cluster": ("dask", "distributed"),
    "web": ("fastapi", "jinja2", "uvicorn", "multipart", "plotly"),
}


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """Import ``module``, or raise one message naming the extra that provides it."""
    if extra not in EXTRAS:
        raise ValueError(f"unknown extra {extra!r}")
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise MissingExtraError(
            f"{purpose} needs the optional package {module.split('.')[0]} "
            f"(not installed: {error.name or module}); "
            f"install it with: pip install 'droneworks[{extra}]'"
        ) from error
