"""KPIs accumulated while running, and the optional event log."""

from droneworks.factory.kpi.event_log import EventLogWriter
from droneworks.factory.kpi.summary import hist_quantile, kpis_of_state

__all__ = ["EventLogWriter", "hist_quantile", "kpis_of_state"]
