"""Bill-of-materials views of a plant: levels, low-level codes, explosion, work content."""

from __future__ import annotations

from typing import TYPE_CHECKING

from droneworks.factory.model.products import FailAction, Operation, QualityTest

if TYPE_CHECKING:
    from droneworks.factory.model.plant import Plant

__all__ = [
    "assembly_order",
    "bom_levels",
    "expected_test_visits",
    "explode_bom",
    "low_level_codes",
    "work_content_min",
]


def bom_levels(plant: Plant) -> tuple[tuple[str, ...], ...]:
    """Assemblies in build order by level: level 0 consumes no assembly, level k only
    assemblies of lower levels. Within a level, ids are sorted."""
    depth: dict[str, int] = {}

    def level(key: str) -> int:
        if key not in depth:
            children = [c for c in plant.assemblies[key].components() if c in plant.assemblies]
            depth[key] = 1 + max((level(child) for child in children), default=-1)
        return depth[key]

    for key in plant.assemblies:
        level(key)
    levels = max(depth.values(), default=-1) + 1
    return tuple(
        tuple(sorted(key for key, value in depth.items() if value == index))
        for index in range(levels)
    )


def assembly_order(plant: Plant) -> tuple[str, ...]:
    """Assemblies in a topological order: every assembly after those it consumes."""
    return tuple(key for level in bom_levels(plant) for key in level)


def low_level_codes(plant: Plant) -> dict[str, int]:
    """MRP low-level codes: products 0, each component one below its lowest parent.
    Covers products, assemblies and every consumed part (unused parts are left out)."""
    codes = dict.fromkeys(plant.products, 0)
    order = list(plant.products) + list(reversed(assembly_order(plant)))
    for key in order:  # parents before children
        for child in plant.items[key].components():
            codes[child] = max(codes.get(child, 0), codes.get(key, 0) + 1)
    return codes


def explode_bom(plant: Plant, item: str) -> dict[str, int]:
    """Purchased parts per unit of ``item`` started (through every assembly level;
    rework replacements and scrap not counted)."""
    total: dict[str, int] = {}

    def add(key: str, multiplier: int) -> None:
        for child, quantity in plant.items[key].components().items():
            if child in plant.assemblies:
                add(child, multiplier * quantity)
            else:
                total[child] = total.get(child, 0) + multiplier * quantity

    if item not in plant.items:
        raise ValueError(f"unknown product or assembly {item!r}")
    add(item, 1)
    return dict(sorted(total.items()))


def expected_test_visits(test: QualityTest, tested: int = 0) -> tuple[float, float]:
    """(probability a unit finally passes, expected reworks per unit entering the test)
    with the first-pass yield after ``tested`` units and at most ``max_reworks`` reworks."""
    first = test.yield_at(tested)
    if test.fail_action is FailAction.SCRAP or test.max_reworks == 0:
        return first, 0.0
    retest = test.retest_pass
    fail_again = 1.0 - retest
    reworks = (1.0 - first) * sum(fail_again**k for k in range(test.max_reworks))
    passed = first + (1.0 - first) * (1.0 - fail_again**test.max_reworks)
    return passed, reworks


def _operation_visits(operations: tuple[Operation, ...], tested: int) -> list[float]:
    """Expected visits of each operation per good unit out of the routing."""
    visits = [0.0] * len(operations)
    needed = 1.0
    for index in range(len(operations) - 1, -1, -1):
        test = operations[index].test
        if test is not None:
            passed, _ = expected_test_visits(test, tested)
            needed /= max(passed, 1e-12)
        visits[index] = needed
    return visits


def work_content_min(plant: Plant, item: str, tested: int = 0) -> dict[str, float]:
    """Mean station minutes per good unit of ``item`` at each work centre, through its
    assemblies: processing time / batch, times the expected visits (scrap adds starts,
    failed tests add rework operations and retests). Setups are not included: they
    depend on the sequence. ``tested`` sets the point on any yield-learning curve."""
    load: dict[str, float] = {}

    def add(key: str, units: float) -> None:
        operations = plant.items[key].operations
        for operation, visits in zip(
            operations, _operation_visits(operations, tested), strict=True
        ):
            count = units * visits
            minutes = operation.time.mean_min / operation.batch
            test = operation.test
            reworks = expected_test_visits(test, tested)[1] if test is not None else 0.0
            centre = operation.work_centre
            load[centre] = load.get(centre, 0.0) + count * minutes * (1.0 + reworks)
            if test is not None:
                for step in test.rework:
                    share = count * reworks * step.time.mean_min / step.batch
                    load[step.work_centre] = load.get(step.work_centre, 0.0) + share
            for child, quantity in operation.consumes.items():
                if child in plant.assemblies:
                    add(child, count * quantity)

    if item not in plant.items:
        raise ValueError(f"unknown product or assembly {item!r}")
    add(item, 1.0)
    return load
