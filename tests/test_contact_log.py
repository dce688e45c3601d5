"""The per-contact event log (``record.contacts``): it only observes, its rows agree with
the run's own counters, and the command line streams it to Parquet atomically."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

import sim
from sim.app.contact_file import SCHEMA, ContactFile
from sim.app.outputs import CONTACTS, SUMMARY
from sim.config import ConfigError
from sim.model import contact_log

from .conftest import erlang_config, run_cli

# One phone queue, busy enough that contacts wait, abandon and redial.
BUSY = (100.0, 6.0, 10, 4.0, 3.0, "warmup_days=0", "channels.phone.retrial.prob=0.5")


def test_recording_the_log_changes_no_byte_of_the_summary():
    config = erlang_config(*BUSY)
    recorded = erlang_config(*BUSY, "record.contacts=true")
    plain, logged = sim.run(config, 4), sim.run(recorded, 4)
    assert plain.contacts is None
    assert json.dumps(plain.summary) == json.dumps(logged.summary)
    assert len(logged.contacts["event"]) > 10_000


def test_the_log_counts_what_the_run_counts():
    result = sim.run(erlang_config(*BUSY, "record.contacts=true"), 5)
    log, summary = pd.DataFrame(result.contacts), result.summary
    events = log["event"].value_counts()
    assert events["arrival"] == summary["contacts_arrived"]
    assert events["abandon"] == summary["contacts_abandoned"] + summary["retrials"]
    assert 0 <= summary["retrials"] - events["retry"] < 50  # redials due after the end
    ends = log[log["event"] == "end"]["outcome"].value_counts()
    assert ends["abandoned"] == summary["contacts_abandoned"]
    assert ends["resolved"] == summary["contacts_served"]
    assert ends.sum() == summary["contacts_arrived"] - summary["contacts_open_end"]
    # the waits that ended (answered or abandoned) average to the pool's mean wait
    waits = log.loc[log["event"].isin(["service_start", "abandon"]), "wait_min"]
    assert waits.mean() == pytest.approx(summary["pool_phone_mean_wait_min"], rel=1e-9)
    assert (log.groupby("contact_id")["time_min"].diff().dropna() >= 0).all()


def test_the_command_line_streams_the_log_to_parquet_in_row_groups(tmp_path: Path):
    run = tmp_path / "run"
    done = run_cli(
        "scenario=erlang",
        "erlang.days=2",
        "record.contacts=true",
        "output.figures=false",
        f"hydra.run.dir={run}",
    )
    assert done.returncode == 0, done.stderr
    table = pq.read_table(run / CONTACTS)
    assert table.schema.equals(SCHEMA)
    frame = table.to_pandas()
    summary = json.loads((run / SUMMARY).read_text())
    measured = frame[frame["time_min"] >= 1440.0]  # after scenario=erlang's day of warm-up
    assert (measured["event"] == "arrival").sum() == summary["contacts_arrived"]
    first = frame.iloc[0]
    assert str(first["timestamp"]).startswith("2024-01-01 00:0")
    assert not list(run.glob(".*.tmp"))


def test_batches_become_row_groups_and_an_unfinished_file_is_removed(tmp_path, monkeypatch):
    monkeypatch.setattr(contact_log, "BATCH_ROWS", 1_000)
    config = erlang_config(*BUSY, "record.contacts=true")
    path = tmp_path / CONTACTS
    with ContactFile(path, "2024-01-01") as sink:
        result = sim.run(config, 6, contact_sink=sink)
        sink.commit()
    assert result.contacts is None  # streamed, not kept
    metadata = pq.ParquetFile(path).metadata
    assert metadata.num_row_groups == int(np.ceil(sink.rows / 1_000))
    lost = tmp_path / "lost.parquet"
    with pytest.raises(KeyboardInterrupt), ContactFile(lost, "2024-01-01") as sink:
        sink({column: [] for column in contact_log.COLUMNS})
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == [path]


def test_the_log_dates_start_on_a_monday():
    with pytest.raises(ConfigError, match=r"start_date.*Monday"):
        erlang_config(*BUSY, "record.start_date=2024-01-02")
