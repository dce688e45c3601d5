"""The report's records and how they render: the data a report is made from, its
sections and figures, the page assembled from them (title, sections, figures,
provenance), its Markdown tables and one self-contained HTML page of it — the same for a
comparison (``sim.analysis.reporting.comparison_report``) and a study
(``sim.analysis.reporting.study_report``). Reads and writes no file.
"""

from __future__ import annotations

import base64
import html
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import markdown
import pandas as pd

if TYPE_CHECKING:
    from sim.analysis.uncertainty.study import Study

FIGURES = "report_figures"  # the figures' folder, relative to the report


@dataclass
class SweepData:
    """Everything a report is made from, read from a sweep directory by the application."""

    table: pd.DataFrame  # one row per finished run (``runs.parquet``)
    override_columns: list[str]  # the swept keys, in order
    config: dict[str, Any] = field(default_factory=dict)  # the sweep's composed config
    location: str = ""  # where the sweep is (shown in the provenance)
    incomplete: list[str] = field(default_factory=list)  # runs started, never finished
    never_started: list[list[str]] = field(default_factory=list)  # jobs with no directory
    series: dict[str, pd.DataFrame] = field(default_factory=dict)  # run dir → time series
    run_config: dict[str, Any] = field(default_factory=dict)  # the first run's config
    versions: dict[str, Any] = field(default_factory=dict)  # package versions of a run
    plans: dict[str, pd.DataFrame] = field(default_factory=dict)  # run dir → staffing plan
    # A design sweep's study (design.json); its runs' rows then carry stage, point and arm.
    study: Study | None = None


@dataclass
class ReportFigure:
    """One figure of the report: file stem (in ``FIGURES``), title, caption, the figure."""

    name: str
    title: str
    caption: str
    figure: Any


@dataclass
class Section:
    """A part of the page: its Markdown lines and the figures it drew (shown, in order,
    under Figures at the end of the page)."""

    lines: list[str]
    figures: list[ReportFigure] = field(default_factory=list)


@dataclass
class Report:
    """One page (Markdown and its figures) and the tidy tables written beside it."""

    title: str
    markdown: str
    figures: list[ReportFigure]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # file name → table


def provenance(data: SweepData) -> list[str]:
    """Where the numbers came from: the command, the directory, seeds, runs, versions."""
    task = ((data.config.get("hydra") or {}).get("overrides") or {}).get("task") or []
    seeds = sorted(int(s) for s in data.table["seed"].unique()) if "seed" in data.table else []
    runs = data.table["run_dir"].nunique() if "run_dir" in data.table else len(data.table)
    lines = [
        f"- command: `python -m sim -m {' '.join(task)}`" if task else "- command: unknown",
        f"- sweep directory: `{data.location}`",
        f"- seeds: {', '.join(map(str, seeds))} ({len(seeds)} per configuration at most)",
        f"- runs finished: {runs}",
    ]
    if data.versions:
        lines.append("- versions: " + ", ".join(f"{k} {v}" for k, v in data.versions.items() if v))
    return [*lines, f"- report written: {time.strftime('%Y-%m-%d %H:%M:%S %z')}"]


def assemble(
    title: str,
    sections: Sequence[Section],
    data: SweepData,
    tables: Mapping[str, pd.DataFrame] | None = None,
) -> Report:
    """The page: its title, each section in turn, every figure they drew, the provenance."""
    lines = [f"# {title}", ""]
    figures: list[ReportFigure] = []
    for section in sections:
        lines += section.lines
        figures += section.figures
    lines += figure_section(figures)
    lines += ["## Provenance", "", *provenance(data), ""]
    return Report(title, "\n".join(lines), figures, dict(tables or {}))


def markdown_table(frame: pd.DataFrame) -> str:
    return frame.to_markdown(index=False, disable_numparse=True)


def figure_section(figures: list[ReportFigure]) -> list[str]:
    lines = ["", "## Figures", ""]
    for figure in figures:
        png, pdf = f"{FIGURES}/{figure.name}.png", f"{FIGURES}/{figure.name}.pdf"
        lines += [
            f"### {figure.title}",
            "",
            f"![{figure.title}]({png})",
            "",
            f"{figure.caption} (PDF: `{pdf}`)",
            "",
        ]
    return lines


IMAGE = re.compile(r'<img alt="([^"]*)" src="([^"]+\.png)"')
CSS = """body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;
color:#222}table{border-collapse:collapse;font-size:12px;margin:1em 0;display:block;
overflow-x:auto;max-width:100%}th,td{border:1px solid
#ccc;padding:3px 6px;text-align:right}th{background:#f3f3f3}td:first-child{text-align:left}
img{max-width:100%;height:auto}code{font-size:90%}"""


def to_html(markdown_text: str, images: Mapping[str, bytes], title: str) -> str:
    """Self-contained HTML: every PNG the Markdown references embedded as a data URI
    (``images`` maps each referenced path to its bytes)."""
    body = markdown.markdown(markdown_text, extensions=["tables"])

    def embed(match: re.Match[str]) -> str:
        data = base64.b64encode(images[match.group(2)]).decode("ascii")
        return f'<img alt="{match.group(1)}" src="data:image/png;base64,{data}"'

    body = IMAGE.sub(embed, body)
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head>\n"
        f"<body>\n{body}\n</body></html>\n"
    )
