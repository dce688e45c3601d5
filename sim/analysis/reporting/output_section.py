"""The report's output-analysis section: the warm-up check and the replication advice
(``sim.analysis.statistics.output_analysis``) in words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from sim.analysis.metrics_registry import format_estimate, metric
from sim.analysis.reporting.findings import rank
from sim.analysis.statistics.comparison import Design
from sim.analysis.statistics.output_analysis import seeds_for, warmup_findings
from sim.config.report import ReportConfig
from sim.units import DAYS_PER_WEEK

# Daily series that carry a start-up transient if there is one: queues, load, wear.
WARMUP_SERIES = ("occupancy", "mean_wait_min", "backlog_end", "mean_agent_burnout")


def _first_incident_day(run_config: Mapping[str, Any]) -> float | None:
    scheduled = (run_config.get("incidents") or {}).get("scheduled") or []
    days = [incident.get("start_day") for incident in scheduled if incident.get("start_day")]
    return min(days) if days else None


def output_analysis_lines(
    runs: list[dict[str, list]],
    run_config: Mapping[str, Any],
    table: pd.DataFrame,
    design_: Design,
    settings: ReportConfig,
) -> list[str]:
    """Is the warm-up long enough (MSER-5), and how many seeds the decision needs."""
    lines = ["", "## Output analysis", ""]
    lines += [
        "MSER (White 1997) on weekly batches of each run's daily series (MSER-5's five-day "
        "batches would cut the week's own cycle and read it as a transient).",
        "",
    ]
    warmup = float(run_config.get("warmup_days", 0.0) or 0.0)
    until = _first_incident_day(run_config)
    for found in warmup_findings(runs, WARMUP_SERIES, warmup, until, batch=DAYS_PER_WEEK):
        name = metric(found.series).label.lower()
        where = f", the days before the first scheduled incident (day {until:g})" if until else ""
        if found.too_short:
            least = "at least " if found.at_limit else ""
            lines.append(
                f"- **Warm-up too short:** MSER on the daily {name} of {found.runs} runs"
                f"{where} finds a start-up transient of {least}{found.truncation_days} days "
                f"against `warmup_days` = {warmup:g}; rerun with a longer `warmup_days`"
                f" (more than {found.truncation_days})."
            )
        elif found.at_limit:
            lines.append(
                f"- Warm-up: MSER on the daily {name} of {found.runs} runs{where} finds its "
                f"minimum at the latest truncation it may choose ({found.truncation_days} days):"
                " too few days to confirm the warm-up; a longer run would tell."
            )
        else:
            lines.append(
                f"- Warm-up: MSER on the daily {name} of {found.runs} runs{where} asks for "
                f"{found.truncation_days} days at most; `warmup_days` = {warmup:g} is enough."
            )
    ranking = rank(table, design_, settings.objective, settings.level)
    if ranking is not None and ranking.gap is not None and ranking.gap.mean != 0:
        gap, currency = ranking.gap, settings.currency
        target = abs(gap.mean) / 2
        needed = seeds_for(gap, target) if gap.n > 1 else None
        shown = format_estimate(settings.objective, gap.mean, gap.half_width, currency)
        if needed is not None:
            lines.append(
                f"- Replications: the best two differ on {metric(settings.objective).label.lower()}"
                f" by {shown} over {gap.n} seeds; an interval of ± half that difference takes "
                f"about {needed} seeds (t-interval at the pairs' spread)."
            )
    return lines if len(lines) > 3 else []
