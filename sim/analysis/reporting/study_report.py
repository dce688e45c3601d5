"""A study's page: which uncertain parameters decide the outcomes, and in how many
plausible worlds each conclusion holds — the answer in words first, then the tables and
figures behind it — and the tidy tables of indices and robustness written beside it.
Reads and writes no file; ``page.assemble`` puts the page together."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from sim.analysis.metrics_registry import format_difference, format_half_width, metric, signed
from sim.analysis.plots.sensitivity import (
    morris_figure,
    outcome_key,
    robustness_figure,
    sobol_figure,
)
from sim.analysis.reporting.page import (
    Report,
    ReportFigure,
    Section,
    SweepData,
    assemble,
    markdown_table,
)
from sim.analysis.uncertainty.parameters import PARAMETERS
from sim.analysis.uncertainty.results import StudyResults, analyse
from sim.analysis.uncertainty.robustness import Robustness, robustness_table
from sim.analysis.uncertainty.study import Study
from sim.config.report import ReportConfig

SENSITIVITY_CSV, ROBUSTNESS_CSV = "sensitivity.csv", "robustness.csv"
SHOWN = 12  # parameters per outcome in the Morris table
QUARTERS = (0.05, 0.5, 0.95)  # the effect's quantiles a table shows


def parameter_label(key: str) -> str:
    """``customers.experience.silent_weight`` → ``silent weight (experience)``."""
    parts = key.split(".")
    name = parts[-1].replace("_", " ")
    section = parts[-2].replace("_", " ") if len(parts) > 1 else ""
    return f"{name} ({section})" if section else name


def outcome_label(outcome: str) -> str:
    """A summary key's label, or a contrast's: ``net value: outreach − silence``."""
    key, _, arms = outcome.partition(":")
    label = metric(key).label
    return f"{label}: {arms.strip()}" if arms else label


def _range(key: str) -> str:
    entry = next((p for p in PARAMETERS if p.key == key), None)
    if entry is None:
        return ""
    scale = "log" if entry.log else "lin"
    return f"{entry.low:g}–{entry.high:g} ({scale})"


def _value(outcome: str, value: float, currency: str) -> str:
    """A size of change in the outcome's units (points of a share, money, …)."""
    return format_half_width(outcome_key(outcome), value, currency)


def morris_sentences(morris: pd.DataFrame, currency: str) -> list[str]:
    """Per outcome: the three parameters that move it most, with μ*."""
    lines = []
    for outcome, rows in morris.groupby("outcome", sort=False):
        top = rows.nlargest(3, "mu_star")
        named = ", ".join(
            f"{parameter_label(r.parameter)} ({_value(outcome, r.mu_star, currency)})"
            for r in top.itertuples()
        )
        lines.append(
            f"- **{outcome_label(outcome)}** moves most with {named} — the mean change "
            "as each crosses its plausible range (Morris μ*)."
        )
    return lines


def sobol_sentences(sobol: pd.DataFrame) -> list[str]:
    """Per outcome: the parameter with the largest total index, alone and with interactions."""
    lines = []
    for outcome, rows in sobol.groupby("outcome", sort=False):
        r = rows.nlargest(1, "ST").iloc[0]
        lines.append(
            f"- **{outcome_label(outcome)}**: {parameter_label(r.parameter)} explains "
            f"{r.S1:.0%} of its variance alone (95% CI {r.S1 - r.S1_conf:.0%} to "
            f"{r.S1 + r.S1_conf:.0%}) and {r.ST:.0%} with its interactions "
            f"(95% CI {r.ST - r.ST_conf:.0%} to {r.ST + r.ST_conf:.0%})."
        )
    return lines


