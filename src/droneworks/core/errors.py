"""The droneworks exception tree.

Every error droneworks raises on purpose is a :class:`DroneworksError`; the CLI catches that
base class once and prints ``ErrorName: message``::

    DroneworksError            base class, never raised directly
    ├── ConfigError            a user file or value is wrong (bad unit, unknown key, bad TOML)
    ├── ModelError             a valid file describes an impossible model (cyclic BOM,
    │                          dangling reference, product without routing)
    ├── InfeasibleError        a request cannot be met at all (target above every option)
    ├── SimulationError        an engine broke an invariant while running
    ├── StoreError             the runs database cannot be read or written
    ├── OutputError            an output cannot be written where asked (a folder named as a
    │                          file, an existing file without --force, no permission)
    └── MissingExtraError      an option needs an optional package (names the pip extra)

Bad arguments to library functions raise the built-in :class:`ValueError` with a short
message naming the value, as Python itself does.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "DroneworksError",
    "InfeasibleError",
    "MissingExtraError",
    "ModelError",
    "OutputError",
    "SimulationError",
    "StoreError",
]


class DroneworksError(Exception):
    """Base class of every error droneworks raises on purpose."""


class ConfigError(DroneworksError):
    """A user-supplied file or value is malformed: wrong unit, unknown key, bad syntax."""


class ModelError(DroneworksError):
    """A well-formed input describes a model that cannot exist (cycle, dangling reference)."""


class InfeasibleError(DroneworksError):
    """A request cannot be satisfied by any option available."""


class SimulationError(DroneworksError):
    """An engine found a broken invariant while running: a bug, never bad input."""


class StoreError(DroneworksError):
    """The runs database cannot be opened, read or written."""


class OutputError(DroneworksError):
    """An output file or folder cannot be written where the user asked."""


class MissingExtraError(DroneworksError):
    """An option needs an optional package; the message names the extra to install."""
