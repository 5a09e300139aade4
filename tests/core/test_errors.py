from __future__ import annotations

import pytest

from droneworks.core import errors


@pytest.mark.parametrize(
    "name", ["ConfigError", "ModelError", "InfeasibleError", "SimulationError", "StoreError"]
)
def test_every_error_derives_from_the_base_and_is_drawn(name: str) -> None:
    error_type = getattr(errors, name)
    assert issubclass(error_type, errors.DroneworksError)
    assert name in (errors.__doc__ or "")
