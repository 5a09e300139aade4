"""Planning on top of the engine: replications and confidence intervals, bottlenecks,
rough-cut capacity, capacity sizing (F2), MRP and ramp-up (F3)."""

from droneworks.factory.plan.bottleneck import (
    BottleneckShares,
    active_period_bottlenecks,
    bottleneck_kpis,
)
from droneworks.factory.plan.replications import (
    HalfwidthTarget,
    ReplicationOutcome,
    ReplicationStudy,
    RunRecording,
    parse_halfwidth,
    replicate,
)
from droneworks.factory.plan.statistics import (
    Interval,
    normal_exceedance,
    t_interval,
    wilson_interval,
)

__all__ = [
    "BottleneckShares",
    "HalfwidthTarget",
    "Interval",
    "ReplicationOutcome",
    "ReplicationStudy",
    "RunRecording",
    "active_period_bottlenecks",
    "bottleneck_kpis",
    "normal_exceedance",
    "parse_halfwidth",
    "replicate",
    "t_interval",
    "wilson_interval",
]
