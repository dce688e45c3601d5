"""Who joins: the starting population, the day's newcomers, and the state they join in.

Kept apart from what customers do once they are customers (``sim.model.behaviour``): the
initial state decides whether the first measured year is a steady state or a transient.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import simpy

from sim.config.customers import STATE_VARIABLES, CustomersConfig
from sim.model.customers import Population
from sim.units import DAYS_PER_YEAR, MIN_PER_YEAR

BILLING_CYCLE_DAYS = 30

# However good its name, a market does not send an operator more than this many times its
# ordinary newcomers (judgement): word of mouth's pull is bounded by the market's size.
MAX_ACQUISITION_BOOST = 10.0
LOG_MAX_ACQUISITION_BOOST = math.log(MAX_ACQUISITION_BOOST)


class Admissions:
    """Draws newcomers from the population's own streams and adds them to its arrays."""

    def __init__(
        self,
        env: simpy.Environment,
        cfg: CustomersConfig,
        population: Population,
        rngs: dict[str, np.random.Generator],
        before_change: Callable[[], None],
    ) -> None:
        self.env = env
        self.cfg = cfg
        self.population = population
        self._rng = rngs["population"]
        self._acquisition_rng = rngs["acquisition"]
        self._moves_rng = rngs["unpreventable"]
        self._initial_rng = rngs["initial"]
        self._before_change = before_change  # integrate the customer area up to now
        self._shares = [s.share for s in cfg.segments()]

    def admit_initial(self) -> None:
        segments = self._rng.choice(len(self._shares), size=self.cfg.population, p=self._shares)
        slots = self._admit(segments.astype(np.int8))
        if self.cfg.initial_state.stationary and slots is not None:
            self._place_in_steady_state(slots)

    def _place_in_steady_state(self, slots: np.ndarray) -> None:
        """Draw the starting customers' state from the stored stationary distribution: a
        Gaussian copula over the variables' quantiles (own stream: ``customers/initial``)."""
        state = self.cfg.initial_state
        k = len(STATE_VARIABLES)
        correlation = np.asarray(state.correlation, dtype=float).reshape(k, k)
        lower = np.linalg.cholesky(correlation + 1e-9 * np.eye(k))
        scores = self._initial_rng.standard_normal((len(slots), k)) @ lower.T
        from scipy.special import ndtr  # only a stationary start needs it (≈ 0.2 s to import)

        uniforms = ndtr(scores)
        pop = self.population
        levels = np.asarray(state.probabilities)
        for j, name in enumerate(STATE_VARIABLES):
            values = np.interp(uniforms[:, j], levels, np.asarray(getattr(state, name)))
            if name == "expectation_ratio":
                pop.expectation[slots] *= values
            else:
                getattr(pop, name)[slots] = values

    def acquire(self, reputation: float) -> int:
        """Today's newcomers (Poisson), more when word of mouth is good; returns how many."""
        acq = self.cfg.acquisition
        base_per_day = acq.base_share_per_year * self.cfg.population / DAYS_PER_YEAR
        relative = reputation - acq.reference_reputation
        boost = min(acq.reputation_elasticity * relative, LOG_MAX_ACQUISITION_BOOST)
        rate = base_per_day * math.exp(boost)
        n = int(self._acquisition_rng.poisson(rate))
        if n:
            segments = self._acquisition_rng.choice(len(self._shares), size=n, p=self._shares)
            self._admit(segments.astype(np.int8))
        return n

    def _admit(self, segments: np.ndarray) -> np.ndarray | None:
        if len(segments) == 0:
            return None
        rng = self._rng
        loyalty_cfg = self.cfg.loyalty
        n = len(segments)
        loyalty = np.clip(rng.normal(loyalty_cfg.initial_mean, loyalty_cfg.initial_sd, n), 0, 1)
        multiplier = np.array([s.expectation_multiplier for s in self.cfg.segments()])
        billing_day = rng.integers(0, BILLING_CYCLE_DAYS, n).astype(np.int8)
        self._before_change()
        return self.population.add(
            segments,
            loyalty,
            np.full(n, loyalty_cfg.trust_initial),
            multiplier[segments],
            billing_day,
            self.env.now,
            self.cfg.experience.satisfaction_initial,
            defect_threshold=rng.exponential(1.0, n),
            moves_min=self._moves_min(n),
        )

    def _moves_min(self, n: int) -> np.ndarray | None:
        """When each newcomer will leave for a reason no service prevents (own stream)."""
        rate_per_year = self.cfg.defection.unpreventable_per_year
        if rate_per_year <= 0.0:
            return None
        draws = self._moves_rng.exponential(MIN_PER_YEAR / rate_per_year, n)
        return self.env.now + draws
