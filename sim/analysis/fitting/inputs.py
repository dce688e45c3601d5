"""A centre's data, checked and put in one shape for fitting (``python -m sim.fit``).

Three layouts are read:

* a **contact log**, one row per contact (an ACD or chat-platform export): ``arrival``
  (timestamp), ``channel`` (phone, chat, email, social), ``outcome`` (``answered`` or
  ``abandoned``), ``wait_min``, ``handle_min`` (blank when abandoned) and, optionally,
  ``caller`` (who called: redials become visible);
* supportsim's own **event log** (``contacts.parquet``, ``record.contacts=true``), turned
  into that contact log: each arrival, redial or repeat contact at tier 1 is a contact,
  its case the caller;
* **interval counts**, one row per interval: ``start`` (timestamp), ``channel``,
  ``contacts``.

Every problem is one line naming the row and the column (``FitInputError``), before
anything is fitted. Times are read by an explicit rule (``DATE_RULES``): ISO 8601 unless
the user says the file's dates are day-first or month-first, so ``03/04/2024`` is never
silently one or the other. What the reading had to decide for the user (several UTC
offsets, callers missing) is returned as a caveat for the preset's header.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from sim.config import CHANNELS

CONTACT_LOG = ("arrival", "channel", "outcome", "wait_min", "handle_min")
INTERVAL_COUNTS = ("start", "channel", "contacts")
EVENT_LOG = ("contact_id", "event", "timestamp", "channel", "pool", "wait_min", "service_min")
OUTCOMES = ("answered", "abandoned")
# How a time is read: ISO 8601 (2024-03-04 08:30, with T or a UTC offset), or dates
# written day-first (04/03/2024) or month-first (03/04/2024) as the user declares.
DATE_RULES = {
    "iso": "ISO 8601 (YYYY-MM-DD hh:mm)",
    "dayfirst": "day-first dates (DD/MM/YYYY)",
    "monthfirst": "month-first dates (MM/DD/YYYY)",
}
OFFSET = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")
# A wait or a handle time longer than these is a broken row, not a customer: a week's
# wait (e-mail answered after the weekend is days) and a day's handling.
MAX_MINUTES = {"wait_min": 7 * 24 * 60.0, "handle_min": 24 * 60.0}
# Rows this far from the rest of the data (days) are a mistyped date, not a quiet month.
MAX_GAP_DAYS = 31


class FitInputError(ValueError):
    """A malformed input file: the message is one line naming the row and column."""


def shown(value: object) -> str:
    """A cell as the file has it: ``nan`` for an empty cell, never ``np.float64(nan)``."""
    if isinstance(value, (float, np.floating)) and math.isnan(value):
        return "an empty cell"
    if isinstance(value, (np.generic,)):
        value = value.item()
    return repr(value)


def layout(frame: pd.DataFrame, rows_checked: bool = True) -> str:
    """Which of the three layouts ``frame`` is: ``events``, ``contacts`` or ``intervals``
    (``rows_checked``: and it has rows; a file's header alone is checked without)."""
    columns = set(frame.columns)
    if set(EVENT_LOG) <= columns:
        return "events"
    if "arrival" in columns or "start" not in columns:
        _require(frame, CONTACT_LOG, "a contact log", rows_checked)
        return "contacts"
    _require(frame, INTERVAL_COUNTS, "interval counts", rows_checked)
    return "intervals"


def _require(frame: pd.DataFrame, columns: tuple[str, ...], what: str, rows: bool) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise FitInputError(
            f"missing column {missing[0]!r}: {what} needs {', '.join(columns)}"
            f" (interval counts: {', '.join(INTERVAL_COUNTS)})"
        )
    if rows and frame.empty:
        raise FitInputError(f"no rows: {what} needs at least one week of data")


def _row(index: object) -> str:
    return f"row {int(index) + 2}"  # the header is line 1 of the file  # type: ignore[call-overload]


def timestamps(
    frame: pd.DataFrame, column: str, rule: str = "iso", caveats: list[str] | None = None
) -> pd.Series:
    """``column`` as timestamps on the centre's local clock, read by ``rule``.

    UTC offsets are dropped: each row's own clock is the local one. Several offsets in one
    file (daylight saving) are allowed and said in ``caveats``; some rows with an offset
    and others without are refused. Rows far from the rest of the data are named."""
    values = frame[column]
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = values.dt.tz_localize(None) if values.dt.tz is not None else values
    else:
        parsed = _parse(values.astype(str).str.strip(), column, rule, caveats)
    bad = parsed.isna()
    if bad.any():
        first = bad.idxmax()
        hint = "" if rule != "iso" else " (ISO 8601 expected; --dayfirst or --monthfirst else)"
        raise FitInputError(
            f"{_row(first)}: unparseable time {shown(values[first])} in column {column!r}"
            f" read as {DATE_RULES[rule]}{hint}"
        )
    _refuse_strays(parsed, column)
    return parsed


def _parse(text: pd.Series, column: str, rule: str, caveats: list[str] | None) -> pd.Series:
    offsets = text.str.extract(f"({OFFSET.pattern})", expand=False)
    has = offsets.notna()
    if has.any() and not has.all():
        first = (~has).idxmax() if has.iloc[0] else has.idxmax()
        raise FitInputError(
            f"{_row(first)}: time {text[first]!r} in column {column!r} "
            f"{'has no' if has.iloc[0] else 'has a'} UTC offset where {_row(text.index[0])}"
            f" {'has one' if has.iloc[0] else 'has none'}: give every time one clock"
        )
    if has.all():
        distinct = offsets.nunique()
        if distinct > 1 and caveats is not None:
            caveats.append(
                f"{column}: {distinct} different UTC offsets (daylight saving): each time "
                "read on its own row's local clock"
            )
        text = text.str.replace(OFFSET, "", regex=True)
    if rule == "iso":
        return pd.to_datetime(text, errors="coerce", format="ISO8601")
    return pd.to_datetime(text, errors="coerce", format="mixed", dayfirst=rule == "dayfirst")


def _refuse_strays(times: pd.Series, column: str) -> None:
    """A few rows far from the rest (a mistyped year) are named; so is a long gap."""
    order = times.sort_values(kind="stable")
    gaps = order.diff().dt.total_seconds().div(86400.0).fillna(0.0).to_numpy()
    for cut in np.flatnonzero(gaps > MAX_GAP_DAYS):
        before, after = order.iloc[:cut], order.iloc[cut:]
        few, many = (before, after) if len(before) <= len(after) else (after, before)
        first = few.index.min()
        if len(few) <= len(many) / 10:
            raise FitInputError(
                f"{_row(first)}: {column} {times[first]:%Y-%m-%d %H:%M} lies {gaps[cut]:,.0f}"
                f" days from the rest of the data ({many.min():%Y-%m-%d} to"
                f" {many.max():%Y-%m-%d}, {len(many):,} rows): a mistyped date?"
            )
        raise FitInputError(
            f"{_row(after.index.min())}: {column} has a gap of {gaps[cut]:,.0f} days before"
            f" {order.iloc[cut]:%Y-%m-%d}: fit one continuous period at a time"
        )


def durations(frame: pd.DataFrame, column: str, required: pd.Series) -> pd.Series:
    """``column`` as minutes in [0, ``MAX_MINUTES``], present wherever ``required`` is."""
    values = pd.to_numeric(frame[column], errors="coerce")
    missing = required & values.isna()
    if missing.any():
        first = missing.idxmax()
        raise FitInputError(
            f"{_row(first)}: {column!r} must be a number of minutes, got"
            f" {shown(frame[column][first])}"
        )
    negative = values < 0
    if negative.any():
        first = negative.idxmax()
        raise FitInputError(f"{_row(first)}: negative duration {values[first]:g} in {column!r}")
    limit = MAX_MINUTES.get(column, math.inf)
    too_long = values > limit
    if too_long.any():
        first = too_long.idxmax()
        raise FitInputError(
            f"{_row(first)}: {column!r} is {values[first]:.4g} min, more than {limit:,.0f}"
            " (a broken row?)"
        )
    return values


def channels(frame: pd.DataFrame) -> pd.Series:
    values = frame["channel"].astype(str).str.strip().str.lower()
    unknown = ~values.isin(CHANNELS)
    if unknown.any():
        first = unknown.idxmax()
        raise FitInputError(
            f"{_row(first)}: channel {shown(frame['channel'][first])} is not one of"
            f" {', '.join(CHANNELS)}"
        )
    return values


def contact_log(
    frame: pd.DataFrame, rule: str = "iso", caveats: list[str] | None = None
) -> pd.DataFrame:
    """The contact log checked: arrival, channel, answered, wait_min, handle_min, caller
    (a blank caller is unknown: that contact is nobody's redial)."""
    outcome = frame["outcome"].astype(str).str.strip().str.lower()
    unknown = ~outcome.isin(OUTCOMES)
    if unknown.any():
        first = unknown.idxmax()
        raise FitInputError(
            f"{_row(first)}: outcome {shown(frame['outcome'][first])} is not answered or abandoned"
        )
    answered = outcome == "answered"
    checked = pd.DataFrame(
        {
            "arrival": timestamps(frame, "arrival", rule, caveats),
            "channel": channels(frame),
            "answered": answered,
            "wait_min": durations(frame, "wait_min", pd.Series(True, index=frame.index)),
            "handle_min": durations(frame, "handle_min", answered),
        }
    )
    if "caller" in frame.columns:
        caller = frame["caller"].astype("string").str.strip().replace("", pd.NA)
        if caller.isna().all():
            if caveats is not None:
                caveats.append("caller: every cell empty, so redials are not fitted")
        else:
            unknown = caller.isna()
            rows = pd.Series(frame.index.astype(str), index=frame.index)
            checked["caller"] = caller.where(~unknown, "unknown row " + rows)
            if unknown.any() and caveats is not None:
                caveats.append(f"caller: {int(unknown.sum()):,} empty cells, none a redial")
    return checked.sort_values("arrival", kind="stable").reset_index(drop=True)


def interval_counts(
    frame: pd.DataFrame, rule: str = "iso", caveats: list[str] | None = None
) -> pd.DataFrame:
    """Interval counts checked: start, channel, contacts (whole numbers ≥ 0)."""
    contacts = pd.to_numeric(frame["contacts"], errors="coerce")
    bad = contacts.isna() | (contacts < 0) | (contacts != contacts.round())
    if bad.any():
        first = bad.idxmax()
        raise FitInputError(
            f"{_row(first)}: contacts must be a whole number ≥ 0, got"
            f" {shown(frame['contacts'][first])}"
        )
    return pd.DataFrame(
        {
            "start": timestamps(frame, "start", rule, caveats),
            "channel": channels(frame),
            "contacts": contacts.astype(int),
        }
    )


def from_event_log(events: pd.DataFrame) -> pd.DataFrame:
    """supportsim's event log as a contact log: one row per tier-1 attempt (an arrival,
    a switch, a redial or a repeat contact) with what became of it, the case as caller."""
    events = events.reset_index(drop=True)
    tier1 = events["pool"].astype(str) == events["channel"].astype(str)
    kind = events["event"].astype(str)
    starts = events[kind.isin(("arrival", "switch")) | ((kind == "retry") & tier1)]
    ends = events[kind.isin(("service_start", "abandon")) & tier1]
    starts = starts.assign(seq=starts.groupby("contact_id").cumcount())
    ends = ends.assign(seq=ends.groupby("contact_id").cumcount())
    merged = starts[["contact_id", "seq", "timestamp", "channel"]].merge(
        ends[["contact_id", "seq", "event", "wait_min", "service_min"]],
        on=["contact_id", "seq"],
        how="inner",  # an attempt still waiting when the run ended has no outcome yet
    )
    answered = merged["event"].astype(str) == "service_start"
    return pd.DataFrame(
        {
            "arrival": merged["timestamp"],
            "channel": merged["channel"].astype(str),
            "answered": answered,
            "wait_min": merged["wait_min"].astype(float),
            "handle_min": merged["service_min"].where(answered).astype(float),
            "caller": merged["contact_id"].astype(str),
        }
    ).sort_values("arrival", kind="stable", ignore_index=True)
