"""Active-period bottleneck detection on hand-built periods with known shares."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from droneworks.factory.plan.bottleneck import active_period_bottlenecks, bottleneck_kpis

# Three work centres over [0, 20] min.  Longest active period covering each instant:
#   [0, 4) A's [0, 6];  [4, 14) B's [4, 14];  [14, 20] C's [13, 20].
# Overlaps of consecutive bottleneck periods (shifting): A–B [4, 6] = 2, B–C [13, 14] = 1.
HAND = {
    "A": np.array([[0.0, 6.0], [10.0, 12.0]]),
    "B": np.array([[4.0, 14.0]]),
    "C": np.array([[13.0, 20.0]]),
}


def test_hand_example_sole_and_shifting_shares() -> None:
    shares = active_period_bottlenecks(HAND, 0.0, 20.0)
    assert shares.work_centres == ("A", "B", "C")
    np.testing.assert_allclose(shares.sole, [4 / 20, 7 / 20, 6 / 20])
    np.testing.assert_allclose(shares.shifting, [2 / 20, 3 / 20, 1 / 20])
    np.testing.assert_allclose(shares.mean_active_min, [4.0, 10.0, 7.0])
    np.testing.assert_allclose(shares.active_share, [8 / 20, 10 / 20, 7 / 20])
    assert shares.momentary_bottleneck == "B"
    assert shares.average_bottleneck == "B"


def test_touching_periods_are_one_active_period() -> None:
    split = dict(HAND, A=np.array([[0.0, 3.0], [3.0, 6.0], [10.0, 12.0]]))
    a = active_period_bottlenecks(split, 0.0, 20.0)
    b = active_period_bottlenecks(HAND, 0.0, 20.0)
    np.testing.assert_allclose(a.sole, b.sole)
    np.testing.assert_allclose(a.mean_active_min, b.mean_active_min)


def test_shares_are_of_the_time_something_is_active() -> None:
    """A night off shift between two active stretches does not dilute the shares."""
    night = {"A": np.array([[0.0, 4.0], [16.0, 20.0]]), "B": np.array([[1.0, 3.0]])}
    shares = active_period_bottlenecks(night, 0.0, 20.0)
    assert shares.observed_min == pytest.approx(8.0)
    np.testing.assert_allclose(shares.sole, [1.0, 0.0])
    np.testing.assert_allclose(shares.active_share, [8 / 20, 2 / 20])


def test_window_clips_periods_and_warmup() -> None:
    shares = active_period_bottlenecks(HAND, 10.0, 20.0)
    # B [10, 14] (4) beats A [10, 12] (2) and C [13, 20] (7)? C is longer: C owns [13, 20],
    # B owns [10, 13); overlap B–C [13, 14] = 1.
    np.testing.assert_allclose(shares.sole, [0.0, 3 / 10, 6 / 10])
    np.testing.assert_allclose(shares.shifting, [0.0, 1 / 10, 1 / 10])


def test_idle_plant_has_no_bottleneck_and_kpis_are_flat() -> None:
    shares = active_period_bottlenecks({"A": np.empty((0, 2))}, 0.0, 5.0)
    assert shares.total.tolist() == [0.0]
    kpis = bottleneck_kpis(active_period_bottlenecks(HAND, 0.0, 20.0))
    assert kpis["bottleneck.B.total"] == pytest.approx(0.5)
    assert kpis["bottleneck.C.mean_active_min"] == pytest.approx(7.0)
    with pytest.raises(ValueError, match="empty"):
        active_period_bottlenecks(HAND, 5.0, 5.0)


def test_ties_go_to_the_first_work_centre() -> None:
    shares = active_period_bottlenecks(
        {"X": np.array([[0.0, 5.0]]), "Y": np.array([[0.0, 5.0]])}, 0.0, 5.0
    )
    assert shares.sole.tolist() == [1.0, 0.0]
    assert shares.shifting.tolist() == [0.0, 0.0]
    assert shares.momentary_bottleneck == "X"


periods = st.lists(st.tuples(st.floats(0, 100), st.floats(0.1, 30)), min_size=0, max_size=15).map(
    lambda pairs: np.array([[s, s + d] for s, d in pairs]).reshape(-1, 2)
)


@settings(max_examples=60, deadline=None)
@given(st.lists(periods, min_size=1, max_size=4))
def test_invariants_on_random_periods(blocks: list[np.ndarray]) -> None:
    data = {f"wc{i}": block for i, block in enumerate(blocks)}
    shares = active_period_bottlenecks(data, 0.0, 100.0)
    assert np.all(shares.sole >= 0) and np.all(shares.shifting >= 0)
    scale = shares.observed_min / 100.0
    assert np.all(shares.sole * scale <= shares.active_share + 1e-9)
    # every instant some work centre is active has a bottleneck
    if shares.observed_min > 0:
        assert shares.sole.sum() + shares.shifting.sum() >= 1.0 - 1e-9
