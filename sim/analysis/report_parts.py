"""The report's records and how they render: the data a report is made from, its
figures, its Markdown tables and figure list, and one self-contained HTML page of it —
shared by the sweep report (``sim.analysis.report``) and the study report
(``sim.analysis.study_report``). Reads and writes no file.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import markdown
import pandas as pd

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


@dataclass
class ReportFigure:
    """One figure of the report: file stem (in ``FIGURES``), title, caption, the figure."""

    name: str
    title: str
    caption: str
    figure: Any


@dataclass
class Report:
    title: str
    markdown: str
    figures: list[ReportFigure]


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
