"""The contact journey: a customer's path through the organisation.

A contact arrives on a channel with an issue whose complexity names the tier able to
resolve it. Tier 1 of its channel answers first; at each service the agent decides
(``sim.model.handling``): resolve, fail, deflect, escalate to the next tier, or transfer
it to the wrong colleague. Every handoff is a new wait. Tiers 2 and 3 are shared by all
channels and take customers who are holding (phone, chat) before asynchronous backlog. A
synchronous customer who gives up may redial later and start again at tier 1; an
asynchronous one never gives up. The journey ends resolved, unresolved (failed or
deflected) or abandoned, and its outcome goes to the metrics and to the customer.

Everything random about a contact (complexity, work per tier, first patience) is drawn
when it arrives, in arrival order, from its own named streams. So the k-th contact has
the same issue whatever the staffing: common random numbers across policy arms.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import simpy

from sim.config import CHANNELS, SYNCHRONOUS_CHANNELS, Config
from sim.metrics import ChannelStats, SystemStats
from sim.model.agents import Agent, Workforce
from sim.model.culture import Culture
from sim.model.distributions import Sampler, handle_time_sampler, patience_sampler
from sim.model.handling import Outcome, decide
from sim.model.pool import AgentPool
from sim.rng import Streams, block_sampler
from sim.units import HOURS_PER_WEEK

# Queue classes, served in this order: premium customers holding (with
# policy.premium_priority), customers holding, then backlog (e-mail, social, callbacks).
PREMIUM_HOLDING, HOLDING, BACKLOG = range(3)
PRIORITY_CLASSES = 3
RESOLVED, UNRESOLVED, ABANDONED = range(3)


class Contact:
    """One customer issue on its way through the organisation."""

    __slots__ = (
        "answered",
        "arrival_min",
        "attempt",
        "callback",
        "care_sum",
        "channel",
        "complexity",
        "credit",
        "customer",
        "customer_uid",
        "deflected",
        "empowered",
        "enter_min",
        "episode",
        "handoffs",
        "outcome",
        "patience_min",
        "priority",
        "recontacts",
        "service_min",
        "services",
        "severity",
        "unfelt_min",
        "wait_min",
        "work_min",
    )

    def __init__(
        self,
        channel: int,
        priority: int,
        complexity: int,
        work_min: list[float],
        arrival_min: float,
        patience_min: float,
        customer: int = -1,
        customer_uid: int = -1,
        severity: float = 1.0,
    ) -> None:
        self.channel = channel
        self.customer = customer  # population slot, -1 for an anonymous contact
        self.customer_uid = customer_uid
        self.severity = severity
        self.priority = priority
        self.complexity = complexity
        self.work_min = work_min
        self.arrival_min = arrival_min
        self.patience_min = patience_min
        self.enter_min = arrival_min
        self.episode = 0
        self.attempt = 1
        self.handoffs = 0
        self.answered = False
        self.wait_min = 0.0
        self.services = 0
        self.recontacts = 0  # contacting us again after an unresolved end
        self.callback = False  # took a callback instead of holding
        self.unfelt_min = 0.0  # waiting the customer did not feel (waiting for a callback)
        self.care_sum = 0.0  # empathy expressed by each agent who served it
        self.credit = 0.0
        self.deflected = False
        self.outcome = Outcome.RESOLVE
        self.empowered = False
        self.service_min = 0.0

    @property
    def care(self) -> float:
        """Mean empathy the customer met (0 if nobody answered)."""
        return self.care_sum / self.services if self.services else 0.0


class Journey:
    """Routes contacts between pools and records each journey's outcome."""

    def __init__(
        self,
        env: simpy.Environment,
        config: Config,
        streams: Streams,
        workforce: Workforce,
        culture: Culture,
    ) -> None:
        self.env = env
        self.workforce = workforce
        self.culture = culture
        self.on_journey_end: Callable[[Contact, bool], None] | None = None
        self.stats = [ChannelStats() for _ in CHANNELS]
        self.system = SystemStats()
        self._in_system = 0
        self.open_by_channel = [0] * len(CHANNELS)  # journeys not yet ended, by channel
        self._last_change_min = 0.0
        self._skill = config.agents.skill
        self._deflect_time_share = config.tiers.deflect_time_share
        policy = config.policy
        self._scripted_deflection = policy.deflection_share
        self._escalation_cap = policy.escalation_cap_handoffs
        self._recovery = policy.recovery
        self._callback = policy.callback
        self._premium_priority = policy.premium_priority

        # Priority 0 for customers who are holding (phone, chat), 1 for backlog: it matters
        # at the shared tiers, where both meet.
        def pool(name: str, tier: int) -> AgentPool:
            roster = workforce.roster(name, tier, config.pool_agents(name))
            return AgentPool(env, name, tier, self, roster, PRIORITY_CLASSES, workforce.on_duty)

        self.tier1 = [pool(name, 1) for name in CHANNELS]
        self.higher = [pool(f"tier{t}", t) for t in (2, 3)]
        workforce.attach(self.pools)
        settings = [channel for _, channel in config.channels.items()]
        self._synchronous = [name in SYNCHRONOUS_CHANNELS for name in CHANNELS]
        self._priority = [HOLDING if sync else BACKLOG for sync in self._synchronous]
        self._target_min = [c.target_answer_s / 60.0 for c in settings]
        self._retrial = [c.retrial for c in settings]
        self._open = [
            [c.is_open(how // 24, how % 24) for how in range(HOURS_PER_WEEK)] for c in settings
        ]
        self._first_patience = [
            patience_sampler(c.patience, streams.get(f"patience/{n}"))
            for n, c in zip(CHANNELS, settings)
        ]
        self._later_patience = [
            patience_sampler(c.patience, streams.get(f"patience/{n}/later"))
            for n, c in zip(CHANNELS, settings)
        ]
        self._tier1_work = [
            handle_time_sampler(c.handle_time, streams.get(f"service/{n}"))
            for n, c in zip(CHANNELS, settings)
        ]
        self._higher_work = [
            handle_time_sampler(config.tiers.handle_time(t), streams.get(f"service/tier{t}"))
            for t in (2, 3)
        ]
        self._complexity = self._complexity_sampler(
            config.tiers.complexity_probs, streams.get("complexity")
        )
        retrial_rng = streams.get("retrial")
        self._retry_draw = block_sampler(retrial_rng.random)
        self._retry_delay = block_sampler(retrial_rng.standard_exponential)
        self._handling_draw = block_sampler(streams.get("handling").random)
        self._callback_draw = block_sampler(streams.get("callback").random)
        issues = config.customers.issues
        self._recontact_prob = issues.recontact_prob if config.customers.enabled else 0.0
        self._recontact_delay_mean_min = issues.recontact_delay_mean_min
        self._max_contacts = issues.max_contacts
        recontact_rng = streams.get("recontact")
        self._recontact_draw = block_sampler(recontact_rng.random)
        self._recontact_delay = block_sampler(recontact_rng.standard_exponential)

    @staticmethod
    def _complexity_sampler(probs: Sequence[float], rng: np.random.Generator) -> Sampler:
        return block_sampler(lambda n: rng.choice(len(probs), size=n, p=probs) + 1)

    @property
    def pools(self) -> list[AgentPool]:
        return self.tier1 + self.higher

    def advance(self) -> None:
        now = self.env.now
        self.system.in_system_area += self._in_system * (now - self._last_change_min)
        self._last_change_min = now

    # -- arrivals ---------------------------------------------------------------------
    def arrive(
        self,
        channel: int,
        customer: int = -1,
        customer_uid: int = -1,
        severity: float = 1.0,
        patience_factor: float = 1.0,
        premium: bool = False,
    ) -> None:
        """A new contact on ``channel`` at the current time (from a customer, if ≥ 0)."""
        complexity = self._complexity()
        work = [self._tier1_work[channel]()]
        for tier in range(2, complexity + 1):
            work.append(self._higher_work[tier - 2]())
        contact = Contact(
            channel,
            self._priority[channel],
            complexity,
            work,
            self.env.now,
            self._first_patience[channel]() * patience_factor,
            customer,
            customer_uid,
            severity,
        )
        if premium and self._premium_priority and contact.priority == HOLDING:
            contact.priority = PREMIUM_HOLDING
        self.advance()
        self._in_system += 1
        self.open_by_channel[channel] += 1
        stats = self.stats[channel]
        stats.arrived += 1
        stats.attempts += 1
        if self._offers_callback(contact):
            stats.callbacks += 1
            contact.callback = True
            contact.patience_min = math.inf
            contact.priority = BACKLOG
        if not self.tier1[channel].offer(contact):
            stats.waited += 1

    def _offers_callback(self, contact: Contact) -> bool:
        """Many already waiting on a synchronous line: "we'll call you back"."""
        callback = self._callback
        return (
            callback.enabled
            and self._synchronous[contact.channel]
            and self.tier1[contact.channel].n_waiting >= callback.queue_threshold
            and self._callback_draw() < callback.accept_prob
        )

    # -- PoolClient -------------------------------------------------------------------
    def service_time_min(self, contact: Contact, pool: AgentPool, agent: Agent) -> float:
        """The agent decides what to do with the contact; that sets how long it takes."""
        workforce = self.workforce
        draw = self._handling_draw
        outcome, empowered = decide(
            pool.tier,
            contact.complexity,
            agent.inexperience,
            min(1.0, workforce.deflection_prob(agent) + self._scripted_deflection),
            self.culture.empowerment if pool.tier < 3 else 0.0,
            self._skill,
            draw(),
            draw(),
            draw(),
        )
        contact.outcome = outcome
        contact.empowered = empowered
        contact.services += 1
        contact.care_sum += workforce.expressed_empathy(agent)
        work = contact.work_min[min(pool.tier, len(contact.work_min)) - 1]
        service = work * workforce.handle_factor(agent)
        if outcome == Outcome.DEFLECT:
            service *= self._deflect_time_share
        contact.service_min = service
        return service

    def on_answer(self, contact: Contact, pool: AgentPool, wait_min: float) -> None:
        contact.wait_min += wait_min
        if contact.answered:
            return
        if contact.callback:  # the wait for the call back was not spent holding
            contact.unfelt_min = wait_min * (1.0 - self._callback.felt_wait_share)
        contact.answered = True
        stats = self.stats[contact.channel]
        stats.answered += 1
        if contact.attempt == 1 and contact.wait_min <= self._target_min[contact.channel]:
            stats.answered_in_target += 1

    def on_service_end(self, contact: Contact, pool: AgentPool, agent: Agent) -> None:
        outcome = contact.outcome
        deflected = outcome == Outcome.DEFLECT
        self.workforce.after_service(agent, contact.service_min, contact, deflected)
        stats = self.stats[contact.channel]
        if outcome == Outcome.RESOLVE:
            if contact.empowered:
                stats.empowered_resolutions += 1
            self._compensate(contact, pool)
            self._end(contact, RESOLVED)
        elif outcome == Outcome.FAIL:
            self._unresolved(contact)
        elif deflected:
            stats.deflections += 1
            contact.deflected = True
            self._unresolved(contact)
        else:
            if outcome == Outcome.ESCALATE:
                stats.escalations += 1
                target = self.higher[pool.tier - 1]
            else:
                stats.wrong_transfers += 1
                target = pool
            if self._escalation_cap is not None and contact.handoffs >= self._escalation_cap:
                target = self.higher[-1]
            contact.handoffs += 1
            if self._synchronous[contact.channel]:
                contact.patience_min = self._later_patience[contact.channel]()
            target.offer(contact)

    def _unresolved(self, contact: Contact) -> None:
        """Not fixed: a customer may contact us again about it (a repeat contact)."""
        if (
            contact.customer >= 0
            and contact.recontacts + 1 < self._max_contacts
            and self._recontact_draw() < self._recontact_prob
        ):
            contact.recontacts += 1
            self.stats[contact.channel].recontacts += 1
            delay = self._recontact_delay() * self._recontact_delay_mean_min
            delay += self._until_open_min(contact.channel, self.env.now + delay)
            self.env.timeout(delay).callbacks.append(lambda _e: self._contact_again(contact))
        else:
            self._end(contact, UNRESOLVED)

    def _until_open_min(self, channel: int, at_min: float) -> float:
        """From ``at_min`` to the next hour the channel is open (0 if open then)."""
        open_hours = self._open[channel]
        hour = int(at_min // 60.0)
        ahead = 0
        while not open_hours[(hour + ahead) % HOURS_PER_WEEK]:
            ahead += 1
        return 0.0 if ahead == 0 else (hour + ahead) * 60.0 - at_min

    def _contact_again(self, contact: Contact) -> None:
        self.stats[contact.channel].attempts += 1
        if self._synchronous[contact.channel]:
            contact.patience_min = self._later_patience[contact.channel]()
        self.tier1[contact.channel].offer(contact)

    def _compensate(self, contact: Contact, pool: AgentPool) -> None:
        """Service recovery: a resolved journey that went wrong first may earn a credit,
        granted by tier 3, by an agent using its empowerment, or (``who: any``) by anyone."""
        recovery = self._recovery
        if recovery.kind == "none" or contact.credit > 0.0:
            return
        went_wrong = contact.handoffs or contact.attempt > 1 or contact.recontacts
        if not (went_wrong or contact.empowered):
            return
        if not (pool.tier == 3 or contact.empowered or recovery.who == "any"):
            return
        amount = recovery.amount
        if recovery.kind == "proportional":
            amount *= contact.severity
        contact.credit = amount
        stats = self.stats[contact.channel]
        stats.compensations += 1
        stats.credits_sum += amount

    def on_abandon(self, contact: Contact, pool: AgentPool, wait_min: float) -> None:
        contact.wait_min += wait_min
        retrial = self._retrial[contact.channel]
        if (
            retrial.prob > 0.0
            and contact.attempt < retrial.max_attempts
            and self._retry_draw() < retrial.prob
        ):
            self.stats[contact.channel].retrials += 1
            contact.attempt += 1
            delay = self._retry_delay() * retrial.mean_delay_min
            self.env.timeout(delay).callbacks.append(lambda _event: self._redial(contact))
        else:
            self._end(contact, ABANDONED)

    def _redial(self, contact: Contact) -> None:
        channel = contact.channel
        hour_of_week = int(self.env.now // 60.0) % HOURS_PER_WEEK
        if not self._open[channel][hour_of_week]:
            self._end(contact, ABANDONED)  # the line is closed: the customer gives up
            return
        self.stats[channel].attempts += 1
        contact.patience_min = self._later_patience[channel]()
        self.tier1[channel].offer(contact)

    def _end(self, contact: Contact, how: int) -> None:
        self.advance()
        self._in_system -= 1
        self.open_by_channel[contact.channel] -= 1
        stats = self.stats[contact.channel]
        resolved = how == RESOLVED
        if resolved:
            stats.resolved += 1
            if contact.handoffs == 0 and contact.attempt == 1 and contact.recontacts == 0:
                stats.first_contact_resolved += 1
        elif how == UNRESOLVED:
            stats.unresolved += 1
        else:
            stats.abandoned += 1
        stats.ended_answered += contact.answered
        stats.wait_sum_min += contact.wait_min
        stats.count_wait(contact.wait_min)
        stats.handoffs_sum += contact.handoffs
        stats.handoffs_ge_4 += contact.handoffs >= 4
        stats.sojourn_sum_min += self.env.now - contact.arrival_min
        if self.on_journey_end is not None and contact.customer >= 0:
            self.on_journey_end(contact, resolved)
