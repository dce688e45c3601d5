"""Multirun directory → one tidy table: ``python -m sim.collect DIR``.

One row per finished run: the run's directory, the overrides Hydra swept (one column per
key, values typed), and every key of its ``summary.json``. A run counts as finished only
if its ``summary.json`` exists — it is written last and atomically, so a crashed or
interrupted run never has one; such runs are listed in ``incomplete.txt`` and on stderr,
never mixed into the table. Reading a results directory only parses YAML (safe loader)
and JSON: nothing in it is executed.

The table is written as ``runs.parquet`` and ``runs.csv`` in DIR (atomically). At the
end of every ``-m`` sweep, ``sim.app.callbacks.CollectCallback`` does this automatically,
and writes the report (``sim.app.report``) when the sweep's config turns
``report.enabled`` on.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.statistics.comparison import typed
from sim.app.files import atomic_write
from sim.app.outputs import FAILURE, SUMMARY, finished
from sim.app.reading import UnreadableResultError, read_json, read_overrides, read_yaml
from sim.app.sweep import job_key, sweep_jobs

TABLE = "runs"
INCOMPLETE = "incomplete.txt"
OVERRIDES = Path(".hydra") / "overrides.yaml"


@dataclass
class Collected:
    """The finished runs as a table, and the runs that did not finish."""

    table: pd.DataFrame
    incomplete: list[Path] = field(default_factory=list)
    override_columns: list[str] = field(default_factory=list)  # the swept keys, in order
    never_started: list[list[str]] = field(default_factory=list)  # jobs with no directory
    why: dict[Path, str] = field(default_factory=dict)  # an incomplete run → what is known

    def reason(self, run_dir: Path) -> str:
        return self.why.get(run_dir, f"no {SUMMARY} (killed, interrupted or still running)")


def _natural_key(path: Path) -> list[Any]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", str(path))]


def run_directories(root: Path) -> list[Path]:
    """Every run below ``root`` (a directory holding ``.hydra/overrides.yaml``)."""
    return sorted((p.parent.parent for p in root.rglob(str(OVERRIDES))), key=_natural_key)


def parse_overrides(lines: list[str]) -> dict[str, Any]:
    """``["seed=3", "erlang.servers=12", "staffing=lean"]`` → typed values by key."""
    parsed: dict[str, Any] = {}
    for line in lines:
        key, sep, value = str(line).partition("=")
        if not sep:
            continue
        parsed[key.lstrip("+~")] = typed(value) if value else None
    return parsed


def read_run(
    directory: Path, overrides: list[str] | None = None
) -> tuple[dict[str, Any], list[str]] | None:
    """The row of one run and its override columns (its own ``.hydra/overrides.yaml``
    unless given), or None if it did not finish (no summary, or one that does not parse:
    a resumed sweep runs it again)."""
    summary_path = directory / SUMMARY
    if not finished(directory):
        return None
    if overrides is None:
        overrides = read_overrides(directory)
    summary = read_json(summary_path)
    if not isinstance(summary, dict):
        raise UnreadableResultError(summary_path, "not a JSON object")
    row: dict[str, Any] = {"run_dir": str(directory)}
    columns = []
    for key, value in parse_overrides(overrides).items():
        if key in summary and summary[key] == value:
            continue  # e.g. seed: the summary already says it
        column = key if key not in summary else f"override.{key}"
        row[column] = value
        columns.append(column)
    row.update(summary)
    return row, columns


def job_runs(directory: Path) -> list[Path]:
    """The runs of one job: the job itself, or one directory per seed of a job that ran
    several (``seeds=[…]``, each its own run in ``seed_<n>``)."""
    if (directory / SUMMARY).is_file():
        return [directory]
    config_path = directory / ".hydra" / "config.yaml"
    config = read_yaml(config_path) if config_path.is_file() else None
    seeds = config.get("seeds") if isinstance(config, dict) else None
    if not seeds:
        return [directory]
    return [directory / f"seed_{seed}" for seed in seeds]


def read_seed_run(job: Path, run_dir: Path) -> tuple[dict[str, Any], list[str]] | None:
    """A row for one run of a job (its overrides are the job's), or None if unfinished."""
    if run_dir == job:
        return read_run(job)
    read = read_run(run_dir, read_overrides(job))
    if read is None:
        return None
    row, columns = read
    columns = [column for column in columns if column != "seeds"]
    row.pop("seeds", None)
    return row, columns


def collect(root: Path) -> Collected:
    """Read every run below ``root``; finished ones become rows (a job that ran several
    seeds gives a row per seed)."""
    rows, incomplete, override_columns, why = [], [], {}, {}
    directories = run_directories(root)
    for directory in directories:
        for run_dir in job_runs(directory):
            read = read_seed_run(directory, run_dir)
            if read is None:
                incomplete.append(run_dir)
                why[run_dir] = _why(run_dir)
                continue
            row, columns = read
            rows.append(row)
            override_columns.update(dict.fromkeys(columns))
    started = {job_key(read_overrides(d)) for d in directories}
    expected = sweep_jobs(root) or []
    never_started = [job for job in expected if job_key(job) not in started]
    return Collected(pd.DataFrame(rows), incomplete, list(override_columns), never_started, why)


def _why(run_dir: Path) -> str:
    """What is known of a run that did not finish: its job's error line, if it left one."""
    for where in (run_dir, run_dir.parent):
        if (where / FAILURE).is_file():
            return "failed: " + (where / FAILURE).read_text(encoding="utf-8").strip()
    if (run_dir / SUMMARY).is_file():
        return f"{SUMMARY} does not parse"
    return f"no {SUMMARY} (killed, interrupted or still running)"


def write(collected: Collected, root: Path) -> list[Path]:
    """``runs.parquet``, ``runs.csv`` and ``incomplete.txt`` in ``root``, atomically."""
    parquet, csv = root / f"{TABLE}.parquet", root / f"{TABLE}.csv"
    atomic_write(parquet, lambda handle: collected.table.to_parquet(handle, index=False), True)
    atomic_write(csv, lambda handle: collected.table.to_csv(handle, index=False))
    listing = "".join(f"{path}\t{collected.reason(path)}\n" for path in collected.incomplete)
    listing += "".join(f"never started: {' '.join(job)}\n" for job in collected.never_started)
    atomic_write(root / INCOMPLETE, lambda handle: handle.write(listing))
    return [parquet, csv, root / INCOMPLETE]


def collect_and_write(root: Path) -> Collected:
    collected = collect(root)
    write(collected, root)
    for path in collected.incomplete:
        print(f"supportsim.collect: incomplete: {path}: {collected.reason(path)}", file=sys.stderr)
    for job in collected.never_started:
        print(f"supportsim.collect: never started: {' '.join(job)}", file=sys.stderr)
    print(
        f"supportsim.collect: {len(collected.table)} finished runs, "
        f"{len(collected.incomplete)} incomplete, {len(collected.never_started)} never started "
        f"→ {root / TABLE}.parquet, .csv",
        file=sys.stderr,
    )
    return collected


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sim.collect",
        description="Turn a multirun directory into one table (runs.parquet, runs.csv).",
    )
    parser.add_argument("directory", type=Path, help="a Hydra multirun (sweep) directory")
    args = parser.parse_args(argv)
    if not args.directory.is_dir():
        print(f"supportsim.collect: error: {args.directory} is not a directory", file=sys.stderr)
        return 2
    try:
        collected = collect_and_write(args.directory)
    except UnreadableResultError as error:
        print(f"supportsim.collect: error: {error}", file=sys.stderr)
        return 2
    return 0 if len(collected.table) else 1


if __name__ == "__main__":
    sys.exit(main())
