"""Samplers for handle times and patience, built from their config and a named stream."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from sim.config import HandleTimeConfig, PatienceConfig
from sim.rng import block_sampler

Sampler = Callable[[], float]


def lognormal_params(mean: float, cv: float) -> tuple[float, float]:
    """(mu, sigma) of the underlying normal for a lognormal with this mean and CV."""
    sigma2 = math.log1p(cv * cv)
    return math.log(mean) - sigma2 / 2.0, math.sqrt(sigma2)


def constant(value: float) -> Sampler:
    return lambda: value


def handle_time_sampler(cfg: HandleTimeConfig, rng: np.random.Generator) -> Sampler:
    """Handle time in minutes."""
    if cfg.kind == "deterministic":
        return constant(cfg.mean_min)
    if cfg.kind == "exponential":
        return block_sampler(lambda n: rng.exponential(cfg.mean_min, n))
    if cfg.kind == "gamma":
        shape = 1.0 / (cfg.cv * cfg.cv)
        return block_sampler(lambda n: rng.gamma(shape, cfg.mean_min / shape, n))
    mu, sigma = lognormal_params(cfg.mean_min, cfg.cv)
    return block_sampler(lambda n: rng.lognormal(mu, sigma, n))


def piecewise_hazard_quantile(
    unit_exponentials: np.ndarray, breaks_min: list[float], hazard_per_min: list[float]
) -> np.ndarray:
    """Invert the cumulative hazard: the time at which H(t) reaches each Exp(1) draw."""
    starts = np.concatenate(([0.0], np.asarray(breaks_min, dtype=float)))
    rates = np.asarray(hazard_per_min, dtype=float)
    widths = np.diff(starts)
    cumulative = np.concatenate(([0.0], np.cumsum(rates[:-1] * widths)))  # H at each start
    piece = np.searchsorted(cumulative, unit_exponentials, side="right") - 1
    # Zero-hazard pieces have zero width in H and are skipped by searchsorted(side=right).
    return starts[piece] + (unit_exponentials - cumulative[piece]) / rates[piece]


def patience_sampler(cfg: PatienceConfig, rng: np.random.Generator) -> Sampler:
    """Patience in minutes; ``inf`` when the customer never abandons."""
    if cfg.never_abandons:
        return constant(math.inf)
    if cfg.kind == "hazard":
        return block_sampler(
            lambda n: piecewise_hazard_quantile(
                rng.exponential(1.0, n), cfg.hazard_breaks_min, cfg.hazard_per_min
            )
        )
    assert cfg.mean_min is not None
    if cfg.kind == "exponential":
        return block_sampler(lambda n: rng.exponential(cfg.mean_min, n))
    mu, sigma = lognormal_params(cfg.mean_min, cfg.cv)
    return block_sampler(lambda n: rng.lognormal(mu, sigma, n))
