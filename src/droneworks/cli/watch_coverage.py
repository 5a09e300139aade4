"""`droneworks watch coverage|place`: border coverage of a wall, and the cheapest layout."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from droneworks.cli.output import ForceOption, emit, progress_bar, table, writing
from droneworks.core.errors import ConfigError
from droneworks.core.outputs import check_out_folder, write_atomic
from droneworks.core.units import Dimension, parse_quantity
from droneworks.watch.limits import check_altitude
from droneworks.watch.per_km import per_km_figures, per_km_text

if TYPE_CHECKING:  # the commands import the wing itself (matplotlib, scipy) when they run
    from droneworks.watch.coverage import CoverageResult
    from droneworks.watch.placement import PlacementResult
    from droneworks.watch.wall import Wall

app = typer.Typer(help="Border drone-monitoring networks.", no_args_is_help=True)

WallArgument = Annotated[Path, typer.Argument(help="Wall file (TOML).", show_default=False)]
OutOption = Annotated[
    Path | None, typer.Option("--out", help="Write the map and CSV files to this folder.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


def check_positive(option: str, value: float | None, limit: float = math.inf) -> None:
    """A finite option value above 0 and at most ``limit``."""
    if value is not None and not (math.isfinite(value) and 0 < value <= limit):
        bound = f" and at most {limit:g}" if math.isfinite(limit) else ""
        raise ConfigError(f"{option} {value:g}: must be a number above 0{bound}")


def coverage_data(result: CoverageResult) -> dict[str, Any]:
    """Coverage as plain data (km, shares, gaps with lon/lat)."""
    return {
        "wall": result.wall_name,
        "map_length_km": result.length_m / 1000,
        "official_length_km": result.official_length_km,
        "official_length_source": result.official_length_source,
        "k": result.k,
        "covered_when": f"single-scan Pd >= {result.pd_threshold:g} from >= {result.k} sensors",
        "cost_eur": result.cost_eur,
        "per_km": per_km_figures(
            sum(result.sensors_by_type.values()),
            result.cost_eur,
            result.length_m / 1000,
            result.official_length_km,
        ),
        "sensors_by_type": result.sensors_by_type,
        "profiles": [
            {
                "threat": p.threat_id,
                "target_class": p.target_class,
                "altitude_m": p.altitude_m,
                "share": p.share,
                "share_with_outages": p.available_share,
                "fused_scan_share": p.fused_share,
                "crossing_share_pd90": p.crossing_share,
                "crossing_pd_min": float(p.crossing_pd.min()) if len(p.crossing_pd) else None,
                "band": {f"{b.offset_m:g}": b.share for b in p.band},
                "gap_count": len(p.gaps),
                "gap_length_km": p.gap_length_m / 1000,
                "gaps": [
                    {
                        "start_km": g.start_m / 1000,
                        "end_km": g.end_m / 1000,
                        "length_km": g.length_m / 1000,
                        "start_lonlat": g.start_lonlat,
                        "end_lonlat": g.end_lonlat,
                    }
                    for g in p.gaps
                ],
            }
            for p in result.profiles
        ],
    }


def render_coverage(console: Console, result: CoverageResult, map_path: Path | None) -> None:
    official = result.official_length_km
    source = f": {result.official_length_source}" if result.official_length_source else ""
    console.print(
        f"[bold]{result.wall_name}[/bold]: {result.length_m / 1000:.1f} km on the map"
        + (f" ({official:,g} km official{source})" if official else "")
        + f"; {sum(result.sensors_by_type.values())} sensors "
        + ", ".join(f"{n} {kind}" for kind, n in result.sensors_by_type.items())
        + f"; cost €{result.cost_eur:,.0f}"
    )
    columns = ["threat", "alt m", f"≥{result.k} sensors", "gaps", "gap km", "longest km",
               "fused scan", "crossing Pd≥.9"]  # fmt: skip
    rows = [
        [p.threat_id, p.altitude_m, f"{p.share:.1%}", len(p.gaps), p.gap_length_m / 1000,
         p.longest_gap_m / 1000, f"{p.fused_share:.1%}", f"{p.crossing_share:.1%}"]
        for p in result.profiles
    ]  # fmt: skip
    console.print(table(f"Coverage of the line (Pd per scan ≥ {result.pd_threshold:g})",
                        columns, rows))  # fmt: skip
    console.print(
        "fused scan: one scan of all sensors together reaches the threshold; crossing: all "
        "sensors, every scan over ±2 km (independent looks)"
    )
    if any(p.available_share < p.share for p in result.profiles):
        outages = ", ".join(f"{p.threat_id} {p.available_share:.1%}" for p in result.profiles)
        console.print(f"Expected ≥{result.k}-covered share with sensor outages: {outages}")
    if result.length_m > 0:
        console.print("Per km: " + per_km_text(coverage_data(result)["per_km"]))
    offsets = [b.offset_m for b in result.profiles[0].band] if result.profiles else []
    band_rows = [
        [f"{p.threat_id} @ {p.altitude_m:g} m"] + [f"{b.share:.0%}" for b in p.band]
        for p in result.profiles
    ]
    band_columns = ["profile"] + [f"{o / 1000:+g} km" for o in offsets]
    console.print(table("Band depth (− neighbour's side, + behind)", band_columns, band_rows))
    if result.profiles:
        from droneworks.watch.maps import worst_profile

        worst = worst_profile(result)
        longest = sorted(worst.gaps, key=lambda g: -g.length_m)[:10]
        if longest:
            gap_rows = [
                [
                    f"{g.start_m / 1000:.1f}–{g.end_m / 1000:.1f}",
                    g.length_m / 1000,
                    f"{g.start_lonlat[1]:.4f}, {g.start_lonlat[0]:.4f}",
                ]
                for g in longest
            ]
            title = f"Longest gaps: {worst.threat_id} @ {worst.altitude_m:g} m"
            console.print(table(title, ["km along", "length km", "starts at lat, lon"], gap_rows))
    if map_path is not None:
        console.print(f"Map: {map_path}")


def layers_of(
    wall: Wall, coverage: CoverageResult | None, stem: Path, sensors: tuple[Any, ...] | None = None
) -> list[str]:
    """GIS layers (GeoJSON and KML): border, sensors, footprints per threat, gaps."""
    from droneworks.watch import layers

    chosen = wall.sensors if sensors is None else sensors
    data = layers.collection(
        wall.name,
        layers.border_layer(wall),
        layers.sensor_layer(wall, chosen),
        layers.footprint_layer(
            wall, layers.profile_threats(wall, coverage) if coverage else None, chosen
        ),
        layers.gap_layer(wall, coverage) if coverage is not None else [],
    )
    return [str(path) for path in layers.write_layers(stem.parent, stem.name, data)]


def _altitudes(values: list[str] | None) -> list[float] | None:
    if not values:
        return None
    result = []
    for text in values:
        try:
            value = parse_quantity(text, Dimension.LENGTH)
        except ConfigError as error:
            raise ConfigError(f"--altitude {text}: {error}") from None
        check_altitude(f"--altitude {text}", value)
        result.append(value)
    return result


@app.command("coverage")
def coverage(
    wall_file: WallArgument,
    k: Annotated[int | None, typer.Option("--k", min=1, help="Sensors needed per point.")] = None,
    altitude: Annotated[
        list[str] | None,
        typer.Option("--altitude", help='Target altitude, e.g. "100m" (repeatable).'),
    ] = None,
    out: OutOption = None,
    force: ForceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Share of the border covered by ≥ k sensors per threat and altitude; gaps; band depth."""
    from droneworks.watch.coverage import evaluate_coverage
    from droneworks.watch.maps import plot_wall
    from droneworks.watch.wall import load_wall

    if out is not None:
        check_out_folder(out)
    altitudes = _altitudes(altitude)
    wall = load_wall(wall_file)
    with progress_bar(not as_json) as progress:
        result = evaluate_coverage(wall, k=k, altitudes_m=altitudes, progress=progress)
    map_path = None
    layers: list[str] = []
    if out is not None:
        with writing(force):
            map_path = Path(str(plot_wall(out / "coverage.png", wall, result)))
            layers = layers_of(wall, result, out / "coverage")
    data = coverage_data(result) | {
        "map": None if map_path is None else str(map_path),
        "layers": layers,
    }

    def render(console: Console) -> None:
        render_coverage(console, result, map_path)
        if layers:
            console.print(f"GIS layers: {', '.join(layers)}")

    emit(data, as_json, render)


