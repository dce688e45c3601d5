"""``staffing=from_forecast``: shifts computed from the organisation's own forecast, as a
workforce planner computes them, before the run.

The forecast is a pilot run's offered load (``sim.analysis.planning.workload``) on seeds of its own,
so every replication of a study is staffed alike and common random numbers still pair
them. Each staffed hour of a synchronous pool gets the fewest agents whose Erlang A
service level (the channel's own patience; Erlang C with ``erlang: C``) meets the pool's
goal; the backlog pools clear each day's work within their hours; the requirement is
grossed up for shrinkage and covered by shifts at the fewest paid hours.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.planning.staffing import (
    ANSWER_WITHIN_S,
    BACKLOG_HOURS,
    Shift,
    backlog_requirement,
    cover,
    covered,
    gross_up,
    staffed_hours,
    synchronous_requirement,
    weekly_goal_requirement,
    with_shifts,
)
from sim.analysis.planning.workload import WeeklyLoad, offered_load
from sim.config import Config
from sim.config.operations import CHANNELS, POOLS, PatienceConfig
from sim.units import HOURS_PER_WEEK


@dataclass(frozen=True)
class StaffingPlan:
    """Per pool and hour of the week: the forecast, the agents needed available, and the
    agents the chosen shifts schedule (needed / (1 − shrinkage), rounded, then covered)."""

    load: WeeklyLoad
    required: dict[str, list[int]]
    scheduled: dict[str, list[int]]
    shifts: dict[str, list[Shift]]

    @property
    def paid_hours(self) -> int:
        """Agent-hours a week the shifts pay for, all pools."""
        return sum(sum(hours) for hours in self.scheduled.values())

    def table(self, intervals: dict[str, list] | None = None) -> pd.DataFrame:
        """One row per pool and hour of the week: what a planner's interval report shows —
        the forecast, the requirement, the schedule and (given a run's ``intervals``) the
        contacts and service level simulated in that hour, per week."""
        rows = []
        for pool in POOLS:
            arrivals, work_min = self.load.pool(pool)
            for hour in range(HOURS_PER_WEEK):
                rows.append(
                    {
                        "pool": pool,
                        "hour_of_week": hour,
                        "forecast_contacts": float(arrivals[hour]),
                        "forecast_work_min": float(work_min[hour]),
                        "required_agents": self.required[pool][hour],
                        "scheduled_agents": self.scheduled[pool][hour],
                    }
                )
        table = pd.DataFrame(rows)
        if intervals:
            simulated = pd.DataFrame(intervals).rename(
                columns={
                    "channel": "pool",
                    "contacts_per_week": "simulated_contacts",
                    "service_level": "simulated_service_level",
                }
            )
            table = table.merge(simulated, on=["pool", "hour_of_week"], how="left")
        return table


def mean_patience_min(patience: PatienceConfig) -> float | None:
    """Mean patience for Erlang A: the stated mean, or the piecewise hazard's own mean
    (∫ survival); None for a channel whose customers never abandon."""
    if patience.kind != "hazard":
        return patience.mean_min
    survival, start, mean = 1.0, 0.0, 0.0
    for end, rate in zip([*patience.hazard_breaks_min, np.inf], patience.hazard_per_min):
        if rate == 0.0:
            mean += survival * (end - start)
            start = end
            continue
        span = end - start
        mean += survival * (1.0 - np.exp(-rate * span)) / rate
        survival *= np.exp(-rate * span)
        start = end
    return float(mean)


def hourly_requirement(config: Config, pool: str, load: WeeklyLoad) -> list[int]:
    """Agents the pool needs available in each hour of the week for its goal."""
    plan = config.staffing.plan
    arrivals, work_min = load.pool(pool)
    open_hours = staffed_hours(config, pool)
    if pool in BACKLOG_HOURS:
        return backlog_requirement(work_min.tolist(), open_hours, plan.backlog_occupancy)
    goal = getattr(plan.goals, pool)
    answer_within_s, patience_min = ANSWER_WITHIN_S[pool], None
    if pool in CHANNELS:  # the channel's own target, the one its service level counts
        channel = getattr(config.channels, pool)
        answer_within_s = channel.target_answer_s
        if plan.erlang == "A":
            patience_min = mean_patience_min(channel.patience)
    requirement = weekly_goal_requirement if plan.goal_over == "week" else synchronous_requirement
    return requirement(arrivals, work_min, open_hours, answer_within_s, goal, patience_min)


def plan_staffing(config: Config) -> StaffingPlan:
    """The plan for this configuration (its run seed plays no part)."""
    plan = config.staffing.plan
    seeds = range(plan.pilot_seed, plan.pilot_seed + plan.pilot_runs)
    measured = WeeklyLoad.mean([offered_load(config, seed, plan.pilot_weeks) for seed in seeds])
    load = measured.scaled(1.0 + plan.forecast_error)
    shrinkage = config.staffing.shrinkage.share
    required, scheduled, shifts = {}, {}, {}
    for pool in POOLS:
        required[pool] = hourly_requirement(config, pool, load)
        shifts[pool] = cover(gross_up(required[pool], shrinkage), plan.shift_lengths_h)
        scheduled[pool] = covered(shifts[pool])
    return StaffingPlan(load, required, scheduled, shifts)


def planning_input(config: Config) -> Config:
    """What a plan depends on: the configuration less what only the measured run reads
    (its seed, horizon, warm-up, outputs), so runs that differ only there share a plan."""
    neutral = copy.deepcopy(config)
    neutral.staffing.plan.enabled = False
    neutral.seed, neutral.horizon_days, neutral.warmup_days = 0, 1.0, 0.0
    neutral.output = type(config.output)()
    neutral.report = type(config.report)()
    return neutral


def planned(
    config: Config, plan_with: Callable[[Config], StaffingPlan] = plan_staffing
) -> tuple[Config, StaffingPlan]:
    """The configuration staffed by its plan (``staffing.plan.enabled`` off: the shifts are
    explicit now, ``extra_agents`` still applies on top), and the plan. ``plan_with`` may
    be a cached ``plan_staffing`` (a sweep's jobs share their plans)."""
    plan = plan_with(planning_input(config))
    unplanned = copy.deepcopy(config)
    unplanned.staffing.plan.enabled = False
    return with_shifts(unplanned, plan.shifts), plan
