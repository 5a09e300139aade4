"""Files shipped inside the package: the example plants, fields, walls and deliveries.

The repository's ``examples/`` folder is the package's ``droneworks/examples`` (a symlink in
the source tree, real files in a wheel), so the same call finds them in a clone, an editable
install and an installed wheel::

    example_path("plants", "minsk-100k.toml")
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["example_path"]


def example_path(*parts: str) -> Path:
    """The path of a shipped example file (FileNotFoundError naming it when missing)."""
    path = Path(str(resources.files("droneworks").joinpath("examples", *parts)))
    if not path.exists():
        raise FileNotFoundError(f"droneworks example examples/{'/'.join(parts)} is missing")
    return path
