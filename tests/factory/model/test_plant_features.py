"""Plant-file keys of transport, dispatching, batching and kitting: each mistake gets one
message naming its key path, and a good file compiles into what the engine runs."""

from __future__ import annotations

import pytest

from droneworks.core.errors import ConfigError, DroneworksError, ModelError
from droneworks.factory import compile_plant, simulate
from droneworks.factory.model import load_plant
from tests.factory.model.conftest import Edit

TEST_STEP = 'skill = "testing"\ntest'
POOLS = "[workers.testers]"
AGV = "[transporters.agv]\ncount = 2\ncapacity = 3\n\n[workers.testers]"
ASSEMBLY = "[work_centres.assembly]\nstations = 2\n"
PRICE = "unit_price = 15000\n"

CASES: list[tuple[str, list[tuple[str, str]], type[DroneworksError], str]] = [
    (
        "unknown-transporter",
        [(TEST_STEP, 'skill = "testing"\nmove = {time = "2 min", transporter = "cart"}\ntest'),
         (POOLS, AGV)],
        ModelError,
        'products.sprayer.operations[2].move.transporter: unknown transporter "cart"; '
        "known: agv",
    ),
    (
        "no-vehicle",
        [(POOLS, "[transporters.agv]\ncount = 0\n\n[workers.testers]")],
        ConfigError,
        "transporters.agv.count: Input should be greater than or equal to 1",
    ),
    (
        "negative-move",
        [(TEST_STEP, 'skill = "testing"\nmove = "-2 min"\ntest')],
        ConfigError,
        "products.sprayer.operations[2].move.time: must not be negative, got -2 min",
    ),
    (
        "move-key-typo",
        [(TEST_STEP, 'skill = "testing"\nmove = {time = "2 min", vehicle = "agv"}\ntest')],
        ConfigError,
        "products.sprayer.operations[2].move.vehicle: unknown key",
    ),
    (
        "speeds-per-station",
        [(ASSEMBLY, ASSEMBLY + "speeds = [1.0]\n")],
        ConfigError,
        "work_centres.assembly: speeds gives 1 speed(s) for 2 stations",
    ),
    (
        "speed-zero",
        [(ASSEMBLY, ASSEMBLY + "speeds = [1.0, 0]\n")],
        ConfigError,
        "work_centres.assembly.speeds[1]: Input should be greater than 0",
    ),
    (
        "unknown-rule",
        [(ASSEMBLY, ASSEMBLY + 'dispatch = "lifo"\n')],
        ConfigError,
        "work_centres.assembly.dispatch: Input should be 'fifo', 'spt', 'edd' or 'priority'",
    ),
    (
        "batch-wait-without-batch",
        [('id = "kit"\n', 'id = "kit"\nbatch_wait = "10 min"\n')],
        ConfigError,
        'products.sprayer.operations[0]: "batch_wait" (the longest wait for a full batch) '
        "needs batch > 1",
    ),
    (
        "due-in-zero",
        [(PRICE, PRICE + 'due_in = "0 d"\n')],
        ConfigError,
        "products.sprayer.due_in: Input should be greater than 0",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("replacements", "error", "message"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])  # fmt: skip
def test_bad_feature_names_the_key_path(
    edited: Edit,
    replacements: list[tuple[str, str]],
    error: type[DroneworksError],
    message: str,
) -> None:
    path = edited(*replacements)
    with pytest.raises(error) as caught:
        load_plant(path)
    assert type(caught.value) is error
    assert str(caught.value) == f"{path}: {message}"


def test_unused_transporter_is_a_warning(edited: Edit) -> None:
    plant = load_plant(edited((POOLS, AGV)))
    assert 'transporters.agv: transporter "agv" is not used by any move' in plant.warnings


def test_moves_compile_and_run(edited: Edit) -> None:
    move = 'skill = "testing"\nmove = {time = {dist = "uniform", low = "2 min", high = "4 min"}, '
    path = edited((TEST_STEP, move + 'transporter = "agv"}\ntest'), (POOLS, AGV),
                  ('rework = [{work_centre = "assembly", ',
                   'rework = [{work_centre = "assembly", move = "1 min", '))  # fmt: skip
    plant = load_plant(path)
    assert plant.products["sprayer"].operations[2].move.transporter == "agv"  # type: ignore[union-attr]
    rework = plant.products["sprayer"].operations[2].test.rework[0]  # type: ignore[union-attr]
    assert rework.move is not None and rework.move.transporter is None
    problem = compile_plant(plant)
    assert problem.transporters == ("agv",)
    assert list(problem.transporter_count) == [2] and list(problem.transporter_capacity) == [3]
    assert (problem.op_move_stream >= 0).sum() == 2  # the test and its rework step
    kpis = simulate(problem, seed=1).kpis
    assert kpis["transport.agv.units"] > 0
    assert kpis["transport.agv.units"] <= 3 * kpis["transport.agv.trips"]


RULE_WARNINGS = [("edd", 'no item made here has "due_in"'),
                 ("priority", "every item made here has the same")]  # fmt: skip
TEST_CENTRE = "[work_centres.test]\nstations = 1\n"


@pytest.mark.parametrize(("rule", "says"), RULE_WARNINGS)
def test_a_rule_without_its_data_is_a_warning(edited: Edit, rule: str, says: str) -> None:
    plant = load_plant(edited((ASSEMBLY, ASSEMBLY + f'dispatch = "{rule}"\n')))
    assert any(w.startswith(f"work_centres.assembly.dispatch: \"{rule}\" but") and says in w
               for w in plant.warnings)  # fmt: skip


def test_dispatching_and_speeds_compile_and_run(edited: Edit) -> None:
    path = edited((ASSEMBLY, ASSEMBLY + 'dispatch = "edd"\nspeeds = [1.0, 0.5]\n'),
                  (PRICE, PRICE + 'due_in = "2 d"\npriority = 3\n'))  # fmt: skip
    plant = load_plant(path)
    assert not any("dispatch" in warning for warning in plant.warnings)
    problem = compile_plant(plant)
    w = problem.work_centres.index("assembly")
    first = problem.wc_station_start[w]
    assert list(problem.station_speed[first : first + 4]) == [1.0, 0.5, 1.0, 1.0]  # max 4
    assert problem.jt_due_in_min[0] == 2 * 1440 and problem.jt_priority[0] == 3
    kpis = simulate(problem, seed=1).kpis
    assert 0.0 <= kpis["on_time.sprayer"] <= 1.0
    assert kpis["tardiness_mean_min.sprayer"] >= 0.0


def test_batches_and_kitting_compile_and_run(edited: Edit) -> None:
    path = edited((ASSEMBLY, ASSEMBLY + "kitting = true\n"),
                  ('id = "kit"\n', 'id = "kit"\nbatch = 3\nbatch_wait = "20 min"\n'))  # fmt: skip
    plant = load_plant(path)
    problem = compile_plant(plant)
    assert problem.wc_kitting[problem.work_centres.index("assembly")] == 1
    assert problem.op_batch_wait_min[0] == 20.0 and problem.op_batch[0] == 3
    assert simulate(problem, seed=1).units > 0


def test_kitting_where_nothing_is_consumed_is_a_warning(edited: Edit) -> None:
    plant = load_plant(edited((TEST_CENTRE, TEST_CENTRE + "kitting = true\n")))
    assert any(w.startswith("work_centres.test.kitting: no operation here consumes")
               for w in plant.warnings)  # fmt: skip
