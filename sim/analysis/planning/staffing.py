"""Staffing from a load: agents each hour needs for a service goal, grossed up for
shrinkage, covered by shifts at minimum paid hours (``scipy.optimize.milp``).

The planner's ground floor: per hour of the week, the fewest agents whose Erlang C service
level meets the goal (conservative — abandonment shortens real waits); for backlog
channels (e-mail, social) enough agents to clear the day's work at a target occupancy
within the hours they are staffed. Then a set-covering integer programme chooses shifts of
allowed lengths and start hours, each day, so that every hour has at least its requirement.
"""

from __future__ import annotations

import copy
import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

from sim.analysis.planning.workload import WeeklyLoad
from sim.analysis.theory import erlang_a, erlang_c
from sim.config import Config, ConfigError, ShiftConfig
from sim.config.operations import MAX_AGENTS, POOLS
from sim.units import DAYS_PER_WEEK, HOURS_PER_DAY, HOURS_PER_WEEK, MIN_PER_HOUR, SEC_PER_MIN


@dataclass(frozen=True)
class HourLoad:
    """What one hour of the week brings to one pool: arrivals and mean work per arrival."""

    arrivals_per_hour: float
    handle_min: float

    @property
    def erlangs(self) -> float:
        return self.arrivals_per_hour * self.handle_min / MIN_PER_HOUR


def agents_for_service_level(
    load: HourLoad, answer_within_s: float, goal: float, mean_patience_min: float | None = None
) -> int:
    """Fewest agents whose P(answered within t) reaches ``goal`` (0 for no arrivals):
    Erlang A with customers who abandon after ``mean_patience_min`` on average (those who
    leave count as missed), Erlang C without (conservative: abandonment shortens real
    waits, so Erlang C staffs more)."""
    if load.arrivals_per_hour <= 0.0:
        return 0
    agents = fewest_stable_agents(load)
    while service_level(load, agents, answer_within_s, mean_patience_min) < goal:
        agents += 1
    return agents


def fewest_stable_agents(load: HourLoad) -> int:
    """The first staffing Erlang C can queue at all (more agents than erlangs)."""
    return max(1, math.floor(load.erlangs) + 1)


def service_level(
    load: HourLoad, agents: int, answer_within_s: float, mean_patience_min: float | None
) -> float:
    """P(answered within t) in this hour with ``agents``: Erlang A with a mean patience,
    Erlang C without."""
    rate_per_min = load.arrivals_per_hour / MIN_PER_HOUR
    service_rate = 1.0 / load.handle_min
    target_min = answer_within_s / SEC_PER_MIN
    if mean_patience_min is None:
        return erlang_c(rate_per_min, service_rate, agents).service_level(target_min)
    queue = erlang_a(rate_per_min, service_rate, agents, 1.0 / mean_patience_min)
    return queue.service_level(target_min)


def backlog_requirement(
    work_min_by_hour: Sequence[float], open_hours: Sequence[bool], occupancy: float
) -> list[int]:
    """Agents per hour that clear each day's backlog work within its staffed hours."""
    needs = [0] * HOURS_PER_WEEK
    for day in range(DAYS_PER_WEEK):
        hours = range(day * HOURS_PER_DAY, (day + 1) * HOURS_PER_DAY)
        staffed = [h for h in hours if open_hours[h]]
        work_h = sum(work_min_by_hour[h] for h in hours) / MIN_PER_HOUR
        if not staffed or work_h <= 0.0:
            continue
        per_hour = math.ceil(work_h / (len(staffed) * occupancy))
        for h in staffed:
            needs[h] = per_hour
    return needs


def gross_up(requirement: Sequence[int], shrinkage: float) -> list[int]:
    """Scheduled agents whose expected availability is nearest the requirement (at least
    one where any is needed): rounding up every hour would schedule two for a quiet
    hour's one, and a centre spreads its shrinkage over the day instead."""
    return [max(1, round(n / (1.0 - shrinkage))) if n else 0 for n in requirement]


@dataclass(frozen=True)
class Shift:
    start_hour: int
    end_hour: int
    agents: int
    days: tuple[int, ...]


