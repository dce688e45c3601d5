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
anything is fitted.
"""

from __future__ import annotations

import pandas as pd

from sim.config import CHANNELS

CONTACT_LOG = ("arrival", "channel", "outcome", "wait_min", "handle_min")
INTERVAL_COUNTS = ("start", "channel", "contacts")
EVENT_LOG = ("contact_id", "event", "timestamp", "channel", "pool", "wait_min", "service_min")
OUTCOMES = ("answered", "abandoned")


class FitInputError(ValueError):
    """A malformed input file: the message is one line naming the row and column."""


def layout(frame: pd.DataFrame) -> str:
    """Which of the three layouts ``frame`` is: ``events``, ``contacts`` or ``intervals``."""
    columns = set(frame.columns)
    if set(EVENT_LOG) <= columns:
        return "events"
    if "arrival" in columns or "start" not in columns:
        _require(frame, CONTACT_LOG, "a contact log")
        return "contacts"
    _require(frame, INTERVAL_COUNTS, "interval counts")
    return "intervals"


def _require(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise FitInputError(
            f"missing column {missing[0]!r}: {what} needs {', '.join(columns)}"
            f" (interval counts: {', '.join(INTERVAL_COUNTS)})"
        )
    if frame.empty:
        raise FitInputError(f"no rows: {what} needs at least one week of data")


def _row(index: object) -> str:
    return f"row {int(index) + 2}"  # the header is line 1 of the file  # type: ignore[call-overload]


def timestamps(frame: pd.DataFrame, column: str) -> pd.Series:
    """``column`` as timestamps (time zones dropped: the centre's local clock)."""
    values = frame[column]
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = values
    else:
        parsed = pd.to_datetime(values, errors="coerce", format="mixed")
    bad = parsed.isna()
    if bad.any():
        first = bad.idxmax()
        raise FitInputError(
            f"{_row(first)}: unparseable time {values[first]!r} in column {column!r}"
        )
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    return parsed


def durations(frame: pd.DataFrame, column: str, required: pd.Series) -> pd.Series:
    """``column`` as minutes ≥ 0, present wherever ``required`` is true."""
    values = pd.to_numeric(frame[column], errors="coerce")
    missing = required & values.isna()
    if missing.any():
        first = missing.idxmax()
        raise FitInputError(
            f"{_row(first)}: {column!r} must be a number of minutes, got {frame[column][first]!r}"
        )
    negative = values < 0
    if negative.any():
        first = negative.idxmax()
        raise FitInputError(f"{_row(first)}: negative duration {values[first]:g} in {column!r}")
    return values


def channels(frame: pd.DataFrame) -> pd.Series:
    values = frame["channel"].astype(str).str.strip().str.lower()
    unknown = ~values.isin(CHANNELS)
    if unknown.any():
        first = unknown.idxmax()
        raise FitInputError(
            f"{_row(first)}: channel {frame['channel'][first]!r} is not one of"
            f" {', '.join(CHANNELS)}"
        )
    return values


def contact_log(frame: pd.DataFrame) -> pd.DataFrame:
    """The contact log checked: arrival, channel, answered, wait_min, handle_min, caller."""
    outcome = frame["outcome"].astype(str).str.strip().str.lower()
    unknown = ~outcome.isin(OUTCOMES)
    if unknown.any():
        first = unknown.idxmax()
        raise FitInputError(
            f"{_row(first)}: outcome {frame['outcome'][first]!r} is not answered or abandoned"
        )
    answered = outcome == "answered"
    checked = pd.DataFrame(
        {
            "arrival": timestamps(frame, "arrival"),
            "channel": channels(frame),
            "answered": answered,
            "wait_min": durations(frame, "wait_min", pd.Series(True, index=frame.index)),
            "handle_min": durations(frame, "handle_min", answered),
        }
    )
    if "caller" in frame.columns:
        checked["caller"] = frame["caller"].astype(str)
    return checked.sort_values("arrival", kind="stable").reset_index(drop=True)


def interval_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Interval counts checked: start, channel, contacts (whole numbers ≥ 0)."""
    contacts = pd.to_numeric(frame["contacts"], errors="coerce")
    bad = contacts.isna() | (contacts < 0) | (contacts != contacts.round())
    if bad.any():
        first = bad.idxmax()
        raise FitInputError(
            f"{_row(first)}: contacts must be a whole number ≥ 0, got {frame['contacts'][first]!r}"
        )
    return pd.DataFrame(
        {
            "start": timestamps(frame, "start"),
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
