"""Replications, t intervals and paired comparisons under common random numbers."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim.analysis.statistics.replications import (
    compare,
    estimate,
    mean_ci,
    paired_difference,
    replicate,
    unpaired_difference,
)

from .conftest import erlang_config


def test_mean_ci_is_the_student_t_interval():
    data = [1.0, 2.5, 1.7, 3.1, 2.2]
    est = mean_ci(data, level=0.9)
    low, high = stats.t.interval(0.9, len(data) - 1, loc=np.mean(data), scale=stats.sem(data))
    assert (est.low, est.high) == pytest.approx((low, high))
    with pytest.raises(ValueError):
        mean_ci([1.0])


def test_t_interval_covers_at_its_nominal_rate():
    rng = np.random.Generator(np.random.PCG64(0))
    covered = sum(mean_ci(rng.normal(2.0, 1.0, 8), 0.9).contains(2.0) for _ in range(4000))
    # Normal data, n = 8: coverage 90% (binomial sd ≈ 0.5 points).
    assert 0.88 < covered / 4000 < 0.92


def test_replications_are_reproducible_and_parallel_safe():
    config = erlang_config(100.0, 6.0, 11, 5.0, 3.0)
    serial = replicate(config, [1, 2, 3])
    parallel = replicate(config, [1, 2, 3], workers=2)
    assert serial == parallel
    assert len({s["contacts_arrived"] for s in serial}) == 3


def test_common_random_numbers_narrow_the_comparison():
    """One more agent: the paired CI excludes zero and is much narrower than unpaired."""
    seeds = range(8)
    base = replicate(erlang_config(100.0, 6.0, 11, 5.0, 4.0), seeds, workers=2)
    more = replicate(erlang_config(100.0, 6.0, 12, 5.0, 4.0), seeds, workers=2)
    paired = paired_difference(more, base, "p_abandon")
    unpaired = unpaired_difference(more, base, "p_abandon")
    assert paired.high < 0  # more agents, fewer abandons
    assert paired.half_width * 3 < unpaired.half_width
    assert paired.mean == pytest.approx(unpaired.mean)
    again = compare(
        erlang_config(100.0, 6.0, 12, 5.0, 4.0),
        erlang_config(100.0, 6.0, 11, 5.0, 4.0),
        seeds,
        "p_abandon",
        workers=2,
    )
    assert again == paired
    assert estimate(base, "p_abandon").n == 8
