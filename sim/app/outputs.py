"""Writing a run's results: atomically, with ``summary.json`` last.

A reader that finds ``summary.json`` can trust the run finished and every other file of
it is complete; an interrupted run removes what it wrote (only SIGKILL can leave a
``.*.tmp`` file, or files without a summary, and the next run in that directory replaces
them), never a partial result under its final name.
"""

from __future__ import annotations

import csv
import json
import math
import platform
import sys
import time
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import numpy as np

from sim.app.files import FIGURE_KINDS, atomic_write
from sim.app.signals import raise_if_interrupted
from sim.config import Config
from sim.model.org import RunResult

if TYPE_CHECKING:
    import pandas as pd

    from sim.app.contact_file import ContactFile

SUMMARY = "summary.json"
TIMESERIES = "timeseries.csv"
PROVENANCE = "provenance.json"
STAFFING_PLAN = "staffing_plan.csv"  # with staffing=from_forecast: the plan per interval
CONTACTS = "contacts.parquet"  # with record.contacts: the event log (sim.app.contact_file)
FAILURE = "failed.txt"  # a sweep's job that raised: its one-line error (collect lists it)


def finished(run_dir: Path) -> bool:
    """Did the run in ``run_dir`` finish: a ``summary.json`` that parses as an object? (A
    summary is written atomically, so one that does not parse was damaged afterwards.)"""
    try:
        return isinstance(json.loads((run_dir / SUMMARY).read_text(encoding="utf-8")), dict)
    except (OSError, ValueError):
        return False


def record_failure(run_dir: Path, error: BaseException) -> None:
    """Leave a failed job's error beside it, for ``collect``'s ``incomplete.txt``."""
    line = " ".join(str(error).split()) or type(error).__name__
    run_dir.mkdir(parents=True, exist_ok=True)
    atomic_write(run_dir / FAILURE, lambda h: h.write(f"{type(error).__name__}: {line}\n"))


def summary_text(summary: dict[str, Any]) -> str:
    """Canonical JSON of a summary: same summary, same bytes."""
    return json.dumps(summary, indent=2, allow_nan=False) + "\n"


def write_json(path: Path, data: dict[str, Any]) -> None:
    atomic_write(path, lambda handle: handle.write(summary_text(data)))


def _cells(values: Sequence[Any]) -> list[str]:
    """A column's CSV cells as pandas writes them: a column holding any real (or a gap)
    among its whole numbers is a real column (``3`` → ``3.0``), reals in their shortest
    round-trip form, NaN and None empty."""
    real = any(
        value is None or (isinstance(value, float) and not isinstance(value, bool))
        for value in values
    ) and not any(isinstance(value, str) for value in values)
    cells = []
    for value in values:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            cells.append("")
        elif isinstance(value, (bool, np.bool_)):
            cells.append(str(bool(value)))
        elif real:
            cells.append(repr(float(value)))
        else:
            cells.append(str(value))
    return cells


def write_columns(path: Path, columns: Mapping[str, Sequence[Any]]) -> None:
    """A table given as columns, as CSV, without pandas (a run's time series: importing
    pandas would cost a short run more than writing it)."""

    def write(handle: IO[str]) -> None:
        rows = csv.writer(handle, lineterminator="\n")
        rows.writerow(columns)
        rows.writerows(zip(*(_cells(values) for values in columns.values())))

    atomic_write(path, write)


def provenance(config: Config, wall_time_s: float) -> dict[str, Any]:
    """Where a result came from; kept out of summary.json so that stays byte-identical."""
    versions = {}
    for package in ("supportsim", "simpy", "numpy", "scipy", "hydra-core", "pandas"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "command": " ".join(sys.argv),
        "seed": config.seed,
        "scenario": config.name,
        "wall_time_s": round(wall_time_s, 3),
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
    }


Tables = dict[str, "pd.DataFrame"]  # further CSV files of a run, by file name


def planned_files(config: Config, out_dir: Path, tables: Tables) -> list[Path]:
    """The files a run writes before its summary, known before any of them is written."""
    planned = [out_dir / TIMESERIES] if config.output.timeseries else []
    if config.record.contacts:
        planned.append(out_dir / CONTACTS)
    planned += [out_dir / name for name in tables]
    if config.output.figures:
        planned += [out_dir / f"daily.{kind}" for kind in FIGURE_KINDS]
    return [*planned, out_dir / PROVENANCE]


def write_csv(path: Path, frame: pd.DataFrame) -> None:
    """A table (a staffing plan, say) as CSV."""
    atomic_write(path, lambda handle: frame.to_csv(handle, index=False))


def _write_parts(
    result: RunResult,
    config: Config,
    out_dir: Path,
    wall_time_s: float,
    tables: Tables,
    contacts: ContactFile | None,
) -> None:
    if contacts is not None:
        contacts.commit()
    if config.output.timeseries:
        write_columns(out_dir / TIMESERIES, result.timeseries)
    for name, table in tables.items():
        write_csv(out_dir / name, table)
    if config.output.figures:
        import pandas as pd  # pandas and matplotlib only when figures are wanted

        from sim.analysis.plots import daily_figure
        from sim.app.figures import save_figure

        frame = pd.DataFrame(result.timeseries)
        save_figure(daily_figure(frame, f"{config.name}, seed {config.seed}"), out_dir / "daily")
    write_json(out_dir / PROVENANCE, provenance(config, wall_time_s))


def write_run(
    result: RunResult,
    config: Config,
    out_dir: Path,
    wall_time_s: float,
    tables: Tables | None = None,
    contacts: ContactFile | None = None,
) -> None:
    """timeseries.csv, any further ``tables``, the event log (``contacts``, streamed during
    the run), figures and provenance first; summary.json last marks completion.

    An earlier run's summary in the directory goes first (its other files are about to be
    replaced). Interrupted part-way (Ctrl-C, SIGTERM), the run removes every file it
    planned, whether or not it had got to it: a signal may land between a file's rename
    and any bookkeeping of it. Once summary.json is in place the run is complete and a
    later signal removes nothing; it still propagates, so the caller decides.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = out_dir / SUMMARY
    summary.unlink(missing_ok=True)
    tables = tables or {}
    try:
        _write_parts(result, config, out_dir, wall_time_s, tables, contacts)
        raise_if_interrupted()  # the last moment to stop: summary.json commits the run
        write_json(summary, result.summary)
    except BaseException:
        if not summary.is_file():
            for path in planned_files(config, out_dir, tables):
                path.unlink(missing_ok=True)
        raise
