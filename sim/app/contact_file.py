"""``contacts.parquet``: the run's event log (``record.contacts``), streamed as it runs.

The model hands rows in batches (``sim.model.contact_log``); each batch becomes one row
group of a Parquet file written under a temporary name, so memory stays flat however long
the run. The file takes its final name with the run's other results, before
``summary.json`` (``sim.app.outputs``); an interrupted run removes it.

Columns: ``contact_id``, ``event``, ``timestamp`` (``record.start_date`` + the model's
clock), ``time_min``, ``channel``, ``pool``, ``agent``, ``customer`` (-1: anonymous),
``attempt``, ``outcome``, ``wait_min``, ``service_min``. In pm4py:
``pm4py.format_dataframe(df, case_id="contact_id", activity_key="event",
timestamp_key="timestamp")``.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from types import TracebackType

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from sim.app.files import FILE_MODE, temporary_path
from sim.model.contact_log import Batch

__all__ = ["SCHEMA", "ContactFile"]
_TEXT = pa.dictionary(pa.int32(), pa.string())
SCHEMA = pa.schema(
    [
        ("contact_id", pa.int64()),
        ("event", _TEXT),
        ("timestamp", pa.timestamp("ms")),
        ("time_min", pa.float64()),
        ("channel", _TEXT),
        ("pool", _TEXT),
        ("agent", _TEXT),
        ("customer", pa.int64()),
        ("attempt", pa.int16()),
        ("outcome", _TEXT),
        ("wait_min", pa.float64()),
        ("service_min", pa.float64()),
    ]
)
_MS_PER_MIN = 60_000


class ContactFile:
    """A sink for ``sim.run``'s event log: ``commit()`` puts the file in place,
    leaving the ``with`` block without it removes the temporary file."""

    def __init__(self, path: Path, start_date: str) -> None:
        self.path = path
        self._tmp = temporary_path(path)
        self._start = np.datetime64(datetime.fromisoformat(start_date), "ms")
        self._writer: pq.ParquetWriter | None = None
        self.rows = 0

    def __enter__(self) -> ContactFile:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
            self._handle = os.fdopen(os.open(self._tmp, flags, FILE_MODE), "wb")
            self._writer = pq.ParquetWriter(self._handle, SCHEMA, compression="zstd")
        except BaseException:
            self._tmp.unlink(missing_ok=True)
            raise
        return self

    def __call__(self, batch: Batch) -> None:
        """One batch of rows: one row group."""
        assert self._writer is not None, "a ContactFile is used inside its with block"
        time_min = np.asarray(batch["time_min"], dtype=float)
        offsets_ms = np.round(time_min * _MS_PER_MIN).astype("timedelta64[ms]")
        columns = dict(batch, timestamp=self._start + offsets_ms)
        table = pa.Table.from_pydict({name: columns[name] for name in SCHEMA.names}, SCHEMA)
        self._writer.write_table(table)
        self.rows += table.num_rows

    def commit(self) -> None:
        """Close the file and give it its final name (the caller writes the summary after)."""
        self._close()
        os.replace(self._tmp, self.path)

    def _close(self) -> None:
        if self._writer is not None:
            writer, self._writer = self._writer, None
            writer.close()
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            self._close()
        finally:
            self._tmp.unlink(missing_ok=True)  # already renamed if committed
