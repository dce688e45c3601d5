"""Blending (``staffing.blend``): idle phone agents answering e-mail shorten the e-mail
queue at a cost to the phone line, and a reserve of idle phone agents buys part of that
cost back (common random numbers, paired t-intervals over six seeds)."""

from __future__ import annotations

import json

import pytest

import sim
from sim.analysis.statistics.replications import paired_difference, replicate
from sim.config import ConfigError

from .conftest import erlang_config

SEEDS = range(6)
# M/M/12+M phone at 100 calls an hour (offered load 10), and e-mail at 8 an hour for one
# agent of its own (7 min each: offered 0.93) — a back office that is always behind.
WORLD = (
    "channels.email.arrival_rate_per_hour=8",
    "staffing.email=[{start_hour: 0, end_hour: 24, agents: 1}]",
)


def runs(*blend: str):
    return replicate(erlang_config(100.0, 6.0, 12, 5.0, 7.0, *WORLD, *blend), SEEDS, workers=2)


@pytest.fixture(scope="module")
def arms():
    return {
        "apart": runs(),
        "blended": runs("staffing.blend.phone=[email]"),
        "reserve": runs("staffing.blend.phone=[email]", "staffing.blend.reserve_idle_agents=2"),
    }


def test_idle_phone_agents_taking_email_cut_its_wait_at_a_cost_to_the_phone(arms):
    apart, blended = arms["apart"], arms["blended"]
    email_wait = paired_difference(blended, apart, "pool_email_mean_wait_min")
    assert email_wait.high < 0
    assert max(s["pool_email_mean_wait_min"] for s in blended) < 5  # minutes, not an hour
    phone_sl = paired_difference(blended, apart, "phone_service_level")
    assert phone_sl.high < 0  # the cost: calls arriving while agents are on e-mails
    assert phone_sl.low > -0.1  # …a few points of service level, not the line
    phone_busy = paired_difference(blended, apart, "pool_phone_occupancy")
    assert phone_busy.low > 0  # the phone agents' idle time is what pays for it
    # every e-mail is still counted on the e-mail channel, whoever answered it
    by_seed = zip(blended, apart, strict=True)
    assert all(b["email_contacts_arrived"] == a["email_contacts_arrived"] for b, a in by_seed)


def test_a_reserve_of_idle_phone_agents_buys_back_part_of_the_phone_cost(arms):
    blended, reserve = arms["blended"], arms["reserve"]
    assert paired_difference(reserve, blended, "phone_service_level").low > 0
    assert paired_difference(reserve, blended, "pool_email_mean_wait_min").low > 0


def test_no_blending_is_the_model_as_it_was():
    plain = erlang_config(100.0, 6.0, 12, 5.0, 2.0, *WORLD)
    listed = erlang_config(100.0, 6.0, 12, 5.0, 2.0, *WORLD, "staffing.blend.email=[]")
    assert json.dumps(sim.run(plain, 3).summary) == json.dumps(sim.run(listed, 3).summary)


@pytest.mark.parametrize(
    ("override", "words"),
    [
        ("staffing.blend.phone=[phone]", "must list other channels"),
        ("staffing.blend.phone=[email,email]", "must list other channels"),
        ("staffing.blend.phone=[tier2]", "a channel: phone, chat, email or social"),
    ],
)
def test_a_pool_cannot_blend_with_itself_twice_or_with_a_tier(override, words):
    with pytest.raises(ConfigError, match=words):
        erlang_config(100.0, 6.0, 12, 5.0, 2.0, override)
