"""Hypothesis strategies that mutate a valid user file into a hostile one.

A seed document (a parsed example file) is changed at 1–3 places drawn from all its key
paths; each change is one of :data:`KINDS`: non-finite and huge numbers, booleans and other
wrong types, unit typos and unit overflows, deleted keys, dangling references, duplicated
list entries, empty geometry, deep nesting and over-long text. The result is written as TOML
or JSON text, and sometimes damaged at the byte level (not UTF-8, truncated, NUL bytes).
"""

from __future__ import annotations

import copy
import datetime
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

Path = tuple[str | int, ...]

_QUANTITY = re.compile(r"^\s*([+-]?[\d_.]+(?:[eE][+-]?\d+)?)\s*(\S.*)$")


def key_paths(doc: Any, limit: int = 5000) -> list[Path]:
    """Every key path of ``doc`` (breadth first, at most ``limit``), the root excluded."""
    paths: list[Path] = []
    queue: list[tuple[Any, Path]] = [(doc, ())]
    while queue and len(paths) < limit:
        value, path = queue.pop(0)
        if isinstance(value, dict | list):
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                paths.append((*path, key))
                queue.append((item, (*path, key)))
    return paths


@dataclass(frozen=True)
class Deep:
    """``inner`` wrapped in ``depth`` lists; written out without recursion by the writers."""

    depth: int
    inner: Any

    def text(self, write: Callable[[Any], str]) -> str:
        return "[" * self.depth + write(self.inner) + "]" * self.depth

    def __str__(self) -> str:
        return self.text(str)


def _quantity_variants(value: str) -> list[str]:
    match = _QUANTITY.match(value)
    if match is None:
        return [value + " furlongs"]
    number, unit = match.groups()
    return [
        f"1e308 {unit}", f"1e-300 {unit}", f"-{number} {unit}", f"nan {unit}", f"inf {unit}",
        f"{number} {unit}s", f"{number} {unit[:-1] or 'x'}", f"{number}", f"{number},5 {unit}",
        f"{number} {unit}/{unit}", f"9{'9' * 400} {unit}",
    ]  # fmt: skip


# Each kind maps (current value, a random source) to the replacement value.
Replace = Callable[[Any, st.DrawFn], Any]
KINDS: dict[str, Replace] = {
    "nan": lambda value, draw: math.nan,
    "inf": lambda value, draw: draw(st.sampled_from([math.inf, -math.inf])),
    "huge int": lambda value, draw: draw(st.sampled_from([2**63, 2**64 + 7, -(2**63) - 1])),
    "huge float": lambda value, draw: draw(st.sampled_from([1e30, 1e308, -1e308, 1e-300])),
    "edge number": lambda value, draw: draw(st.sampled_from([0, -1, 0.5, 2**31, 10**12])),
    "boolean": lambda value, draw: draw(st.booleans()),
    "text": lambda value, draw: draw(st.sampled_from(["", "x", "12", "Hexagon", "[bold]"])),
    "wrong container": lambda value, draw: draw(st.sampled_from([[], {}, [1, 2], {"a": 1}])),
    "unit": lambda value, draw: draw(
        st.sampled_from(_quantity_variants(value) if isinstance(value, str) else ["5 mn"])
    ),
    "dangling reference": lambda value, draw: "no-such-id",
    "deep nesting": lambda value, draw: Deep(draw(st.sampled_from([70, 1000, 5000])), value),
    "long text": lambda value, draw: "w" * draw(st.sampled_from([9_999, 10_001, 200_000])),
    "empty": lambda value, draw: [] if isinstance(value, list) else {},
}
STRUCTURAL = ("delete", "duplicate", "unknown key")


def _parent(doc: Any, path: Path) -> Any:
    for key in path[:-1]:
        doc = doc[key]
    return doc


@st.composite
def mutated(draw: st.DrawFn, seed_doc: Any, max_changes: int = 3) -> tuple[Any, list[str]]:
    """A deep copy of ``seed_doc`` changed at 1..``max_changes`` places, and what was done."""
    doc = copy.deepcopy(seed_doc)
    done: list[str] = []
    for _ in range(draw(st.integers(1, max_changes))):
        paths = key_paths(doc)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        kind = draw(st.sampled_from([*KINDS, *STRUCTURAL]))
        parent, key = _parent(doc, path), path[-1]
        if kind == "delete":
            del parent[key]
        elif kind == "duplicate":
            if isinstance(parent, list):
                parent.append(copy.deepcopy(parent[key]))
            else:
                parent[f"{key}-copy"] = copy.deepcopy(parent[key])
        elif kind == "unknown key":
            target = parent[key] if isinstance(parent[key], dict) else parent
            if isinstance(target, dict):
                target["colour"] = "blue"
        else:
            parent[key] = KINDS[kind](parent[key], draw)
        done.append(f"{kind} at {'/'.join(map(str, path))}")
    return doc, done


def _toml_value(value: Any) -> str:
    if isinstance(value, Deep):
        return value.text(_toml_value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") \
            if math.isinf(value) else repr(value)  # fmt: skip
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value if item is not None) + "]"
    if isinstance(value, dict):
        items = (f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in value.items()
                 if v is not None)  # fmt: skip
        return "{" + ", ".join(items) + "}"
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    raise TypeError(value)


def to_toml(doc: dict[str, Any]) -> str:
    """``doc`` as TOML: one top-level line per key, everything below as inline values."""
    return "".join(f"{json.dumps(str(key))} = {_toml_value(value)}\n"
                   for key, value in doc.items() if value is not None)  # fmt: skip


def to_json(doc: Any) -> str:
    if isinstance(doc, Deep):
        return doc.text(to_json)
    if isinstance(doc, dict):
        items = (f"{json.dumps(str(k))}: {to_json(v)}" for k, v in doc.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(doc, list):
        return "[" + ", ".join(to_json(item) for item in doc) + "]"
    return json.dumps(doc, ensure_ascii=False, allow_nan=True)


@st.composite
def damaged_bytes(draw: st.DrawFn, text: str) -> bytes:
    """``text`` as UTF-8, sometimes damaged: Latin-1, truncated, a NUL, a BOM, or whole."""
    data = text.encode("utf-8")
    kind = draw(st.sampled_from(["whole"] * 6 + ["latin-1", "truncated", "nul", "bom"]))
    if kind == "latin-1":
        return text.encode("latin-1", errors="replace") + "\n# Minsk ñ\n".encode("latin-1")
    if kind == "truncated":
        return data[: draw(st.integers(0, max(0, len(data) - 1)))]
    if kind == "nul":
        cut = draw(st.integers(0, len(data)))
        return data[:cut] + b"\x00" + data[cut:]
    if kind == "bom":
        return b"\xef\xbb\xbf" + data
    return data
