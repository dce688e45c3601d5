"""A comparison's page, from data alone: the answer in words, what was compared, a
table of outcomes with CIs over seeds, paired differences against the reference
configuration with the factor common random numbers bought, and the figures. The
sections only some sweeps get are in ``staffing_sections`` and ``output_section``; the
page is put together by ``page.assemble`` (``build.build_report`` chooses this page or a
study's).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from pathlib import PurePath
from typing import Any

import pandas as pd

from sim.analysis.metrics_registry import format_estimate, metric
from sim.analysis.plots import series, study
from sim.analysis.reporting.findings import comparison_sentences, rank, recommendation
from sim.analysis.reporting.output_section import output_analysis_lines
from sim.analysis.reporting.page import (
    Report,
    ReportFigure,
    Section,
    SweepData,
    assemble,
    markdown_table,
)
from sim.analysis.reporting.staffing_sections import plan_section, staffing_section
from sim.analysis.statistics.comparison import (
    Design,
    configurations,
    design,
    paired_comparisons,
    runs_of,
    summarise,
    typed,
)
from sim.analysis.theory import erlang_a, erlang_c
from sim.config.report import ReportConfig

ERLANG_METRICS = ["p_wait", "p_abandon", "mean_wait_min", "occupancy"]
ERLANG_X = "erlang.servers"


def _caveat_mark(metric_key: str, caveats: list[str]) -> str:
    """The metric's label, with a footnote number if it carries a caveat."""
    entry = metric(metric_key)
    if not entry.caveat:
        return entry.label
    if entry.caveat not in caveats:
        caveats.append(entry.caveat)
    return f"{entry.label} [{caveats.index(entry.caveat) + 1}]"


def _outcome_table(
    summary: pd.DataFrame, metrics: Sequence[str], currency: str, caveats: list[str]
) -> pd.DataFrame:
    """Configurations by outcome: labels, units and the CI's own precision."""
    cells = summary.assign(
        cell=[
            format_estimate(k, m, h, currency)
            for k, m, h in zip(summary["metric"], summary["mean"], summary["half_width"])
        ]
    )
    wide = cells.pivot(index="configuration", columns="metric", values="cell")
    order = list(dict.fromkeys(summary["configuration"]))
    shown = [m for m in metrics if m in wide.columns]
    wide = wide.reindex(index=order, columns=shown)
    n = summary.groupby("configuration", sort=False)["n"].max().reindex(order)
    wide = wide.rename(columns={m: _caveat_mark(m, caveats) for m in shown})
    return wide.assign(seeds=n.to_numpy()).reset_index()


def _paired_table(paired: pd.DataFrame, currency: str, caveats: list[str]) -> pd.DataFrame:
    keys = paired["metric"]
    return pd.DataFrame(
        {
            "configuration": paired["configuration"],
            "reference": paired["reference"],
            "outcome": [_caveat_mark(k, caveats) for k in keys],
            "paired difference (95% CI)": [
                format_estimate(k, d, h, currency, signed=True)
                for k, d, h in zip(keys, paired["difference"], paired["half_width"])
            ],
            "unpaired ± (95%)": [
                format_estimate(k, h, math.nan, currency, signed=True).lstrip("+")
                for k, h in zip(keys, paired["unpaired_half_width"])
            ],
            "CRN factor": [f"{f:.1f}×" if math.isfinite(f) else "–" for f in paired["crn_factor"]],
            "pairs": paired["n_pairs"],
        }
    )


def _erlang_theory(root_config: Mapping[str, Any]) -> Any:
    erlang = root_config.get("erlang") or {}
    rate = float(erlang.get("arrival_rate_per_hour", 100.0)) / 60.0
    mu = 1.0 / float(erlang.get("mean_service_min", 6.0))
    patience = erlang.get("mean_patience_min")

    def theory(servers: int) -> dict[str, float]:
        try:
            queue = (
                erlang_a(rate, mu, servers, 1.0 / float(patience))
                if patience
                else erlang_c(rate, mu, servers)
            )
        except ValueError:  # unstable M/M/n: no steady state to draw
            return {}
        return {m: getattr(queue, m) for m in ERLANG_METRICS}

    return theory


