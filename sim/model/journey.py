"""The contact journey: a customer's path through the organisation.

A contact arrives on a channel with an issue whose complexity names the tier able to
resolve it. Tier 1 of its channel answers first; each tier below that complexity hands it
on to the next tier (a handoff, and a new wait). Tiers 2 and 3 are shared by all channels
and take customers who are holding (phone, chat) before asynchronous backlog. A
synchronous customer who gives up may redial later and start again at tier 1; an
asynchronous one never gives up. The journey ends resolved or abandoned, and its outcome
goes to the metrics (and, in later issues, to the customer's loyalty).

Everything random about a contact (complexity, work per tier, first patience) is drawn
when it arrives, in arrival order, from its own named streams. So the k-th contact has
the same issue whatever the staffing: common random numbers across policy arms.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import simpy

from sim.config import CHANNELS, SYNCHRONOUS_CHANNELS, Config
from sim.metrics import ChannelStats, SystemStats
from sim.model.agents import Agent
from sim.model.distributions import Sampler, handle_time_sampler, patience_sampler
from sim.model.pool import AgentPool
from sim.rng import Streams, block_sampler
from sim.units import HOURS_PER_WEEK

PRIORITY_CLASSES = 2


class Contact:
    """One customer issue on its way through the organisation."""

    __slots__ = (
        "answered",
        "arrival_min",
        "attempt",
        "channel",
        "complexity",
        "customer",
        "customer_uid",
        "enter_min",
        "episode",
        "handoffs",
        "patience_min",
        "priority",
        "severity",
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


class Journey:
    """Routes contacts between pools and records each journey's outcome."""

    def __init__(self, env: simpy.Environment, config: Config, streams: Streams) -> None:
        self.env = env
        self.on_journey_end: Callable[[Contact, bool], None] | None = None
        self.stats = [ChannelStats() for _ in CHANNELS]
        self.system = SystemStats()
        self._in_system = 0
        self._last_change_min = 0.0
        # Priority 0 for customers who are holding (phone, chat), 1 for backlog: it matters
        # at the shared tiers, where both meet.
        self.tier1 = [AgentPool(env, name, 1, self, PRIORITY_CLASSES) for name in CHANNELS]
        self.higher = [AgentPool(env, f"tier{t}", t, self, PRIORITY_CLASSES) for t in (2, 3)]
        settings = [channel for _, channel in config.channels.items()]
        self._synchronous = [name in SYNCHRONOUS_CHANNELS for name in CHANNELS]
        self._priority = [0 if sync else 1 for sync in self._synchronous]
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
        self.advance()
        self._in_system += 1
        stats = self.stats[channel]
        stats.arrived += 1
        stats.attempts += 1
        if not self.tier1[channel].offer(contact):
            stats.waited += 1

    # -- PoolClient -------------------------------------------------------------------
    def service_time_min(self, contact: Contact, pool: AgentPool, agent: Agent) -> float:
        return contact.work_min[pool.tier - 1]

    def on_answer(self, contact: Contact, pool: AgentPool, wait_min: float) -> None:
        contact.wait_min += wait_min
        if contact.answered:
            return
        contact.answered = True
        stats = self.stats[contact.channel]
        stats.answered += 1
        if contact.attempt == 1 and contact.wait_min <= self._target_min[contact.channel]:
            stats.answered_in_target += 1

    def on_service_end(self, contact: Contact, pool: AgentPool, agent: Agent) -> None:
        if contact.complexity > pool.tier:
            contact.handoffs += 1
            if self._synchronous[contact.channel]:
                contact.patience_min = self._later_patience[contact.channel]()
            self.higher[pool.tier - 1].offer(contact)
        else:
            self._end(contact, resolved=True)

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
            self._end(contact, resolved=False)

    def _redial(self, contact: Contact) -> None:
        channel = contact.channel
        hour_of_week = int(self.env.now // 60.0) % HOURS_PER_WEEK
        if not self._open[channel][hour_of_week]:
            self._end(contact, resolved=False)  # the line is closed: the customer gives up
            return
        self.stats[channel].attempts += 1
        contact.patience_min = self._later_patience[channel]()
        self.tier1[channel].offer(contact)

    def _end(self, contact: Contact, resolved: bool) -> None:
        self.advance()
        self._in_system -= 1
        stats = self.stats[contact.channel]
        if resolved:
            stats.resolved += 1
        else:
            stats.abandoned += 1
        stats.wait_sum_min += contact.wait_min
        stats.handoffs_sum += contact.handoffs
        stats.sojourn_sum_min += self.env.now - contact.arrival_min
        if self.on_journey_end is not None and contact.customer >= 0:
            self.on_journey_end(contact, resolved)
