"""``python -m sim.report DIR``: a sweep directory → its report, beside it.

Also run at the end of every sweep that asks for a report (``sim.app.callbacks``). The one
road for every kind of sweep: the finished runs are collected into a table, read with
what the page needs (series, plans, one run's config, a design sweep's study) into a
``SweepData``, turned into a page by ``sim.analysis.reporting.build``, and written here —
``report.md``, a self-contained ``report.html``, ``report.pdf`` with Chromium, the
figures, and any tidy tables the page came with (a study's ``sensitivity.csv`` and
``robustness.csv``). Everything is read from the directory's files (YAML safe loader,
JSON, CSV, Parquet); nothing in it is executed, and everything written stays inside it,
atomically.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

import pandas as pd

from sim.analysis.reporting.build import build_report
from sim.analysis.reporting.page import FIGURES, Report, SweepData, to_html
from sim.app.collect import Collected, collect_and_write, parse_overrides
from sim.app.design_sweep import read_study, study_rows
from sim.app.figures import discard_figure, save_figure
from sim.app.files import atomic_write
from sim.app.outputs import PROVENANCE, STAFFING_PLAN, TIMESERIES
from sim.app.pdf import print_to_pdf
from sim.app.reading import read_json, read_yaml
from sim.config import validate
from sim.config.report import ReportConfig

REPORT_MD, REPORT_HTML, REPORT_PDF = "report.md", "report.html", "report.pdf"


def settings_from(section: dict[str, Any] | None) -> ReportConfig:
    """The ``report`` section of a sweep's config, validated by its schema."""
    known = {f.name for f in fields(ReportConfig)}
    settings = ReportConfig(**{k: v for k, v in (section or {}).items() if k in known})
    validate(settings, "report")
    return settings


def sweep_config(root: Path) -> dict[str, Any]:
    """The sweep's composed config (Hydra writes ``multirun.yaml``), or {}."""
    path = root / "multirun.yaml"
    return (read_yaml(path) or {}) if path.is_file() else {}


def gather(root: Path, collected: Collected) -> SweepData:
    """Read what the report needs: the table, each run's series and plan, one run's
    config and versions, and a design sweep's study with its runs tagged by point."""
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
    study = read_study(root)
    return SweepData(
        table=study_rows(study, collected) if study is not None else table,
        override_columns=collected.override_columns,
        config=sweep_config(root),
        location=str(root),
        incomplete=[str(path) for path in collected.incomplete],
        never_started=collected.never_started,
        series=series,
        plans=plans,
        run_config=read_yaml(config_path) if config_path.is_file() else {},
        versions=read_json(provenance).get("versions", {}) if provenance.is_file() else {},
        study=study,
    )


def write_files(root: Path, report: Report, page: bool = True) -> list[Path]:
    """The report's tables; with ``page``, report.md, report.html (figures embedded) and,
    with Chromium, report.pdf."""
    written = []
    for name, frame in report.tables.items():
        atomic_write(root / name, lambda handle, f=frame: f.to_csv(handle, index=False))
        written.append(root / name)
    if not page:
        for figure in report.figures:
            discard_figure(figure.figure)
        return written
    images: dict[str, bytes] = {}
    for figure in report.figures:
        png, _ = save_figure(figure.figure, root / FIGURES / figure.name)
        images[png.relative_to(root).as_posix()] = png.read_bytes()
    html = to_html(report.markdown, images, report.title)
    atomic_write(root / REPORT_MD, lambda handle: handle.write(report.markdown))
    atomic_write(root / REPORT_HTML, lambda handle: handle.write(html))
    written += [root / REPORT_MD, root / REPORT_HTML]
    if print_to_pdf(root / REPORT_HTML, root / REPORT_PDF):
        written.append(root / REPORT_PDF)
    else:
        print(
            "supportsim.report: no report.pdf (needs Chromium: apt-get install chromium)",
            file=sys.stderr,
        )
    return written


def write_report(
    root: Path,
    settings: ReportConfig | None = None,
    collected: Collected | None = None,
    page: bool = True,
) -> list[Path]:
    """Collect ``root`` (unless given), build its report and write it; without ``page``
    only the tables a study makes (a plain sweep's table is ``collect``'s)."""
    if settings is None:
        settings = settings_from(sweep_config(root).get("report"))
    if collected is None:
        collected = collect_and_write(root)
    if collected.table.empty:
        raise ValueError(f"no finished runs in {root}: nothing to report")
    data = gather(root, collected)
    if data.study is None and not page:
        return []
    return write_files(root, build_report(data, settings), page)


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


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    if not args.directory.is_dir():
        return _error(f"{args.directory} is not a directory")
    changes: dict[str, Any] = {}
    if args.reference is not None:
        changes["reference"] = parse_overrides(args.reference)
    if args.metrics:
        changes["metrics"] = args.metrics
    if args.x:
        changes["x"] = args.x
    try:
        settings = settings_from(sweep_config(args.directory).get("report"))
        settings = dataclasses.replace(settings, **changes)
        validate(settings, "report")
        paths = write_report(args.directory, settings)
    except ValueError as error:  # UnreadableResultError and ConfigError included
        return _error(error)
    for path in paths:
        if path.suffix in (".csv", ".html", ".pdf"):
            print(f"supportsim.report: {path}", file=sys.stderr)
    return 0