def placed_sensors(sensors: Sequence[Any], wall: Wall) -> list[dict[str, Any]]:
    """Placed sensors as rows with lon/lat and position along the border (JSON, CSV)."""
    import numpy as np

    xy = np.array([[s.x_m, s.y_m] for s in sensors], dtype=float).reshape(-1, 2)
    lonlat = wall.border.to_lonlat(xy) if sensors else np.zeros((0, 2))
    return [
        {
            "id": s.id,
            "type": s.type.name,
            "lon": float(ll[0]),
            "lat": float(ll[1]),
            "along_km": (s.along_m or 0.0) / 1000,
        }
        for s, ll in zip(sensors, lonlat, strict=True)
    ]


def placement_data(result: PlacementResult, wall: Wall) -> dict[str, Any]:
    return {
        "method": result.method,
        "metric": result.metric,
        "covered_means": covered_means(result.metric, wall),
        "status": result.status,
        "feasible": result.feasible,
        "target": result.target,
        "budget_eur": result.budget_eur,
        "cost_eur": result.cost_eur,
        "lower_bound_eur": result.lower_bound_eur,
        "gap": result.gap,
        "worst_share_upper_bound": result.share_bound,
        "runtime_s": result.runtime_s,
        "candidates": result.n_candidates,
        "rows": result.n_rows,
        "counts_by_type": result.counts_by_type,
        "per_km": per_km_figures(
            len(result.sensors),
            result.cost_eur,
            wall.border.length_m / 1000,
            wall.border.official_length_km,
        ),
        "shares": result.shares,
        "reachable_shares": result.reachable,
        "sensors": placed_sensors(result.sensors, wall),
    }


