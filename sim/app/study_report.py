"""A design sweep's results: ``sensitivity.csv``, ``robustness.csv`` and the report.

Run at the end of a design sweep (``sim.app.callbacks.CollectCallback``) and by
``python -m sim.report DIR`` on one; everything is read from the sweep directory.
"""

from __future__ import annotations

from pathlib import Path

from sim.analysis.robustness import robustness_table
from sim.analysis.study_report import build_study_report, tidy_indices
from sim.analysis.study_results import analyse
from sim.app.collect import Collected
from sim.app.design_sweep import read_study, study_rows
from sim.app.files import atomic_write
from sim.app.report_files import settings_from, sweep_config, write_files

SENSITIVITY_CSV, ROBUSTNESS_CSV = "sensitivity.csv", "robustness.csv"


def write_study_results(root: Path, collected: Collected, report: bool = True) -> list[Path]:
    """The indices and robustness tables, and (``report``) report.md/.html/.pdf."""
    study = read_study(root)
    if study is None:
        raise ValueError(f"{root} holds no design.json: not a design sweep")
    rows = study_rows(study, collected)
    if rows.empty:
        raise ValueError(f"no finished runs in {root}: nothing to analyse")
    results = analyse(study, rows)
    written = []
    for name, frame in [
        (SENSITIVITY_CSV, tidy_indices(results)),
        (ROBUSTNESS_CSV, robustness_table(results.robust)),
    ]:
        if not frame.empty:
            atomic_write(root / name, lambda h, f=frame: f.to_csv(h, index=False))
            written.append(root / name)
    if report:
        config = sweep_config(root)
        settings = settings_from(config.get("report"))
        built = build_study_report(
            study, results, rows, config, str(root), settings.currency, settings.title
        )
        written += write_files(root, built)
    return written