def cover(
    requirement: Sequence[int], lengths_h: Sequence[int] = (8, 4), max_end_hour: int = 24
) -> list[Shift]:
    """Shifts (start on the hour, one of ``lengths_h`` long, within a day) covering every
    hour's requirement at the fewest paid agent-hours: an integer set-covering programme."""
    if len(requirement) != HOURS_PER_WEEK:
        raise ValueError("the requirement lists the 168 hours of a week")
    options = [
        (day, start, length)
        for day in range(DAYS_PER_WEEK)
        for length in lengths_h
        for start in range(HOURS_PER_DAY - length + 1)
        if start + length <= max_end_hour
    ]
    covers = np.zeros((HOURS_PER_WEEK, len(options)))
    for j, (day, start, length) in enumerate(options):
        covers[day * HOURS_PER_DAY + start : day * HOURS_PER_DAY + start + length, j] = 1.0
    need = np.asarray(requirement, dtype=float)
    hours = np.array([length for _, _, length in options], dtype=float)
    # Prefer long shifts at equal hours (fewer people, fewer handovers): a tiny tie-break.
    cost = hours + 1e-3 * np.array([1.0 / length for _, _, length in options])
    result = milp(
        cost,
        constraints=LinearConstraint(covers, lb=need, ub=np.inf),
        integrality=np.ones(len(options)),
        bounds=Bounds(0, np.inf),
    )
    if not result.success:
        raise RuntimeError(f"shift cover failed: {result.message}")
    return _grouped(options, np.rint(result.x).astype(int))


def _grouped(options: list[tuple[int, int, int]], counts: np.ndarray) -> list[Shift]:
    """The same (start, end, agents) on several days becomes one shift with a day list."""
    by_pattern: dict[tuple[int, int, int], list[int]] = {}
    for (day, start, length), n in zip(options, counts):
        if n > 0:
            by_pattern.setdefault((start, start + length, int(n)), []).append(day)
    return [
        Shift(start, end, agents, tuple(days))
        for (start, end, agents), days in sorted(by_pattern.items())
    ]


def covered(shifts: Sequence[Shift]) -> list[int]:
    """Agents on duty per hour of the week under these shifts."""
    agents = [0] * HOURS_PER_WEEK
    for shift in shifts:
        for day in shift.days:
            for hour in range(shift.start_hour, shift.end_hour):
                agents[day * HOURS_PER_DAY + hour] += shift.agents
    return agents


# -- planning a whole organisation from its offered load ----------------------------------
# Answer-time targets of the service goals: phone in 20 s, chat in 60 s (COPC and ICMI's
# common 80/20 and chat's looser norm), transfers to the tiers within one and two minutes
# (judgement). The backlog channels are worked within their staffed hours every day.
ANSWER_WITHIN_S = {"phone": 20.0, "chat": 60.0, "tier2": 60.0, "tier3": 120.0}
BACKLOG_HOURS = {"email": (8, 20), "social": (8, 22)}
BACKLOG_OCCUPANCY = 0.85  # at the baseline goal; a higher goal works the backlog less hard
BASELINE_GOAL = 0.80
HIGHER_TIER_HOURS = (8, 22)  # the synchronous channels' hours: transfers arrive then


