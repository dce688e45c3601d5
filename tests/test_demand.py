"""Demand: the thinned NHPP has the configured rate in every hour of the week."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import stats

from sim.config import CHANNELS, ChannelsConfig, DemandConfig
from sim.model.calendar import WeekCalendar
from sim.model.demand import DayFactors, Upcoming, arrival_blocks, as_events, weekly_rates_per_min


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
    stream = as_events(arrival_blocks(rates, np.random.Generator(np.random.PCG64(5))))
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
    assert list(as_events(arrival_blocks(np.zeros((168, 4)), np.random.default_rng(0)))) == []


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


# -- day-to-day overdispersion (demand.rate_cv) -----------------------------------------------
def test_day_factors_have_mean_one_and_the_stated_spread():
    from sim.model.demand import DayFactors

    factors = DayFactors(0.2, 20_000, np.random.default_rng(3)).factors
    assert factors.mean() == pytest.approx(1.0, abs=0.01)
    assert factors.std() / factors.mean() == pytest.approx(0.2, rel=0.03)
    assert np.all(DayFactors().factors == 1.0)


def test_overdispersed_days_widen_the_daily_counts_and_service_level_spread():
    """M/M/11+M at 100 calls an hour for 40 days, the same seeds with and without a day
    factor of cv 0.2: daily counts spread as Poisson × gamma (cv² ≈ 0.2² + 1/2400) instead
    of Poisson, and the daily service level far more; the mean volume is kept."""
    from sim import run

    from .conftest import erlang_config

    spreads = {}
    for cv in (0.0, 0.2):
        counts, levels = [], []
        for seed in range(2):
            config = erlang_config(100.0, 6.0, 11, 5.0, 41.0, f"demand.rate_cv={cv}")
            series = run(config, seed).timeseries
            measured = [not w for w in series["in_warmup"]]
            counts += [c for c, m in zip(series["contacts_arrived"], measured) if m]
            levels += [s for s, m in zip(series["service_level"], measured) if m]
        spreads[cv] = (np.mean(counts), np.std(counts) / np.mean(counts), np.std(levels))
    (mean_0, cv_0, sl_sd_0), (mean_2, cv_2, sl_sd_2) = spreads[0.0], spreads[0.2]
    assert cv_0 == pytest.approx(1 / np.sqrt(2400), rel=0.35)  # Poisson days
    assert cv_2 == pytest.approx(np.sqrt(0.2**2 + 1 / 2400), rel=0.3)
    assert mean_2 == pytest.approx(mean_0, rel=0.1)
    assert sl_sd_2 > 3 * sl_sd_0


def test_a_channel_with_a_shape_of_its_own_keeps_it_and_the_others_keep_demands():
    channels, demand = busy_channels(), DemandConfig()
    shared = weekly_rates_per_min(WeekCalendar(channels), demand)
    flat = [1.0] * 24
    channels.chat.hour_profile = flat
    channels.chat.weekday_profile = [1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0]
    own = weekly_rates_per_min(WeekCalendar(channels), demand)
    chat = CHANNELS.index("chat")
    others = [c for c in range(len(CHANNELS)) if c != chat]
    assert np.array_equal(own[:, others], shared[:, others])
    by_day_hour = own[:, chat].reshape(7, 24) * 60
    open_hours = by_day_hour[:, channels.chat.open_hour : channels.chat.close_hour]
    assert np.allclose(open_hours[0], open_hours[0, 0])  # flat within the day
    assert open_hours[5].mean() == pytest.approx(2 * open_hours[0].mean())  # Saturday twice
    assert open_hours.mean() == pytest.approx(channels.chat.arrival_rate_per_hour)
    channels.chat.hour_profile = list(demand.hour_profile)  # its own, equal to demand's
    channels.chat.weekday_profile = list(demand.weekday_profile)
    assert np.array_equal(weekly_rates_per_min(WeekCalendar(channels), demand), shared)


def test_a_stream_taken_a_stretch_at_a_time_is_the_stream_taken_one_by_one():
    """The issue stream's candidates come in blocks and are taken a day at a time, thinned
    by the day's factor a block at a time: the same times, and the same draws, as the
    event stream taken one event at a time."""
    rates = weekly_rates_per_min(WeekCalendar(busy_channels()), DemandConfig())
    days = DayFactors(0.3, 30, np.random.default_rng(1))
    horizon_min = 30 * 1440.0

    def one_by_one() -> list[float]:
        """Each event kept on its own draw: factor of its day / cap."""
        events = as_events(arrival_blocks(rates, np.random.default_rng(7), 500))
        draws, kept = np.random.default_rng(9), []
        for time_min, _ in itertools.takewhile(lambda e: e[0] < horizon_min, events):
            if draws.random() * days.cap < days.factors[int(time_min // 1440)]:
                kept.append(time_min)
        return kept

    blocks = arrival_blocks(rates, np.random.default_rng(7), 500)
    thinned = days.thinned(blocks, np.random.default_rng(9))
    upcoming = Upcoming(times for times, _ in thinned)
    by_day = [upcoming.times_before((day + 1) * 1440.0) for day in range(30)]
    assert len(by_day[0]) > 100
    assert np.concatenate(by_day).tolist() == one_by_one()
