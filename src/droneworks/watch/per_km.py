"""Per-km figures of a layout, saying which kilometre they are per (map line or official).

The shipped map line is 4–30 % shorter than the official border (rivers meander below map
resolution), so sensors or euros "per km" mean nothing without saying which km. Plain
arithmetic, no heavy imports (the CLI imports it at start-up).
"""

from __future__ import annotations

__all__ = ["per_km_figures", "per_km_text"]


def per_km_figures(
    sensors: int, cost_eur: float, map_km: float, official_km: float | None
) -> dict[str, object]:
    """Sensors and cost per km of the map line and per km of the official length, labelled.

    The map line is shorter than the official one (rivers meander below map resolution), so
    a per-km figure means nothing without saying which kilometre it is per.
    """
    figures: dict[str, object] = {
        "map_length_km": map_km,
        "official_length_km": official_km,
        "sensors_per_map_km": sensors / map_km if map_km > 0 else None,
        "cost_eur_per_map_km": cost_eur / map_km if map_km > 0 else None,
    }
    if official_km:
        figures["sensors_per_official_km"] = sensors / official_km
        figures["cost_eur_per_official_km"] = cost_eur / official_km
    return figures


def per_km_text(figures: dict[str, object]) -> str:
    """One sentence of :func:`per_km_figures` for a table's caption."""
    text = (
        f"{figures['sensors_per_map_km']:.2f} sensors and €{figures['cost_eur_per_map_km']:,.0f} "
        f"per km of the map line ({figures['map_length_km']:.1f} km)"
    )
    if "sensors_per_official_km" in figures:
        text += (
            f"; {figures['sensors_per_official_km']:.2f} and "
            f"€{figures['cost_eur_per_official_km']:,.0f} per official km "
            f"({figures['official_length_km']:g} km)"
        )
    return text
