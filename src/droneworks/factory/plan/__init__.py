"""Planning on top of the engine: replications and confidence intervals, bottlenecks,
rough-cut capacity, capacity sizing (F2), MRP and ramp-up (F3).

The names are imported on first use (PEP 562): a module of the package (``stall``,
``statistics`` …) can be imported without loading numba, scipy or the runs store.
"""

from typing import TYPE_CHECKING

from droneworks.core.lazy import lazy_attributes

if TYPE_CHECKING:
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

_HOME = {
    "BottleneckShares": "bottleneck",
    "active_period_bottlenecks": "bottleneck",
    "bottleneck_kpis": "bottleneck",
    "BottleneckComparison": "compare",
    "compare_bottlenecks": "compare",
    "HalfwidthTarget": "replications",
    "ReplicationOutcome": "replications",
    "ReplicationStudy": "replications",
    "RunRecording": "replications",
    "parse_halfwidth": "replications",
    "replicate": "replications",
    "ResourceLoad": "roughcut",
    "RoughCut": "roughcut",
    "rough_cut": "roughcut",
    "Evaluation": "sizing",
    "SizingResult": "sizing",
    "size": "sizing",
    "Configuration": "sizing_space",
    "Interval": "statistics",
    "normal_exceedance": "statistics",
    "t_interval": "statistics",
    "wilson_interval": "statistics",
}

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

__getattr__ = lazy_attributes(__name__, _HOME)