def covered_means(metric: str, wall: Wall) -> str:
    """What a share in the placement report counts, in words."""
    threshold = wall.coverage.pd_threshold
    if metric == "fused":
        return f"one scan of all sensors together detects with P ≥ {threshold:g} (fused)"
    return f"≥ {wall.coverage.k} sensor(s) each with single-scan Pd ≥ {threshold:g}"


def _write_csv(path: Path, data: dict[str, Any]) -> None:
    lines = ["id,type,lon,lat,along_km"] + [
        f"{s['id']},{s['type']},{s['lon']:.6f},{s['lat']:.6f},{s['along_km']:.3f}"
        for s in data["sensors"]
    ]
    write_atomic(path, "\n".join(lines) + "\n")


@app.command("place")
def place(
    wall_file: WallArgument,
    target: Annotated[
        float | None, typer.Option("--target", min=0.0, max=1.0, help="Share of the line to cover.")
    ] = None,
    budget: Annotated[
        float | None, typer.Option("--budget", min=0.0, help="EUR: maximise coverage within it.")
    ] = None,
    method: Annotated[str, typer.Option("--method", help="milp (exact) or greedy.")] = "milp",
    metric: Annotated[
        str | None,
        typer.Option(
            "--metric",
            help='What covered means: "k" (k-coverage) or "fused" (fused per-scan '
            "probability ≥ pd_threshold). Default: the wall's placement.metric.",
        ),
    ] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", help="MILP seconds.")] = 120.0,
    keep_existing: Annotated[
        bool, typer.Option("--keep-existing", help="Keep the wall's sensors and build around.")
    ] = False,
    out: OutOption = None,
    force: ForceOption = False,
    as_json: JsonOption = False,
) -> None:
    """The cheapest sensor mix and positions reaching --target (or the best within --budget)."""
    from droneworks.watch.coverage import evaluate_coverage
    from droneworks.watch.maps import plot_wall
    from droneworks.watch.placement import place_sensors
    from droneworks.watch.wall import load_wall

    if target is not None and budget is not None:
        raise ConfigError("give --target or --budget, not both")
    if out is not None:
        check_out_folder(out)
    if method not in {"milp", "greedy"}:
        raise ConfigError(f'--method must be "milp" or "greedy", not "{method}"')
    if metric is not None and metric not in {"k", "fused"}:
        raise ConfigError(f'--metric must be "k" or "fused", not "{metric}"')
    check_positive("--target", target, 1.0)
    check_positive("--budget", budget)
    check_positive("--time-limit", time_limit, 86_400.0)
    wall = load_wall(wall_file)
    with progress_bar(not as_json) as progress:
        result = place_sensors(
            wall, target, budget, method, time_limit, progress, keep_existing, metric
        )
        kept = wall.sensors if keep_existing else ()
        placed = wall.with_sensors(kept + result.sensors)
        check = evaluate_coverage(placed, progress=progress) if placed.sensors else None
    data = placement_data(result, wall) | {
        "map": None,
        "csv": None,
        "layers": [],
        "kept_sensors": len(kept),
    }
    if out is not None:
        with writing(force):
            title = f"{wall.name}: placed layout, €{result.cost_eur:,.0f}"
            data["map"] = str(plot_wall(out / "placement.png", placed, check, title=title))
            data["csv"] = str(out / "placement.csv")
            _write_csv(out / "placement.csv", data)
            data["layers"] = layers_of(placed, check, out / "placement")

    def render(console: Console) -> None:
        goal = (
            f"target {result.target:.0%}"
            if result.target is not None
            else (f"budget €{result.budget_eur:,.0f}")
        )
        bound = (
            f", lower bound €{result.lower_bound_eur:,.0f} (within {result.gap:.1%} of optimal)"
            if result.lower_bound_eur and result.gap is not None
            else ""
        )
        if result.share_bound is not None:
            bound += f"; no layout within budget beats {result.share_bound:.1%} (proven)"
        console.print(
            f"[bold]{wall.name}[/bold]: {result.method} {result.status} for {goal} "
            f"in {result.runtime_s:.1f} s; cost €{result.cost_eur:,.0f}{bound}"
        )
        if not result.feasible:
            console.print(
                "[red]Target not reached[/red]; best reachable shares with every "
                "candidate built are listed."
            )
        console.print(table("Sensors", ["type", "count"], sorted(result.counts_by_type.items())))
        console.print("Per km: " + per_km_text(data["per_km"]))
        rows = [
            [name, f"{share:.1%}", f"{result.reachable[name]:.1%}"]
            for name, share in result.shares.items()
        ]
        console.print(table("Covered share", ["profile", "placed", "reachable"], rows))
        console.print(f"Covered: {data['covered_means']}.")
        if data["map"] is not None:
            console.print(f"Map: {data['map']}\nSensors: {data['csv']}")
            console.print(f"GIS layers: {', '.join(data['layers'])}")

    emit(data, as_json, render)
