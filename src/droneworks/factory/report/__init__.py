"""HTML reports (offline, plotly inlined) and CSV tables of factory runs."""

from droneworks.factory.report.sections import (
    SeriesNames,
    replication_sections,
    sizing_sections,
    write_factory_report,
    write_simulation_report,
)

__all__ = [
    "SeriesNames",
    "replication_sections",
    "sizing_sections",
    "write_factory_report",
    "write_simulation_report",
]
