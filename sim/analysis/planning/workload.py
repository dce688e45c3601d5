"""The load a configuration offers each pool, measured by a pilot run: what a planner's
forecast would say, per hour of the week.

Arrivals and work in this model come from customers, redials and transfers, not from a
rate anyone sets, so the forecast is measured: the configuration is run with every pool
staffed far beyond its load (offered, not carried, load: no abandonment, no backlog) and
no shrinkage, and each pool's entries and busy minutes are read every hour after a warm-up
week. A policy that changes the workload (deflection, outreach) changes its own forecast;
the scenario's scheduled incidents are left out (a forecast does not know the outage to
come).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Generator
from dataclasses import dataclass, replace

import numpy as np
import simpy

from sim.config import Config, ShiftConfig
from sim.config.operations import POOLS
from sim.model.org import SupportOrg
from sim.units import DAYS_PER_WEEK, HOURS_PER_WEEK, MIN_PER_HOUR

# Agents per pool in a pilot: far more than its busiest hour needs (the reference
# organisation's 500,000 customers keep at most ≈ 100 phone agents busy), so no queue
# forms; too many cost time (each is a person with a day of her own). The pilot checks.
AMPLE_AGENTS_MIN = 50
CUSTOMERS_PER_AMPLE_AGENT = 250
SATURATED_SHARE = 0.5  # an hour whose mean busy agents reach this share of them: refuse
SAMPLE_BEFORE_MIN = 1e-6


@dataclass(frozen=True)
class WeeklyLoad:
    """Offered arrivals and work minutes per hour of the week (rows) and pool (columns,
    in ``POOLS`` order), averaged over the measured weeks."""

    arrivals: np.ndarray
    work_min: np.ndarray

    def pool(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        i = POOLS.index(name)
        return self.arrivals[:, i], self.work_min[:, i]

    def scaled(self, factor: float) -> WeeklyLoad:
        """A forecast ``factor`` times this one (more contacts, each the same work)."""
        return WeeklyLoad(self.arrivals * factor, self.work_min * factor)

    @staticmethod
    def mean(loads: list[WeeklyLoad]) -> WeeklyLoad:
        return WeeklyLoad(
            np.mean([load.arrivals for load in loads], axis=0),
            np.mean([load.work_min for load in loads], axis=0),
        )


def pilot_config(config: Config, weeks: int) -> Config:
    """The configuration with ample staff, no shrinkage and a horizon of a warm-up week,
    ``weeks`` measured weeks and one more day (so the last hour is sampled)."""
    pilot = copy.deepcopy(config)
    pilot.horizon_days = float(DAYS_PER_WEEK * (weeks + 1) + 1)
    pilot.warmup_days = float(DAYS_PER_WEEK)
    # The forecast knows the ordinary week (random incidents at their rate among it), not
    # the scenario's own outage to come: that is the event a study puts the plan through.
    pilot.incidents.scheduled = []
    staffing = pilot.staffing
    staffing.plan.enabled = False  # the pilot is the plan's measurement, not a planned run
    staffing.shrinkage = replace(staffing.shrinkage, planned=0.0, unplanned=0.0)
    staffing.scale = 1.0
    staffing.extra_agents = type(staffing.extra_agents)()
    every_day = list(range(DAYS_PER_WEEK))
    for pool in POOLS:
        setattr(staffing, pool, [ShiftConfig(0, 24, ample_agents(config), every_day)])
    return pilot


def ample_agents(config: Config) -> int:
    """Agents per pool in the pilot: more than the customers and any anonymous demand
    could keep busy at once (three times the anonymous offered load, plus a margin)."""
    customers = config.customers.population if config.customers.enabled else 0
    anonymous_erlangs = sum(
        channel.arrival_rate_per_hour * channel.handle_time.mean_min / MIN_PER_HOUR
        for _, channel in config.channels.items()
    )
    return math.ceil(
        AMPLE_AGENTS_MIN + customers / CUSTOMERS_PER_AMPLE_AGENT + 3 * anonymous_erlangs
    )


def offered_load(config: Config, seed: int, weeks: int = 8) -> WeeklyLoad:
    """Each pool's offered load per hour of the week, from a pilot run of ``weeks``."""
    org = SupportOrg(pilot_config(config, weeks), seed)
    samples: list[list[tuple[float, float]]] = []

    def sample_hourly(env: simpy.Environment) -> Generator[simpy.Event, None, None]:
        # Just before each hour strikes: contacts let in on the stroke (a channel opening)
        # belong to the hour that starts, whatever order SimPy runs simultaneous events in.
        wait_min = MIN_PER_HOUR - SAMPLE_BEFORE_MIN
        while True:
            for pool in org.pools:
                pool.advance()
            samples.append([(p.stats.entries, p.stats.busy_area) for p in org.pools])
            yield env.timeout(wait_min)
            wait_min = MIN_PER_HOUR

    org.env.process(sample_hourly(org.env))
    org.run()
    cumulative = np.array(samples[: (weeks + 1) * HOURS_PER_WEEK + 1])
    per_hour = np.diff(cumulative, axis=0)[HOURS_PER_WEEK:]
    _check_not_saturated(per_hour[..., 1] / MIN_PER_HOUR, ample_agents(config))
    by_week = per_hour.reshape(weeks, HOURS_PER_WEEK, len(POOLS), 2).mean(axis=0)
    return WeeklyLoad(by_week[..., 0], by_week[..., 1])


def _check_not_saturated(mean_busy: np.ndarray, agents: int) -> None:
    """A pilot whose busiest hour kept half its agents busy may have queued: its load
    would be carried, not offered. Refuse rather than plan from it."""
    busiest = float(mean_busy.max()) if mean_busy.size else 0.0
    if busiest > SATURATED_SHARE * agents:
        raise RuntimeError(
            f"the pilot's busiest hour kept {busiest:.0f} of {agents} agents busy: "
            "too close to saturation to measure the offered load"
        )
