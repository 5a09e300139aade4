"""The plant file: validated pydantic models of a drone assembly plant (docs/plant-file.md)."""

from droneworks.factory.model.blocking import blocking_edges, find_blocking_cycle
from droneworks.factory.model.bom import (
    assembly_order,
    bom_levels,
    expected_test_visits,
    explode_bom,
    low_level_codes,
    work_content_min,
)
from droneworks.factory.model.calendar import Break, Calendar, Overtime, Weekday
from droneworks.factory.model.checks import find_bom_cycle
from droneworks.factory.model.demand import (
    AfterPlan,
    Arrivals,
    Demand,
    ReleaseKind,
    ReleasePolicy,
)
from droneworks.factory.model.distributions import DistKind, Distribution
from droneworks.factory.model.load import (
    load_plant,
    parse_plant,
    plant_json_schema,
    with_changes,
)
from droneworks.factory.model.material import (
    LotSizing,
    Part,
    PartPolicy,
    Supplier,
    SupplyTerms,
)
from droneworks.factory.model.plant import Costs, Plant, PlantSettings
from droneworks.factory.model.products import (
    Assembly,
    FailAction,
    Operation,
    Product,
    QualityTest,
    ReworkOperation,
    Step,
)
from droneworks.factory.model.rampup import CapacityChange, Learning, YieldLearning
from droneworks.factory.model.resources import (
    DispatchRule,
    FailureBasis,
    FailureMode,
    Maintenance,
    RepairCrew,
    WorkCentre,
    WorkerPool,
)
from droneworks.factory.model.transport import Move, Transporter

__all__ = [
    "AfterPlan",
    "Arrivals",
    "Assembly",
    "Break",
    "Calendar",
    "CapacityChange",
    "Costs",
    "Demand",
    "DispatchRule",
    "DistKind",
    "Distribution",
    "FailAction",
    "FailureBasis",
    "FailureMode",
    "Learning",
    "LotSizing",
    "Maintenance",
    "Move",
    "Operation",
    "Overtime",
    "Part",
    "PartPolicy",
    "Plant",
    "PlantSettings",
    "Product",
    "QualityTest",
    "ReleaseKind",
    "ReleasePolicy",
    "RepairCrew",
    "ReworkOperation",
    "Step",
    "Supplier",
    "SupplyTerms",
    "Transporter",
    "Weekday",
    "WorkCentre",
    "WorkerPool",
    "YieldLearning",
    "assembly_order",
    "blocking_edges",
    "bom_levels",
    "expected_test_visits",
    "explode_bom",
    "find_blocking_cycle",
    "find_bom_cycle",
    "load_plant",
    "low_level_codes",
    "parse_plant",
    "plant_json_schema",
    "with_changes",
    "work_content_min",
]
