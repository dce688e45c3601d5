"""The one road from a sweep's runs to its report: the data gathered from the sweep
(``page.SweepData``) in, one ``page.Report`` out — a study's page when the sweep was a
design over the uncertain parameters, a comparison's otherwise. The application writes
what comes out (``sim.app.report``)."""

from __future__ import annotations

from sim.analysis.reporting.comparison_report import comparison_report
from sim.analysis.reporting.page import Report, SweepData
from sim.config.report import ReportConfig


def build_report(data: SweepData, settings: ReportConfig) -> Report:
    """The page (and tables) a sweep's runs make."""
    if data.study is not None:
        from sim.analysis.reporting.study_report import study_report  # SALib: studies only

        return study_report(data, settings)
    return comparison_report(data, settings)
