"""Drop numba's on-disk cache of the kernel when any kernel source changed.

numba keys a cached function on its own file only; the kernel's functions also depend on
constants and helpers in sibling modules (``layout.py``, ``core.py`` …), so an edit there
could load stale machine code. A fingerprint of every engine source file guards that.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = ["refresh_stale_cache"]


ENGINE_FOLDER = Path(__file__).resolve().parent


def refresh_stale_cache(folder: Path = ENGINE_FOLDER) -> bool:
    """Delete the cached kernel if the engine's sources changed; True when it did."""
    digest = hashlib.sha256()
    for source in sorted(folder.glob("*.py")):
        digest.update(source.name.encode() + source.read_bytes())
    cache = folder / "__pycache__"
    stamp = cache / "kernel-sources.sha256"
    fingerprint = digest.hexdigest()
    try:
        if stamp.exists() and stamp.read_text() == fingerprint:
            return False
        cache.mkdir(exist_ok=True)
        for stale in [*cache.glob("*.nbi"), *cache.glob("*.nbc")]:
            stale.unlink(missing_ok=True)
        stamp.write_text(fingerprint)
    except OSError:  # read-only install: numba falls back to compiling in memory
        return False
    return True
