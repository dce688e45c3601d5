"""A sweep's results → the report: Markdown text and its figures, from data alone.

What was compared, a table of outcomes with CIs over seeds, paired differences against
the reference configuration with the factor common random numbers bought, the figures,
and where the numbers came from. This module reads and writes no file: the application
(``sim.app.report``) gathers a :class:`SweepData` from a sweep directory and writes what
:func:`build_report` returns; :func:`to_html` makes one self-contained page of it.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import math
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import markdown
import pandas as pd

from sim.analysis.comparison import (
    Design,
    configurations,
    design,
    paired_comparisons,
    runs_of,
    summarise,
    typed,
)
from sim.analysis.findings import comparison_sentences, rank, recommendation
from sim.analysis.metrics_registry import format_estimate, metric
from sim.analysis.output_section import output_analysis_lines
from sim.analysis.plan_view import interval_service, plan_sentence
from sim.analysis.plots import series, study
from sim.analysis.plots.plan import plan_figure
from sim.analysis.staffing_view import (
    cheapest_as_good,
    cost_key,
    outcome_keys,
    staffing_sentence,
    staffing_table,
    varies_staffing,
)
from sim.analysis.theory import erlang_a, erlang_c
from sim.config.report import ReportConfig

FIGURES = "report_figures"  # the figures' folder, relative to the report
ERLANG_METRICS = ["p_wait", "p_abandon", "mean_wait_min", "occupancy"]
ERLANG_X = "erlang.servers"


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


def _provenance(data: SweepData) -> list[str]:
    task = ((data.config.get("hydra") or {}).get("overrides") or {}).get("task") or []
    seeds = sorted(int(s) for s in data.table["seed"].unique())
    return [
        f"- command: `python -m sim -m {' '.join(task)}`" if task else "- command: unknown",
        f"- sweep directory: `{data.location}`",
        f"- seeds: {', '.join(map(str, seeds))} ({len(seeds)} per configuration at most)",
        f"- runs finished: {len(data.table)}",
        "- versions: " + ", ".join(f"{k} {v}" for k, v in data.versions.items() if v),
        f"- report written: {time.strftime('%Y-%m-%d %H:%M:%S %z')}",
    ]


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


@dataclass
class StaffingView:
    """The staffing section, its figure and its sentence for the summary."""

    lines: list[str]
    figure: ReportFigure
    sentence: str


def _staffing_view(data: SweepData, design_: Design, settings: ReportConfig) -> StaffingView | None:
    """Cost against what it buys, when the sweep varied staffing."""
    cost = cost_key(data.table)
    outcomes = outcome_keys(data.table)
    if not varies_staffing(design_) or cost is None or not outcomes:
        return None
    summary = summarise(data.table, design_, [cost, *outcomes], settings.level)
    level = f"{settings.level:.0%}"
    objective = settings.objective if settings.objective in outcomes else outcomes[-1]
    found = cheapest_as_good(data.table, design_, objective, cost, settings.level)
    sentence = staffing_sentence(found, objective, cost, settings.currency, settings.level)
    lines = [
        "",
        "## Staffing: what each configuration buys for its cost",
        "",
        f"Mean ± {level} CI half-width over seeds. *Efficient on* names the outcomes on "
        "which no other configuration is both cheaper and better; the others cost more "
        "for less. Numbers match the points of the staffing figure.",
        "",
        markdown_table(staffing_table(summary, cost, settings.currency)),
    ]
    lines += ["", sentence] if sentence else []
    figure = ReportFigure(
        "staffing",
        "Staffing: cost against service, churn and value",
        "Each configuration's cost against each outcome (95% CIs both ways), numbered as "
        "in the staffing table; the red line joins the efficient configurations.",
        study.staffing_view(summary, cost, outcomes),
    )
    return StaffingView(lines, figure, sentence)


@dataclass
class PlanSection:
    lines: list[str]
    figure: ReportFigure


def _plan_view(data: SweepData, design_: Design) -> PlanSection | None:
    """Requirement against schedule and the service per interval, for the first
    configuration whose runs were staffed from the forecast."""
    for configuration in configurations(data.table, design_.factors):
        run_dirs = runs_of(data.table, configuration)["run_dir"]
        plans = [data.plans[run_dir] for run_dir in run_dirs if run_dir in data.plans]
        if plans:
            break
    else:
        return None
    goals = data.run_config.get("staffing", {}).get("plan", {}).get("goals", {})
    views = interval_service(plans, {pool: goals.get(pool, 0.8) for pool in ("phone", "chat")})
    if not views:
        return None
    paid = float(plans[0]["scheduled_agents"].sum())
    which = design_.label(configuration)
    lines = [
        "",
        f"## Staffing planned from the forecast ({which})",
        "",
        plan_sentence(views, paid, len(plans)),
        "",
        "Required: the agents Erlang A says each hour needs available for its goal, on the "
        "pilot's forecast; scheduled: the shifts chosen to cover them after shrinkage. "
        "Each run's `staffing_plan.csv` holds the plan per interval.",
    ]
    figure = ReportFigure(
        "plan",
        "Staffing planned from the forecast, per hour of the week",
        f"{which}: agents required and scheduled (top) and the share answered in time each "
        "hour got in the simulation, all runs pooled, against the goal (bottom).",
        plan_figure(views),
    )
    return PlanSection(lines, figure)


def _notes(caveats: list[str]) -> list[str]:
    lines = []
    for number, caveat in enumerate(caveats, 1):
        lines += [f"[{number}] {caveat[0].upper()}{caveat[1:]}.", ""]
    lines.append(
        "Each outcome is defined in `docs/metrics.md`; labels and units come from "
        "`sim/analysis/metrics_registry.py`."
    )
    return lines


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


def build_report(data: SweepData, settings: ReportConfig) -> Report:
    """The report's Markdown and its figures (referenced as ``FIGURES/<name>.png``)."""
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
    title = f"supportsim report: {name}"
    level = f"{settings.level:.0%}"
    caveats: list[str] = []
    staffing = _staffing_view(data, design_, settings)
    lines = [f"# {title}", "", *_summary_section(data, design_, settings, paired)]
    lines += ["", staffing.sentence] if staffing and staffing.sentence else []
    lines += ["", *_what_was_compared(data, design_, reference)]
    lines += ["", f"## Outcomes (mean ± {level} CI half-width over seeds)", ""]
    lines += [markdown_table(_outcome_table(summary, metrics, settings.currency, caveats)), ""]
    lines += _paired_section(paired, level, settings.currency, caveats)
    lines += staffing.lines if staffing else []
    plan = _plan_view(data, design_)
    lines += plan.lines if plan else []
    runs = [frame.to_dict("list") for frame in data.series.values()]
    lines += output_analysis_lines(runs, data.run_config, data.table, design_, settings)
    lines += ["", *_notes(caveats)]
    figures = _figures(data, design_, settings, summary, paired)
    figures += [staffing.figure] if staffing else []
    figures += [plan.figure] if plan else []
    lines += figure_section(figures)
    lines += ["## Provenance", "", *_provenance(data), ""]
    return Report(title, "\n".join(lines), figures)


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
