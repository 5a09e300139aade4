"""What a new study can be: for each kind, its input file, options (with the CLI's defaults)
and the command line it becomes. Inputs are checked with the wing's own loader before a job
starts, so a bad file gets the loader's key-path message at once."""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

__all__ = ["STUDIES", "Option", "Study", "cli_options", "examples_folder"]


# Options the dashboard sets itself (output place, database, machine-readable output).
MANAGED = frozenset({"json", "help", "force", "out", "report", "db", "resume", "debug"})


@dataclass(frozen=True)
class Option:
    """One CLI option as a form field."""

    name: str  # the long option without dashes
    label: str  # the option's help text
    default: str = ""  # empty: the command's own default (told in the placeholder)
    placeholder: str = ""
    flag: bool = False  # a checkbox; ``default`` is "on" when the flag is on by default
    off: str = ""  # a flag's secondary option (--no-verify) to turn a default-on flag off
    choices: tuple[str, ...] = ()
    required: bool = False
    multiple: bool = False  # several values, separated by spaces

    def arguments(self, value: str) -> list[str]:
        """The command-line words for a submitted form value (none when at the default)."""
        if self.flag:
            on = value == "on"
            if on == (self.default == "on"):
                return []
            return [f"--{self.name}"] if on else ([self.off] if self.off else [])
        value = value.strip()
        if not value or value == self.default:
            return []
        values = value.split() if self.multiple else [value]
        return [f"--{self.name}={item}" for item in values]  # one word: never read as an option


@functools.cache
def cli_options(command: tuple[str, ...]) -> tuple[tuple[Option, ...], tuple[str, ...]]:
    """The options of ``droneworks COMMAND…``, read from the CLI itself (help, defaults,
    choices), without the ones the dashboard manages; and the names of the options that
    take a file path, left to the CLI (a typed path would read the server's files)."""
    import typer

    from droneworks.cli.main import app

    node: Any = typer.main.get_command(app)
    for name in command:
        node = node.commands[name]
    options, files = [], []
    for param in node.params:
        if param.param_type_name != "option" or param.hidden:  # typer's own click
            continue
        long = max(param.opts, key=len).lstrip("-")
        if long in MANAGED:
            continue
        if _names_files(param):
            files.append(long)
        else:
            options.append(_option(long, param))
    return tuple(options), tuple(files)


def _option(name: str, param: Any) -> Option:
    label = " ".join((param.help or name.replace("-", " ")).split())
    if param.is_flag:
        off = next(iter(param.secondary_opts), "")
        return Option(name, label, "on" if param.default else "", flag=True, off=off)
    default = param.default
    shown = "" if default is None or callable(default) or param.multiple else str(default)
    if isinstance(default, float) and shown.endswith(".0"):
        shown = shown[:-2]
    kind = param.type_descriptor.annotation
    choices = tuple(item.value for item in kind) if _is_enum(kind) else ()
    placeholder = "" if shown else "the command's default"
    if param.multiple:
        placeholder = "several values separated by spaces"
    return Option(name, label, shown, placeholder, choices=tuple(map(str, choices)),
                  required=param.required, multiple=param.multiple)  # fmt: skip


def _names_files(param: Any) -> bool:
    kind = param.type_descriptor.annotation
    return any(isinstance(t, type) and issubclass(t, Path) for t in (kind, *get_args(kind)))


def _is_enum(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, enum.Enum)


@dataclass(frozen=True)
class Study:
    key: str
    wing: str
    title: str
    command: tuple[str, ...]
    folder: str  # examples/<folder> holds its shipped inputs
    suffixes: tuple[str, ...]
    out_args: tuple[str, ...]

    @property
    def options(self) -> tuple[Option, ...]:
        return cli_options(self.command)[0]

    @property
    def file_options(self) -> tuple[str, ...]:
        """Options naming a file, which only the CLI takes."""
        return cli_options(self.command)[1]

    def examples(self) -> list[str]:
        folder = examples_folder() / self.folder
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if p.suffix in self.suffixes)

    def example_path(self, name: str) -> Path:
        """A shipped example by its listed name (never a path the user typed)."""
        if name not in self.examples():
            raise ValueError(f"no shipped example {name!r} for {self.title}")
        return examples_folder() / self.folder / name

    def arguments(self, values: Mapping[str, str]) -> list[str]:
        """The command line for the form's values; a required option left empty is an error."""
        args = [*self.command, "{input}"]
        for option in self.options:
            value = values.get(option.name, "")
            if option.required and not value.strip():
                raise ValueError(f"--{option.name} is required ({option.label})")
            args += option.arguments(value)
        return [*args, *self.out_args]

    def check(self, path: Path) -> None:
        """Load the input as the command will (raises the loader's ConfigError/ModelError)."""
        LOADERS[self.key](path)


def examples_folder() -> Path:
    """The shipped examples: inside the package when installed from a wheel, else the
    repository's examples/ folder."""
    import droneworks

    package = Path(droneworks.__file__).parent
    for candidate in (package / "examples", package.parents[1] / "examples"):
        if candidate.is_dir():
            return candidate
    return package / "examples"


def _plant(path: Path) -> Any:
    from droneworks.factory.model import load_plant

    return load_plant(path)


def _field(path: Path) -> Any:
    from droneworks.missions.field import load_field

    return load_field(path)


def _deliveries(path: Path) -> Any:
    from droneworks.missions.delivery.file import load_deliveries

    return load_deliveries(path)


def _wall(path: Path) -> Any:
    from droneworks.watch.wall import load_wall

    return load_wall(path)


LOADERS: dict[str, Callable[[Path], Any]] = {
    "factory-replicate": _plant,
    "factory-size": _plant,
    "mission-spray": _field,
    "mission-survey": _field,
    "mission-deliver": _deliveries,
    "watch-coverage": _wall,
    "watch-place": _wall,
    "watch-simulate": _wall,
}

REPORT = ("--report", "{out}/report.html")
OUT = ("--out", "{out}")

STUDIES: dict[str, Study] = {
    study.key: study
    for study in (
        Study("factory-replicate", "factory", "Plant capacity (replications)",
              ("factory", "replicate"), "plants", (".toml",), REPORT),
        Study("factory-size", "factory", "Cheapest capacity for a target",
              ("factory", "size"), "plants", (".toml",), REPORT),
        Study("mission-spray", "missions", "Spraying a field",
              ("mission", "spray"), "fields", (".geojson", ".kml"), OUT),
        Study("mission-survey", "missions", "Crop-monitoring survey",
              ("mission", "survey"), "fields", (".geojson", ".kml"), OUT),
        Study("mission-deliver", "missions", "Cargo deliveries",
              ("mission", "deliver"), "deliveries", (".toml", ".geojson"), OUT),
        Study("watch-coverage", "watch", "Border coverage",
              ("watch", "coverage"), "walls", (".toml",), OUT),
        Study("watch-place", "watch", "Sensor placement at least cost",
              ("watch", "place"), "walls", (".toml",), OUT),
        Study("watch-simulate", "watch", "Simulated incursions",
              ("watch", "simulate"), "walls", (".toml",), OUT),
    )
}  # fmt: skip