def _series_by_configuration(data: SweepData, design_: Design) -> dict[str, list[pd.DataFrame]]:
    runs: dict[str, list[pd.DataFrame]] = {}
    for configuration in configurations(data.table, design_.factors):
        frames = [
            data.series[run_dir]
            for run_dir in runs_of(data.table, configuration)["run_dir"]
            if run_dir in data.series
        ]
        if frames:
            runs[design_.label(configuration)] = frames
    return runs


def _comparison_figures(
    design_: Design, settings: ReportConfig, summary: pd.DataFrame, paired: pd.DataFrame
) -> list[ReportFigure]:
    figures = []
    if not paired.empty:
        figures.append(
            ReportFigure(
                "paired_differences",
                "Paired differences",
                "Each configuration minus its reference over the same seeds (dark: paired "
                "95% CI; faint: the unpaired interval of the same difference).",
                study.forest(paired, settings.metrics),
            )
        )
    if settings.x and settings.x in design_.factors:
        figures.append(
            ReportFigure(
                "outcomes_vs_x",
                f"Outcomes against {settings.x}",
                "Mean over seeds with 95% CI bands, one line per combination of the other factors.",
                study.outcomes_vs_x(summary, settings.x, design_.factors, settings.metrics[:4]),
            )
        )
    return figures


def _figures(
    data: SweepData,
    design_: Design,
    settings: ReportConfig,
    summary: pd.DataFrame,
    paired: pd.DataFrame,
) -> list[ReportFigure]:
    """Every figure the data supports, in the order the report shows them."""
    figures = _comparison_figures(design_, settings, summary, paired)
    has = set(summary["metric"])
    several = len(configurations(data.table, design_.factors)) > 1
    if {"cost_total", "churn_rate_annual"} <= has and several:
        figures.append(
            ReportFigure(
                "cost_churn_frontier",
                "Cost against churn",
                "Each configuration's total cost (wages, hiring, credits, outreach) against "
                "its churn; the red line joins the configurations no other beats on both.",
                study.frontier(summary),
            )
        )
    if design_.factors == [ERLANG_X]:
        theory = _erlang_theory(data.run_config)
        figures.append(
            ReportFigure(
                "erlang",
                "Simulation against Erlang",
                "Simulated means with 95% CIs over seeds against the exact M/M/n(+M) values.",
                study.erlang_curves(summary, ERLANG_X, theory, ERLANG_METRICS),
            )
        )
    if set(study.WAIT_METRICS) <= has:
        figures.append(
            ReportFigure(
                "wait_distribution",
                "Wait-time distribution",
                "Share of ended journeys that waited at most each time (all tiers and attempts).",
                study.wait_distribution(summary),
            )
        )
    runs = _series_by_configuration(data, design_)
    drawn = [c for c in settings.series if all(c in f for fs in runs.values() for f in fs)]
    if runs and drawn:  # series asked for that no run has: no figure, not a crash
        figures.append(
            ReportFigure(
                "daily_bands",
                "Day by day",
                "Daily values, mean over seeds with 95% bands (warm-up days included).",
                series.replication_bands(runs, drawn),
            )
        )
    return figures


def _what_was_compared(data: SweepData, design_: Design, reference: dict[str, Any]) -> list[str]:
    lines = ["## What was compared", ""]
    if design_.factors:
        for factor in design_.factors:
            values = list(dict.fromkeys(str(v) for v in data.table[factor]))
            lines.append(f"- **{factor}**: {', '.join(values)}")
    else:
        lines.append("- one configuration, replicated over seeds")
    for key, value in design_.constants.items():
        lines.append(f"- {key} = {value} (every run)")
    if reference:
        lines.append(
            "- reference: "
            + ", ".join(f"{k}={v}" for k, v in reference.items())
            + " (each configuration is compared with the one that differs only there)"
        )
    if data.incomplete or data.never_started:
        missing = len(data.incomplete) + len(data.never_started)
        lines += ["", f"**{missing} jobs of this sweep did not finish and are left out:**", ""]
        lines += [f"- started, no summary: `{path}`" for path in data.incomplete]
        lines += [f"- never started: `{' '.join(job)}`" for job in data.never_started]
    return lines


