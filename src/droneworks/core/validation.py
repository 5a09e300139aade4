"""Loading user files (TOML, JSON) into pydantic models with one clear message per error.

Every user-facing file model derives from :class:`UserModel` (unknown keys are errors, models
are frozen). :func:`load_toml` turns syntax and validation errors into one
:class:`~droneworks.core.errors.ConfigError` whose lines each name the key path, e.g.::

    plant.toml: operations[3].time.mean: "2,5 min" is not a duration (use a decimal point…)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from droneworks.core import loader
from droneworks.core.errors import ConfigError

__all__ = ["UserModel", "format_key_path", "load_json", "load_toml", "read_toml", "validate"]

M = TypeVar("M", bound=BaseModel)


class UserModel(BaseModel):
    """Base of every model validated from a user file: strict keys, frozen values."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False
    )

    @model_validator(mode="before")
    @classmethod
    def _no_boolean_numbers(cls, data: Any) -> Any:
        """Refuse ``true``/``false`` where a number belongs (pydantic would read 1 or 0)."""
        if isinstance(data, Mapping):
            for name, field in cls.model_fields.items():
                key = field.alias if field.alias in data else name
                if key in data and _bool_for_number(field.annotation, data[key]):
                    raise ValueError(f"{key}: true/false is not a number")
        return data


def _bool_for_number(annotation: Any, value: Any) -> bool:
    """Whether ``value`` holds a boolean where ``annotation`` expects an int or float."""
    origin, args = get_origin(annotation), get_args(annotation)
    if annotation in (int, float):
        return isinstance(value, bool)
    if origin is Annotated:
        return _bool_for_number(args[0], value)
    if origin in (Union, UnionType):
        number = any(arg in (int, float) for arg in args)
        return (number and isinstance(value, bool)) or any(
            _bool_for_number(arg, value) for arg in args if arg not in (int, float)
        )
    if origin is dict and isinstance(value, Mapping) and len(args) == 2:
        return any(_bool_for_number(args[1], item) for item in value.values())
    if origin in (list, tuple) and isinstance(value, list) and args:
        return any(_bool_for_number(args[0], item) for item in value)
    return False


def format_key_path(location: Sequence[int | str]) -> str:
    """``("operations", 3, "time", "mean")`` → ``operations[3].time.mean``."""
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


def _describe(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    message = str(error["msg"])
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required key is missing"
    if kind == "value_error":
        # pydantic prefixes "Value error, "; our messages are complete sentences already.
        message = message.removeprefix("Value error, ")
    cause = error.get("ctx", {}).get("error")
    if cause is not None and kind != "value_error":
        message = str(cause)
    return message


def _model_errors(error: ValidationError) -> list[str]:
    lines = []
    for item in error.errors():
        location = [part for part in item["loc"] if not str(part).startswith("function-")]
        lines.append(f"{format_key_path(location)}: {_describe(item)}")
    return lines


def validate(model: type[M], data: Any, source: str) -> M:
    """Validate ``data`` as ``model``; raise ConfigError naming ``source`` and key paths.

    ``data`` is first held to the input limits of :func:`droneworks.core.loader.check_values`
    (nesting depth, finite numbers, 64-bit integers, text length), whatever its origin.
    """
    loader.check_values(data, source)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        lines = _model_errors(error)
        if len(lines) == 1:
            raise ConfigError(f"{source}: {lines[0]}") from None
        listed = "\n".join(f"  {line}" for line in lines)
        raise ConfigError(f"{source}: {len(lines)} problems\n{listed}") from None
    except ConfigError as error:
        raise ConfigError(f"{source}: {error}") from None


def read_toml(path: str | Path) -> dict[str, Any]:
    """Read a TOML file within the input limits (:mod:`droneworks.core.loader`); a missing,
    unreadable, oversized, non-UTF-8, malformed or too deeply nested file is a ConfigError."""
    return loader.read_toml(path)


def load_toml(path: str | Path, model: type[M]) -> M:
    """Read and validate a TOML file as ``model``."""
    return validate(model, read_toml(path), str(path))


def load_json(path: str | Path) -> Any:
    """Read a JSON (or GeoJSON) file within the input limits, as :func:`read_toml` does."""
    return loader.read_json(path)
