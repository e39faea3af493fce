"""devtools.benchmarks.stats: the one percentile definition, means, ratios, summaries."""

from __future__ import annotations

import pytest

from devtools.benchmarks import stats


def test_percentile_interpolates_between_closest_ranks() -> None:
    values = [4.0, 1.0, 3.0, 2.0, 5.0]
    assert stats.percentile(values, 0) == 1.0
    assert stats.percentile(values, 50) == 3.0
    assert stats.percentile(values, 100) == 5.0
    assert stats.percentile(values, 90) == pytest.approx(4.6)
    assert stats.percentile([1.0, 2.0], 50) == 1.5
    assert stats.percentile([7.0], 95) == 7.0


@pytest.mark.parametrize("q", [-1, 101])
def test_percentile_rejects_out_of_range(q: float) -> None:
    with pytest.raises(ValueError):
        stats.percentile([1.0], q)


def test_percentile_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError):
        stats.percentile([], 50)


def test_ratio_handles_missing_and_zero() -> None:
    assert stats.ratio(3.0, 2.0) == 1.5
    assert stats.ratio(1.0, 0.0) is None
    assert stats.ratio(None, 2.0) is None
    assert stats.ratio(1.0, None) is None


def test_median_and_mean() -> None:
    assert stats.median([5.0, 1.0, 3.0]) == 3.0
    assert stats.median([1.0, 2.0, 3.0, 10.0]) == 2.5
    assert stats.mean([1.0, 2.0, 6.0]) == 3.0
    with pytest.raises(ValueError):
        stats.mean([])


def test_summary_rounds_each_requested_percentile() -> None:
    figures = stats.summary([float(v) for v in range(1, 101)], (90, 95), digits=1)
    assert figures == {
        "n": 100,
        "median_ms": 50.5,
        "mean_ms": 50.5,
        "p90_ms": 90.1,
        "p95_ms": 95.0,
    }
    assert stats.summary([1.23456, 2.0], (95,), digits=3)["p95_ms"] == 1.962  # 1.961728
