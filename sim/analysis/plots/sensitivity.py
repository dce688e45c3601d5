"""Figures of a study over the uncertain parameters: Morris μ*–σ, Sobol bars with their
intervals, and each conclusion's effect across the plausible worlds."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axis import Axis
from matplotlib.ticker import FuncFormatter, MaxNLocator

from sim.analysis.metrics_registry import axis_label, format_value
from sim.analysis.plots.style import STYLE
from sim.analysis.uncertainty.robustness import Robustness

LABELLED = 5  # the parameters named beside their point in a μ*–σ panel
BARS = 10  # the parameters shown in a Sobol panel


def outcome_key(outcome: str) -> str:
    """The summary key an outcome is measured in (a contrast's metric for a contrast)."""
    return outcome.split(":")[0]


def _panels(count: int, width: float, height: float) -> tuple[plt.Figure, np.ndarray]:
    columns = min(count, 2)
    rows = -(-count // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(width * columns, height * rows))
    return figure, np.atleast_1d(axes).ravel()


def _formatter(outcome: str, currency: str) -> FuncFormatter:
    """Ticks in the outcome's own units, with a real minus sign (as the report's text)."""
    key = outcome_key(outcome)
    return FuncFormatter(
        lambda value, _: "0" if value == 0 else format_value(key, value, currency).replace("-", "−")
    )


def _outcome_ticks(axis: Axis, outcome: str, currency: str) -> None:
    """Few enough ticks that money in full (−$300,000) never runs into its neighbour."""
    axis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 5, 10]))  # no 0.15 % shown as 0.1 %
    axis.set_major_formatter(_formatter(outcome, currency))


def morris_figure(
    morris: pd.DataFrame, label: Callable[[str], str], title: Callable[[str], str], currency: str
) -> plt.Figure:
    """One panel per outcome: μ* (how much a parameter moves it) against σ (how unevenly:
    interactions or curvature), the strongest parameters named."""
    outcomes = list(dict.fromkeys(morris["outcome"]))
    with plt.rc_context(STYLE):
        figure, axes = _panels(len(outcomes), 5.2, 3.8)
        for ax, outcome in zip(axes, outcomes):
            rows = morris[morris["outcome"] == outcome]
            ax.scatter(rows["mu_star"], rows["sigma"], s=14, color="tab:blue", alpha=0.7)
            for _, row in rows.nlargest(LABELLED, "mu_star").iterrows():
                ax.annotate(label(row["parameter"]), (row["mu_star"], row["sigma"]),
                            fontsize=7, xytext=(3, 2), textcoords="offset points")  # fmt: skip
            ax.set_title(title(outcome), fontsize=9)
            _outcome_ticks(ax.xaxis, outcome, currency)
            _outcome_ticks(ax.yaxis, outcome, currency)
            ax.set_xlabel("μ*: mean |effect| across a parameter's range")
            ax.set_ylabel("σ: spread of the effect")
            ax.set_xlim(left=0)
            ax.set_ylim(bottom=0)
        for ax in axes[len(outcomes) :]:
            ax.set_visible(False)
        figure.tight_layout()
    return figure


def sobol_figure(
    sobol: pd.DataFrame, label: Callable[[str], str], title: Callable[[str], str]
) -> plt.Figure:
    """One panel per outcome: first-order and total indices with their 95 % intervals."""
    outcomes = list(dict.fromkeys(sobol["outcome"]))
    with plt.rc_context(STYLE):
        figure, axes = _panels(len(outcomes), 5.2, 3.8)
        for ax, outcome in zip(axes, outcomes):
            rows = sobol[sobol["outcome"] == outcome].nlargest(BARS, "ST").iloc[::-1]
            y = np.arange(len(rows))
            ax.barh(y + 0.2, rows["ST"], height=0.4, xerr=rows["ST_conf"], color="tab:orange",
                    label="total (with interactions)", error_kw={"lw": 0.8})  # fmt: skip
            ax.barh(y - 0.2, rows["S1"], height=0.4, xerr=rows["S1_conf"], color="tab:blue",
                    label="first order (alone)", error_kw={"lw": 0.8})  # fmt: skip
            ax.set_yticks(y, [label(p) for p in rows["parameter"]], fontsize=7)
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0%}"))
            ax.set_xlabel("share of the outcome's variance")
            ax.set_title(title(outcome), fontsize=9)
            ax.axvline(0.0, color="black", lw=0.6)
        axes[0].legend(loc="lower right", fontsize=7)
        for ax in axes[len(outcomes) :]:
            ax.set_visible(False)
        figure.tight_layout()
    return figure


def robustness_figure(
    results: Sequence[Robustness], title: Callable[[str], str], currency: str
) -> plt.Figure:
    """Each conclusion's effect in every plausible world (dots; orange where it fails)."""
    with plt.rc_context(STYLE):
        figure, axes = _panels(len(results), 5.2, 2.4)
        rng = np.random.default_rng(0)  # vertical jitter only, so dots do not hide each other
        for ax, result in zip(axes, results):
            sign = 1.0 if result.expect == "higher" else -1.0
            holds = sign * result.effects > 0
            jitter = rng.uniform(-0.3, 0.3, len(result.effects))
            ax.scatter(result.effects[holds], jitter[holds], s=12, color="tab:blue",
                       label="the conclusion holds")  # fmt: skip
            ax.scatter(result.effects[~holds], jitter[~holds], s=12, color="tab:orange",
                       label="it fails")  # fmt: skip
            ax.axvline(0.0, color="black", lw=0.8)
            ax.set_yticks([])
            ax.set_ylim(-1, 1)
            _outcome_ticks(ax.xaxis, result.name, currency)
            ax.set_xlabel(f"effect: {axis_label(outcome_key(result.name), currency)}")
            ax.set_title(f"{title(result.name)}: holds in {result.holds_share:.0%}", fontsize=9)
        axes[0].legend(loc="upper left", fontsize=7)
        for ax in axes[len(results) :]:
            ax.set_visible(False)
        figure.tight_layout()
    return figure
