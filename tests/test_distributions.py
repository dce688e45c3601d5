"""Handle-time and patience samplers draw from the distributions they claim."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from sim.config import HandleTimeConfig, PatienceConfig
from sim.model.distributions import (
    handle_time_sampler,
    patience_sampler,
    piecewise_hazard_quantile,
)

N = 100_000


def draws(sampler, n=N):
    return np.array([sampler() for _ in range(n)])


def rng(seed=0):
    return np.random.Generator(np.random.PCG64(seed))


def test_lognormal_handle_time_has_requested_mean_and_cv():
    x = draws(handle_time_sampler(HandleTimeConfig("lognormal", 5.0, 0.9), rng()))
    assert x.mean() == pytest.approx(5.0, rel=0.02)
    assert x.std() / x.mean() == pytest.approx(0.9, rel=0.04)


def test_gamma_handle_time_is_the_gamma_of_requested_mean_and_cv():
    x = draws(handle_time_sampler(HandleTimeConfig("gamma", 6.0, 0.5), rng()))
    assert stats.kstest(x, "gamma", args=(1 / 0.5**2, 0, 6.0 * 0.5**2)).pvalue > 0.001
    assert stats.kstest(x, "lognorm", args=(0.5, 0, 6.0)).pvalue < 1e-6  # a different shape


def test_exponential_and_deterministic_handle_times():
    x = draws(handle_time_sampler(HandleTimeConfig("exponential", 6.0), rng()))
    assert stats.kstest(x, "expon", args=(0, 6.0)).pvalue > 0.001
    assert handle_time_sampler(HandleTimeConfig("deterministic", 4.0), rng())() == 4.0


def test_infinite_patience():
    assert patience_sampler(PatienceConfig(mean_min=None), rng())() == math.inf


def test_piecewise_hazard_patience_matches_its_survival_function():
    """Hazard 0.1/min for 2 min, then 0 until 5 min, then 0.5/min."""
    breaks, rates = [2.0, 5.0], [0.1, 0.0, 0.5]
    cfg = PatienceConfig(kind="hazard", hazard_breaks_min=breaks, hazard_per_min=rates)
    x = draws(patience_sampler(cfg, rng(1)))

    def cdf(t):
        t = np.asarray(t, dtype=float)
        cumulative = 0.1 * np.minimum(t, 2.0) + 0.5 * np.maximum(t - 5.0, 0.0)
        return 1.0 - np.exp(-cumulative)

    assert stats.kstest(x, cdf).pvalue > 0.001
    assert not np.any((x > 2.0) & (x < 5.0))  # no abandonment while the hazard is zero


def test_hazard_quantile_is_exact_at_piece_boundaries():
    e = np.array([0.0, 0.2, 0.2 + 1e-12])
    t = piecewise_hazard_quantile(e, [2.0], [0.1, 1.0])
    assert t[0] == 0.0
    assert t[1] == pytest.approx(2.0)
    assert t[2] == pytest.approx(2.0, abs=1e-9)
