"""A channel's demand from hourly counts: rate, opening hours, hour × weekday profile, and
the day-to-day swing beyond Poisson.

The model's demand is separable (``sim.model.demand``): the rate in hour h of weekday d
is λ · hour[h] · weekday[d] over the hours a channel is open, times one gamma factor per
day shared by every channel (``demand.rate_cv``). For that Poisson model the row and
column sums of the weekday × hour table are sufficient, so the profiles below are the
maximum-likelihood estimates; their intervals are the multinomial ones, widened for the
weekday profile by the day factor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from sim.config import SYNCHRONOUS_CHANNELS
from sim.units import DAYS_PER_WEEK, HOURS_PER_DAY

# An hour of the day counts as open if it has at least this share of the busiest hour's
# contacts (a stray contact logged a minute after closing does not open an hour).
OPEN_SHARE = 0.01


@dataclass(frozen=True)
class Estimate:
    """A fitted value with its confidence interval."""

    value: float
    low: float
    high: float

    def covers(self, truth: float) -> bool:
        return self.low <= truth <= self.high


@dataclass(frozen=True)
class ChannelDemand:
    """What a channel's counts say about its demand."""

    rate_per_hour: Estimate  # mean over open hours
    open_hour: int
    close_hour: int
    open_days: list[int]
    hour_profile: list[Estimate]  # mean 1 over open hours; 0 where closed
    weekday_profile: list[Estimate]  # mean 1 over open days; 0 where closed
    contacts: int


def hourly_table(times: pd.Series, counts: pd.Series, first_day: pd.Timestamp, days: int):
    """(days, 24) contacts per calendar day and hour from event times with their counts."""
    offset_h = ((times - first_day) / pd.Timedelta(hours=1)).astype(int)
    table = np.zeros(days * HOURS_PER_DAY)
    np.add.at(table, offset_h.to_numpy(), counts.to_numpy(dtype=float))
    return table.reshape(days, HOURS_PER_DAY)


def channel_demand(
    table: np.ndarray, weekdays: np.ndarray, channel: str, rate_cv: float, level: float
) -> ChannelDemand:
    """Fit one channel from its (days, 24) table; ``weekdays[i]`` is day i's weekday."""
    z = float(stats.norm.ppf(0.5 + level / 2.0))
    by_weekday = np.array([table[weekdays == d].sum(axis=0) for d in range(DAYS_PER_WEEK)])
    n_weekday = np.array([(weekdays == d).sum() for d in range(DAYS_PER_WEEK)])
    if channel in SYNCHRONOUS_CHANNELS:
        hours = by_weekday.sum(axis=0)
        open_hours = np.flatnonzero(hours >= OPEN_SHARE * hours.max())
        open_hour, close_hour = int(open_hours[0]), int(open_hours[-1]) + 1
        day_totals = by_weekday.sum(axis=1) / np.maximum(n_weekday, 1)
        open_days = [d for d in range(7) if day_totals[d] >= OPEN_SHARE * day_totals.max()]
    else:  # asynchronous channels receive contacts around the clock
        open_hour, close_hour, open_days = 0, HOURS_PER_DAY, list(range(DAYS_PER_WEEK))
    hour_open = np.zeros(HOURS_PER_DAY, bool)
    hour_open[open_hour:close_hour] = True
    day_open = np.isin(np.arange(DAYS_PER_WEEK), open_days)
    inside = by_weekday[np.ix_(day_open, hour_open)]
    total = float(inside.sum())
    open_hours_observed = float(n_weekday[day_open].sum() * hour_open.sum())
    hour_counts = np.where(hour_open, by_weekday[day_open].sum(axis=0), 0.0)
    day_rates = np.where(day_open, by_weekday[:, hour_open].sum(axis=1), 0.0)
    day_rates = day_rates / np.maximum(n_weekday, 1)  # per occurrence of the weekday
    per_day = total / max(n_weekday[day_open].sum(), 1)
    rate_sd = np.sqrt(total * (1.0 + per_day * rate_cv**2))
    rate = total / open_hours_observed
    return ChannelDemand(
        rate_per_hour=Estimate(rate, rate - z * rate_sd / open_hours_observed,
                               rate + z * rate_sd / open_hours_observed),
        open_hour=open_hour,
        close_hour=close_hour,
        open_days=open_days,
        hour_profile=_shares(hour_counts, hour_open, total, z),
        weekday_profile=_weekday_shares(day_rates, day_open, n_weekday, rate_cv, z),
        contacts=int(total),
    )  # fmt: skip


def _shares(counts: np.ndarray, is_open: np.ndarray, total: float, z: float) -> list[Estimate]:
    """Relative weights with mean 1 over the open entries, with multinomial intervals."""
    n_open = int(is_open.sum())
    share = counts / total
    sd = np.sqrt(share * (1.0 - share) / total)
    return [
        Estimate(n_open * s, max(0.0, n_open * (s - z * e)), n_open * (s + z * e))
        if o
        else Estimate(0.0, 0.0, 0.0)
        for s, e, o in zip(share, sd, is_open)
    ]


def _weekday_shares(
    per_day: np.ndarray, is_open: np.ndarray, n_days: np.ndarray, rate_cv: float, z: float
) -> list[Estimate]:
    """The weekday profile (mean 1 over open days): each weekday's mean count is Poisson
    times the day factor, so its variance is m/k · (1 + m·cv²) over k such days."""
    mean = per_day[is_open].mean()
    var = np.where(is_open, per_day / np.maximum(n_days, 1) * (1.0 + per_day * rate_cv**2), 0)
    sd = np.sqrt(var) / mean
    return [
        Estimate(m / mean, max(0.0, m / mean - z * e), m / mean + z * e)
        if o
        else Estimate(0.0, 0.0, 0.0)
        for m, e, o in zip(per_day, sd, is_open)
    ]


def day_rate_cv(daily_totals: np.ndarray, weekdays: np.ndarray) -> float | None:
    """The day factor's coefficient of variation, by moments: within each weekday a day's
    count has variance m + cv²·m² (Poisson–gamma), so cv² = Σ(s² − m) / Σ m² with s² the
    unbiased variance of that weekday's counts. ``None`` without two of some open weekday."""
    excess, scale = 0.0, 0.0
    for day in range(DAYS_PER_WEEK):
        counts = daily_totals[weekdays == day]
        if len(counts) < 2 or counts.mean() <= 0:
            continue
        excess += counts.var(ddof=1) - counts.mean()
        scale += counts.mean() ** 2
    if scale == 0.0:
        return None
    return float(np.sqrt(max(0.0, excess / scale)))
