"""Boustrophedon cell decomposition on the swath lines.

Around holes and in concave fields one swath line splits into several pieces. A *cell* is a
maximal run of consecutive lines whose pieces connect one-to-one (each piece overlaps exactly
one piece on the next line and that piece exactly one on this line) — the discrete form of
Choset's boustrophedon decomposition: a cell ends where a hole or a bay opens or closes
(a critical point). Inside a cell the drone sweeps back and forth without leaving it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from droneworks.missions.coverage.swaths import Swaths

__all__ = ["BoustrophedonDecomposition", "Cell", "Decomposition"]


@dataclass(frozen=True)
class Cell:
    """Consecutive swath pieces ``(line, piece)`` swept back and forth, bottom to top."""

    pieces: tuple[tuple[int, int], ...]


def _overlaps(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


class Decomposition(Protocol):
    def decompose(self, swaths: Swaths) -> tuple[Cell, ...]: ...


@dataclass(frozen=True)
class BoustrophedonDecomposition:
    """Cells of one-to-one connected swath pieces (see the module docstring)."""

    def decompose(self, swaths: Swaths) -> tuple[Cell, ...]:
        lines = swaths.intervals
        up: dict[tuple[int, int], list[int]] = {}
        down: dict[tuple[int, int], list[int]] = {}
        for k in range(len(lines) - 1):
            for i, a in enumerate(lines[k]):
                for j, b in enumerate(lines[k + 1]):
                    if _overlaps((a[0], a[1]), (b[0], b[1])):
                        up.setdefault((k, i), []).append(j)
                        down.setdefault((k + 1, j), []).append(i)
        cells: list[Cell] = []
        used: set[tuple[int, int]] = set()
        for k, intervals in enumerate(lines):
            for i in range(len(intervals)):
                if (k, i) in used:
                    continue
                chain = [(k, i)]
                used.add((k, i))
                line, piece = k, i
                while len(up.get((line, piece), [])) == 1:
                    nxt = up[(line, piece)][0]
                    if len(down.get((line + 1, nxt), [])) != 1 or (line + 1, nxt) in used:
                        break
                    line, piece = line + 1, nxt
                    chain.append((line, piece))
                    used.add((line, piece))
                cells.append(Cell(tuple(chain)))
        return tuple(cells)
