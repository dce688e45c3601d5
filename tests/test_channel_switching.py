"""Channel switching (``customers.channel_switching``): a customer who gives up waiting on
the phone or in chat takes the issue to another channel, and the switch is effort
(Dixon, Freeman & Toman 2010). Under common random numbers: the same customers, issues
and patience in both arms; the switchers draw from streams of their own."""

from __future__ import annotations

import math
from dataclasses import replace

from sim.analysis.statistics.replications import mean_ci, paired_difference, replicate
from sim.model.contact import Contact, QueueClass
from sim.model.switching import _pick

from .conftest import compose_config

# Small organisation: its phone and chat pools are small enough that many give up.
SMALL = ["size=small", "horizon_days=60", "warmup_days=10"]
SEEDS = range(6)
SWITCHING = "customers.channel_switching.prob=0.6"


def test_a_switched_contact_carries_its_effort_and_felt_time_to_the_next_channel():
    contact = Contact(0, QueueClass.PREMIUM_HOLDING, 2, [5.0, 8.0], 100.0, 3.0, customer=7)
    contact.attempt, contact.handoffs, contact.unfelt_min = 3, 1, 2.0  # two redials, a handoff
    contact.switch_channel(1, QueueClass.HOLDING, 4.0, 6.0, 160.0)
    assert contact.effort == 1 + 2 + 1  # what was spent on the phone, and the switch
    assert contact.carried_min == 58.0  # 60 minutes on the phone, 2 of them not felt
    assert (contact.channel, contact.origin, contact.switches) == (1, 0, 1)
    assert contact.work_min == [4.0, 8.0]  # chat's own first-line work, the same issue
    assert (contact.attempt, contact.handoffs, contact.arrival_min) == (1, 0, 160.0)
    assert contact.priority == QueueClass.PREMIUM_HOLDING  # premium customers stay premium
    contact.handoffs = 1
    assert contact.effort == 5
    contact.switch_channel(2, QueueClass.BACKLOG, 12.0, math.inf, 200.0)
    assert contact.effort == 6 and contact.carried_min == 98.0
    assert contact.priority == QueueClass.BACKLOG  # e-mail is worked as backlog


def test_the_next_channel_is_drawn_by_weight_among_those_allowed():
    weights = [0.0, 3.0, 0.0, 1.0]
    picks = [_pick(weights, u / 1000) for u in range(1000)]
    assert picks.count(1) == 750 and picks.count(3) == 250
    assert _pick([0.0, 0.0, 0.0, 0.0], 0.5) is None
    assert _pick([0.0, 0.0, 2.0, 0.0], 0.9999999999999999) == 2


def test_customers_who_give_up_take_the_issue_elsewhere_and_it_costs_them_effort():
    """With switching, fewer issues are given up for good and more are resolved, on
    other channels; each switch adds at least one effort event to what customers score
    (6 seeds, paired 95 % CIs). Switching off, nobody switches."""
    stay = replicate(compose_config(SMALL), SEEDS, workers=2)
    switch = replicate(compose_config([*SMALL, SWITCHING]), SEEDS, workers=2)
    assert all(s["switched_out"] == 0 and s["switched_in"] == 0 for s in stay)
    for s in switch:
        assert s["switched_out"] == s["switched_in"] > 100
        assert s["email_switched_out"] == 0 and s["social_switched_out"] == 0  # never abandon
        assert s["email_switched_in"] > 0 and s["social_switched_in"] > 0
    for s in [*stay, *switch]:
        s["given_up"] = s["contacts_abandoned"] - s["switched_out"]
    assert paired_difference(switch, stay, "given_up").high < 0
    assert paired_difference(switch, stay, "contacts_served").low > 0
    assert paired_difference(switch, stay, "mean_effort").low > 0
    effort_per_switch = mean_ci(
        [
            (on["effort_events"] - off["effort_events"]) / on["switched_out"]
            for on, off in zip(switch, stay)
        ]
    )
    assert effort_per_switch.low > 1.0, effort_per_switch


def test_a_customer_never_switches_into_the_channel_they_gave_up_on():
    """Whatever the weights, the channel left has none: with only its own channel weighted
    there is nowhere to go; with every channel weighted, every other one is reached."""
    from sim.model.switching import ChannelSwitching
    from sim.rng import Streams

    config = compose_config([SWITCHING, "customers.channel_switching.prob=1.0"])
    own_only = ChannelSwitching(replace(config.customers.channel_switching, weights=[0, 1, 0, 0]),
                                config, Streams(0))  # fmt: skip
    assert {own_only.destination(1, 0, lambda _: True) for _ in range(200)} == {None}
    anywhere = ChannelSwitching(replace(config.customers.channel_switching, weights=[1, 1, 1, 1]),
                                config, Streams(0))  # fmt: skip
    reached = {anywhere.destination(0, 0, lambda _: True) for _ in range(400)}
    assert reached == {1, 2, 3}
