"""Agents as people, and the workforce that employs, wears out, loses and hires them.

An agent has skill that grows with the contacts handled (a learning curve), an empathy
trait that the culture pulls on, a propensity to deflect, and burnout that grows with busy
time, hostile contacts and deflection conflicts and recovers off shift (premium_standard:
"progressively more bitter"). Attrition is a hazard rising with burnout; each agent quits
when its cumulative hazard passes a threshold drawn at hire (so runs that differ only in
policy see the same people with the same resilience: common random numbers). A leaver is
replaced by a novice after a hiring delay.

Every agent draws from its own named stream (``agents/<pool>/<n>``): agent ``phone-3`` is
the same person in every arm of an experiment.

Shifts set how many agents of a pool are on duty in each hour of the week; the simulation
starts on a Monday at 00:00. Agents take turns: the one longest off duty comes on first.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Protocol

import simpy

from sim.config import Config
from sim.metrics import WorkforceStats
from sim.model.culture import Culture
from sim.model.events import call_later
from sim.rng import Streams
from sim.units import DAYS_PER_YEAR, HOURS_PER_WEEK, MIN_PER_DAY, MIN_PER_HOUR

if TYPE_CHECKING:
    from sim.model.contact import Contact


class Team(Protocol):
    """What the workforce needs of the pool an agent works in (``sim.model.pool.AgentPool``):
    its name and tier, who is in it, and joining and leaving it. A protocol, so the pool
    depends on its agents and not the other way round."""

    name: str
    tier: int

    def members(self) -> list[tuple[Agent, bool]]: ...

    def join(self, agent: Agent) -> None: ...

    def remove(self, agent: Agent) -> None: ...


class Agent:
    """One person at one tier. Burnout is as of ``off_since_min`` while off duty."""

    __slots__ = (
        "active",
        "agent_id",
        "burnout",
        "deflection",
        "empathy",
        "empathy_trait",
        "hazard_threshold",
        "hazard_used",
        "inexperience",
        "leaving",
        "listed",
        "off_since_min",
        "on_duty",
        "pool",
        "tier",
    )

    def __init__(
        self,
        agent_id: str,
        tier: int,
        inexperience: float = 0.0,
        empathy_trait: float = 0.5,
        hazard_threshold: float = math.inf,
    ) -> None:
        self.agent_id = agent_id
        self.tier = tier
        self.pool: Team | None = None
        self.inexperience = inexperience  # 1 at hire, → 0 with experience
        self.empathy_trait = empathy_trait
        self.empathy = empathy_trait
        self.deflection = 0.0
        self.burnout = 0.0
        self.hazard_used = 0.0
        self.hazard_threshold = hazard_threshold
        self.off_since_min = 0.0
        self.on_duty = False
        self.leaving = False
        self.active = 0  # contacts in service at once (chat concurrency; else 0 or 1)
        self.listed = False  # in its pool's queue of agents with a free slot (concurrency)


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


def headcount(agents_by_hour_of_week: list[int], contract_hours_per_week: float) -> int:
    """Agents a pool employs: enough for its peak, and for its weekly hours by contract."""
    peak = max(agents_by_hour_of_week, default=0)
    if peak == 0:
        return 0
    return max(peak, math.ceil(sum(agents_by_hour_of_week) / contract_hours_per_week - 1e-9))


class Workforce:
    """Everyone employed, by pool; what work does to them; who leaves and who is hired."""

    def __init__(
        self, env: simpy.Environment, config: Config, streams: Streams, culture: Culture
    ) -> None:
        self.env = env
        self.cfg = config.agents
        self.culture = culture
        self.streams = streams
        self.stats = WorkforceStats()
        self.pools: list[Team] = []
        self._hired_per_pool: dict[str, int] = {}
        skill = self.cfg.skill
        self._learning_step = math.exp(-1.0 / skill.learning_contacts) if skill.learning else 1.0
        # Whether a service changes the agent at all (``after_service``): not for servers
        # that neither learn nor wear out, as Erlang's.
        self.work_changes_agents = skill.learning or self.cfg.burnout.enabled
        self._recovery_per_min = math.log(2.0) / (
            self.cfg.burnout.recovery_half_life_hours * MIN_PER_HOUR
        )
        self._turnover_rng = streams.get("agents/turnover")
        # Per-service constants, looked up once rather than through the config each time.
        self._novice_gap = 1.0 - skill.novice_skill
        self._handle_slope = skill.novice_handle_factor - 1.0
        self._burnout_loss = self.cfg.empathy.burnout_loss
        self._deflection_gain = self.cfg.burnout.deflection_gain
        self._corner_burnout_gain = self.cfg.corner_cutting.burnout_gain

    # -- people ------------------------------------------------------------------------
    def roster(self, pool_name: str, tier: int, agents_by_hour_of_week: list[int]) -> list[Agent]:
        """The staff a pool starts with: experienced people, already in the culture."""
        n = headcount(agents_by_hour_of_week, self.cfg.contract_hours_per_week)
        return [self._person(pool_name, tier, novice=False) for _ in range(n)]

    def _person(self, pool_name: str, tier: int, novice: bool) -> Agent:
        number = self._hired_per_pool.get(pool_name, 0) + 1
        self._hired_per_pool[pool_name] = number
        rng = self.streams.get(f"agents/{pool_name}/{number}")
        empathy = self.cfg.empathy
        trait = float(
            rng.beta(
                empathy.mean * empathy.concentration, (1 - empathy.mean) * empathy.concentration
            )
        )
        skill = self.cfg.skill
        experience = 0.0 if novice else float(rng.exponential(skill.initial_experience_contacts))
        inexperience = math.exp(-experience / skill.learning_contacts) if skill.learning else 0.0
        attrition = self.cfg.attrition
        threshold = float(rng.exponential()) if attrition.enabled else math.inf
        agent = Agent(f"{pool_name}-{number}", tier, inexperience, trait, threshold)
        agent.empathy = self.culture.empathy_target(trait)  # trained into the culture
        agent.deflection = self.culture.deflection_target
        agent.off_since_min = self.env.now
        return agent

    def skill(self, agent: Agent) -> float:
        return 1.0 - self._novice_gap * agent.inexperience

    def expressed_empathy(self, agent: Agent) -> float:
        """Empathy as the customer meets it: burnout makes it bitter."""
        return agent.empathy * (1.0 - self._burnout_loss * agent.burnout)

    def at_work(self, agent: Agent) -> tuple[float, float, float]:
        """How the agent serves now, in one call per service: (probability of deflecting
        by policy, empathy expressed, handle-time factor). Burnout raises the first and
        embitters the second; novices take longer (``novice_handle_factor`` at hire, 1
        when fully skilled)."""
        burnout = agent.burnout
        return (
            min(1.0, agent.deflection + self._deflection_gain * burnout),
            agent.empathy * (1.0 - self._burnout_loss * burnout),
            1.0 + self._handle_slope * agent.inexperience,
        )

    # -- what work does ----------------------------------------------------------------
    def after_service(
        self,
        agent: Agent,
        service_min: float,
        contact: Contact,
        deflected: bool,
        pressure: float = 0.0,
    ) -> None:
        """Learning from one more contact; burnout from its busy time, hostility, conflict,
        faster under work pressure (``agents.corner_cutting.burnout_gain``)."""
        agent.inexperience *= self._learning_step
        burnout = self.cfg.burnout
        if not burnout.enabled:
            return
        frustration = (
            contact.handoffs
            + contact.attempt
            - 1
            + contact.carried_effort
            + contact.wait_min / burnout.hostility_wait_min
        )
        hostility = 1.0 - math.exp(-frustration)
        growth = (
            burnout.per_busy_hour * service_min / MIN_PER_HOUR
            + burnout.per_hostile_contact * hostility
            + burnout.per_deflection * deflected
        ) * (1.0 - burnout.support_relief * self.culture.staff_support)
        if pressure:
            growth *= 1.0 + self._corner_burnout_gain * pressure
        agent.burnout += min(1.0, growth) * (1.0 - agent.burnout)

    def on_duty(self, agent: Agent) -> None:
        """Coming on shift: burnout has recovered over the time off."""
        agent.burnout = self.current_burnout(agent, on_duty=False)

    def current_burnout(self, agent: Agent, on_duty: bool) -> float:
        if on_duty:
            return agent.burnout
        off_min = self.env.now - agent.off_since_min
        return agent.burnout * math.exp(-self._recovery_per_min * off_min)

    # -- daily: percolation, attrition -------------------------------------------------
    def attach(self, pools: list[Team]) -> None:
        self.pools = pools

    def employed(self) -> list[tuple[Agent, bool]]:
        """(agent, on duty) for everyone employed, in a fixed order."""
        return [pair for pool in self.pools for pair in pool.members()]

    def new_day(self) -> None:
        """Culture percolates into every agent; the day's attrition happens."""
        culture = self.culture
        k = culture.daily_relaxation
        deflection_target = culture.deflection_target
        attrition = self.cfg.attrition
        leavers = []
        for agent, on_duty in self.employed():
            target = culture.empathy_target(agent.empathy_trait)
            agent.empathy = target + (agent.empathy - target) * k
            agent.deflection = deflection_target + (agent.deflection - deflection_target) * k
            if attrition.enabled and not agent.leaving:
                hazard = self.quit_hazard_annual(self.current_burnout(agent, on_duty))
                agent.hazard_used += hazard / DAYS_PER_YEAR
                if agent.hazard_used >= agent.hazard_threshold:
                    leavers.append(agent)
        for agent in leavers:
            self.quit(agent)

    def quit(self, agent: Agent) -> None:
        """The agent leaves (now, or after the current contact); a novice is hired later."""
        pool = agent.pool
        assert pool is not None
        pool.remove(agent)
        self.stats.leavers += 1
        delay_min = self.cfg.attrition.hiring_delay_days * MIN_PER_DAY
        call_later(self.env, delay_min, self._hire, pool)

    def _hire(self, pool: Team) -> None:
        self.stats.hires += 1
        self.stats.hiring_cost += self.cfg.attrition.hiring_cost
        pool.join(self._person(pool.name, pool.tier, novice=True))

    def change_culture(self, turnover_share: float) -> None:
        """New management (new_management): the levers switch and a share of the staff walks out."""
        self.culture.change()
        people = [agent for agent, _ in self.employed() if not agent.leaving]
        draws = self._turnover_rng.random(len(people))
        for agent, u in zip(people, draws):
            if u < turnover_share:
                self.quit(agent)

    # -- levels for snapshots ----------------------------------------------------------
    def sample(self) -> None:
        """Add today's state of every employed agent to the agent-day sums."""
        stats = self.stats
        for agent, on_duty in self.employed():
            burnout = self.current_burnout(agent, on_duty)
            stats.agent_days += 1
            stats.burnout_sum += burnout
            stats.hazard_sum += self.quit_hazard_annual(burnout)
            stats.skill_sum += self.skill(agent)

    def quit_hazard_annual(self, burnout: float) -> float:
        attrition = self.cfg.attrition
        if not attrition.enabled:
            return 0.0
        return attrition.base_annual + attrition.burnout_annual * burnout

    def levels(self) -> dict[str, float]:
        people = self.employed()
        n = len(people)
        burnout = sum(self.current_burnout(a, on) for a, on in people)
        skill = sum(self.skill(a) for a, _ in people)
        empathy = sum(self.expressed_empathy(a) for a, _ in people)
        return {
            "wf.employed": n,
            "wf.mean_burnout": burnout / n if n else math.nan,
            "wf.mean_skill": skill / n if n else math.nan,
            "wf.mean_empathy": empathy / n if n else math.nan,
        }
