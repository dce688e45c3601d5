"""Engine-side measurements the calibration needs and a summary does not hold."""

from __future__ import annotations

from collections.abc import Generator, Sequence

import numpy as np
import simpy

from sim.app.compose import compose_config
from sim.config.operations import POOLS
from sim.model.org import SupportOrg
from sim.units import HOURS_PER_WEEK, MIN_PER_HOUR


def hourly_load(
    overrides: Sequence[str], seed: int, weeks: int = 8
) -> tuple[np.ndarray, np.ndarray]:
    """(arrivals, work minutes) per hour of the week and pool, averaged over ``weeks``
    after a warm-up week, with every pool staffed far beyond its load (offered, not
    carried, load) and no shrinkage."""
    ample = [f"staffing.{p}=[{{start_hour:0,end_hour:24,agents:2000}}]" for p in POOLS]
    days = 7 * (weeks + 1) + 1  # one more day, so the last hour is sampled
    config = compose_config(
        [
            *overrides,
            f"horizon_days={days}",
            "warmup_days=7",
            "staffing.shrinkage.planned=0",
            "staffing.shrinkage.unplanned=0",
            "staffing.scale=1",
            *ample,
        ]
    )
    org = SupportOrg(config, seed)
    samples: list[list[tuple[float, float]]] = []

    def sample_hourly(env: simpy.Environment) -> Generator[simpy.Event, None, None]:
        while True:
            for pool in org.pools:
                pool.advance()
            samples.append([(p.stats.entries, p.stats.busy_area) for p in org.pools])
            yield env.timeout(MIN_PER_HOUR)

    org.env.process(sample_hourly(org.env))
    org.run()
    cumulative = np.array(samples[: (weeks + 1) * HOURS_PER_WEEK + 1])
    per_hour = np.diff(cumulative, axis=0)[HOURS_PER_WEEK:]
    by_week = per_hour.reshape(weeks, HOURS_PER_WEEK, len(POOLS), 2).mean(axis=0)
    return by_week[..., 0], by_week[..., 1]
