"""The report's staffing view: what each staffing configuration costs against what it buys.

A manager sizing a centre reads cost beside service level, churn and value, and wants two
answers from them: which configurations deserve a look at all (the efficient ones: no other
is both cheaper and better on that outcome), and the cheapest configuration that does as
well as the best on the objective — judged by a paired interval over shared seeds, not by
eye, since a cheaper staffing whose value cannot be told from the best's is the decision.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.metrics_registry import format_estimate, format_interval, metric
from sim.analysis.reporting.findings import Scored, is_clear, paired_gap, scored_configurations
from sim.analysis.statistics.comparison import Design
from sim.analysis.statistics.replications import Estimate
from sim.analysis.statistics.selection import efficient

OUTCOMES = ("service_level", "churn_rate_annual", "net_value")
COSTS = ("cost_total", "staffing_cost")  # the first a sweep's runs report is the cost axis


def varies_staffing(design_: Design) -> bool:
    """Did the sweep vary staffing (the ``staffing`` preset or any ``staffing.*`` key)?"""
    return any(f == "staffing" or f.startswith("staffing.") for f in design_.factors)


def cost_key(table: pd.DataFrame) -> str | None:
    return next((key for key in COSTS if key in table and table[key].notna().any()), None)


def outcome_keys(table: pd.DataFrame) -> list[str]:
    return [key for key in OUTCOMES if key in table and table[key].notna().any()]


@dataclass
class CheapestAsGood:
    """The cheapest configuration whose objective cannot be told from the best's."""

    best: str
    choice: str
    saving: Estimate | None  # cost of the best − cost of the choice, paired over seeds
    gap: Estimate | None  # the choice's objective − the best's, paired over seeds


def cheapest_as_good(
    table: pd.DataFrame, design_: Design, objective: str, cost: str, level: float
) -> CheapestAsGood | None:
    """Among configurations whose paired objective gap to the best includes zero, the
    cheapest by mean cost (the best itself when every cheaper one is clearly worse)."""
    scored = scored_configurations(table, design_, objective)
    price = {c.label: pd.to_numeric(c.runs[cost], errors="coerce").mean() for c in scored}
    scored = [c for c in scored if np.isfinite(price[c.label])]
    if len(scored) < 2:
        return None
    best = scored[0]
    candidates: list[tuple[float, Scored, Estimate | None]] = [(price[best.label], best, None)]
    for other in scored[1:]:
        gap = paired_gap(other.runs, best.runs, objective, level)
        if gap is not None and not is_clear(gap.low, gap.high):
            candidates.append((price[other.label], other, gap))
    _, choice, gap = min(candidates, key=lambda item: item[0])
    saving = paired_gap(best.runs, choice.runs, cost, level) if choice is not best else None
    return CheapestAsGood(best.label, choice.label, saving, gap)


def staffing_sentence(
    found: CheapestAsGood | None, objective: str, cost: str, currency: str, level: float
) -> str:
    """The staffing answer in one sentence."""
    if found is None:
        return ""
    label = metric(objective).label.lower()
    ci = f"{level:.0%}"
    if found.choice == found.best:
        return (
            f"Staffing: **{found.best}** has the best {label}, and every cheaper "
            f"configuration's {label} is clearly worse."
        )
    saving = (
        format_interval(cost, found.saving.mean, found.saving.half_width, ci, currency)
        if found.saving is not None
        else "an amount too few shared seeds can tell"
    ).replace("+", "")
    saving = saving.replace(" (", f" less than **{found.best}** (paired ", 1)
    gap = format_interval(objective, found.gap.mean, found.gap.half_width, ci, currency)
    return (
        f"Staffing: **{found.choice}** is the cheapest configuration as good as the best on "
        f"{label}: it costs {saving}, and its {label} differs from the best's by {gap}, "
        "an interval that includes zero."
    )


def staffing_table(summary: pd.DataFrame, cost: str, currency: str) -> pd.DataFrame:
    """Numbered configurations (the figure's numbers) with cost, each outcome and the
    outcomes on which no other configuration is both cheaper and better."""
    order = list(dict.fromkeys(summary["configuration"]))
    cell = {
        (c, k): format_estimate(k, m, h, currency)
        for c, k, m, h in zip(
            summary["configuration"], summary["metric"], summary["mean"], summary["half_width"]
        )
    }
    mean = summary.set_index(["configuration", "metric"])["mean"]
    outcomes = [k for k in OUTCOMES if (summary["metric"] == k).any()]
    on: dict[str, list[str]] = {name: [] for name in order}
    for outcome in outcomes:
        names = [n for n in order if (n, cost) in mean.index and (n, outcome) in mean.index]
        xs = [mean[(n, cost)] for n in names]
        ys = [mean[(n, outcome)] for n in names]
        for i in efficient(xs, ys, metric(outcome).better):
            on[names[i]].append(metric(outcome).label.lower())
    rows = {
        "#": range(1, len(order) + 1),
        "configuration": order,
        metric(cost).label: [cell.get((n, cost), "–") for n in order],
    }
    for outcome in outcomes:
        rows[metric(outcome).label] = [cell.get((n, outcome), "–") for n in order]
    rows["efficient on"] = [", ".join(on[n]) or "–" for n in order]
    return pd.DataFrame(rows)
