"""Sweeps: key paths, factor values in the file's notation, and the three designs."""

from __future__ import annotations

import re

import pytest

from droneworks.core.errors import ConfigError
from droneworks.core.sweep import (
    Design,
    Factor,
    Point,
    apply_point,
    canonical_json,
    design_points,
    get_path,
    parse_path,
)

DATA = {
    "work_centres": {"esc": {"stations": 7, "failures": {"up_time": {"mean": "120 h"}}}},
    "demand": {"rate": {"sprayer": "60000/yr"}},
    "products": {"sprayer": {"operations": [{"id": "kit"}, {"id": "frame", "yield": 0.97}]}},
}


def factor(**kwargs: object) -> Factor:
    return Factor.model_validate(kwargs)


def test_paths_with_dots_and_indices() -> None:
    assert parse_path("products.sprayer.operations[1].yield") == [
        "products", "sprayer", "operations", 1, "yield",
    ]  # fmt: skip
    assert get_path(DATA, "products.sprayer.operations[1].yield") == 0.97
    assert get_path(DATA, "work_centres.esc.failures.up_time.mean") == "120 h"


@pytest.mark.parametrize(
    ("path", "named"),
    [
        ("work_centres.frame.stations", "work_centres.frame is not in the file"),
        ("products.sprayer.operations[5].yield", "operations[5] is not in the file"),
        ("demand.rate.cargo", "demand.rate.cargo is not in the file (there: sprayer)"),
    ],
)
def test_a_path_not_in_the_file_is_named(path: str, named: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(named)):
        get_path(DATA, path)


def test_malformed_path() -> None:
    with pytest.raises(ConfigError, match="factor path"):
        parse_path("[2].x")


def test_scale_keeps_the_unit_and_integers() -> None:
    mtbf = factor(path="work_centres.esc.failures.up_time.mean", scale=[0.5, 1.25])
    assert mtbf.discrete_values("120 h") == ["60 h", "150 h"]
    stations = factor(path="work_centres.esc.stations", scale=[1.5])
    assert stations.discrete_values(7) == [10]  # round(10.5) → 10, still an int
    rate = factor(path="demand.rate.sprayer", scale=[1.1])
    assert rate.discrete_values("60000/yr") == ["66000/yr"]


def test_one_kind_of_values_per_factor() -> None:
    with pytest.raises(ValueError, match="exactly one of levels, scale or distribution"):
        factor(path="a.b", levels=[1], scale=[2.0])
    with pytest.raises(ValueError, match="exactly one"):
        factor(path="a.b")
    with pytest.raises(ValueError, match="scale factors must be positive"):
        factor(path="a.b", scale=[0.0])


def test_distribution_bounds_checked() -> None:
    with pytest.raises(ValueError, match="low < high"):
        factor(path="a", distribution={"kind": "uniform", "low": "5 wk", "high": "2 wk"})
    with pytest.raises(ValueError, match="one unit"):
        factor(path="a", distribution={"kind": "uniform", "low": "5 d", "high": "2 wk"})
    with pytest.raises(ValueError, match="needs mode"):
        factor(path="a", distribution={"kind": "triangular", "low": 1, "high": 2})


def test_full_factorial_and_one_at_a_time_counts() -> None:
    factors = [
        factor(path="work_centres.esc.stations", levels=[6, 7, 8]),
        factor(path="demand.rate.sprayer", scale=[0.9, 1.1]),
    ]
    full = design_points(Design(kind="full"), factors, DATA)
    assert len(full) == 6
    assert {p.values for p in full} == {(s, r) for s in (6, 7, 8) for r in ("54000/yr", "66000/yr")}
    oat = design_points(Design(kind="oat"), factors, DATA)
    assert len(oat) == 1 + 3 + 2
    assert oat[0].values == (None, None)  # the base point first
    assert all(sum(v is not None for v in p.values) == 1 for p in oat[1:])


def test_latin_hypercube_is_stratified_and_seeded() -> None:
    factors = [
        factor(path="demand.rate.sprayer",
               distribution={"kind": "uniform", "low": "50000/yr", "high": "70000/yr"}),
        factor(path="work_centres.esc.failures.up_time.mean",
               distribution={"kind": "uniform", "low": 0.5, "high": 1.0}, relative=True),
    ]  # fmt: skip
    design = Design(kind="lhs", points=10, seed=3)
    points = design_points(design, factors, DATA)
    rates = sorted(float(p.values[0].removesuffix("/yr")) for p in points)
    # one sample in each tenth of the range: the hallmark of a Latin hypercube
    assert [int((r - 50000) // 2000) for r in rates] == list(range(10))
    hours = [float(p.values[1].removesuffix(" h")) for p in points]
    assert all(60 <= h <= 120 for h in hours)  # relative: × 0.5–1.0 of the file's 120 h
    assert design_points(design, factors, DATA) == points
    assert design_points(Design(kind="lhs", points=10, seed=4), factors, DATA) != points


def test_lhs_needs_points_and_only_lhs_takes_them() -> None:
    with pytest.raises(ValueError, match="needs points"):
        Design(kind="lhs")
    with pytest.raises(ValueError, match="points applies to kind = 'lhs'"):
        Design(kind="full", points=4)


def test_apply_point_changes_a_copy_only() -> None:
    factors = [factor(path="products.sprayer.operations[1].yield", levels=[0.85])]
    changed = apply_point(DATA, factors, Point(0, (0.85,)))
    assert changed["products"]["sprayer"]["operations"][1]["yield"] == 0.85
    assert DATA["products"]["sprayer"]["operations"][1]["yield"] == 0.97
    unchanged = apply_point(DATA, factors, Point(1, (None,)))
    assert canonical_json(unchanged) == canonical_json(DATA)


def test_canonical_json_ignores_key_order() -> None:
    assert canonical_json({"a": 1, "b": {"c": 2, "d": 3}}) == canonical_json(
        {"b": {"d": 3, "c": 2}, "a": 1}
    )
