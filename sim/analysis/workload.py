"""The load a configuration offers each pool, measured by a pilot run: what a planner's
forecast would say, per hour of the week.

Arrivals and work in this model come from customers, redials and transfers, not from a
rate anyone sets, so the forecast is measured: the configuration is run with every pool
staffed far beyond its load (offered, not carried, load: no abandonment, no backlog) and
no shrinkage, and each pool's entries and busy minutes are read every hour after a warm-up
week. A policy that changes the workload (deflection, outreach) changes its own forecast.
"""

from __future__ import annotations

import copy
from collections.abc import Generator
from dataclasses import dataclass, replace

import numpy as np
import simpy

from sim.config import Config, ShiftConfig
from sim.config.operations import POOLS
from sim.model.org import SupportOrg
from sim.units import DAYS_PER_WEEK, HOURS_PER_WEEK, MIN_PER_HOUR

AMPLE_AGENTS = 2000  # per pool and hour: no queue ever forms in a pilot run
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
    staffing = pilot.staffing
    staffing.plan.enabled = False  # the pilot is the plan's measurement, not a planned run
    staffing.shrinkage = replace(staffing.shrinkage, planned=0.0, unplanned=0.0)
    staffing.scale = 1.0
    staffing.extra_agents = type(staffing.extra_agents)()
    for pool in POOLS:
        setattr(staffing, pool, [ShiftConfig(0, 24, AMPLE_AGENTS, list(range(DAYS_PER_WEEK)))])
    return pilot


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
    by_week = per_hour.reshape(weeks, HOURS_PER_WEEK, len(POOLS), 2).mean(axis=0)
    return WeeklyLoad(by_week[..., 0], by_week[..., 1])
