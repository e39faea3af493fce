"""The benchmarks' statistics: one percentile definition, medians, means, ratios,
and the one way of timing a call."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), interpolating linearly between closest ranks."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be between 0 and 100, not {q}")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: Sequence[float]) -> float:
    """The 50th percentile."""
    return percentile(values, 50)


def mean(values: Sequence[float]) -> float:
    """The arithmetic mean."""
    if not values:
        raise ValueError("mean of no values")
    return statistics.fmean(values)


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator, or None when either is missing or the denominator is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def summary(
    values_ms: Sequence[float], percentiles: Sequence[int], digits: int
) -> dict[str, float]:
    """n, median, mean and each `percentiles` (as `p<q>_ms`) of timings, rounded."""
    figures: dict[str, float] = {
        "n": len(values_ms),
        "median_ms": round(median(values_ms), digits),
        "mean_ms": round(mean(values_ms), digits),
    }
    for q in percentiles:
        figures[f"p{q}_ms"] = round(percentile(values_ms, q), digits)
    return figures


def timed(call: Callable[[], T]) -> tuple[float, T]:
    """(milliseconds `call` took, what it returned)."""
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result
