"""Writing a report's files: ``report.md``, a self-contained ``report.html`` and, with
Chromium, ``report.pdf``, beside the sweep they describe; and the sweep's own settings
for it. Shared by the comparison report (``sim.app.report``) and a study's
(``sim.app.study_report``)."""

from __future__ import annotations

import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

from sim.analysis.report_parts import FIGURES, Report, to_html
from sim.app.figures import save_figure
from sim.app.files import atomic_write
from sim.app.pdf import print_to_pdf
from sim.app.reading import read_yaml
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


def write_files(root: Path, report: Report) -> list[Path]:
    """report.md, report.html (figures embedded) and, with Chromium, report.pdf."""
    images: dict[str, bytes] = {}
    for figure in report.figures:
        png, _ = save_figure(figure.figure, root / FIGURES / figure.name)
        images[png.relative_to(root).as_posix()] = png.read_bytes()
    html = to_html(report.markdown, images, report.title)
    atomic_write(root / REPORT_MD, lambda handle: handle.write(report.markdown))
    atomic_write(root / REPORT_HTML, lambda handle: handle.write(html))
    written = [root / REPORT_MD, root / REPORT_HTML]
    if print_to_pdf(root / REPORT_HTML, root / REPORT_PDF):
        written.append(root / REPORT_PDF)
    else:
        print(
            "supportsim.report: no report.pdf (needs Chromium: apt-get install chromium)",
            file=sys.stderr,
        )
    return written