def _paired_section(
    paired: pd.DataFrame, level: str, currency: str, caveats: list[str]
) -> list[str]:
    if paired.empty:
        return []
    factors = paired["crn_factor"].replace([math.inf], math.nan).dropna()
    return [
        "",
        f"## Paired differences against the reference ({level} CI)",
        "",
        "Seed s of every configuration shares its arrivals, issues and patience (common "
        "random numbers), so differences are taken seed by seed. *CRN factor* is how many "
        "times narrower the paired interval is than the unpaired one"
        + (f" (median here {factors.median():.1f}×)." if len(factors) else "."),
        "",
        markdown_table(_paired_table(paired, currency, caveats)),
    ]


def _summary_section(
    data: SweepData, design_: Design, settings: ReportConfig, paired: pd.DataFrame
) -> list[str]:
    """The answer in words first: what each comparison found, then what to choose."""
    level = f"{settings.level:.0%}"
    lines = ["## Summary", ""]
    days = data.table["days_measured"].max() if "days_measured" in data.table else None
    seeds = data.table["seed"].nunique()
    span = f"over {days:,.0f} measured days" if days == days and days else "over the run"
    lines.append(f"Means {span}, {seeds} seeds per configuration at most.")
    lines.append("")
    if not paired.empty:
        sentences = comparison_sentences(paired, settings.metrics, settings.currency, level)
        lines += [f"- {sentence}" for sentence in sentences]
        lines.append("")
    ranking = rank(data.table, design_, settings.objective, settings.level)
    lines.append(recommendation(ranking, settings.objective, settings.currency, settings.level))
    return lines


def _notes(caveats: list[str]) -> list[str]:
    lines = []
    for number, caveat in enumerate(caveats, 1):
        lines += [f"[{number}] {caveat[0].upper()}{caveat[1:]}.", ""]
    lines.append(
        "Each outcome is defined in `docs/metrics.md`; labels and units come from "
        "`sim/analysis/metrics_registry.py`."
    )
    return lines


def comparison_report(data: SweepData, settings: ReportConfig) -> Report:
    """A comparison's page: the answer in words, what was compared, outcomes, paired
    differences, the sections only some sweeps get, and the figures
    (referenced as ``FIGURES/<name>.png``)."""
    table = data.table
    design_ = design(table, data.override_columns)
    metrics = [m for m in settings.metrics if m in table and table[m].notna().any()]
    settings = dataclasses.replace(settings, metrics=metrics)
    extra = [m for m in [*study.WAIT_METRICS, *ERLANG_METRICS] if m in table and m not in metrics]
    summary = summarise(table, design_, [*metrics, *extra], settings.level)
    reference = {k: typed(v) for k, v in settings.reference.items()}
    paired = (
        paired_comparisons(table, design_, reference, metrics, settings.level)
        if reference
        else pd.DataFrame()
    )
    name = settings.title or data.config.get("name") or PurePath(data.location).name
    level = f"{settings.level:.0%}"
    caveats: list[str] = []
    staffing = staffing_section(data, design_, settings)
    opening = _summary_section(data, design_, settings, paired)
    opening += ["", staffing.sentence] if staffing and staffing.sentence else []
    outcomes = [f"## Outcomes (mean ± {level} CI half-width over seeds)", ""]
    outcomes += [markdown_table(_outcome_table(summary, metrics, settings.currency, caveats)), ""]
    outcomes += _paired_section(paired, level, settings.currency, caveats)
    runs = [frame.to_dict("list") for frame in data.series.values()]
    plan = plan_section(data, design_)
    sections = [
        Section([*opening, "", *_what_was_compared(data, design_, reference), ""]),
        Section(outcomes, _figures(data, design_, settings, summary, paired)),
        Section(staffing.lines, [staffing.figure]) if staffing else Section([]),
        Section(plan.lines, [plan.figure]) if plan else Section([]),
        Section(output_analysis_lines(runs, data.run_config, data.table, design_, settings)),
        Section(["", *_notes(caveats)]),
    ]
    return assemble(f"supportsim report: {name}", sections, data)
