"""A pool whose agents serve several contacts at once: chat concurrency.

A chat agent interleaves conversations: while one customer types, the agent answers
another. Each agent has ``slots`` places (``channels.chat.concurrency``); a contact waits
only when every on-duty agent's slots are full. Interleaving is not free: a contact that
starts beside m − 1 others takes (1 + ``slowdown`` · (m − 1)) times its work in elapsed
time, so two chats at 0.25 each take 1.25 × as long and an agent's throughput rises by
2 / 1.25 = 1.6, not 2 (the diminishing returns that field studies of chat centres report,
Tezcan & Zhang 2014; Goes, Ilk, Lin & Zhao 2018). With ``slowdown`` 0 the pool is
exactly an M/M/(n·slots)+M queue, which ``tests/test_concurrency.py`` checks against
Erlang A.

Agents with a free slot queue in ``idle`` (each at most once, ``agent.listed``); a new
contact goes to the one listed longest. An agent counts as busy while it holds any
contact; it goes off shift, or leaves, only once all its contacts are done, and takes no
new one meanwhile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.model.agents import Agent
from sim.model.pool import AgentPool

if TYPE_CHECKING:
    from sim.model.contact import Contact


class ConcurrentPool(AgentPool):
    """An ``AgentPool`` whose agents hold up to ``slots`` contacts each."""

    def __init__(self, *args: Any, slots: int, slowdown: float, **kwargs: Any) -> None:
        self.slots = slots
        self.slowdown = slowdown
        super().__init__(*args, **kwargs)

    def offer(self, contact: Contact) -> bool:
        if self.idle:
            self.idle[0].listed = False  # the base pops it; _start lists it again if it has room
        return super().offer(contact)

    def _start(self, contact: Contact, agent: Agent, wait: float) -> None:
        agent.active += 1
        if agent.active == 1:
            self.n_busy += 1
        self._serve(contact, agent, wait)
        if agent.active < self.slots and not agent.listed:
            agent.listed = True
            self.idle.append(agent)

    def _stretched(self, contact: Contact, agent: Agent, service_min: float) -> float:
        """The work, stretched by the other contacts the agent holds meanwhile."""
        service_min *= 1.0 + self.slowdown * (agent.active - 1)
        contact.service_min = service_min
        return service_min

    def _dispatch(self, agent: Agent) -> None:
        """Fill the agent's free slots from the queue; list it if any stays free."""
        while agent.active < self.slots:
            contact = self._next_waiting()
            if contact is None:
                break
            self._start(contact, agent, self.env.now - contact.enter_min)
        if agent.active < self.slots and not agent.listed:
            agent.listed = True
            self.idle.append(agent)

    def _unlist(self, agent: Agent) -> None:
        if agent.listed:
            self.idle.remove(agent)
            agent.listed = False

    def _release(self, agent: Agent) -> None:
        """One of the agent's contacts is done: it leaves or goes off shift once it holds
        none (taking no new one meanwhile), or takes the next (the caller has advanced
        this pool's areas to now)."""
        agent.active -= 1
        if agent.active == 0:
            self.n_busy -= 1
        if agent.leaving or self.n_on_duty > self.target_on_duty:
            self._unlist(agent)
            if agent.active == 0:
                if agent.leaving:
                    self._leave_now(agent)
                else:
                    self._go_off(agent)
        else:
            self._dispatch(agent)

    def set_agents_on_duty(self, target: int) -> None:
        """Shift change: agents holding no contact leave at once, the others when done."""
        self.advance()
        self.target_on_duty = target
        self._fill()
        for agent in reversed(list(self.idle)):
            if self.n_on_duty <= target:
                break
            if agent.active == 0:
                self._unlist(agent)
                self._go_off(agent)

    def _stop_taking_work(self, agent: Agent) -> bool:
        self._unlist(agent)
        return agent.active == 0
