"""One bad file per error class: one message naming the key path; the CLI exits 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from droneworks.core.errors import ConfigError, DroneworksError, ModelError
from droneworks.factory.model import load_plant
from tests.cli.conftest import Run
from tests.factory.model.conftest import Edit

TIME_2 = 'time = "10 min"\nskill = "testing"'
ARM_OPS = '[[assemblies.arm.operations]]\nwork_centre = "arm-cell"'

# (id, replacements, error class, exact message after "<file>: ")
CASES: list[tuple[str, list[tuple[str, str]], type[DroneworksError], str]] = [
    (
        "unknown-key",
        [("[work_centres.kitting]\n", '[work_centres.kitting]\ncolour = "red"\n')],
        ConfigError,
        "work_centres.kitting.colour: unknown key",
    ),
    (
        "decimal-comma",
        [('mode = "20 min"', 'mode = "2,5 min"')],
        ConfigError,
        'products.sprayer.operations[1].time.mode: "2,5 min" is not a duration '
        "(use a decimal point, not a comma)",
    ),
    (
        "wrong-dimension",
        [('mean = "30 min"', 'mean = "30 m"')],
        ConfigError,
        'products.sprayer.operations[2].test.rework[0].time.mean: "30 m" is not a duration: '
        "it is a length",
    ),
    (
        "bare-number",
        [('horizon = "4 wk"', "horizon = 4")],
        ConfigError,
        'plant.horizon: 4 has no unit; write the duration as text with its unit, e.g. "4 min"',
    ),
    (
        "negative-time",
        [('mean = "4 min"', 'mean = "-4 min"')],
        ConfigError,
        "assemblies.arm.operations[0].time.mean: must not be negative, got -4 min",
    ),
    (
        "negative-shorthand-time",
        [(TIME_2, 'time = "-10 min"\nskill = "testing"')],
        ConfigError,
        "products.sprayer.operations[2].time: must not be negative, got -10 min",
    ),
    (
        "missing-required-key",
        [('drone_type = "agras-t40-class"\n', "")],
        ConfigError,
        "products.sprayer.drone_type: required key is missing",
    ),
    (
        "missing-distribution-key",
        [("cv = 0.25", "sd = \"1 min\"")],
        ConfigError,
        'assemblies.arm.operations[0].time: lognormal distribution needs "cv"',
    ),
    (
        "unknown-work-centre",
        [('work_centre = "test"', 'work_centre = "flite-test"')],
        ModelError,
        'products.sprayer.operations[2].work_centre: unknown work centre "flite-test"; '
        "known: arm-cell, assembly, kitting, test",
    ),
    (
        "unknown-part",
        [("consumes = {frame-kit = 1}", "consumes = {frame-kits = 1}")],
        ModelError,
        'products.sprayer.operations[0].consumes.frame-kits: unknown part or assembly '
        '"frame-kits"; known: arm, frame-kit, motor, motor-mount, tube',
    ),
    (
        "unknown-pool",
        [('worker = "assemblers"\n\n[suppliers', 'worker = "welders"\n\n[suppliers')],
        ModelError,
        'assemblies.arm.operations[0].worker: unknown worker pool "welders"; '
        "known: assemblers, testers",
    ),
    (
        "unknown-drone-type",
        [('drone_type = "agras-t40-class"', 'drone_type = "agras-t99"')],
        ModelError,
        'products.sprayer.drone_type: unknown drone type "agras-t99"; known: agras-t40-class, '
        "agras-t50-class, manna-class-cargo, mavic-3m-class, small-fixed-wing, "
        "small-multirotor, wing-class-cargo",
    ),
    (
        "cyclic-bom",
        [
            ("consumes = {tube = 1, motor-mount = 1}", "consumes = {tube = 1, hub = 1}"),
            (
                ARM_OPS,
                '[assemblies.hub]\ntarget_stock = 2\n\n[[assemblies.hub.operations]]\n'
                'work_centre = "arm-cell"\ntime = "1 min"\nconsumes = {arm = 1}\n\n' + ARM_OPS,
            ),
        ],
        ModelError,
        "assemblies.arm: cyclic bill of materials: arm → hub → arm (arm consumes hub)",
    ),
    (
        "product-without-routing",
        [("[products.sprayer]\n", "[products.bare]\ndrone_type = \"small-multirotor\"\n"
          "operations = []\n\n[products.sprayer]\n")],
        ModelError,
        'products.bare.operations: product "bare" has no routing',
    ),
    (
        "unknown-product-in-plan",
        [("plan = {sprayer = [10, 12, 12, 14, 14]}",
          "plan = {sprayer = [10, 12, 12, 14, 14], cargo = [1, 1, 1, 1, 1]}")],
        ModelError,
        'demand.plan.cargo: unknown product "cargo"; known: sprayer',
    ),
    (
        "unknown-work-centre-in-change",
        [('work_centre = "assembly"\nstations = 3', 'work_centre = "asembly"\nstations = 3')],
        ModelError,
        'capacity_changes[0].work_centre: unknown work centre "asembly"; '
        "known: arm-cell, assembly, kitting, test",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("replacements", "error", "message"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])  # fmt: skip
def test_bad_file_names_the_key_path(
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


@pytest.mark.parametrize(("replacements", "error", "message"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])  # fmt: skip
def test_cli_validate_bad_file_exits_1_without_traceback(
    run: Run,
    edited: Edit,
    replacements: list[tuple[str, str]],
    error: type[DroneworksError],
    message: str,
) -> None:
    path = edited(*replacements)
    outcome = run("factory", "validate", str(path))
    assert outcome.code == 1
    assert outcome.err.startswith(f"{error.__name__}: {path}: ")
    assert message.split(":")[0] in outcome.err
    assert "Traceback" not in outcome.err
    assert outcome.out == ""


def test_several_problems_are_listed_together(edited: Edit) -> None:
    path = edited(
        ('work_centre = "test"', 'work_centre = "nowhere"'),
        ('drone_type = "agras-t40-class"', 'drone_type = "nope"'),
    )
    with pytest.raises(ModelError) as caught:
        load_plant(path)
    text = str(caught.value)
    assert text.startswith(f"{path}: 2 problems\n")
    assert "products.sprayer.drone_type: unknown drone type" in text
    assert "products.sprayer.operations[2].work_centre: unknown work centre" in text


def test_missing_file_and_bad_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_plant(tmp_path / "absent.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[plant\nname = 1")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_plant(broken)


def test_unused_work_centre_is_a_warning_not_an_error(edited: Edit) -> None:
    path = edited(("[work_centres.test]\n", "[work_centres.paint]\n\n[work_centres.test]\n"))
    plant = load_plant(path)
    assert plant.warnings == (
        'work_centres.paint: work centre "paint" is not used by any operation',
    )


def test_cli_prints_warnings_and_exits_0(run: Run, edited: Edit) -> None:
    path = edited(("[work_centres.test]\n", "[work_centres.paint]\n\n[work_centres.test]\n"))
    outcome = run("factory", "validate", str(path), "--json")
    assert outcome.code == 0
    assert (
        '"work_centres.paint: work centre \\"paint\\" is not used by any operation"' in outcome.out
    )


def test_batch_larger_than_the_buffer_is_a_warning(edited: Edit) -> None:
    path = edited(
        ('time = "10 min"\nskill = "testing"', 'time = "10 min"\nbatch = 5\nskill = "testing"')
    )
    plant = load_plant(path)
    assert (
        'products.sprayer.operations[2].batch: batches of 5 never fill at work centre "test" '
        "(buffer 3): at most 4 units are processed together"
    ) in plant.warnings


def test_buffer_zero_is_accepted_with_batches(edited: Edit) -> None:
    path = edited(
        ("buffer = 3", "buffer = 0"),
        ('time = "10 min"\nskill = "testing"', 'time = "10 min"\nbatch = 2\nskill = "testing"'),
    )
    plant = load_plant(path)
    assert plant.work_centres["test"].buffer == 0
    assert any("batches of 2 never fill" in warning for warning in plant.warnings)


def test_more_workers_needed_than_the_pool_has_is_a_warning(edited: Edit) -> None:
    path = edited(
        (
            'time = "10 min"\nskill = "testing"',
            'time = "10 min"\nskill = "testing"\nworkers_needed = 2',
        )
    )
    assert load_plant(path).warnings == (
        "products.sprayer.operations[2].workers_needed: needs 2 workers at once; "
        "its largest pool has 1",
    )


def test_rework_loop_through_finite_buffers_is_a_warning(edited: Edit) -> None:
    # Rework at "assembly" (now with a finite buffer) and the retest at "test" (buffer 3).
    path = edited(
        (
            "[work_centres.assembly]\nstations = 2\n",
            "[work_centres.assembly]\nstations = 2\nbuffer = 4\n",
        )
    )
    assert load_plant(path).warnings == (
        "work_centres.assembly.buffer: units can block each other in a loop of finite "
        "buffers (assembly → test → assembly); the plant may deadlock — give one of them "
        "an unlimited buffer (omit `buffer`)",
    )
