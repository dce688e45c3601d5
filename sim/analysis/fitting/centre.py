"""A centre fitted from its data: demand per channel, the day-to-day swing, and (from a
contact log) handle times, patience and redials."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.analysis.fitting.demand import ChannelDemand, channel_demand, day_rate_cv, hourly_table
from sim.analysis.fitting.durations import (
    HandleTimeFit,
    PatienceFit,
    RedialFit,
    handle_time,
    patience,
    redials,
)
from sim.analysis.fitting.inputs import FitInputError
from sim.config import CHANNELS, SYNCHRONOUS_CHANNELS
from sim.units import DAYS_PER_WEEK

MIN_CONTACTS = 30  # per channel: fewer say too little to fit it (the channel stays at 0)
MINUTES_PER_HOUR = 60


@dataclass(frozen=True)
class FitOptions:
    """``level``: of every interval; ``redial_window_min``: how soon after abandoning a
    caller's next contact counts as a redial (judgement: four hours); ``patience_breaks_min``:
    the hazard's pieces (default: at quantiles of the abandonment times)."""

    level: float = 0.95
    redial_window_min: float = 240.0
    patience_breaks_min: list[float] | None = None


@dataclass(frozen=True)
class ChannelFit:
    demand: ChannelDemand
    handle_time: HandleTimeFit | None = None
    patience: PatienceFit | None = None
    redial: RedialFit | None = None
    abandoned: int = 0  # in the data: with no patience fitted, says whether nobody abandoned


@dataclass(frozen=True)
class CentreFit:
    layout: str  # contacts, events or intervals
    first_day: pd.Timestamp
    days: int
    rate_cv: float | None
    channels: dict[str, ChannelFit] = field(default_factory=dict)
    caveats: list[str] = field(default_factory=list)  # what the fit had to decide; in the preset


def _window(times: pd.Series) -> tuple[pd.Timestamp, int, np.ndarray]:
    """First calendar day, number of days and each day's weekday (Monday 0)."""
    first_day = times.min().normalize()
    days = (times.max().normalize() - first_day).days + 1
    if days < DAYS_PER_WEEK:
        raise FitInputError(f"the data cover {days} day(s): fitting needs at least one whole week")
    weekdays = (first_day.weekday() + np.arange(days)) % DAYS_PER_WEEK
    return first_day, days, weekdays


def _redial_flags(log: pd.DataFrame, options: FitOptions) -> tuple[dict, pd.Series]:
    """Redial fits by channel and which contacts were redials (the rest are fresh)."""
    is_redial = pd.Series(False, index=log.index)
    fits: dict[str, RedialFit | None] = {}
    for channel, rows in log.groupby("channel"):
        fit, flags = redials(rows, options.redial_window_min, options.level)
        fits[str(channel)] = fit
        is_redial[flags.index] = flags
    return fits, is_redial


def _enough(fits: dict[str, ChannelFit], counted: int, column: str) -> None:
    if not fits:
        raise FitInputError(
            f"column {column!r}: fewer than {MIN_CONTACTS} contacts on every channel"
            f" ({counted:,} in all): nothing to fit"
        )


def _channel(
    rows: pd.DataFrame, demand: ChannelDemand, redial: RedialFit | None,
    options: FitOptions, notes: list[str],
) -> ChannelFit:  # fmt: skip
    """One channel's handle time, patience and redials beside its demand."""
    channel = str(rows["channel"].iloc[0])
    answered = rows["answered"].to_numpy()
    waits = rows["wait_min"].to_numpy(dtype=float)
    mine: list[str] = []
    handle = handle_time(
        rows["handle_min"].to_numpy(dtype=float)[answered], options.level, notes=mine
    )
    if handle is None and not mine:
        mine.append(f"handle time: {int(answered.sum()):,} answered: not fitted (default kept)")
    waited = (
        patience(waits, ~answered, options.level, options.patience_breaks_min, mine)
        if channel in SYNCHRONOUS_CHANNELS
        else None
    )
    notes += [f"{channel}: {note}" for note in mine]
    return ChannelFit(demand, handle, waited, redial, int((~answered).sum()))


def fit_contacts(
    log: pd.DataFrame, layout: str, options: FitOptions, caveats: list[str] | None = None
) -> CentreFit:
    """The whole fit from a checked contact log (``sim.analysis.fitting.inputs``)."""
    notes = list(caveats or [])
    first_day, days, weekdays = _window(log["arrival"])
    redial_fits, is_redial = _redial_flags(log, options)
    fresh = log[~is_redial]
    tables = {
        c: hourly_table(rows["arrival"], pd.Series(1, index=rows.index), first_day, days)
        for c, rows in fresh.groupby("channel")
    }
    rate_cv = day_rate_cv(sum(tables.values()).sum(axis=1), weekdays)
    fits = {}
    for channel in CHANNELS:
        rows = log[log["channel"] == channel]
        if channel not in tables or len(rows) < MIN_CONTACTS:
            continue
        demand = channel_demand(tables[channel], weekdays, channel, rate_cv or 0.0, options.level)
        fits[channel] = _channel(rows, demand, redial_fits.get(channel), options, notes)
    _enough(fits, len(log), "channel")
    return CentreFit(layout, first_day, days, rate_cv, fits, notes)


def _interval_min(counts: pd.DataFrame) -> float:
    steps = counts.groupby("channel")["start"].apply(lambda s: s.sort_values().diff().min())
    return float(steps.min() / pd.Timedelta(minutes=1))


def fit_intervals(
    counts: pd.DataFrame, options: FitOptions, caveats: list[str] | None = None
) -> CentreFit:
    """Demand alone from interval counts (start, channel, contacts)."""
    step_min = _interval_min(counts)
    if step_min > MINUTES_PER_HOUR or MINUTES_PER_HOUR % step_min:
        raise FitInputError(
            f"intervals of {step_min:g} min: the hour profile needs intervals that divide an"
            " hour (15, 30 or 60 min)"
        )
    first_day, days, weekdays = _window(counts["start"])
    tables = {
        c: hourly_table(rows["start"], rows["contacts"], first_day, days)
        for c, rows in counts.groupby("channel")
    }
    rate_cv = day_rate_cv(sum(tables.values()).sum(axis=1), weekdays)
    fits = {
        channel: ChannelFit(
            channel_demand(tables[channel], weekdays, channel, rate_cv or 0.0, options.level)
        )
        for channel in CHANNELS
        if channel in tables and tables[channel].sum() >= MIN_CONTACTS
    }
    _enough(fits, int(counts["contacts"].sum()), "contacts")
    return CentreFit("intervals", first_day, days, rate_cv, fits, list(caveats or []))