def robustness_sentence(result: Robustness, currency: str) -> str:
    """ "Net value: outreach − silence is higher in 87 % of 32 plausible worlds …"."""
    key = outcome_key(result.name)
    q = result.quantiles
    sentence = (
        f"- **{outcome_label(result.name)}** is {result.expect} in "
        f"{result.holds_share:.0%} of {result.worlds} plausible worlds (95% CI "
        f"{result.holds_low:.0%} to {result.holds_high:.0%}); median effect "
        f"{format_difference(key, q[0.5], currency)}, 90% of worlds between "
        f"{format_difference(key, q[0.05], currency)} and "
        f"{format_difference(key, q[0.95], currency)}."
    )
    if result.split is not None:
        name, median, below, above = result.split
        weaker, side = ("below", below) if below < above else ("above", above)
        sentence += (
            f" It fails mostly where {parameter_label(name)} is {weaker} {median:.3g}: "
            f"there it holds in {side:.0%} of worlds, on the other side in "
            f"{max(below, above):.0%}."
        )
    return sentence


def _morris_table(morris: pd.DataFrame, currency: str) -> list[str]:
    lines = []
    for outcome, rows in morris.groupby("outcome", sort=False):
        top = rows.nlargest(SHOWN, "mu_star")
        frame = pd.DataFrame(
            {
                "parameter": [parameter_label(p) for p in top["parameter"]],
                "plausible range": [_range(p) for p in top["parameter"]],
                "μ* (95% CI ±)": [
                    f"{_value(outcome, m, currency)} ± {_value(outcome, c, currency)}"
                    for m, c in zip(top["mu_star"], top["mu_star_conf"])
                ],
                "σ": [_value(outcome, s, currency) for s in top["sigma"]],
                "μ (signed)": [
                    format_difference(outcome_key(outcome), m, currency) for m in top["mu"]
                ],
            }
        )
        lines += [f"### {outcome_label(outcome)}", "", markdown_table(frame), ""]
    return lines


def _sobol_table(sobol: pd.DataFrame) -> list[str]:
    lines = []
    for outcome, rows in sobol.groupby("outcome", sort=False):
        rows = rows.sort_values("ST", ascending=False)
        frame = pd.DataFrame(
            {
                "parameter": [parameter_label(p) for p in rows["parameter"]],
                "first order (95% CI)": [
                    f"{s:.0%} ({s - c:.0%} to {s + c:.0%})"
                    for s, c in zip(rows["S1"], rows["S1_conf"])
                ],
                "total (95% CI)": [
                    f"{s:.0%} ({s - c:.0%} to {s + c:.0%})"
                    for s, c in zip(rows["ST"], rows["ST_conf"])
                ],
            }
        )
        lines += [f"### {outcome_label(outcome)}", "", markdown_table(frame), ""]
    return lines


def _robustness_table(results: list[Robustness], currency: str) -> str:
    rows = []
    for r in results:
        key = outcome_key(r.name)
        low, median, high = (format_difference(key, r.quantiles[q], currency) for q in QUARTERS)
        driver, rho = r.drivers["parameter"].iloc[0], r.drivers["rho"].iloc[0]
        rows.append(
            {
                "conclusion": f"{outcome_label(r.name)} is {r.expect}",
                "holds in (95% CI)": f"{r.holds_share:.0%} ({r.holds_low:.0%}–{r.holds_high:.0%})",
                "worlds": r.worlds,
                "median effect": median,
                "5th–95th percentile": f"{low} to {high}",
                "depends most on (Spearman ρ)": f"{parameter_label(driver)} ({signed(rho)})",
            }
        )
    return markdown_table(pd.DataFrame(rows))


def _what_was_run(study: Study, table: pd.DataFrame, config: Mapping[str, Any]) -> list[str]:
    s = study.settings
    seeds = sorted(int(x) for x in table["seed"].unique()) if "seed" in table else []
    lines = ["## What was run", ""]
    for stage in study.stages:
        lines.append(
            f"- {stage.kind} design: {len(stage.unit)} points over {len(stage.parameters)} "
            "uncertain parameters (docs/calibration.md, the registry's plausible ranges)"
        )
    arms = ", ".join(f"**{name}** ({' '.join(o) or 'as configured'})" for name, o in s.arms)
    lines.append(f"- arms, each at every point: {arms}" if arms else "- one arm")
    lines.append(f"- seeds at every point (common random numbers): {', '.join(map(str, seeds))}")
    lines.append(f"- scenario: {config.get('name', '?')}, {config.get('horizon_days', '?')} days")
    lines.append(f"- runs finished: {len(table)}")
    return lines


