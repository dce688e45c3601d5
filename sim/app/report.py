"""``python -m sim.report DIR``: a sweep directory → ``report.md`` and ``report.html``.

Also run automatically at the end of an ``experiment=`` sweep. Everything is read from the
directory's files (YAML safe loader, JSON, CSV, Parquet); nothing in it is executed, and
everything written stays inside it, atomically. What the report says is decided in
``sim.analysis.report`` from the data gathered here.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.report import SweepData, build_report
from sim.app.collect import Collected, collect_and_write, parse_overrides
from sim.app.outputs import PROVENANCE, STAFFING_PLAN, TIMESERIES
from sim.app.reading import UnreadableResultError, read_json, read_yaml
from sim.app.report_files import settings_from, sweep_config, write_files
from sim.app.sweep import STUDY_FILE
from sim.config import validate
from sim.config.report import ReportConfig


def gather(root: Path, collected: Collected, settings: ReportConfig) -> SweepData:
    """Read what the report needs: the table, each run's series, one run's config."""
    table = collected.table
    series, plans = {}, {}
    for run_dir in table["run_dir"]:
        path, plan = Path(run_dir) / TIMESERIES, Path(run_dir) / STAFFING_PLAN
        if path.is_file():
            series[run_dir] = pd.read_csv(path)
        if plan.is_file():
            plans[run_dir] = pd.read_csv(plan)
    first = Path(table["run_dir"].iloc[0])
    job = first if (first / ".hydra").is_dir() else first.parent  # a seed of a batched job
    config_path, provenance = job / ".hydra" / "config.yaml", first / PROVENANCE
    return SweepData(
        table=table,
        override_columns=collected.override_columns,
        config=sweep_config(root),
        location=str(root),
        incomplete=[str(path) for path in collected.incomplete],
        never_started=collected.never_started,
        series=series,
        plans=plans,
        run_config=read_yaml(config_path) if config_path.is_file() else {},
        versions=read_json(provenance).get("versions", {}) if provenance.is_file() else {},
    )


def write_report(
    root: Path, settings: ReportConfig | None = None, collected: Collected | None = None
) -> list[Path]:
    """Write ``report.md`` and ``report.html`` (and the figures) into ``root``."""
    if settings is None:
        settings = settings_from(sweep_config(root).get("report"))
    if collected is None:
        collected = collect_and_write(root)
    if collected.table.empty:
        raise ValueError(f"no finished runs in {root}: nothing to report")
    return write_files(root, build_report(gather(root, collected, settings), settings))


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m sim.report",
        description="Write report.md and a self-contained report.html for a sweep directory.",
    )
    parser.add_argument("directory", type=Path, help="a Hydra multirun (sweep) directory")
    parser.add_argument(
        "--reference", nargs="*", default=None, metavar="KEY=VALUE",
        help="the reference, e.g. policy=baseline (default: the sweep's report.reference)",
    )  # fmt: skip
    parser.add_argument("--metrics", nargs="+", default=None, help="summary keys to compare")
    parser.add_argument("--x", default=None, help="a swept key to draw outcomes against")
    return parser.parse_args(argv)


def _error(message: object) -> int:
    print(f"supportsim.report: error: {message}", file=sys.stderr)
    return 2


def _study_report(root: Path) -> int:
    from sim.app.study_report import write_study_results  # SALib: only for studies

    try:
        paths = write_study_results(root, collect_and_write(root))
    except ValueError as error:
        return _error(error)
    for path in paths:
        if path.suffix in (".html", ".pdf"):
            print(f"supportsim.report: {path}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if not args.directory.is_dir():
        return _error(f"{args.directory} is not a directory")
    if (args.directory / STUDY_FILE).is_file():  # a study over the uncertain parameters
        return _study_report(args.directory)
    try:
        settings = settings_from(sweep_config(args.directory).get("report"))
    except UnreadableResultError as error:
        return _error(error)
    changes: dict[str, Any] = {}
    if args.reference is not None:
        changes["reference"] = parse_overrides(args.reference)
    if args.metrics:
        changes["metrics"] = args.metrics
    if args.x:
        changes["x"] = args.x
    try:
        settings = dataclasses.replace(settings, **changes)
        validate(settings, "report")
        paths = write_report(args.directory, settings)
    except ValueError as error:  # UnreadableResultError and ConfigError included
        return _error(error)
    for path in paths[1:]:  # report.html, and report.pdf when printed
        print(f"supportsim.report: {path}", file=sys.stderr)
    return 0
