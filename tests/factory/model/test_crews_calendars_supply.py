"""Plant-file keys of the engine-v2 features: repair crews, … — validated with key paths,
compiled, and run."""

from __future__ import annotations

import pytest

from droneworks.core.errors import ConfigError, ModelError
from droneworks.factory import compile_plant, simulate
from droneworks.factory.model import load_plant
from tests.factory.model.conftest import Edit

ASSEMBLY_FAILURES = (
    'repair = {dist = "exponential", mean = "20 min"}}',
    'repair = {dist = "exponential", mean = "20 min"}, crew = "fitters"}',
)
CREW = ("[workers.assemblers]", "[repair_crews.fitters]\ntechnicians = 1\n\n[workers.assemblers]")


def test_a_repair_crew_is_compiled_and_reported(edited: Edit) -> None:
    plant = load_plant(edited(ASSEMBLY_FAILURES, CREW))
    assert plant.repair_crews["fitters"].technicians == 1
    problem = compile_plant(plant)
    assert problem.crews == ("fitters",)
    assert list(problem.source_crew).count(0) == 1  # the assembly failures, not maintenance
    result = simulate(problem, seed=1)
    assert 0.0 < result.kpis["crew.fitters.utilisation"] < 1.0


def test_unknown_crew_names_the_failure_mode(edited: Edit) -> None:
    with pytest.raises(ModelError) as caught:
        load_plant(edited(ASSEMBLY_FAILURES))
    assert str(caught.value).endswith(
        'work_centres.assembly.failures[0].crew: unknown repair crew "fitters"; known: none defined'
    )


def test_a_crew_without_technicians_is_refused(edited: Edit) -> None:
    with pytest.raises(ConfigError) as caught:
        load_plant(edited(ASSEMBLY_FAILURES, (CREW[0], CREW[1].replace("= 1", "= 0"))))
    assert "repair_crews.fitters.technicians:" in str(caught.value)


def test_an_unused_crew_is_a_warning(edited: Edit) -> None:
    plant = load_plant(edited(CREW))
    assert 'repair_crews.fitters: repair crew "fitters" repairs no failure mode' in plant.warnings