def staffed_hours(config: Config, pool: str) -> list[bool]:
    """The hours of the week a pool is staffed at all."""
    if pool in BACKLOG_HOURS or pool in ("tier2", "tier3"):
        start, end = BACKLOG_HOURS.get(pool, HIGHER_TIER_HOURS)
        return [start <= h % HOURS_PER_DAY < end for h in range(HOURS_PER_WEEK)]
    channel = getattr(config.channels, pool)
    return [channel.is_open(h // HOURS_PER_DAY, h % HOURS_PER_DAY) for h in range(HOURS_PER_WEEK)]


def requirement(
    pool: str, arrivals: np.ndarray, work_min: np.ndarray, goal: float, open_hours: list[bool]
) -> list[int]:
    """Agents a pool needs available (before shrinkage) in each hour of the week."""
    if pool in BACKLOG_HOURS:
        occupancy = min(0.95, BACKLOG_OCCUPANCY * BASELINE_GOAL / max(goal, 0.5))
        return backlog_requirement(work_min.tolist(), open_hours, occupancy)
    return synchronous_requirement(arrivals, work_min, open_hours, ANSWER_WITHIN_S[pool], goal)


def synchronous_requirement(
    arrivals: np.ndarray,
    work_min: np.ndarray,
    open_hours: Sequence[bool],
    answer_within_s: float,
    goal: float,
    mean_patience_min: float | None = None,
) -> list[int]:
    """Per hour of the week, the agents for the goal (at least one in an open hour with
    contacts; none when closed or quiet): Erlang A with a patience, Erlang C without."""
    needs = []
    for hour in range(HOURS_PER_WEEK):
        if not open_hours[hour] or arrivals[hour] <= 0:
            needs.append(0)
            continue
        load = HourLoad(arrivals[hour], work_min[hour] / arrivals[hour])
        agents = agents_for_service_level(load, answer_within_s, goal, mean_patience_min)
        needs.append(max(1, agents))
    return needs


def weekly_goal_requirement(
    arrivals: np.ndarray,
    work_min: np.ndarray,
    open_hours: Sequence[bool],
    answer_within_s: float,
    goal: float,
    mean_patience_min: float | None = None,
) -> list[int]:
    """Per hour of the week, the agents that meet the goal *over the week* (the share of
    all the week's contacts answered in time) at the fewest agent-hours.

    A goal over the week lets the planner staff busy hours, where an agent answers many
    contacts, a little past the goal and quiet hours a little short of it — what centres
    that report a weekly or monthly service level do. Marginal analysis: from the fewest
    stable agents in every open hour, add one agent at a time where it answers the most
    contacts in time, until the week meets the goal. Optimal for a service level concave
    in the agents (Koole & van der Sluis 2003, "Optimal shift scheduling with a global
    service level constraint", IIE Transactions 35)."""
    hours = [
        h for h in range(HOURS_PER_WEEK) if open_hours[h] and arrivals[h] > 0 and work_min[h] > 0
    ]
    needs = [0] * HOURS_PER_WEEK
    if not hours:
        return needs
    loads = {h: HourLoad(arrivals[h], work_min[h] / arrivals[h]) for h in hours}

    def answered(h: int, agents: int) -> float:
        return loads[h].arrivals_per_hour * service_level(
            loads[h], agents, answer_within_s, mean_patience_min
        )

    in_time = {}
    for h in hours:
        needs[h] = fewest_stable_agents(loads[h])
        in_time[h] = answered(h, needs[h])
    gains = [(-(answered(h, needs[h] + 1) - in_time[h]), h) for h in hours]
    heapq.heapify(gains)
    wanted = goal * sum(loads[h].arrivals_per_hour for h in hours)
    total = sum(in_time.values())
    while total < wanted and gains:
        gain, h = heapq.heappop(gains)
        needs[h] += 1
        total -= gain
        in_time[h] -= gain
        heapq.heappush(gains, (-(answered(h, needs[h] + 1) - in_time[h]), h))
    return needs


def shifts_for(
    config: Config, goals: dict[str, float], load: WeeklyLoad, shrinkage: float
) -> dict[str, list[Shift]]:
    """Every pool's shifts for its planning goal (the pools without one plan at phone's)."""
    shifts_by_pool = {}
    for pool in POOLS:
        arrivals, work_min = load.pool(pool)
        goal = goals.get(pool, goals["phone"])
        need = requirement(pool, arrivals, work_min, goal, staffed_hours(config, pool))
        shifts_by_pool[pool] = cover(gross_up(need, shrinkage))
    return shifts_by_pool


def with_shifts(config: Config, shifts_by_pool: dict[str, list[Shift]]) -> Config:
    """A copy of the configuration staffed by these shifts (already sized: scale 1); a
    plan larger than a shift may hold is refused in one line naming the pool."""
    staffed = copy.deepcopy(config)
    staffed.staffing.scale = 1.0
    for pool, shifts in shifts_by_pool.items():
        largest = max((s.agents for s in shifts), default=0)
        if largest > MAX_AGENTS:
            raise ConfigError(
                "staffing.plan",
                f"{largest:,} {pool} agents in one shift",
                f"a shift holds at most {MAX_AGENTS:,}: the forecast is larger than the model"
                " staffs (fewer contacts, or a higher occupancy for e-mail and social)",
            )
        rows = [ShiftConfig(s.start_hour, s.end_hour, s.agents, list(s.days)) for s in shifts]
        setattr(staffed.staffing, pool, rows)
    return staffed
