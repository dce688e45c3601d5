"""An agent pool: agents of one tier serving one FIFO queue whose customers may renege.

Written with event callbacks rather than a SimPy process per contact. A contact that
finds a free agent costs one event (the end of its service); one that waits costs one
more (its patience running out, ignored if it was answered first). An idiomatic
``request | timeout(patience)`` race costs about eight events per contact; see
``docs/design.md`` for the measurements behind this choice.

Waiting contacts queue by priority class (0 first), FIFO within a class: at the shared
tiers a customer holding on the phone goes before last night's e-mails.

Waiting entries are removed lazily: each wait has an episode number, and a contact that
left the queue (answered or reneged) bumps it, which invalidates both its queue entry and
its pending patience timer without searching the queue.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

import simpy

from sim.metrics import PoolStats
from sim.model.agents import Agent
from sim.model.events import call_later
from sim.units import MIN_PER_HOUR

if TYPE_CHECKING:
    from sim.model.contact import Contact


class PoolClient(Protocol):
    """What a pool tells the journey; the journey decides what happens next."""

    def on_abandon(self, contact: Contact, pool: AgentPool, wait_min: float) -> None: ...

    def on_service_end(self, contact: Contact, pool: AgentPool, agent: Agent) -> None: ...

    def begin_service(
        self, contact: Contact, pool: AgentPool, agent: Agent, wait_min: float
    ) -> float:
        """The agent answers the contact after ``wait_min`` in this queue and decides what
        to do with it; returns how long that takes."""
        ...


class AgentPool:
    """FIFO multi-server queue with reneging and a number of agents set by shifts."""

    slots = 1  # contacts an agent holds at once (``ConcurrentPool``: chat concurrency)

    def __init__(
        self,
        env: simpy.Environment,
        name: str,
        tier: int,
        client: PoolClient,
        roster: list[Agent],
        priority_classes: int = 1,
        on_duty: Callable[[Agent], None] | None = None,
        mean_work_min: float = 0.0,
    ):
        self.env = env
        self.name = name
        self.tier = tier
        self.client = client
        self.stats = PoolStats()
        self.queues: list[deque[tuple[Contact, int]]] = [deque() for _ in range(priority_classes)]
        self.staff: list[Agent] = []
        self.idle: deque[Agent] = deque()  # the longest idle takes the next contact
        self.off_duty: deque[Agent] = deque()  # the longest off duty comes on first
        self.n_waiting = 0
        self.n_busy = 0
        self.n_on_duty = 0
        self.target_on_duty = 0
        self.n_absent = 0  # scheduled now, paid, but away (shrinkage)
        self.n_extra = 0  # called in off shift on top of the schedule (overtime)
        self.mean_work_min = mean_work_min  # a service's mean work content: backlog in hours
        # Blending (staffing.blend): pools whose waiting work this pool's idle agents take,
        # pools whose idle agents take this pool's, and the idle agents a lender keeps.
        self.fill_in: list[AgentPool] = []
        self.lenders: list[AgentPool] = []
        self.reserve_idle = 0
        self._on_duty_hook = on_duty
        self._last_change_min = 0.0
        for agent in roster:
            self.join(agent)

    def advance(self) -> None:
        """Integrate the time-weighted areas up to now (call before any state change)."""
        now = self.env._now  # SimPy 4's clock, without the property (sim.model.events)
        elapsed = now - self._last_change_min
        if elapsed > 0.0:
            stats = self.stats
            if self.n_waiting:  # (adding 0 changes no area: skipped, the same to the bit)
                stats.queue_area += self.n_waiting * elapsed
            if self.n_busy:
                stats.busy_area += self.n_busy * elapsed
            stats.duty_area += self.n_on_duty * elapsed
            if self.n_absent:
                stats.absent_area += self.n_absent * elapsed
            if self.n_extra:
                base = self.target_on_duty - self.n_extra
                stats.overtime_area += min(self.n_extra, max(0, self.n_on_duty - base)) * elapsed
            self._last_change_min = now

    def offer(self, contact: Contact) -> bool:
        """A contact joins; returns True if an agent took it at once."""
        self.advance()
        self.stats.entries += 1
        contact.enter_min = self._last_change_min  # now: advance() has just set it
        if self.idle:
            self._start(contact, self.idle.popleft(), 0.0)
            return True
        if self.lenders and self._borrow(contact):
            return True
        contact.episode += 1
        episode = contact.episode
        self.queues[contact.priority].append((contact, episode))
        self.n_waiting += 1
        patience = contact.patience_min
        if patience != math.inf:
            call_later(self.env, patience, self._renege, contact, episode)
        return False

    def set_schedule(self, scheduled: int, absent: int, extra: int = 0) -> None:
        """Shift change with shrinkage: ``absent`` of the ``scheduled`` agents are away and
        ``extra`` are called in off shift (overtime; as many as the pool employs)."""
        self.advance()
        self.n_absent = absent
        self.n_extra = extra
        self.set_agents_on_duty(scheduled - absent + extra)

    def backlog_hours_per_agent(self, agents: int) -> float:
        """Queued work per agent (of ``agents`` working it), in hours of work: how far
        behind the pool is, whatever its channel's pace (∞ with a queue and nobody to
        work it)."""
        if self.n_waiting == 0:
            return 0.0
        if agents <= 0:
            return math.inf
        return self.n_waiting * self.mean_work_min / (agents * MIN_PER_HOUR)

    def set_agents_on_duty(self, target: int) -> None:
        """Shift change. Idle agents leave at once, busy ones when their contact is done;
        with too few people employed (vacancies) the shift runs short."""
        self.advance()
        self.target_on_duty = target
        self._fill()
        while self.n_on_duty > target and self.idle:
            self._go_off(self.idle.pop())

    def members(self) -> list[tuple[Agent, bool]]:
        """(agent, on duty) for everyone this pool employs, in hiring order."""
        return [(agent, agent.on_duty) for agent in self.staff]

    def join(self, agent: Agent) -> None:
        """A new member of staff; starts off duty (and comes on if a shift is short)."""
        self.advance()
        agent.pool = self
        self.staff.append(agent)
        agent.on_duty = False
        agent.off_since_min = self.env.now
        self.off_duty.append(agent)
        self._fill()

    def remove(self, agent: Agent) -> None:
        """The agent leaves the pool: now if not serving, else when the contact is done."""
        self.advance()
        agent.leaving = True
        self.staff.remove(agent)
        if not agent.on_duty:
            self.off_duty.remove(agent)
        elif self._stop_taking_work(agent):
            self._leave_now(agent)

    def _stop_taking_work(self, agent: Agent) -> bool:
        """The agent takes no new contact; True if it holds none (and can go now)."""
        if agent in self.idle:
            self.idle.remove(agent)
            return True
        return False

    def _leave_now(self, agent: Agent) -> None:
        self.n_on_duty -= 1
        agent.on_duty = False
        self._fill()

    def _fill(self) -> None:
        while self.n_on_duty < self.target_on_duty and self.off_duty:
            agent = self.off_duty.popleft()
            if self._on_duty_hook is not None:
                self._on_duty_hook(agent)
            agent.on_duty = True
            self.n_on_duty += 1
            self._dispatch(agent)

    def _go_off(self, agent: Agent) -> None:
        self.n_on_duty -= 1
        agent.on_duty = False
        agent.off_since_min = self.env.now
        self.off_duty.append(agent)

    def _renege(self, contact: Contact, episode: int) -> None:
        if contact.episode != episode:
            return  # answered (or already gone) before patience ran out
        self.advance()
        contact.episode += 1
        self.n_waiting -= 1
        wait = self.env.now - contact.enter_min
        self.stats.abandoned += 1
        self.stats.wait_sum_min += wait
        self.client.on_abandon(contact, self, wait)

    def _start(self, contact: Contact, agent: Agent, wait: float) -> None:
        self.n_busy += 1
        self._serve(contact, agent, wait)

    def _serve(self, contact: Contact, agent: Agent, wait: float) -> None:
        """The contact's side of a service: its counts here, its service, its end."""
        self.stats.started += 1
        self.stats.wait_sum_min += wait
        service_min = self.client.begin_service(contact, self, agent, wait)
        if self.slots > 1:
            service_min = self._stretched(contact, agent, service_min)
        call_later(self.env, service_min, self._finish, contact, agent)

    def _stretched(self, contact: Contact, agent: Agent, service_min: float) -> float:
        """The service's elapsed time when the agent holds other contacts meanwhile."""
        return service_min

    def _finish(self, contact: Contact, agent: Agent) -> None:
        """The service is over: counted on the contact's pool, the agent freed on its own
        (the same pool but for a blended agent)."""
        self.advance()
        self.stats.completed += 1
        home = agent.pool
        assert home is not None
        if home is not self:
            home.advance()
        home._release(agent)
        self.client.on_service_end(contact, self, agent)

    def _release(self, agent: Agent) -> None:
        """The agent's service is over: off shift, gone, or on to the next contact (the
        caller has advanced this pool's areas to now)."""
        self.n_busy -= 1
        if agent.leaving:
            self._leave_now(agent)
        elif self.n_on_duty > self.target_on_duty:
            self._go_off(agent)
        else:
            self._dispatch(agent)

    def _dispatch(self, agent: Agent) -> None:
        """A free agent takes the longest-waiting live contact of the first class, then
        (blending) fill-in work from another pool, or idles."""
        contact = self._next_waiting()
        if contact is not None:
            self._start(contact, agent, self.env.now - contact.enter_min)
            return
        if self.fill_in and len(self.idle) >= self.reserve_idle:
            for other in self.fill_in:
                if other.n_waiting:
                    other.advance()
                    work = other._next_waiting()
                    if work is not None:
                        other._serve_lent(work, agent, self.env.now - work.enter_min)
                        return
        self.idle.append(agent)

    def _next_waiting(self) -> Contact | None:
        """The longest-waiting live contact of the first class, out of the queue."""
        for queue in self.queues:
            while queue:
                contact, episode = queue.popleft()
                if contact.episode == episode:
                    contact.episode += 1
                    self.n_waiting -= 1
                    return contact
        return None

    # -- blending: another pool's agent serves this pool's contact ----------------------
    def _borrow(self, contact: Contact) -> bool:
        """No agent of ours is free: the lender's agent idle longest takes the contact, if
        the lender keeps its reserve."""
        for lender in self.lenders:
            if len(lender.idle) > lender.reserve_idle:
                self._serve_lent(contact, lender.idle.popleft(), 0.0)
                return True
        return False

    def _serve_lent(self, contact: Contact, agent: Agent, wait: float) -> None:
        """The contact's counts stay here; the agent's busy time is its own pool's."""
        home = agent.pool
        assert home is not None
        home.advance()
        home.n_busy += 1
        self._serve(contact, agent, wait)
