"""Planning on top of the engine: replications and confidence intervals, bottlenecks,
rough-cut capacity, capacity sizing (F2), MRP and ramp-up (F3)."""

from droneworks.factory.plan.bottleneck import (
    BottleneckShares,
    active_period_bottlenecks,
    bottleneck_kpis,
)
from droneworks.factory.plan.compare import BottleneckComparison, compare_bottlenecks
from droneworks.factory.plan.replications import (
    HalfwidthTarget,
    ReplicationOutcome,
    ReplicationStudy,
    RunRecording,
    parse_halfwidth,
    replicate,
)
from droneworks.factory.plan.roughcut import ResourceLoad, RoughCut, rough_cut
from droneworks.factory.plan.sizing import Evaluation, SizingResult, size
from droneworks.factory.plan.sizing_space import Configuration
from droneworks.factory.plan.statistics import (
    Interval,
    normal_exceedance,
    t_interval,
    wilson_interval,
)

__all__ = [
    "BottleneckComparison",
    "BottleneckShares",
    "Configuration",
    "Evaluation",
    "HalfwidthTarget",
    "Interval",
    "ReplicationOutcome",
    "ReplicationStudy",
    "ResourceLoad",
    "RoughCut",
    "RunRecording",
    "SizingResult",
    "active_period_bottlenecks",
    "bottleneck_kpis",
    "compare_bottlenecks",
    "normal_exceedance",
    "parse_halfwidth",
    "replicate",
    "rough_cut",
    "size",
    "t_interval",
    "wilson_interval",
]
