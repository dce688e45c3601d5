"""The report's answer in words, from the same tables its numbers come from.

One sentence per compared configuration (what changed against its reference, each change
with its paired CI, the ones whose CI spans zero named as no clear change) and a
recommendation: the best configuration on the report's objective, or "no clear winner"
when its paired interval against the runner-up includes zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.analysis.metrics_registry import (
    HIGHER,
    LOWER,
    format_estimate,
    format_interval,
    metric,
)
from sim.analysis.statistics.comparison import SEED, Design, configurations, runs_of
from sim.analysis.statistics.replications import Estimate, mean_ci

MAX_CHANGES = 4  # the sentence names this many outcomes; the tables hold the rest


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _change(row: pd.Series, currency: str, level: str) -> str:
    key = row["metric"]
    interval = format_interval(key, row["difference"], row["half_width"], level, currency)
    return f"{_lower_first(metric(key).label)} {interval}"


def comparison_sentences(
    paired: pd.DataFrame, metrics: Sequence[str], currency: str, level: str
) -> list[str]:
    """One sentence per configuration compared with its reference."""
    sentences = []
    for configuration, rows in paired.groupby("configuration", sort=False):
        order = {m: i for i, m in enumerate(metrics)}
        rows = rows.sort_values("metric", key=lambda keys: keys.map(order))
        clear = [is_clear(low, high) for low, high in zip(rows["low"], rows["high"])]
        changed, unchanged = rows[clear], rows[[not c for c in clear]]
        parts = [_change(row, currency, level) for _, row in changed.head(MAX_CHANGES).iterrows()]
        text = f"**{configuration}** against {rows['reference'].iloc[0]}: "
        text += "; ".join(parts) if parts else "no outcome changed clearly"
        if len(unchanged):
            names = ", ".join(_lower_first(metric(m).label) for m in unchanged["metric"])
            text += f"; no clear change in {names}"
        sentences.append(text + ".")
    return sentences


@dataclass
class Ranking:
    """The best configuration on the objective, the runner-up, and their paired gap."""

    best: str
    runner_up: str | None
    gap: Estimate | None  # best − runner-up over shared seeds, in the better direction


@dataclass
class Scored:
    """One configuration's runs and its mean objective, signed so that higher is better."""

    score: float
    label: str
    runs: pd.DataFrame


def direction_of(objective: str) -> float | None:
    """+1 when more of the objective is better, −1 when less is, None when neither."""
    return {HIGHER: 1.0, LOWER: -1.0}.get(metric(objective).better)


def scored_configurations(table: pd.DataFrame, design_: Design, objective: str) -> list[Scored]:
    """Every configuration with a finite mean objective, best first (none when the
    objective has no better direction or no column)."""
    direction = direction_of(objective)
    if direction is None or objective not in table:
        return []
    scored = []
    for configuration in configurations(table, design_.factors):
        runs = runs_of(table, configuration)
        value = pd.to_numeric(runs[objective], errors="coerce").mean()
        if np.isfinite(value):
            scored.append(Scored(direction * float(value), design_.label(configuration), runs))
    return sorted(scored, key=lambda item: item.score, reverse=True)


def rank(table: pd.DataFrame, design_: Design, objective: str, level: float) -> Ranking | None:
    """Order configurations by the objective's mean in its better direction."""
    scored = scored_configurations(table, design_, objective)
    if not scored:
        return None
    if len(scored) == 1:
        return Ranking(scored[0].label, None, None)
    best, second = scored[0], scored[1]
    gap = paired_gap(best.runs, second.runs, objective, level, direction_of(objective))
    return Ranking(best.label, second.label, gap)


def paired_gap(
    runs: pd.DataFrame, others: pd.DataFrame, key: str, level: float, direction: float = 1.0
) -> Estimate | None:
    """``direction`` × (runs − others) on ``key``, seed by seed over the seeds both have;
    None with fewer than two pairs."""
    merged = runs.merge(others, on=SEED, suffixes=("", "__2"))
    pairs = merged[[key, f"{key}__2"]].apply(pd.to_numeric, errors="coerce").dropna()
    gaps = direction * (pairs[key] - pairs[f"{key}__2"]).to_numpy()
    return mean_ci(gaps, level) if len(gaps) >= 2 and np.isfinite(gaps).all() else None


def recommendation(ranking: Ranking | None, objective: str, currency: str, level: float) -> str:
    """The recommendation line: a winner with its margin, or no clear winner."""
    label = _lower_first(metric(objective).label)
    if ranking is None:
        return f"No recommendation: {label} does not rank the configurations."
    if ranking.runner_up is None:
        return f"Only **{ranking.best}** was run; there is nothing to choose between."
    if ranking.gap is None:
        return (
            f"**{ranking.best}** has the best {label}, but it shares too few seeds with "
            f"**{ranking.runner_up}** to say by how much."
        )
    gap = ranking.gap
    ci = f"{level:.0%} CI"
    better = metric(objective).better
    margin = format_estimate(objective, gap.mean, gap.half_width, currency, True).lstrip("+")
    word = "higher" if better == HIGHER else "lower"
    if gap.low > 0:
        return (
            f"Recommendation: **{ranking.best}**, with the {word.replace('er', 'est')} "
            f"{label}: {margin} {word} than the next best, **{ranking.runner_up}** "
            f"(paired {ci} over {gap.n} seeds)."
        )
    return (
        f"No clear winner on {label}: **{ranking.best}** and **{ranking.runner_up}** differ "
        f"by {margin} (paired {ci} over {gap.n} seeds, which includes zero); decide on "
        "another outcome or run more seeds."
    )


def is_clear(low: float, high: float) -> bool:
    """Does an interval exclude zero?"""
    return math.isfinite(low) and math.isfinite(high) and (low > 0 or high < 0)
