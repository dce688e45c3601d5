"""Operational mechanisms move outcomes in the stated direction (common random numbers).

These isolate the queueing layer: customers off, anonymous demand at fixed channel rates,
so that every arm sees exactly the same contacts.
"""

from __future__ import annotations

from sim.analysis.statistics.replications import paired_difference, replicate

from .conftest import compose_config

SEEDS = range(6)
SHORT = [
    "horizon_days=28",
    "warmup_days=7",
    "customers.enabled=false",
    "culture.enabled=false",  # escalation by complexity alone
    "channels.phone.arrival_rate_per_hour=20",
    "channels.chat.arrival_rate_per_hour=8",
    "channels.email.arrival_rate_per_hour=6",
    "channels.social.arrival_rate_per_hour=1.5",
]


def runs(*overrides: str):
    return replicate(compose_config([*SHORT, *overrides]), SEEDS, workers=2)


def test_redials_recover_abandoned_contacts():
    with_redials = runs()
    without = runs("channels.phone.retrial.prob=0", "channels.chat.retrial.prob=0")
    assert all(s["retrials"] == 0 for s in without)
    fewer_lost = paired_difference(with_redials, without, "p_abandon")
    assert fewer_lost.high < 0
    # Same seeds, same new contacts: redials are attempts, not contacts.
    assert [s["contacts_arrived"] for s in with_redials] == [s["contacts_arrived"] for s in without]


def test_asynchronous_channels_never_abandon_and_carry_backlog_overnight():
    summary = runs()[0]
    assert summary["email_p_abandon"] == 0 and summary["social_p_abandon"] == 0
    # E-mail is staffed 8-20: the night's e-mails (about a quarter) wait for the morning.
    assert summary["email_p_wait"] > 0.2
    assert summary["email_mean_wait_min"] > 60


def test_more_patience_means_fewer_abandons():
    impatient = runs("channels.phone.patience.mean_min=2")
    patient = runs("channels.phone.patience.mean_min=8")
    assert paired_difference(patient, impatient, "phone_p_abandon").high < 0


def test_escalation_adds_handoffs_and_time():
    simple = runs("tiers.complexity_probs=[1.0,0.0,0.0]")
    complex_ = runs("tiers.complexity_probs=[0.5,0.3,0.2]")
    assert all(s["mean_handoffs"] == 0 for s in simple)
    assert paired_difference(complex_, simple, "mean_handoffs").low > 0.5
    assert paired_difference(complex_, simple, "mean_time_in_system_min").low > 0
