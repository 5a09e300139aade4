"""What a new study can be: for each kind, its input file, options (with the CLI's defaults)
and the command line it becomes. Inputs are checked with the wing's own loader before a job
starts, so a bad file gets the loader's key-path message at once."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["STUDIES", "Option", "Study", "examples_folder"]


@dataclass(frozen=True)
class Option:
    name: str  # the CLI option without dashes
    label: str
    default: str = ""  # empty: the command's own default (shown as placeholder)
    placeholder: str = ""


@dataclass(frozen=True)
class Study:
    key: str
    wing: str
    title: str
    command: tuple[str, ...]
    folder: str  # examples/<folder> holds its shipped inputs
    suffixes: tuple[str, ...]
    options: tuple[Option, ...]
    out_args: tuple[str, ...]

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
        args = [*self.command, "{input}"]
        for option in self.options:
            value = values.get(option.name, "").strip()
            if value:
                args += [f"--{option.name}", value]
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
    from droneworks.missions.delivery.model import load_deliveries

    return load_deliveries(path)


def _wall(path: Path) -> Any:
    from droneworks.watch.wall import load_wall

    return load_wall(path)


LOADERS: dict[str, Callable[[Path], Any]] = {
    "factory-replicate": _plant,
    "mission-spray": _field,
    "mission-survey": _field,
    "mission-deliver": _deliveries,
    "watch-coverage": _wall,
}

REPORT = ("--report", "{out}/report.html")
OUT = ("--out", "{out}")

STUDIES: dict[str, Study] = {
    study.key: study
    for study in (
        Study(
            "factory-replicate", "factory", "Plant capacity (replications)",
            ("factory", "replicate"), "plants", (".toml",),
            (
                Option("reps", "Replications", "10"),
                Option("years", "Simulated years", "", "the plant's horizon"),
                Option("seed", "Seed", "", "the plant's seed"),
                Option("confidence", "Confidence", "0.95"),
            ),
            REPORT,
        ),
        Study(
            "mission-spray", "missions", "Spraying a field",
            ("mission", "spray"), "fields", (".geojson", ".kml"),
            (
                Option("drone", "Drone type", "agras-t40-class"),
                Option("rate", "Application rate", "15 L/ha"),
                Option("drones", "Drones", "1"),
                Option("wind", "Wind (speed@from)", "", "none, e.g. 5m/s@270"),
            ),
            OUT,
        ),
        Study(
            "mission-survey", "missions", "Crop-monitoring survey",
            ("mission", "survey"), "fields", (".geojson", ".kml"),
            (
                Option("drone", "Drone type", "mavic-3m-class"),
                Option("gsd", "Ground sampling distance", "", "e.g. 2cm"),
                Option("overlap", "Front/side overlap %", "75/65"),
            ),
            OUT,
        ),
        Study(
            "mission-deliver", "missions", "Cargo deliveries",
            ("mission", "deliver"), "deliveries", (".toml", ".geojson"),
            (Option("iterations", "Search iterations", "", "the command's default"),),
            OUT,
        ),
        Study(
            "watch-coverage", "watch", "Border coverage",
            ("watch", "coverage"), "walls", (".toml",), (), OUT,
        ),
    )
}  # fmt: skip
