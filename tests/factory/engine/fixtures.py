"""Tiny named problems built directly (no plant file)."""

from __future__ import annotations

from droneworks.factory import Dist, Problem, ProblemBuilder


def queue_network(
    arrival_rate: float,
    service_means: list[float],
    servers: int = 1,
    horizon_min: float = 60_000.0,
    warmup_min: float = 2_000.0,
) -> Problem:
    """Poisson arrivals, exponential service, stations in tandem, unlimited buffers."""
    b = ProblemBuilder(horizon_min=horizon_min, warmup_min=warmup_min, period_min=10_000.0)
    b.add_product("job", interarrival=Dist.exponential(1.0 / arrival_rate))
    b.release_by_rate()
    for k, mean in enumerate(service_means):
        b.add_work_centre(f"s{k}", stations=servers)
        b.add_operation("job", f"op{k}", f"s{k}", Dist.exponential(mean))
    return b.build()


def deterministic_line(horizon_min: float, windows: list[list[float]] | None = None) -> Problem:
    """The reference line without variability or failures (times 1.5 min, 2.0 at s6)."""
    b = ProblemBuilder(horizon_min=horizon_min, period_min=1_440.0)
    b.add_product("unit")
    for k in range(1, 11):
        b.add_work_centre(f"s{k}", buffer=0 if k == 1 else 5)
        b.add_operation("unit", f"op{k}", f"s{k}", Dist.constant(2.0 if k == 6 else 1.5))
    if windows is not None:
        b.set_calendar(windows)
    return b.build()


def assembly_with_parts(horizon_min: float = 20_000.0, tubes: int = 50) -> Problem:
    """A drone consumes 4 motors (purchased) and a frame made in the plant from 2 tubes."""
    b = ProblemBuilder(horizon_min=horizon_min, period_min=5_000.0)
    b.add_work_centre("frame", stations=2, buffer=4)
    b.add_work_centre("assembly", stations=2)
    b.add_work_centre("test", stations=1, buffer=3)
    b.add_work_centre("rework")
    b.add_pool("assemblers", 3)
    b.add_part("motor", initial=120)
    b.add_part("tube", initial=tubes)
    b.add_product("drone")
    b.add_assembly("airframe", target_stock=3)
    b.add_operation("airframe", "frame", "frame", Dist.triangular(8, 10, 14), consumes={"tube": 2})
    b.add_operation(
        "drone", "assemble", "assembly", Dist.lognormal(20, 0.3), pool="assemblers",
        consumes={"airframe": 1, "motor": 4}, setup=Dist.constant(5.0),
    )  # fmt: skip
    test = b.add_operation("drone", "test", "test", Dist.uniform(5, 9), test_yield=0.8,
                           max_reworks=1)  # fmt: skip
    b.add_operation("drone", "fix", "rework", Dist.exponential(15), rework_of=test)
    return b.build()
