"""Multirun directory → one tidy table: ``python -m sim.collect DIR``.

One row per finished run: the run's directory, the overrides Hydra swept (one column per
key, values typed), and every key of its ``summary.json``. A run counts as finished only
if its ``summary.json`` exists — it is written last and atomically, so a crashed or
interrupted run never has one; such runs are listed in ``incomplete.txt`` and on stderr,
never mixed into the table. Reading a results directory only parses YAML (safe loader)
and JSON: nothing in it is executed.

The table is written as ``runs.parquet`` and ``runs.csv`` in DIR (atomically). At the
end of every ``-m`` sweep, :class:`CollectCallback` does this automatically.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from hydra.experimental.callback import Callback

from sim.outputs import SUMMARY, atomic_write

TABLE = "runs"
INCOMPLETE = "incomplete.txt"
OVERRIDES = Path(".hydra") / "overrides.yaml"


@dataclass
class Collected:
    """The finished runs as a table, and the runs that did not finish."""

    table: pd.DataFrame
    incomplete: list[Path] = field(default_factory=list)


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
        parsed[key.lstrip("+~")] = yaml.safe_load(value) if value else None
    return parsed


def read_run(directory: Path) -> dict[str, Any] | None:
    """The row of one run, or None if it did not finish."""
    summary_path = directory / SUMMARY
    if not summary_path.is_file():
        return None
    overrides = yaml.safe_load((directory / OVERRIDES).read_text()) or []
    summary = json.loads(summary_path.read_text())
    row: dict[str, Any] = {"run_dir": str(directory)}
    for key, value in parse_overrides(overrides).items():
        if key in summary and summary[key] == value:
            continue  # e.g. seed: the summary already says it
        row[key if key not in summary else f"override.{key}"] = value
    row.update(summary)
    return row


def collect(root: Path) -> Collected:
    """Read every run below ``root``; finished ones become rows."""
    rows, incomplete = [], []
    for directory in run_directories(root):
        row = read_run(directory)
        if row is None:
            incomplete.append(directory)
        else:
            rows.append(row)
    return Collected(pd.DataFrame(rows), incomplete)


def write(collected: Collected, root: Path) -> list[Path]:
    """``runs.parquet``, ``runs.csv`` and ``incomplete.txt`` in ``root``, atomically."""
    parquet, csv = root / f"{TABLE}.parquet", root / f"{TABLE}.csv"
    tmp = parquet.with_name(f".{parquet.name}.tmp")
    collected.table.to_parquet(tmp, index=False)
    tmp.replace(parquet)
    atomic_write(csv, lambda handle: collected.table.to_csv(handle, index=False))
    listing = "".join(f"{path}\n" for path in collected.incomplete)
    atomic_write(root / INCOMPLETE, lambda handle: handle.write(listing))
    return [parquet, csv, root / INCOMPLETE]


def collect_and_write(root: Path) -> Collected:
    collected = collect(root)
    write(collected, root)
    for path in collected.incomplete:
        print(f"supportsim.collect: incomplete (no {SUMMARY}): {path}", file=sys.stderr)
    print(
        f"supportsim.collect: {len(collected.table)} finished runs, "
        f"{len(collected.incomplete)} incomplete → {root / TABLE}.parquet, .csv",
        file=sys.stderr,
    )
    return collected


class CollectCallback(Callback):
    """Hydra callback: collect the sweep directory when a multirun ends.

    ``on_multirun_end`` receives no job results, so the table is built from the files the
    jobs wrote — the same code path as ``python -m sim.collect``.
    """

    def on_multirun_end(self, config: Any, **kwargs: Any) -> None:
        collect_and_write(Path(config.hydra.sweep.dir))


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
    collected = collect_and_write(args.directory)
    return 0 if len(collected.table) else 1


if __name__ == "__main__":
    sys.exit(main())
