"""The droneworks command-line interface (Typer + rich)."""
