"""Distributions: exact means and variances, samples agree with them, keys are checked."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from droneworks.core.errors import ConfigError
from droneworks.core.validation import validate
from droneworks.factory.model import DistKind, Distribution

TABLES = [
    {"dist": "constant", "value": "3 min"},
    {"dist": "uniform", "low": "1 min", "high": "5 min"},
    {"dist": "triangular", "low": "15 min", "mode": "20 min", "high": "31 min"},
    {"dist": "normal", "mean": "2 min", "sd": "1.5 min"},
    {"dist": "lognormal", "mean": "1.5 min", "cv": 0.25},
    {"dist": "exponential", "mean": "480 min"},
    {"dist": "empirical", "samples": ["1 min", "2 min", "90 s", "4 min"]},
]


def _make(table: dict[str, object]) -> Distribution:
    return validate(Distribution, table, "test")


@pytest.mark.parametrize("table", TABLES, ids=[str(table["dist"]) for table in TABLES])
def test_sample_mean_and_variance_match_the_exact_figures(table: dict[str, object]) -> None:
    dist = _make(table)
    draws = dist.sample(np.random.default_rng(1), 400_000)
    assert draws.min() >= 0.0
    sd = np.sqrt(dist.variance_min2)
    assert draws.mean() == pytest.approx(dist.mean_min, abs=5 * sd / np.sqrt(len(draws)) + 1e-12)
    assert draws.var() == pytest.approx(dist.variance_min2, rel=0.03, abs=1e-12)


def test_known_means() -> None:
    assert _make(TABLES[0]).mean_min == 3.0
    assert _make(TABLES[2]).mean_min == pytest.approx(22.0)
    assert _make(TABLES[4]).scv() == pytest.approx(0.0625)
    assert _make(TABLES[5]).scv() == pytest.approx(1.0)
    assert _make(TABLES[6]).mean_min == pytest.approx(2.125)
    # Truncated normal: the mean of the truncated law lies above the untruncated mean.
    assert _make(TABLES[3]).mean_min > 2.0


def test_same_generator_seed_same_draws() -> None:
    dist = _make(TABLES[4])
    first = dist.sample(np.random.default_rng(5), 10)
    second = dist.sample(np.random.default_rng(5), 10)
    assert np.array_equal(first, second)


@settings(max_examples=50, deadline=None)
@given(
    mean=st.floats(min_value=0.01, max_value=1e4),
    cv=st.floats(min_value=0.0, max_value=3.0),
)
def test_lognormal_parameters_reproduce_mean_and_cv(mean: float, cv: float) -> None:
    dist = Distribution(dist=DistKind.LOGNORMAL, mean=f"{mean!r} min", cv=cv)  # type: ignore[arg-type]
    mu, sigma = dist.lognormal_params()
    assert np.exp(mu + sigma**2 / 2) == pytest.approx(mean, rel=1e-9)
    assert np.sqrt(np.expm1(sigma**2)) == pytest.approx(cv, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"dist": "uniform", "low": "5 min"}, 'uniform distribution needs "high"'),
        ({"dist": "exponential", "mean": "1 min", "cv": 1.0},
         'exponential distribution takes mean, not "cv"'),
        ({"dist": "uniform", "low": "5 min", "high": "1 min"}, "needs low ≤ high"),
        ({"dist": "triangular", "low": "1 min", "mode": "9 min", "high": "5 min"},
         "low ≤ mode ≤ high"),
        ({"dist": "gamma", "mean": "1 min"}, "dist: Input should be"),
        ({"dist": "empirical", "samples": []}, "at least one sample"),
    ],
)  # fmt: skip
def test_bad_tables(table: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        _make(table)
