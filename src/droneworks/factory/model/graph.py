"""A depth-first cycle finder shared by the BOM and blocking checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["find_cycle"]


def find_cycle(graph: Mapping[str, Iterable[str]]) -> list[str]:
    """One cycle as ``[a, b, a]``, or [] when ``graph`` is acyclic.

    Nodes are visited in sorted order and children in the order given; children that are not
    nodes of ``graph`` are ignored.
    """
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for child in graph[node]:
            if child not in graph:
                continue
            if state.get(child) == 1:
                return [*stack[stack.index(child) :], child]
            if child not in state and (found := visit(child)):
                return found
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []
