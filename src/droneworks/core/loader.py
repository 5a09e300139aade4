"""Bounded reading of user files: size, encoding, nesting depth and every value's range.

Every wing reads its files through these functions, so one set of limits holds everywhere
(docs/cli.md, "Limits on input files"):

* a file is at most :data:`MAX_FILE_BYTES` and is UTF-8 text (a byte-order mark is allowed);
* tables and lists nest at most :data:`MAX_DEPTH` levels;
* a text value is at most :data:`MAX_TEXT_CHARS` characters;
* numbers are finite (no ``nan``, ``inf``) and integers lie within ±(2⁶³ − 1).

A breach is a :class:`~droneworks.core.errors.ConfigError` naming the file, the key path and
the limit; the check runs before any model sees the data, so no loader can recurse, overflow
or allocate without end on a hostile file.
"""

from __future__ import annotations

import json
import math
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from droneworks.core.errors import ConfigError

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_INT",
    "MAX_TEXT_CHARS",
    "check_values",
    "parse_json_text",
    "parse_toml_text",
    "parse_xml_text",
    "read_json",
    "read_text",
    "read_toml",
]

MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 64
MAX_TEXT_CHARS = 10_000
MAX_INT = 2**63 - 1


def read_text(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """The UTF-8 text of ``path``; a ConfigError names the file when it cannot be read,
    is larger than ``max_bytes`` or is not UTF-8."""
    path = Path(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(max_bytes + 1)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a folder, not a file") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    if len(data) > max_bytes:
        raise ConfigError(f"{path}: larger than the {max_bytes // 2**20} MiB limit for input files")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{path}: not UTF-8 text (byte {error.start} is 0x{data[error.start]:02x}); "
            "save the file as UTF-8"
        ) from None


def _too_deep(source: str) -> ConfigError:
    return ConfigError(f"{source}: tables or lists nested more than {MAX_DEPTH} levels deep")


def parse_toml_text(text: str, source: str) -> dict[str, Any]:
    """Parse TOML text and :func:`check_values` it; errors name ``source``."""
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError) as error:  # ValueError: a 5,000-digit int
        raise ConfigError(f"{source}: not valid TOML: {error}") from None
    except RecursionError:
        raise _too_deep(source) from None
    check_values(data, source)
    return data


def parse_json_text(text: str, source: str) -> Any:
    """Parse JSON text (``NaN``/``Infinity`` refused) and :func:`check_values` it."""
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise ConfigError(f"{source}: not valid JSON: {error}") from None
    except ValueError as error:  # from _no_constant, or an int too long to convert
        raise ConfigError(f"{source}: not valid JSON: {error}") from None
    except RecursionError:
        raise _too_deep(source) from None
    check_values(data, source)
    return data


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number; write a finite value")


def parse_xml_text(text: str, source: str, kind: str = "XML") -> ET.Element:
    """Parse XML text (``kind`` names the format in messages, e.g. ``"KML"``); a syntax
    error or elements nested past :data:`MAX_DEPTH` are refused."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        raise ConfigError(f"{source}: not valid {kind}: {error}") from None
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ConfigError(f"{source}: {kind} elements nested more than {MAX_DEPTH} levels deep")
        stack.extend((child, depth + 1) for child in element)
    return root


def read_toml(path: str | Path) -> dict[str, Any]:
    """Read and parse a bounded TOML file (see the module docstring for the limits)."""
    return parse_toml_text(read_text(path), str(path))


def read_json(path: str | Path) -> Any:
    """Read and parse a bounded JSON (or GeoJSON) file."""
    return parse_json_text(read_text(path), str(path))


def _key_path(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def check_values(data: Any, source: str) -> None:
    """Refuse, with the key path, a value past the limits of the module docstring.

    Walks iteratively, so a deep structure cannot exhaust the Python stack.
    """
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        problem = _value_problem(value, len(path))
        if problem:
            raise ConfigError(f"{source}: {_key_path(path)}: {problem}")
        if isinstance(value, dict):
            for key, item in value.items():
                if len(str(key)) > MAX_TEXT_CHARS:
                    raise ConfigError(f"{source}: {_key_path(path)}: a key longer than "
                                      f"{MAX_TEXT_CHARS:,} characters")  # fmt: skip
                stack.append((item, (*path, str(key))))
        elif isinstance(value, list):
            stack.extend((item, (*path, index)) for index, item in enumerate(value))


def _value_problem(value: Any, depth: int) -> str | None:
    if isinstance(value, dict | list):
        return f"nested more than {MAX_DEPTH} levels deep" if depth >= MAX_DEPTH else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return "an integer outside ±(2⁶³ − 1)" if abs(value) > MAX_INT else None
    if isinstance(value, float):
        return None if math.isfinite(value) else f"{value} is not a finite number"
    if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
        return f"a text of {len(value):,} characters (at most {MAX_TEXT_CHARS:,})"
    return None
