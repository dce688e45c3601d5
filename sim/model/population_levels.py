"""What the customer population looks like when it is measured: the levels of a daily
row or the summary, and the service-recovery paradox's groups at the end of a run.

Measuring is kept apart from what customers do (``behaviour``): it reads the population
arrays and changes nothing, so a snapshot never moves the simulation.
"""

from __future__ import annotations

import math

import numpy as np

from sim.config import SEGMENTS
from sim.model.customers import Population, StateTime

RECOVERY_GROUPS = ("no_failure", "one_recovered", "two_recovered")


def snapshot_levels(
    pop: Population,
    now_min: float,
    state_time: StateTime,
    reputation: float,
    complete: bool,
    nps_loyalty: tuple[float, float],
) -> dict[str, float]:
    """Population levels at a snapshot: one gather of the active slots, then sums.

    It runs every simulated midnight over every customer, so it is written as few array
    passes as possible, and unless ``complete`` it skips what only the summary reports
    (trust, satisfaction by segment, the incident's affected customers).
    """
    active = np.flatnonzero(pop.active)
    n = len(active)
    nan = math.nan
    levels = {
        **{f"cust.satisfaction_{name}": nan for name in SEGMENTS},
        **{f"cust.loyalty_{name}": nan for name in SEGMENTS},
        "cust.mean_loyalty_affected": nan,
        "cust.loyalty_affected_sum": 0.0,
        "cust.active": n,
        "cust.mean_loyalty": nan,
        "cust.mean_trust": nan,
        "cust.nps": nan,
        "cust.reputation": reputation,
    }
    if n == 0:
        return levels
    loyalty = pop.current_loyalty_of(active, now_min, state_time)
    promoter_loyalty, detractor_loyalty = nps_loyalty  # promoters at or above, detractors below
    promoters = np.count_nonzero(loyalty >= promoter_loyalty)
    detractors = np.count_nonzero(loyalty < detractor_loyalty)
    levels["cust.mean_loyalty"] = float(loyalty.sum()) / n
    levels["cust.nps"] = 100.0 * (promoters - detractors) / n
    if not complete:
        return levels
    affected = pop.affected[active]
    n_affected = np.count_nonzero(affected)
    affected_sum = float(loyalty[affected].sum()) if n_affected else 0.0
    levels["cust.loyalty_affected_sum"] = affected_sum
    levels["cust.mean_loyalty_affected"] = affected_sum / n_affected if n_affected else nan
    levels["cust.mean_trust"] = float(pop.trust[active].sum()) / n
    segment = pop.segment[active]
    satisfaction = pop.satisfaction[active]
    for index, name in enumerate(SEGMENTS):
        mine = segment == index
        count = np.count_nonzero(mine)
        if count:
            levels[f"cust.satisfaction_{name}"] = float(satisfaction[mine].sum()) / count
            levels[f"cust.loyalty_{name}"] = float(loyalty[mine].sum()) / count
    return levels


def recovery_summary(pop: Population, churned_by_group: list[int]) -> dict[str, float | int | None]:
    """Satisfaction and retention by number of problems, all resolved fast (the service
    recovery paradox), over the whole run: group 0 = no problem, 1 = one, 2 = two or more.
    ``churned_by_group`` counts the leavers of each group, tallied as they left."""
    groups = pop.recovery_groups()
    active = pop.active
    out: dict[str, float | int | None] = {}
    out["mean_satisfaction_end"] = float(pop.satisfaction[active].mean()) if active.any() else None
    out["mean_expectation_multiplier_end"] = (
        float(pop.expectation[active].mean()) if active.any() else None
    )
    for group, name in enumerate(RECOVERY_GROUPS):
        members = active & (groups == group)
        stayed = int(members.sum())
        churned = churned_by_group[group]
        out[f"satisfaction_{name}"] = float(pop.satisfaction[members].mean()) if stayed else None
        out[f"retention_{name}"] = stayed / (stayed + churned) if stayed + churned else None
        out[f"retention_{name}_n"] = stayed + churned
    return out
