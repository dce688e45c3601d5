"""Demand: the thinned NHPP has the configured rate in every hour of the week."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import stats

from sim.config import CHANNELS, ChannelsConfig, DemandConfig
from sim.model.calendar import WeekCalendar
from sim.model.demand import arrivals, weekly_rates_per_min


def busy_channels() -> ChannelsConfig:
    """The default channels with anonymous demand on each of them."""
    channels = ChannelsConfig()
    for (_, channel), rate in zip(channels.items(), (40.0, 15.0, 8.0, 2.0), strict=True):
        channel.arrival_rate_per_hour = rate
    return channels


def test_rates_respect_opening_hours_and_mean():
    channels, demand = busy_channels(), DemandConfig()
    calendar = WeekCalendar(channels)
    rates = weekly_rates_per_min(calendar, demand)
    mask = calendar.mask()
    phone = CHANNELS.index("phone")
    assert np.all(rates[~mask[:, phone], phone] == 0)
    # The mean over open hours is the configured hourly rate.
    open_rates = rates[mask[:, phone], phone] * 60
    assert open_rates.mean() == pytest.approx(channels.phone.arrival_rate_per_hour)
    # Asynchronous channels receive contacts around the clock.
    assert np.all(rates[:, CHANNELS.index("email")] > 0)


def test_thinned_stream_has_the_configured_counts_per_hour_and_channel():
    channels, demand = busy_channels(), DemandConfig()
    rates = weekly_rates_per_min(WeekCalendar(channels), demand)
    weeks = 20
    stream = arrivals(rates, np.random.Generator(np.random.PCG64(5)))
    horizon = weeks * 168 * 60.0
    events = list(itertools.takewhile(lambda e: e[0] < horizon, stream))
    times = np.array([t for t, _ in events])
    assert np.all(np.diff(times) > 0)
    counts = np.zeros_like(rates)
    for t, c in events:
        counts[int(t // 60) % 168, c] += 1
    expected = rates * 60 * weeks
    # Closed hours get nothing; open cells follow Poisson counts (chi-square over cells).
    assert np.all(counts[expected == 0] == 0)
    cells = expected > 0
    chi2 = ((counts[cells] - expected[cells]) ** 2 / expected[cells]).sum()
    assert stats.chi2.sf(chi2, df=cells.sum()) > 0.001


def test_no_demand_means_no_arrivals():
    assert list(arrivals(np.zeros((168, 4)), np.random.Generator(np.random.PCG64(0)))) == []


def test_one_rule_for_when_a_channel_takes_contacts():
    """Synchronous channels only while open; asynchronous ones around the clock, whatever
    their opening hours say (those are for staffing). New contacts, redials and repeat
    contacts all wait for the same next accepting hour."""
    channels = ChannelsConfig()
    channels.email.open_hour, channels.email.close_hour = 8, 18
    calendar = WeekCalendar(channels)
    phone, email = CHANNELS.index("phone"), CHANNELS.index("email")
    sunday_noon = (6 * 24 + 12) * 60.0
    assert not calendar.accepts(phone, sunday_noon) and calendar.accepts(email, sunday_noon)
    assert calendar.accepts(phone, 8 * 60.0) and not calendar.accepts(phone, 7 * 60.0 + 59)
    # From Sunday noon the phone line opens on Monday at 08:00 (the week wraps round).
    assert calendar.delay_until_accepting_min(phone, sunday_noon) == (12 + 8) * 60.0
    assert calendar.delay_until_accepting_min(email, sunday_noon) == 0.0
    # A deferred contact comes after the opening and inside the same opening (08–20).
    for u in (0.0, 0.5, 0.999999):
        delay = calendar.deferred_arrival_delay_min(phone, sunday_noon, u, mean_min=120.0)
        assert (12 + 8) * 60.0 <= delay < (12 + 20) * 60.0
