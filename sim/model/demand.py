"""Demand: one non-homogeneous Poisson stream of contacts over all channels, and incidents.

The rate of each channel is piecewise constant by hour of the week (hour-of-day profile ×
day-of-week profile × opening hours). All channels are generated together by thinning a
homogeneous stream at the peak total rate, in vectorised blocks: one stream of arrivals,
never a process per customer. Incidents (outages) are a Poisson process of their own: a
correlated surge of issues with one shared cause (``sim.model.incidents``).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from sim.config import CHANNELS, ChannelConfig, DemandConfig, IncidentConfig, RandomIncidentsConfig
from sim.model.calendar import WeekCalendar
from sim.rng import BLOCK_SIZE
from sim.units import DAYS_PER_YEAR, HOURS_PER_WEEK, MIN_PER_DAY, MIN_PER_HOUR


def weekly_profile(demand: DemandConfig, channel: ChannelConfig | None = None) -> np.ndarray:
    """(168,) relative demand by hour of the week (hour × weekday profile), mean 1: the
    channel's own profiles where it has them, ``demand``'s otherwise."""
    hour_profile = channel.hour_profile if channel is not None else None
    weekday_profile = channel.weekday_profile if channel is not None else None
    hours = np.asarray(hour_profile or demand.hour_profile, dtype=float)
    days = np.asarray(weekday_profile or demand.weekday_profile, dtype=float)
    shape = (days[:, None] * hours[None, :]).reshape(HOURS_PER_WEEK)
    return shape / shape.mean()


def weekly_rates_per_min(calendar: WeekCalendar, demand: DemandConfig) -> np.ndarray:
    """(168, n_channels) rates of anonymous contacts per minute.

    Each channel's shape is normalised so that its mean over the hours it accepts contacts
    (``sim.model.calendar``) equals its ``arrival_rate_per_hour``.
    """
    mask = calendar.mask()
    rates = np.zeros((HOURS_PER_WEEK, len(CHANNELS)))
    for c, (_, channel) in enumerate(calendar.channels.items()):
        weights = weekly_profile(demand, channel) * mask[:, c]
        mean_open = weights[mask[:, c]].mean() if mask[:, c].any() else 0.0
        if mean_open > 0:
            rates[:, c] = weights / mean_open * channel.arrival_rate_per_hour / MIN_PER_HOUR
    return rates


def as_events(blocks: Iterator[tuple[np.ndarray, np.ndarray]]) -> Iterator[tuple[float, int]]:
    """(time_min, column) pairs, one by one, of a stream given in blocks."""
    for times, columns in blocks:
        yield from zip(times.tolist(), columns.tolist())


def arrival_blocks(
    rates_per_min: np.ndarray,
    rng: np.random.Generator,
    block_size: int = BLOCK_SIZE,
    start_min: float = 0.0,
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The NHPP's events from ``start_min`` on (thinning), as arrays of (times, columns)
    per block of draws (possibly empty): endless.

    ``rates_per_min`` is (168, k): one rate per hour of the week for each of k streams
    (channels); the column says which stream an event belongs to. ``as_events`` gives
    them one by one.
    """
    total = rates_per_min.sum(axis=1)
    peak = float(total.max())
    if peak <= 0.0:
        return
    safe_total = np.where(total > 0, total, 1.0)
    cumulative_share = np.cumsum(rates_per_min / safe_total[:, None], axis=1)
    cumulative_share[:, -1] = 1.0
    last_channel = rates_per_min.shape[1] - 1
    now = start_min
    while True:
        times = now + np.cumsum(rng.exponential(1.0 / peak, block_size))
        now = float(times[-1])
        hour_of_week = (times // MIN_PER_HOUR).astype(np.int64) % HOURS_PER_WEEK
        accepted = rng.random(block_size) * peak < total[hour_of_week]
        u = rng.random(block_size)
        channel = (u[:, None] >= cumulative_share[hour_of_week]).sum(axis=1)
        np.minimum(channel, last_channel, out=channel)
        yield times[accepted], channel[accepted]


class DayFactors:
    """Each day's demand multiplier (``demand.rate_cv``): gamma, mean 1, drawn up front for
    the whole horizon from its own stream; all ones when the day is Poisson."""

    def __init__(
        self, rate_cv: float = 0.0, days: int = 0, rng: np.random.Generator | None = None
    ) -> None:
        if rate_cv > 0.0:
            if rng is None:
                raise ValueError("a varying day needs a random stream")
            shape = 1.0 / rate_cv**2
            self.factors = rng.gamma(shape, 1.0 / shape, days + 1)
        else:
            self.factors = np.ones(days + 1)
        self.cap = float(self.factors.max())
        self.constant = rate_cv == 0.0
        self._rng = rng

    def thinned(
        self,
        blocks: Iterator[tuple[np.ndarray, np.ndarray]],
        rng: np.random.Generator | None = None,
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """The (times, columns) blocks of a stream generated at ``cap`` times its rate,
        each event kept with probability (its day's factor) / cap: the stream at each
        day's own rate (the stream itself when every day is alike). One draw per event,
        in order, a block at a time. ``rng``: the stream's own draws for it (default: the
        day factors' stream), so that streams consumed at different paces never share
        draws."""
        if self.constant:
            yield from blocks
            return
        rng = rng or self._rng
        factors, cap = self.factors, self.cap
        last_day = len(factors) - 1  # a block runs past the horizon: never reached
        for times, columns in blocks:
            day = np.minimum((times // MIN_PER_DAY).astype(np.int64), last_day)
            kept = rng.random(len(times)) * cap < factors[day]
            yield times[kept], columns[kept]


class Upcoming:
    """A time-ordered stream of event times, given in blocks, taken a stretch at a time:
    every time before a bound, the rest kept for the next stretch."""

    def __init__(self, blocks: Iterator[np.ndarray]) -> None:
        self._blocks = blocks
        self._pending = np.empty(0)

    def times_before(self, end_min: float) -> np.ndarray:
        stretch = []
        pending = self._pending
        while True:
            cut = int(np.searchsorted(pending, end_min))  # the first time ≥ end_min
            stretch.append(pending[:cut])
            if cut < len(pending):
                self._pending = pending[cut:]
                break
            pending = next(self._blocks, None)
            if pending is None:
                self._pending = np.empty(0)
                break
        return np.concatenate(stretch)


def random_incidents(
    config: RandomIncidentsConfig, rng: np.random.Generator, horizon_days: float
) -> list[IncidentConfig]:
    """Outages of the run as a Poisson process: start, size, duration, pain, detection.

    Drawn up front (a handful per year), in time order, from their own stream.
    """
    incidents: list[IncidentConfig] = []
    if config.rate_per_year <= 0:
        return incidents
    a = config.share_mean * config.share_concentration
    b = (1.0 - config.share_mean) * config.share_concentration
    day = 0.0
    while True:
        day += rng.exponential(DAYS_PER_YEAR / config.rate_per_year)
        if day >= horizon_days:
            return incidents
        incidents.append(
            IncidentConfig(
                start_day=float(day),
                duration_days=float(rng.exponential(config.duration_days_mean)),
                share=float(rng.beta(a, b)),
                severity_mean=config.severity_mean,
                detection_delay_min=config.detection_delay_min,
            )
        )
