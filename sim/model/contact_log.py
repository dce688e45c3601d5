"""The per-contact event log (``record.contacts``): what happened to each contact, when.

One row per event of a contact's journey, in time order: ``arrival`` (on a channel),
``queue`` (no free agent in a pool: it waits), ``service_start`` and ``service_end`` (with
the agent, the wait before and the service time), ``handoff`` (escalated or transferred
to another pool), ``abandon`` (gave up waiting), ``retry`` (a redial or a repeat contact
back at tier 1), ``switch`` (gave up on a channel for another) and ``end`` (resolved,
unresolved or abandoned). A case is one journey (``contact_id``), as process-mining tools
(pm4py, Disco) and queue animations expect.

The engine does not write files: rows go in batches to a ``sink`` the caller provides
(``sim.app.contact_file`` streams them to Parquet), or are kept in memory when there is
none. The log only observes; it draws nothing, so a run's summary is the same with it on.
"""

from __future__ import annotations

from collections.abc import Callable

from sim.model.contact import Contact

Batch = dict[str, list]
Sink = Callable[[Batch], None]
COLUMNS = (
    "contact_id",
    "event",
    "time_min",
    "channel",
    "pool",
    "agent",
    "customer",
    "attempt",
    "outcome",
    "wait_min",
    "service_min",
)
EVENTS = (
    "arrival",
    "queue",
    "service_start",
    "service_end",
    "handoff",
    "abandon",
    "retry",
    "switch",
    "end",
)
BATCH_ROWS = 65_536  # rows per batch handed to the sink: one Parquet row group


class ContactLog:
    """Collects event rows column by column and hands them to the sink in batches."""

    def __init__(self, channels: list[str], sink: Sink | None = None) -> None:
        self.channels = channels
        self.kept: Batch = {column: [] for column in COLUMNS}  # all rows, without a sink
        self._sink = sink
        self._rows: Batch = self.kept if sink is None else {c: [] for c in COLUMNS}
        self._columns = [self._rows[c] for c in COLUMNS]
        self.n_rows = 0

    def add(
        self,
        event: str,
        time_min: float,
        contact: Contact,
        pool: str = "",
        agent: str = "",
        outcome: str = "",
        wait_min: float = float("nan"),
        service_min: float = float("nan"),
    ) -> None:
        """One event of ``contact`` at ``time_min`` (blank fields do not apply to it)."""
        row = (
            contact.contact_id,
            event,
            time_min,
            self.channels[contact.channel],
            pool,
            agent,
            contact.customer_uid,
            contact.attempt,
            outcome,
            wait_min,
            service_min,
        )
        for column, value in zip(self._columns, row):
            column.append(value)
        self.n_rows += 1
        if self._sink is not None and len(self._columns[0]) >= BATCH_ROWS:
            self.flush()

    @property
    def streams(self) -> bool:
        """Are rows handed to a sink (rather than kept)?"""
        return self._sink is not None

    def flush(self) -> None:
        """Hand the rows collected since the last batch to the sink (the run's end calls
        it for the last, short batch)."""
        if self._sink is None or not self._columns[0]:
            return
        batch = {column: list(values) for column, values in self._rows.items()}
        for values in self._columns:
            values.clear()
        self._sink(batch)
