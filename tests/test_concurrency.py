"""Chat concurrency (``channels.chat.concurrency``): k slots per agent are k servers when
interleaving is free, raise each agent's throughput when it is not, and never put more
than k contacts on one agent, shift changes included."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

import sim
from sim.analysis import theory
from sim.analysis.statistics.replications import paired_difference, replicate
from sim.app.compose import compose_config
from sim.config import ConfigError
from sim.model.concurrent_pool import ConcurrentPool

from .conftest import erlang_config

# scenario=erlang's M/M/n+M world, its demand moved to chat: 100 an hour, 6 min, patience 5.
CHAT = (
    "channels.phone.arrival_rate_per_hour=0",
    "channels.chat.arrival_rate_per_hour=100",
    "channels.chat.open_hour=0",
    "channels.chat.close_hour=24",
    "channels.chat.handle_time={kind: exponential, mean_min: 6}",
    "channels.chat.patience={kind: exponential, mean_min: 5}",
    "channels.chat.retrial.prob=0",
    "channels.chat.target_answer_s=20",
)
QUEUE_KEYS = ("chat_p_wait", "chat_p_abandon", "pool_chat_mean_wait_min", "contacts_served")


def chat_centre(agents: int, slots: int, slowdown: float, days: float = 14.0, *extra: str):
    return erlang_config(
        100.0,
        6.0,
        11,
        5.0,
        days,
        *CHAT,
        f"staffing.chat=[{{start_hour: 0, end_hour: 24, agents: {agents}}}]",
        f"channels.chat.concurrency={slots}",
        f"channels.chat.concurrency_slowdown={slowdown}",
        *extra,
    )


def test_free_interleaving_makes_k_slots_k_servers_of_erlang_a():
    ten = sim.run(chat_centre(10, 1, 0.0), 2).summary
    five_by_two = sim.run(chat_centre(5, 2, 0.0), 2).summary
    assert {k: five_by_two[k] for k in QUEUE_KEYS} == {k: ten[k] for k in QUEUE_KEYS}
    exact = theory.erlang_a(100 / 60, 1 / 6, 10, 1 / 5)
    assert five_by_two["chat_p_abandon"] == pytest.approx(exact.p_abandon, rel=0.08)
    assert five_by_two["chat_p_wait"] == pytest.approx(exact.p_wait, rel=0.05)
    assert five_by_two["pool_chat_occupancy"] > ten["pool_chat_occupancy"]  # fewer people


def test_two_chats_at_once_raise_each_agents_throughput_but_less_than_double():
    seeds = range(6)
    one = replicate(chat_centre(5, 1, 0.25, 7.0), seeds, workers=2)
    two = replicate(chat_centre(5, 2, 0.25, 7.0), seeds, workers=2)
    free = replicate(chat_centre(5, 2, 0.0, 7.0), seeds, workers=2)
    # the same five agents on duty: contacts served is throughput per agent
    gain = paired_difference(two, one, "contacts_served")
    assert gain.low > 0
    assert paired_difference(free, two, "contacts_served").low > 0  # interleaving costs
    ratio = sum(s["contacts_served"] for s in two) / sum(s["contacts_served"] for s in one)
    assert 1.2 < ratio < 2.0


def test_no_agent_ever_holds_more_chats_than_its_slots_across_shift_changes():
    config = compose_config(
        [
            "size=small",
            "horizon_days=4",
            "warmup_days=1",
            "channels.chat.concurrency=3",
            "record.contacts=true",
        ]
    )
    log = pd.DataFrame(sim.run(config, 1).contacts)
    chat = log[(log["pool"] == "chat") & log["event"].isin(["service_start", "service_end"])]
    step = chat["event"].map({"service_start": 1, "service_end": -1})
    # the agent takes its next chat in the same instant the last one ends: ends first
    chat = chat.assign(step=step).sort_values(["time_min", "step"], kind="stable")
    step = chat["step"]
    held = step.groupby(chat["agent"]).cumsum()
    assert held.max() == 3  # the small centre's chat agents do fill their three slots
    assert held.min() >= 0


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        (["channels.phone.concurrency=2"], "one call at a time"),
        (
            ["channels.chat.concurrency=2", "staffing.blend.phone=[chat]"],
            "cannot blend chat",
        ),
        (["channels.chat.concurrency=11"], r"integer in \[1, 10\]"),
    ],
)
def test_concurrency_is_for_chat_agents_who_are_not_lent(overrides, words):
    with pytest.raises(ConfigError, match=words):
        compose_config(overrides)


def test_a_chat_alone_on_its_agent_is_not_slowed_and_the_second_is_by_exactly_the_slowdown():
    """The stretch is 1 + slowdown · (others held): one slot, nothing to interleave, so any
    slowdown is no slowdown (the same run to the last digit); with two slots the second
    chat's elapsed time is its work × (1 + slowdown)."""
    alone = sim.run(chat_centre(10, 1, 0.0, 3.0), 4).summary
    slowed_alone = sim.run(chat_centre(10, 1, 0.5, 3.0), 4).summary
    assert slowed_alone == alone
    pool = ConcurrentPool.__new__(ConcurrentPool)
    pool.slowdown = 0.5
    agent, contact = SimpleNamespace(active=1), SimpleNamespace(service_min=0.0)
    assert pool._stretched(contact, agent, 4.0) == 4.0
    agent.active = 2
    assert pool._stretched(contact, agent, 4.0) == 6.0 == contact.service_min
