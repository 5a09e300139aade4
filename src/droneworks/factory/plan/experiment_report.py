"""An experiment as plain data (``--json``, the report's CSV) and as report sections."""

from __future__ import annotations

from typing import Any

from droneworks.core.report import Section, Table
from droneworks.factory.plan.experiment_analysis import (
    FactorEffect,
    main_effects,
    missed_points,
)
from droneworks.factory.plan.experiment_run import ExperimentResult, PointResult

__all__ = ["experiment_data", "experiment_sections", "headline"]


def headline(result: ExperimentResult) -> str:
    """One sentence: how many points reach the target with the probability asked."""
    total, missed = len(result.points), len(missed_points(result))
    target, confidence = result.experiment.target_per_year, result.confidence
    mode = result.experiment.spec.experiment.mode.value
    effects = main_effects(result)
    lead = ""
    if effects and effects[0].probability_spread > 0:
        top = effects[0]
        lead = (
            f" The verdict depends most on {top.factor.path} "
            f"(P moves by {top.probability_spread:.2f} across its levels)."
        )
    return (
        f"{total - missed} of {total} points reach {target:,.0f}/yr with P ≥ {confidence:.0%} "
        f"({mode}); {missed} miss.{lead}"
    )


def _point_dict(point: PointResult, target: float) -> dict[str, Any]:
    output = point.output
    return {
        "point": point.prepared.point.index,
        "values": point.prepared.label,
        "run_id": point.run_id,
        "replications": int(point.outputs.size),
        "reused": point.reused,
        "output_per_year": output.mean,
        "halfwidth": output.halfwidth,
        "low": max(0.0, output.low),
        "high": output.high,
        "probability": point.probability,
        "gap_to_target": max(0.0, target - output.mean),
    }


def _effect_dict(effect: FactorEffect) -> dict[str, Any]:
    return {
        "factor": effect.factor.path,
        "probability_spread": effect.probability_spread,
        "output_spread": effect.output_spread,
        "levels": [
            {
                "level": level.label,
                "points": level.points,
                "output_per_year": level.output.mean,
                "halfwidth": level.output.halfwidth,
                "probability": level.probability,
            }
            for level in effect.levels
        ],
    }


def experiment_data(result: ExperimentResult) -> dict[str, Any]:
    """Everything the CLI prints with ``--json``."""
    experiment = result.experiment
    target = experiment.target_per_year
    return {
        "experiment": experiment.name,
        "plant": str(experiment.plant_path),
        "target_per_year": target,
        "confidence": result.confidence,
        "mode": experiment.spec.experiment.mode.value,
        "design": experiment.spec.design.kind.value,
        "points": len(result.points),
        "simulated_replications": result.simulated,
        "reused_replications": result.reused,
        "wall_s": result.wall_s,
        "answer": headline(result),
        "effects": [_effect_dict(effect) for effect in main_effects(result)],
        "missed": [_point_dict(p, target) for p in missed_points(result)],
        "all_points": [_point_dict(p, target) for p in result.points],
    }


def effects_figure(result: ExperimentResult) -> Any:
    """Main effects: output per year by level, one panel per factor, target as a line."""
    from plotly.subplots import make_subplots

    effects = main_effects(result)
    figure = make_subplots(
        rows=1, cols=len(effects), shared_yaxes=True,
        subplot_titles=[effect.factor.path for effect in effects],
    )  # fmt: skip
    for column, effect in enumerate(effects, start=1):
        figure.add_scatter(
            x=[level.label for level in effect.levels],
            y=[level.output.mean for level in effect.levels],
            error_y={"type": "data", "array": [level.output.halfwidth for level in effect.levels]},
            mode="markers+lines",
            name=effect.factor.path,
            showlegend=False,
            row=1,
            col=column,
        )
        figure.add_hline(
            y=result.experiment.target_per_year, line_dash="dash", line_color="#c0392b",
            row=1, col=column,
        )  # fmt: skip
    figure.update_yaxes(title_text="output per year", row=1, col=1)
    figure.update_layout(height=420, margin={"t": 60})
    return figure


def experiment_sections(result: ExperimentResult) -> list[Section]:
    """Verdict first, then factors by influence, the points that miss, every point."""
    data = experiment_data(result)
    effect_rows = [
        (e["factor"], level["level"], level["points"], level["output_per_year"],
         level["halfwidth"], level["probability"])
        for e in data["effects"] for level in e["levels"]
    ]  # fmt: skip
    point_columns = ["point", "values", "reps", "output/yr", "±", "P(≥ target)", "run"]

    def rows(points: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return [
            (p["point"], p["values"], p["replications"], p["output_per_year"], p["halfwidth"],
             p["probability"], p["run_id"])
            for p in points
        ]  # fmt: skip

    intervals = f"{result.confidence:.0%} t intervals; P from a normal model of the replications"
    return [
        Section("Answer", (data["answer"], intervals)),
        Section(
            "Main effects (factors ranked by how much they move the verdict)",
            ("Each level pools the points that have it; see docs/scale.md.",),
            (Table(["factor", "level", "points", "output/yr", "±", "P(≥ target)"], effect_rows),),
            (effects_figure(result),),
        ),
        Section(
            "Points that miss the target",
            () if data["missed"] else ("None: every point reaches the target.",),
            (Table(point_columns, rows(data["missed"])),) if data["missed"] else (),
        ),
        Section("Every point", (), (Table(point_columns, rows(data["all_points"])),)),
    ]
