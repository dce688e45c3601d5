"""Demand: the thinned NHPP has the configured rate in every hour of the week."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import stats

from sim.config import CHANNELS, ChannelsConfig, DemandConfig
from sim.model.demand import arrivals, open_mask, weekly_rates_per_min


def busy_channels() -> ChannelsConfig:
    """The default channels with anonymous demand on each of them."""
    channels = ChannelsConfig()
    for (_, channel), rate in zip(channels.items(), (40.0, 15.0, 8.0, 2.0), strict=True):
        channel.arrival_rate_per_hour = rate
    return channels


def test_rates_respect_opening_hours_and_mean():
    channels, demand = busy_channels(), DemandConfig()
    rates = weekly_rates_per_min(channels, demand)
    mask = open_mask(channels)
    phone = CHANNELS.index("phone")
    assert np.all(rates[~mask[:, phone], phone] == 0)
    # The mean over open hours is the configured hourly rate.
    open_rates = rates[mask[:, phone], phone] * 60
    assert open_rates.mean() == pytest.approx(channels.phone.arrival_rate_per_hour)
    # Asynchronous channels receive contacts around the clock.
    assert np.all(rates[:, CHANNELS.index("email")] > 0)


def test_thinned_stream_has_the_configured_counts_per_hour_and_channel():
    channels, demand = busy_channels(), DemandConfig()
    rates = weekly_rates_per_min(channels, demand)
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
