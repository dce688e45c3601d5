"""The hourly schedule: scheduled agents less those away (shrinkage), plus those called in
on overtime when the pool falls behind (``policy.surge``).

Every hour of the week each scheduled agent of a pool (each position the pool has someone
employed to fill: a vacancy is short, not away) is away with the pool's shrinkage
probability, drawn as one binomial per pool and hour from the pool's own stream, so the
capacity a schedule buys varies the way a planner sees it vary; the hour is paid in full.
With surge on, a pool whose queued work exceeds the trigger (hours of work per agent
available this hour) calls in up to a share of its scheduled agents from the staff off
shift, for the hour; they are paid at the overtime rate. Overtime draws no random numbers,
so an arm with surge sees the same absences, customers and problems as one without.
"""

from __future__ import annotations

import math
from collections.abc import Generator

import numpy as np
import simpy

from sim.config.policy import SurgeConfig
from sim.model.pool import AgentPool
from sim.units import HOURS_PER_WEEK, MIN_PER_HOUR


def overtime_agents(surge: SurgeConfig, pool: AgentPool, scheduled: int, available: int) -> int:
    """Agents to call in this hour: none unless the pool is staffed and behind."""
    if not surge.enabled or scheduled == 0:
        return 0
    if pool.backlog_hours_per_agent(available) < surge.trigger_backlog_hours:
        return 0
    return math.ceil(surge.max_extra_share * scheduled)


def run_hourly_schedule(
    env: simpy.Environment,
    pool: AgentPool,
    agents_by_hour_of_week: list[int],
    shrinkage: float,
    rng: np.random.Generator,
    surge: SurgeConfig,
) -> Generator[simpy.Event, None, None]:
    """SimPy process: the weekly schedule, less each hour's absentees, plus each hour's
    overtime, for ever."""
    hour = 0
    while True:
        scheduled = agents_by_hour_of_week[hour % HOURS_PER_WEEK]
        filled = min(scheduled, len(pool.staff))  # a vacant position is never away, nor paid
        absent = int(rng.binomial(filled, shrinkage)) if filled and shrinkage else 0
        extra = overtime_agents(surge, pool, scheduled, filled - absent)
        pool.set_schedule(scheduled, absent, extra)
        hour += 1
        yield env.timeout(hour * MIN_PER_HOUR - env.now)
