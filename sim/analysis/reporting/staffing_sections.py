"""The sweep report's sections that only some sweeps get: staffing (cost against what
it buys, when the sweep varied staffing) and the plan (requirement, schedule and service
per interval, when runs were staffed from the forecast).
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.analysis.planning.plan_view import interval_service, plan_sentence
from sim.analysis.plots import study
from sim.analysis.plots.plan import plan_figure
from sim.analysis.reporting.page import ReportFigure, SweepData, markdown_table
from sim.analysis.reporting.staffing_view import (
    cheapest_as_good,
    cost_key,
    outcome_keys,
    staffing_sentence,
    staffing_table,
    varies_staffing,
)
from sim.analysis.statistics.comparison import Design, configurations, runs_of, summarise
from sim.config.report import ReportConfig


@dataclass
class StaffingView:
    """The staffing section, its figure and its sentence for the summary."""

    lines: list[str]
    figure: ReportFigure
    sentence: str


def staffing_section(
    data: SweepData, design_: Design, settings: ReportConfig
) -> StaffingView | None:
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


def plan_section(data: SweepData, design_: Design) -> PlanSection | None:
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