def study_report(data: SweepData, settings: ReportConfig) -> Report:
    """A design sweep's page, and its tidy tables (``sensitivity.csv``, ``robustness.csv``)
    from the runs' rows (``data.table`` tagged with stage, point and arm)."""
    study, table, currency = data.study, data.table, settings.currency
    if study is None:
        raise ValueError(f"{data.location} holds no design.json: not a design sweep")
    if table.empty:
        raise ValueError(f"no finished runs in {data.location}: nothing to analyse")
    results = analyse(study, table)
    title = f"supportsim study: {settings.title or data.config.get('name', data.location)}"
    summary = [robustness_sentence(r, currency) for r in results.robust]
    summary += morris_sentences(results.morris, currency) if not results.morris.empty else []
    summary += sobol_sentences(results.sobol) if not results.sobol.empty else []
    sections = [
        Section(["## Summary", "", *summary, "", *_what_was_run(study, table, data.config)])
    ]
    if results.robust:
        sections.append(_robustness_section(results.robust, currency))
    if not results.morris.empty:
        sections.append(_morris_section(results.morris, currency))
    if not results.sobol.empty:
        sections.append(_sobol_section(results.sobol))
    tables = {
        SENSITIVITY_CSV: tidy_indices(results),
        ROBUSTNESS_CSV: robustness_table(results.robust),
    }
    tables = {name: frame for name, frame in tables.items() if not frame.empty}
    return assemble(title, sections, data, tables)


def _robustness_section(robust: list[Robustness], currency: str) -> Section:
    figure = ReportFigure(
        "robustness",
        "Each conclusion in every plausible world",
        "Paired effect (arm − reference, seeds averaged) in each draw of the uncertain "
        "parameters; orange where the conclusion fails.",
        robustness_figure(robust, outcome_label, currency),
    )
    lines = ["", "## Robustness across plausible worlds", "", _robustness_table(robust, currency)]
    return Section(lines, [figure])


def _morris_section(morris: pd.DataFrame, currency: str) -> Section:
    figure = ReportFigure(
        "morris",
        "Morris screening: μ* against σ",
        "Each dot a parameter; the five with the largest μ* named.",
        morris_figure(morris, parameter_label, outcome_label, currency),
    )
    lines = [
        "", "## Morris screening", "",
        "μ* is the mean absolute change of the outcome as a parameter crosses its "
        "plausible range, σ the spread of that change (interactions or curvature).",
        "", *_morris_table(morris, currency),
    ]  # fmt: skip
    return Section(lines, [figure])


def _sobol_section(sobol: pd.DataFrame) -> Section:
    figure = ReportFigure(
        "sobol",
        "Sobol indices with 95% bootstrap intervals",
        "First order: the share of the outcome's variance a parameter explains alone; "
        "total: with all its interactions.",
        sobol_figure(sobol, parameter_label, outcome_label),
    )
    return Section(["", "## Sobol indices", "", *_sobol_table(sobol)], [figure])


def tidy_indices(results: StudyResults) -> pd.DataFrame:
    """sensitivity.csv: one row per outcome, parameter, method and index."""
    frames = []
    for method, frame, indices in [
        ("morris", results.morris, ("mu", "mu_star", "sigma")),
        ("sobol", results.sobol, ("S1", "ST")),
    ]:
        if frame.empty:
            continue
        for index in indices:
            conf = f"{index}_conf" if f"{index}_conf" in frame else None
            frames.append(
                pd.DataFrame(
                    {
                        "outcome": frame["outcome"],
                        "parameter": frame["parameter"],
                        "method": method,
                        "index": index,
                        "value": frame[index],
                        "half_width_95": frame[conf] if conf else math.nan,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
