"""The kernel's on-disk cache: drop it when any kernel source changed, know when it is warm.

numba keys a cached function on its own file only; the kernel's functions also depend on
constants and helpers in sibling modules (``spec.py``, ``core.py`` …), so an edit there
could load stale machine code. A fingerprint of every engine source file guards that.
The cache lives in the user cache folder (:mod:`droneworks.core.numba_cache`), never in
the package tree. After the kernel was compiled (or loaded) once, a marker with the
fingerprint says the cache is warm, and the seconds a real compile took (numba's own
count of cache misses, not the marker, tells a compile from a load) are kept as the
estimate shown before the next one.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from droneworks.core.numba_cache import cache_root, numba_cache_folder

__all__ = [
    "compile_estimate_s",
    "compile_notice",
    "compiled_here",
    "kernel_cached",
    "mark_warm",
    "refresh_stale_cache",
]


ENGINE_FOLDER = Path(__file__).resolve().parent
STAMP = "kernel-sources.sha256"
WARM = "kernel-warm.sha256"
COMPILE_RECORD = "kernel-compile-seconds"
# The seconds of a cold compile on the project's 2-core machine, rounded up (20.8 s CPU
# since the accessors became intrinsics, benchmarks/RESULTS.md; an idle machine waits
# about as long in wall time); shown until this machine has measured its own (wall).
DEFAULT_COMPILE_S = 25.0


def _fingerprint(folder: Path) -> str:
    digest = hashlib.sha256()
    for source in sorted(folder.glob("*.py")):
        digest.update(source.name.encode() + source.read_bytes())
    return digest.hexdigest()


def refresh_stale_cache(folder: Path = ENGINE_FOLDER) -> bool:
    """Delete the cached kernel if the engine's sources changed; True when it did."""
    cache = numba_cache_folder(folder)
    stamp = cache / STAMP
    fingerprint = _fingerprint(folder)
    try:
        if stamp.exists() and stamp.read_text() == fingerprint:
            return False
        cache.mkdir(parents=True, exist_ok=True)
        legacy = folder / "__pycache__"  # where versions before issue 12 cached the kernel
        for place in (cache, legacy):
            for stale in [*place.glob("*.nbi"), *place.glob("*.nbc")]:
                stale.unlink(missing_ok=True)
        (cache / WARM).unlink(missing_ok=True)
        stamp.write_text(fingerprint)
    except OSError:  # unwritable cache folder: numba falls back to compiling in memory
        return False
    return True


def kernel_cached(folder: Path = ENGINE_FOLDER) -> bool:
    """True when the kernel of the current sources was compiled into the cache before."""
    try:
        return (numba_cache_folder(folder) / WARM).read_text() == _fingerprint(folder)
    except OSError:
        return False


def compiled_here(dispatcher: Any) -> bool:
    """True when numba compiled ``dispatcher`` in this process rather than loading it
    from the cache (only then are its seconds a compile time)."""
    return bool(dispatcher.stats.cache_misses)


def mark_warm(compile_s: float | None, folder: Path = ENGINE_FOLDER) -> None:
    """The kernel is in the cache; ``compile_s``: seconds a real compile took (None when
    it was loaded: the estimate stays the last compile's)."""
    try:
        (numba_cache_folder(folder) / WARM).write_text(_fingerprint(folder))
        if compile_s is not None:
            cache_root().mkdir(parents=True, exist_ok=True)
            (cache_root() / COMPILE_RECORD).write_text(f"{compile_s:.1f}\n")
    except OSError:
        pass


def compile_estimate_s() -> float:
    """Seconds the last cold compile took on this machine (a measured default before)."""
    try:
        return float((cache_root() / COMPILE_RECORD).read_text())
    except (OSError, ValueError):
        return DEFAULT_COMPILE_S


def compile_notice() -> str:
    """What a user reads before a cold compile."""
    return f"compiling the simulation kernel once, about {compile_estimate_s():.0f} s"
