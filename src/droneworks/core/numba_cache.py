"""Where numba keeps compiled machine code: a per-user cache folder, not the package tree.

numba reads ``NUMBA_CACHE_DIR`` when it is first imported. :func:`use_user_cache` sets it
(and numba's config, if numba was already imported); ``droneworks.factory`` calls it
before any of its modules imports numba — the one place that decides. The folder is
``$DRONEWORKS_CACHE_DIR/numba`` when that variable is set, else ``numba`` in the platform's
user cache folder (``~/.cache/droneworks`` on Linux); a ``NUMBA_CACHE_DIR`` set by the user
wins. numba keeps one subfolder per source folder, so several checkouts never mix.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["CACHE_ENV", "cache_root", "numba_cache_folder", "use_user_cache"]

CACHE_ENV = "DRONEWORKS_CACHE_DIR"


def cache_root() -> Path:
    """droneworks' user cache folder (``$DRONEWORKS_CACHE_DIR`` overrides it)."""
    override = os.environ.get(CACHE_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("droneworks", appauthor=False))


def use_user_cache() -> Path:
    """Point numba's on-disk cache at the user cache folder; returns the folder."""
    folder = os.environ.get("NUMBA_CACHE_DIR", "").strip() or str(cache_root() / "numba")
    os.environ["NUMBA_CACHE_DIR"] = folder
    numba = sys.modules.get("numba")
    if numba is not None:  # imported before droneworks: its config has already been read
        numba.config.CACHE_DIR = folder
    return Path(folder)


def numba_cache_folder(source_folder: Path) -> Path:
    """The folder numba caches the functions of ``source_folder``'s modules in (numba's
    ``UserProvidedCacheLocator``: the folder's name and the SHA-1 of its absolute path)."""
    from numba.core import config
    from numba.core.caching import UserProvidedCacheLocator

    root = str(getattr(config, "CACHE_DIR", "") or use_user_cache())
    locate = UserProvidedCacheLocator.get_suitable_cache_subpath
    subpath = str(locate(str(source_folder / "x.py")))  # type: ignore[no-untyped-call]
    return Path(root) / subpath
