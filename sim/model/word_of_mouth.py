"""Word of mouth and reputation (new_management: "I intentionally work to inform others").

After a strongly negative or positive experience a customer tells a Poisson number of
people (negative stories travel further, public ones further still). Some listeners are
our customers and their loyalty is nudged; the net audience, exponentially weighted, is the
reputation that modulates acquisition.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import simpy

from sim.config import WordOfMouthConfig
from sim.metrics import CustomerStats
from sim.model.customers import Population
from sim.rng import block_sampler
from sim.units import MIN_PER_DAY, MIN_PER_YEAR


class WordOfMouth:
    """Stories after experiences, their listeners, and the reputation they add up to."""

    def __init__(
        self,
        env: simpy.Environment,
        population: Population,
        stats: CustomerStats,
        config: WordOfMouthConfig,
        reputation_half_life_days: float,
        rng: np.random.Generator,
    ) -> None:
        self.env = env
        self.population = population
        self.stats = stats
        self.cfg = config
        self._half_life_min = reputation_half_life_days * MIN_PER_DAY
        self._uniform = block_sampler(rng.random)
        self._audience = self._audience_samplers(rng)
        self._net_told = 0.0  # exponentially decayed net audience
        self._updated_min = 0.0

    def _audience_samplers(
        self, rng: np.random.Generator
    ) -> list[tuple[Callable[[], int], Callable[[], int]]]:
        """Poisson audience sizes by (positive story?, told in public?), split into our
        customers and everyone else: thinning a Poisson(m) audience by the share s of
        customers gives independent Poisson(m·s) and Poisson(m·(1−s)) parts, so only the
        listeners who are customers cost a draw each. Indexed by 2·positive + public."""
        cfg = self.cfg
        share = cfg.listener_customer_share
        samplers = []
        for positive in (False, True):
            for public in (False, True):
                mean = cfg.positive_audience if positive else cfg.negative_audience
                mean *= cfg.public_multiplier if public else 1.0  # public stories reach further
                samplers.append(
                    tuple(
                        block_sampler(lambda n, m=mean * part: rng.poisson(m, n), 1024)
                        for part in (share, 1.0 - share)
                    )
                )
        return samplers

    def reputation(self) -> float:
        """Net word of mouth: (positive − negative) people told, per customer per year.

        An exponentially weighted rate: the decayed sum of net audiences divided by its mean
        life and by the active customers.
        """
        self._decay()
        mean_life_years = self._half_life_min / math.log(2) / MIN_PER_YEAR
        return self._net_told / mean_life_years / max(1, self.population.n_active)

    def _decay(self) -> None:
        self._net_told *= 0.5 ** ((self.env.now - self._updated_min) / self._half_life_min)
        self._updated_min = self.env.now

    def tell(self, score: float, public: bool) -> None:
        """A customer who just had an experience scored ``score`` may tell others."""
        cfg = self.cfg
        if score <= cfg.negative_threshold:
            sign = -1.0
        elif score >= cfg.positive_threshold:
            sign = 1.0
        else:
            return
        customers_told, others_told = self._audience[2 * (sign > 0) + public]
        listeners = customers_told()
        audience = listeners + others_told()
        if audience == 0:
            return
        if sign < 0:
            self.stats.wom_negative += audience
        else:
            self.stats.wom_positive += audience
        self._decay()
        self._net_told += sign * audience
        pop = self.population
        if pop.n_active == 0:
            return
        nudge = sign * cfg.loyalty_nudge
        for _ in range(listeners):
            slot = self._random_active_slot()
            loyalty = pop.loyalty_of[slot]
            pop.loyalty_of[slot] = loyalty + nudge * (loyalty if sign < 0 else 1.0 - loyalty)

    def _random_active_slot(self) -> int:
        """A uniformly random customer, picked by array position (see ``slot_at``)."""
        pop = self.population
        while True:
            slot = pop.slot_at(self._uniform())
            if pop.active_of[slot]:
                return slot
