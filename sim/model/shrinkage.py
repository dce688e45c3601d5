"""Shrinkage: scheduled agents who are paid but away (breaks, training, absence).

Every hour of the week each scheduled agent of a pool is away with the pool's shrinkage
probability, drawn as one binomial per pool and hour from the pool's own stream, so the
capacity a schedule buys varies the way a planner sees it vary; the hour is paid in full.
"""

from __future__ import annotations

from collections.abc import Generator

import numpy as np
import simpy

from sim.model.pool import AgentPool
from sim.units import HOURS_PER_WEEK, MIN_PER_HOUR


def run_shrunk_shifts(
    env: simpy.Environment,
    pool: AgentPool,
    agents_by_hour_of_week: list[int],
    shrinkage: float,
    rng: np.random.Generator,
) -> Generator[simpy.Event, None, None]:
    """SimPy process: the weekly schedule, less each hour's absentees, for ever."""
    hour = 0
    while True:
        scheduled = agents_by_hour_of_week[hour % HOURS_PER_WEEK]
        absent = int(rng.binomial(scheduled, shrinkage)) if scheduled else 0
        pool.set_schedule(scheduled, absent)
        hour += 1
        yield env.timeout(hour * MIN_PER_HOUR - env.now)
