"""A wall experiment's points × runs are bounded like `watch simulate --runs` (issue 13)."""

from __future__ import annotations

from pathlib import Path

from droneworks.watch.limits import MAX_RUNS
from tests.cli.conftest import Run, run  # noqa: F401  (the CLI fixture)

EXAMPLE = Path(__file__).parents[2] / "examples" / "experiments" / "belarus-poland-acoustic.toml"


def test_points_times_runs_past_the_limit_is_refused(run: Run, tmp_path: Path) -> None:  # noqa: F811
    text = EXAMPLE.read_text(encoding="utf-8").replace("../walls/", f"{EXAMPLE.parents[1]}/walls/")
    runs = MAX_RUNS // 4 + 1  # the example's full design has 2 × 2 points
    path = tmp_path / "big.toml"
    path.write_text(text.replace("runs = 3 ", f"runs = {runs} "), encoding="utf-8")
    outcome = run("watch", "experiment", str(path), "--json")
    assert outcome.code == 1 and outcome.out == ""
    assert outcome.err.startswith(
        f"ConfigError: {path}: 4 points × {runs:,} runs makes {4 * runs:,}"
    )
