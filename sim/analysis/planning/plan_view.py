"""The report's plan view (``staffing=from_forecast``): per interval, the agents the
forecast required, the agents the shifts scheduled, and the service each interval got —
where Erlang's answer holds and where it misses (small pools, load that changes within
the hour, redials, absences that leave a one-agent hour empty).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

SYNCHRONOUS_POOLS = ("phone", "chat")
NEAR_GOAL = 0.05  # an hour within five points of its goal counts as near it


@dataclass(frozen=True)
class IntervalService:
    """One pool's plan per staffed hour, its simulated service averaged over runs."""

    pool: str
    goal: float
    hours: pd.DataFrame  # staffed hour_of_week, required, scheduled, simulated service

    @property
    def _served(self) -> pd.Series:
        return self.hours["simulated_service_level"].dropna()

    @property
    def share_meeting_goal(self) -> float:
        return float((self._served >= self.goal).mean())

    @property
    def share_near_goal(self) -> float:
        return float((self._served >= self.goal - NEAR_GOAL).mean())

    @property
    def worst(self) -> pd.Series:
        return self.hours.loc[self._served.idxmin()]


def interval_service(
    plans: list[pd.DataFrame], goals: Mapping[str, float]
) -> list[IntervalService]:
    """Each synchronous pool's staffed hours over the runs of one plan: the service level
    of an hour is its contacts answered in time over its contacts, all runs pooled (an
    hour of few contacts weighs little; one without any has none)."""
    runs = pd.concat(plans, ignore_index=True)
    runs = runs[runs["scheduled_agents"] > 0].copy()
    runs["answered"] = runs["simulated_contacts"] * runs["simulated_service_level"].fillna(0.0)
    views = []
    for pool in SYNCHRONOUS_POOLS:
        rows = runs[runs["pool"] == pool]
        if not (rows["simulated_contacts"] > 0).any():
            continue
        hours = rows.groupby("hour_of_week").agg(
            required=("required_agents", "first"),
            scheduled=("scheduled_agents", "first"),
            contacts=("simulated_contacts", "sum"),
            answered=("answered", "sum"),
        )
        served = hours["contacts"] > 0  # an hour nobody called in has no service level
        hours["simulated_service_level"] = (hours["answered"] / hours["contacts"]).where(served)
        views.append(IntervalService(pool, float(goals[pool]), hours.reset_index()))
    return views


def plan_sentence(views: list[IntervalService], paid_hours_per_week: float, runs: int) -> str:
    """The plan in words: what it pays for and how often each hour met its goal."""
    parts = []
    for view in views:
        worst = view.worst
        day, hour = divmod(int(worst["hour_of_week"]), 24)
        parts.append(
            f"{view.pool} met its {view.goal:.0%} goal in {view.share_meeting_goal:.0%} of its "
            f"staffed hours ({view.share_near_goal:.0%} within five points); its worst hour, "
            f"{DAYS[day]} {hour:02d}:00 with {int(worst['scheduled'])} scheduled for "
            f"{int(worst['required'])} required, got {worst['simulated_service_level']:.0%}"
        )
    return (
        f"Staffing planned from the forecast: {paid_hours_per_week:,.0f} paid agent-hours a "
        f"week. Simulated over {runs} run{'s' if runs > 1 else ''}: " + "; ".join(parts) + "."
    )


DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
