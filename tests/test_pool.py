"""The agent pool on hand-made timelines: priority, reneging, shifts, time-weighted areas."""

from __future__ import annotations

import math

import pytest
import simpy

from sim.model.agents import Agent
from sim.model.contact import Contact
from sim.model.pool import AgentPool


class Recorder:
    """A PoolClient that logs what happens and serves each contact for its work time."""

    def __init__(self, env: simpy.Environment) -> None:
        self.env = env
        self.log: list[tuple[float, str, str]] = []

    def on_abandon(self, contact, pool, wait_min):
        self.log.append((self.env.now, "abandon", contact.name))

    def on_service_end(self, contact, pool, agent):
        self.log.append((self.env.now, "done", contact.name))

    def begin_service(self, contact, pool, agent, wait_min):
        self.log.append((self.env.now, "answer", contact.name))
        return contact.work_min[0]


class NamedContact(Contact):
    __slots__ = ("name",)

    def __init__(self, name: str, priority: int, work: float, patience: float = math.inf):
        super().__init__(0, priority, 1, [work], 0.0, patience)
        self.name = name


def at(env: simpy.Environment, time_min: float, action) -> None:
    env.timeout(time_min).callbacks.append(lambda _e: action())


def setup(agents: int = 1):
    env = simpy.Environment()
    client = Recorder(env)
    roster = [Agent(f"test-{i}", 1) for i in range(agents)]
    pool = AgentPool(env, "test", 1, client, roster, priority_classes=2)
    pool.set_agents_on_duty(agents)
    return env, client, pool


def test_holding_customers_go_before_backlog():
    env, client, pool = setup()
    at(env, 0.0, lambda: pool.offer(NamedContact("first", 1, 10.0)))
    at(env, 1.0, lambda: pool.offer(NamedContact("email", 1, 5.0)))
    at(env, 2.0, lambda: pool.offer(NamedContact("phone", 0, 5.0)))
    env.run()
    answers = [(t, name) for t, what, name in client.log if what == "answer"]
    assert answers == [(0.0, "first"), (10.0, "phone"), (15.0, "email")]


def test_reneging_and_stale_entries():
    env, client, pool = setup()
    at(env, 0.0, lambda: pool.offer(NamedContact("busy", 0, 10.0)))
    at(env, 1.0, lambda: pool.offer(NamedContact("impatient", 0, 5.0, patience=2.0)))
    at(env, 2.0, lambda: pool.offer(NamedContact("patient", 0, 5.0, patience=30.0)))
    env.run()
    assert (3.0, "abandon", "impatient") in client.log
    assert (10.0, "answer", "patient") in client.log
    assert pool.n_waiting == 0 and pool.stats.abandoned == 1
    # The patient customer's timer fires at 32 after it was answered: ignored.
    assert [e for e in client.log if e[1] == "abandon"] == [(3.0, "abandon", "impatient")]


def test_shift_end_lets_busy_agents_finish_then_leave():
    env, client, pool = setup(agents=2)
    at(env, 0.0, lambda: pool.offer(NamedContact("a", 0, 10.0)))
    at(env, 1.0, lambda: pool.set_agents_on_duty(0))  # idle agent leaves, busy one finishes
    at(env, 2.0, lambda: pool.offer(NamedContact("b", 0, 3.0)))
    at(env, 20.0, lambda: pool.set_agents_on_duty(1))
    env.run()
    assert (10.0, "done", "a") in client.log
    assert (20.0, "answer", "b") in client.log
    assert pool.n_on_duty == 1
    # Agent-minutes on duty: 2 agents for 1 min, 1 (finishing) until 10, 1 from 20 to 23.
    pool.advance()
    assert pool.stats.duty_area == pytest.approx(2 * 1 + 1 * 9 + 1 * 3)
    assert pool.stats.busy_area == pytest.approx(10 + 3)
    assert pool.stats.queue_area == pytest.approx(18.0)  # b waited from 2 to 20
