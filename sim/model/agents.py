"""Agents and their shifts.

For now an agent is an identity and a tier; later issues give agents skill, empathy,
burnout and attrition. Shifts set how many agents of a pool are on duty in each hour of
the week; the simulation starts on a Monday at 00:00.
"""

from __future__ import annotations

from collections.abc import Callable, Generator

import simpy

from sim.units import HOURS_PER_WEEK, MIN_PER_HOUR


class Agent:
    __slots__ = ("agent_id", "tier")

    def __init__(self, agent_id: str, tier: int) -> None:
        self.agent_id = agent_id
        self.tier = tier


def shift_changes(agents_by_hour_of_week: list[int]) -> list[tuple[int, int]]:
    """(hour of week, agents) at every hour where the number on duty changes."""
    changes = []
    for hour, agents in enumerate(agents_by_hour_of_week):
        if hour == 0 or agents != agents_by_hour_of_week[hour - 1]:
            changes.append((hour, agents))
    return changes


def run_shifts(
    env: simpy.Environment,
    set_agents_on_duty: Callable[[int], None],
    agents_by_hour_of_week: list[int],
) -> Generator[simpy.Event, None, None]:
    """SimPy process applying the weekly shift pattern for ever (a few events per day)."""
    changes = shift_changes(agents_by_hour_of_week)
    week = 0
    while True:
        for hour, agents in changes:
            at_min = (week * HOURS_PER_WEEK + hour) * MIN_PER_HOUR
            if at_min > env.now:
                yield env.timeout(at_min - env.now)
            set_agents_on_duty(agents)
        if len(changes) == 1 and week == 0:
            return  # constant staffing: nothing more to change
        week += 1
