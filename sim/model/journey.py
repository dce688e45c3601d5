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
when it arrives, in arrival order, from its channel's own named streams. So the k-th contact has
the same issue whatever the staffing: common random numbers across policy arms.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable, Sequence

import numpy as np
import simpy

from sim.config import HIGHER_TIERS, Config
from sim.metrics import WAIT_EDGES_MIN, ChannelStats, SystemStats
from sim.model.agents import Agent, Workforce
from sim.model.calendar import WeekCalendar
from sim.model.channel_line import ChannelLine
from sim.model.contact import (
    ABANDONED,
    HOLDING,
    PREMIUM_HOLDING,
    RESOLVED,
    UNRESOLVED,
    Contact,
    JourneyEnd,
    QueueClass,
)
from sim.model.contact_log import ContactLog
from sim.model.culture import Culture
from sim.model.distributions import Sampler, handle_time_sampler
from sim.model.events import call_later
from sim.model.handling import DEFLECT, ESCALATE, FAIL, RESOLVE, decide
from sim.model.pool import AgentPool
from sim.model.pool_setup import blend_pools, build_pools
from sim.model.switching import ChannelSwitching
from sim.rng import Streams, block_sampler
from sim.units import HOURS_PER_WEEK, MIN_PER_HOUR


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
        self.calendar = WeekCalendar(config.channels)
        self.on_journey_end: Callable[[Contact, bool], None] | None = None
        self.log: ContactLog | None = None  # record.contacts: the event log, if kept
        self._contacts_arrived = 0
        self.system = SystemStats()
        self._in_system = 0
        self._last_change_min = 0.0
        self.lines = [
            ChannelLine(i, name, channel, streams)
            for i, (name, channel) in enumerate(config.channels.items())
        ]

        self.higher = build_pools(env, config, workforce, self.lines, self)
        workforce.attach(self.pools)
        blend_pools(config, self.lines)
        self._higher_work = [
            handle_time_sampler(config.tiers.handle_time(t), streams.get(f"service/tier{t}"))
            for t in HIGHER_TIERS
        ]
        self._higher_work_again = [
            handle_time_sampler(config.tiers.handle_time(t), streams.get(f"service/tier{t}/again"))
            for t in HIGHER_TIERS
        ]
        self._set_up_draws(config, streams)
        self._set_up_policies(config)

    def _set_up_draws(self, config: Config, streams: Streams) -> None:
        """The named streams of everything decided along the way (docs/design.md)."""
        self._skill = config.agents.skill
        self._corners = config.agents.corner_cutting
        self._deflect_time_share = config.tiers.deflect_time_share
        self._complexity = self._complexity_sampler(
            config.tiers.complexity_probs, streams.get("complexity")
        )
        self._request_complexity = self._complexity_sampler(
            config.customers.requests.complexity_probs, streams.get("request_complexity")
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
        switching = config.customers.channel_switching
        self._switching = (
            ChannelSwitching(switching, config, streams)
            if config.customers.enabled and switching.prob > 0.0
            else None
        )

    def _set_up_policies(self, config: Config) -> None:
        policy = config.policy
        self._scripted_deflection = policy.deflection_share
        self._escalation_cap = policy.escalation_cap_handoffs
        self._recovery = policy.recovery
        self._callback = policy.callback
        self._premium_priority = policy.premium_priority

    @staticmethod
    def _complexity_sampler(probs: Sequence[float], rng: np.random.Generator) -> Sampler:
        return block_sampler(lambda n: rng.choice(len(probs), size=n, p=probs) + 1)

    @property
    def tier1(self) -> list[AgentPool]:
        return [line.tier1 for line in self.lines]

    @property
    def pools(self) -> list[AgentPool]:
        return self.tier1 + self.higher

    @property
    def stats(self) -> list[ChannelStats]:
        return [line.stats for line in self.lines]

    @property
    def open_by_channel(self) -> list[int]:
        return [line.open_journeys for line in self.lines]

    def advance(self) -> float:
        """Integrate the contacts in the system up to now; returns now."""
        now = self.env._now  # SimPy 4's clock, without the property (sim.model.events)
        self.system.in_system_area += self._in_system * (now - self._last_change_min)
        self._last_change_min = now
        return now

    # -- arrivals ---------------------------------------------------------------------
    def arrive(
        self,
        channel: int,
        customer: int = -1,
        customer_uid: int = -1,
        severity: float = 1.0,
        patience_factor: float = 1.0,
        premium: bool = False,
        routine: bool = False,
    ) -> None:
        """A new contact on ``channel`` at the current time (from a customer, if ≥ 0)."""
        line = self.lines[channel]
        complexity = self._request_complexity() if routine else self._complexity()
        work = [line.tier1_work()]
        if complexity > 1:
            work.extend(self._higher_work[tier - 2]() for tier in range(2, complexity + 1))
        contact = Contact(
            channel,
            line.queue_class,
            complexity,
            work,
            self.env.now,
            line.first_patience() * patience_factor,
            customer,
            customer_uid,
            severity,
            routine,
        )
        if premium and self._premium_priority and contact.priority == HOLDING:
            contact.priority = PREMIUM_HOLDING
        contact.contact_id = self._contacts_arrived
        self._contacts_arrived += 1
        self._enter(contact, line)

    def _enter(self, contact: Contact, line: ChannelLine) -> None:
        """A journey starts on ``line``: counted there and offered to its tier 1."""
        now = self.advance()
        self._in_system += 1
        line.open_journeys += 1
        stats = line.stats
        stats.arrived += 1
        stats.attempts += 1
        hour = int(now // MIN_PER_HOUR) % HOURS_PER_WEEK  # kept for the in-target count
        contact.arrival_hour = hour
        line.by_hour.arrived[hour] += 1
        if self.log is not None:
            self.log.add("switch" if contact.switches else "arrival", now, contact)
        if self._callback.enabled and self._offers_callback(line):
            stats.callbacks += 1
            contact.callback = True
            contact.patience_min = math.inf
            contact.priority = QueueClass.BACKLOG
        if not self._offer(line.tier1, contact):
            stats.waited += 1

    def _offer(self, pool: AgentPool, contact: Contact) -> bool:
        """Offer the contact to ``pool``; True if an agent took it at once."""
        if pool.offer(contact):
            return True
        if self.log is not None:
            self.log.add("queue", self.env.now, contact, pool.name)
        return False

    def _offers_callback(self, line: ChannelLine) -> bool:
        """Many already waiting on a synchronous line: "we'll call you back" (asked only
        with the callback policy on)."""
        callback = self._callback
        return (
            line.synchronous
            and line.tier1.n_waiting >= callback.queue_threshold
            and self._callback_draw() < callback.accept_prob
        )

    # -- PoolClient -------------------------------------------------------------------
    def begin_service(
        self, contact: Contact, pool: AgentPool, agent: Agent, wait_min: float
    ) -> float:
        """The agent answers (after ``wait_min`` in this queue) and decides what to do with
        the contact; returns how long that takes."""
        contact.wait_min += wait_min
        if not contact.answered:  # the journey reaches an agent for the first time
            if contact.callback:  # the wait for the call back was not spent holding
                contact.unfelt_min = wait_min * (1.0 - self._callback.felt_wait_share)
            contact.answered = True
            line = self.lines[contact.channel]
            line.stats.answered += 1
            if contact.attempt == 1 and contact.wait_min <= line.target_min:
                line.stats.answered_in_target += 1
                line.by_hour.in_target[contact.arrival_hour] += 1
        draw = self._handling_draw
        pressure = self._pressure(pool) if self._corners.enabled else 0.0
        deflection_prob, empathy, handle_factor = self.workforce.at_work(agent)
        outcome, empowered = decide(
            pool.tier,
            contact.complexity,
            agent.inexperience,
            min(1.0, deflection_prob + self._scripted_deflection),
            self.culture.empowerment if pool.tier < 3 else 0.0,
            self._skill,
            draw(),
            draw(),
            draw(),
            1.0 - self._corners.resolution_loss * pressure if pressure else 1.0,
        )
        contact.outcome = outcome
        contact.empowered = empowered
        contact.services += 1
        contact.care_sum += empathy
        work = contact.work_min[min(pool.tier, len(contact.work_min)) - 1]
        service = work * handle_factor
        if outcome == DEFLECT:
            service *= self._deflect_time_share
        if pressure:
            service *= 1.0 - self._corners.handle_time_cut * pressure  # cutting corners
        contact.service_min = service
        if self.log is not None:
            now, who = self.env.now, agent.agent_id
            self.log.add("service_start", now, contact, pool.name, who, "", wait_min, service)
        return service

    def _pressure(self, pool: AgentPool) -> float:
        """Work pressure on the pool's agents now (ask only if corner cutting is on)."""
        # At a service's end its agent may just have gone off shift: it felt the queue too.
        return self._corners.pressure(pool.backlog_hours_per_agent(max(1, pool.n_on_duty)))

    def on_service_end(self, contact: Contact, pool: AgentPool, agent: Agent) -> None:
        outcome = contact.outcome
        deflected = outcome == DEFLECT
        pressure = self._pressure(pool) if self._corners.enabled else 0.0
        if self.workforce.work_changes_agents:
            self.workforce.after_service(agent, contact.service_min, contact, deflected, pressure)
        if self.log is not None:
            done = outcome.name.lower()
            self.log.add("service_end", self.env.now, contact, pool.name, agent.agent_id, done)
        line = self.lines[contact.channel]
        stats = line.stats
        if outcome == RESOLVE:
            if contact.empowered:
                stats.empowered_resolutions += 1
            self._compensate(contact, pool)
            self._end(contact, RESOLVED)
        elif outcome == FAIL:
            self._unresolved(contact)
        elif deflected:
            stats.deflections += 1
            contact.deflected = True
            self._unresolved(contact)
        else:
            if outcome == ESCALATE:
                stats.escalations += 1
                target = self.higher[pool.tier - 1]
            else:
                stats.wrong_transfers += 1
                target = pool
                self._work_afresh(contact, line, pool.tier)
            if self._escalation_cap is not None and contact.handoffs >= self._escalation_cap:
                target = self.higher[-1]
            contact.handoffs += 1
            if line.synchronous:
                contact.patience_min = line.later_patience()
            if self.log is not None:
                self.log.add("handoff", self.env.now, contact, target.name)
            self._offer(target, contact)

    def _work_afresh(self, contact: Contact, line: ChannelLine, tier: int) -> None:
        """Misrouted to a colleague of the same tier: the customer explains again and the
        colleague works the issue anew (a fresh draw of that tier's work)."""
        if tier > len(contact.work_min):
            return
        again = line.tier1_work_again if tier == 1 else self._higher_work_again[tier - 2]
        contact.work_min[tier - 1] = again()

    def _unresolved(self, contact: Contact) -> None:
        """Not fixed: a customer may contact us again about it (a repeat contact)."""
        if (
            contact.customer >= 0
            and contact.recontacts + 1 < self._max_contacts
            and self._recontact_draw() < self._recontact_prob
        ):
            contact.recontacts += 1
            self.lines[contact.channel].stats.recontacts += 1
            delay = self._recontact_delay() * self._recontact_delay_mean_min
            at_min = self.env.now + delay
            delay += self.calendar.delay_until_accepting_min(contact.channel, at_min)
            call_later(self.env, delay, self._contact_again, contact)
        else:
            self._end(contact, UNRESOLVED)

    def _contact_again(self, contact: Contact) -> None:
        line = self.lines[contact.channel]
        line.stats.attempts += 1
        if line.synchronous:
            contact.patience_min = line.later_patience()
        self._retry(line, contact)

    def _retry(self, line: ChannelLine, contact: Contact) -> None:
        """The customer tries again at tier 1 of the channel (a redial, a repeat contact)."""
        if self.log is not None:
            self.log.add("retry", self.env.now, contact, line.tier1.name)
        self._offer(line.tier1, contact)

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
        stats = self.lines[contact.channel].stats
        stats.compensations += 1
        stats.credits_sum += amount

    def on_abandon(self, contact: Contact, pool: AgentPool, wait_min: float) -> None:
        contact.wait_min += wait_min
        if self.log is not None:
            self.log.add("abandon", self.env.now, contact, pool.name, wait_min=wait_min)
        line = self.lines[contact.channel]
        retrial = line.retrial
        if (
            retrial.prob > 0.0
            and contact.attempt < retrial.max_attempts
            and self._retry_draw() < retrial.prob
        ):
            line.stats.retrials += 1
            contact.attempt += 1
            delay = self._retry_delay() * retrial.mean_delay_min
            call_later(self.env, delay, self._redial, contact)
        else:
            self._give_up(contact)

    def _redial(self, contact: Contact) -> None:
        line = self.lines[contact.channel]
        if not self.calendar.accepts(line.index, self.env.now):
            self._give_up(contact)  # the line is closed
            return
        line.stats.attempts += 1
        contact.patience_min = line.later_patience()
        self._retry(line, contact)

    def _give_up(self, contact: Contact) -> None:
        """The customer gives up on this channel: tries another one (channel switching)
        or the journey ends abandoned."""
        switching = self._switching
        if switching is None or contact.customer < 0:
            self._end(contact, ABANDONED)
            return
        now = self.env.now
        to = switching.destination(
            contact.channel, contact.switches, lambda c: self.calendar.accepts(c, now)
        )
        if to is None:
            self._end(contact, ABANDONED)
            return
        self._end(contact, ABANDONED, final=False)  # on the channel left
        self.lines[contact.channel].stats.switched_out += 1
        line = self.lines[to]
        work_min, patience_min = switching.tier1_work[to](), switching.patience[to]()
        contact.switch_channel(to, line.queue_class, work_min, patience_min, now)
        line.stats.switched_in += 1
        self._enter(contact, line)

    def _end(self, contact: Contact, how: JourneyEnd, final: bool = True) -> None:
        """The journey's counts on its channel, then the customer's verdict; not ``final``
        when the customer goes on to another channel (and judges at the journey's end)."""
        now = self.advance()
        self._in_system -= 1
        if self.log is not None and final:
            self.log.add("end", now, contact, outcome=how.name.lower())
        line = self.lines[contact.channel]
        line.open_journeys -= 1
        stats = line.stats
        resolved = how == RESOLVED
        if resolved:
            stats.resolved += 1
            if contact.effort == 0:  # no handoff, repeat attempt or contact, or switch
                stats.first_contact_resolved += 1
        elif how == UNRESOLVED:
            stats.unresolved += 1
        else:
            stats.abandoned += 1
        stats.ended_answered += contact.answered
        stats.wait_sum_min += contact.wait_min
        stats.wait_hist[bisect_left(WAIT_EDGES_MIN, contact.wait_min)] += 1
        stats.handoffs_sum += contact.handoffs
        stats.handoffs_ge_4 += contact.handoffs >= 4
        stats.sojourn_sum_min += now - contact.arrival_min
        if final and self.on_journey_end is not None and contact.customer >= 0:
            self.on_journey_end(contact, resolved)
