"""Figures of a sweep, drawn from its statistics (``sim.analysis.statistics.comparison``),
never from raw runs.

Every point is a mean over seeds with its 95% CI as a band or error bar; differences are
paired over seeds, with the unpaired interval drawn faintly beside them to show what
common random numbers bought.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from sim.analysis.metrics_registry import metric
from sim.analysis.plots.style import BAND_ALPHA, STYLE, axis_label, label_axis
from sim.analysis.statistics.selection import efficient
from sim.metrics import WAIT_EDGE_LABELS, WAIT_EDGES_MIN

WAIT_METRICS = [f"share_wait_le_{label}" for label in WAIT_EDGE_LABELS]


def _metric(summary: pd.DataFrame, metric: str) -> pd.DataFrame:
    return summary[summary["metric"] == metric]


def _grid(panels: int, width: float = 4.2, height: float = 3.2) -> tuple[plt.Figure, np.ndarray]:
    columns = min(panels, 2)
    rows = -(-panels // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(width * columns, height * rows), squeeze=False)
    for ax in axes.flat[panels:]:
        ax.set_visible(False)
    return fig, axes


def outcomes_vs_x(
    summary: pd.DataFrame, x: str, factors: Sequence[str], metrics: Sequence[str]
) -> plt.Figure:
    """Each metric against the swept key ``x``: one line per combination of the other
    factors (policy, culture …), with its 95% CI band."""
    others = [f for f in factors if f != x]
    metrics = [m for m in metrics if not _metric(summary, m).empty]
    with plt.rc_context(STYLE):
        fig, axes = _grid(len(metrics))
        for ax, metric in zip(axes.flat, metrics):
            rows = _metric(summary, metric)
            groups = rows.groupby(others, sort=False) if others else [((), rows)]
            for key, group in groups:
                group = group.assign(_x=pd.to_numeric(group[x])).sort_values("_x")
                label = ", ".join(f"{k}={v}" for k, v in zip(others, np.atleast_1d(key)))
                line = ax.plot(group["_x"], group["mean"], marker="o", ms=3, label=label or None)
                ax.fill_between(
                    group["_x"], group["low"], group["high"], alpha=BAND_ALPHA, lw=0,
                    color=line[0].get_color(),
                )  # fmt: skip
            ax.set_xlabel(x)
            ax.set_ylabel(axis_label(metric))
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if others:
            axes.flat[0].legend(fontsize=7)
        fig.suptitle(f"Outcomes against {x} (mean and 95% CI over seeds)")
        fig.tight_layout()
        return fig


def _cost_panel(
    ax: plt.Axes, summary: pd.DataFrame, cost: str, outcome: str, numbered: bool
) -> None:
    """One outcome against cost per configuration, 95% CIs both ways, the efficient
    configurations (no other both cheaper and better, as the registry calls better)
    joined by a line; points named, or numbered in the order of the report's table."""
    costs = _metric(summary, cost).set_index("configuration")
    outcomes = _metric(summary, outcome).set_index("configuration")
    order = list(dict.fromkeys(summary["configuration"]))
    names = [name for name in order if name in costs.index and name in outcomes.index]
    xs, ys = costs.loc[names, "mean"].to_numpy(), outcomes.loc[names, "mean"].to_numpy()
    ax.errorbar(
        xs, ys,
        xerr=costs.loc[names, "half_width"].to_numpy(),
        yerr=outcomes.loc[names, "half_width"].to_numpy(),
        fmt="o", ms=4, capsize=2, color="tab:blue", ecolor="tab:grey",
    )  # fmt: skip
    chosen = efficient(xs, ys, metric(outcome).better)
    ax.plot(xs[chosen], ys[chosen], color="tab:red", lw=1.2, label="efficient")
    for i, name in enumerate(names):
        tag = str(order.index(name) + 1) if numbered else name
        ax.annotate(tag, (xs[i], ys[i]), fontsize=6, xytext=(3, 3), textcoords="offset points")
    label_axis(ax.xaxis, cost)
    label_axis(ax.yaxis, outcome)


def frontier(
    summary: pd.DataFrame,
    cost: str = "cost_total",
    outcome: str = "churn_rate_annual",
) -> plt.Figure:
    """Cost against churn per configuration with the efficient frontier."""
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(6.4, 4.4))
        _cost_panel(ax, summary, cost, outcome, numbered=False)
        ax.set_title("Cost against churn (mean and 95% CI over seeds)")
        ax.legend()
        fig.tight_layout()
        return fig


def staffing_view(summary: pd.DataFrame, cost: str, outcomes: Sequence[str]) -> plt.Figure:
    """What each configuration buys for its cost, one panel per outcome; points carry
    the configuration's number in the report's staffing table."""
    outcomes = [o for o in outcomes if not _metric(summary, o).empty]
    with plt.rc_context(STYLE):
        fig, axes = _grid(len(outcomes))
        for ax, outcome in zip(axes.flat, outcomes):
            _cost_panel(ax, summary, cost, outcome, numbered=True)
        axes.flat[0].legend(fontsize=7)
        fig.suptitle("What each configuration buys for its cost (mean and 95% CI over seeds)")
        fig.tight_layout()
        return fig


def forest(paired: pd.DataFrame, metrics: Sequence[str]) -> plt.Figure:
    """Paired differences against the reference with 95% CIs (dark), the unpaired CI of
    the same difference (faint) beside them, and zero marked."""
    metrics = [m for m in metrics if (paired["metric"] == m).any()]
    with plt.rc_context(STYLE):
        rows = len(paired[paired["metric"] == metrics[0]])
        fig, axes = _grid(len(metrics), width=4.6, height=0.9 + 0.35 * rows)
        for ax, metric in zip(axes.flat, metrics):
            part = paired[paired["metric"] == metric].reset_index(drop=True)
            y = np.arange(len(part))[::-1]
            ax.errorbar(
                part["difference"], y + 0.15, xerr=part["unpaired_half_width"], fmt="none",
                ecolor="tab:grey", alpha=0.5, capsize=2, label="unpaired 95% CI",
            )  # fmt: skip
            ax.errorbar(
                part["difference"], y, xerr=part["half_width"], fmt="o", ms=4,
                color="tab:blue", capsize=2, label="paired 95% CI (CRN)",
            )  # fmt: skip
            ax.axvline(0.0, color="black", lw=0.8)
            names = [f"{c}\nvs {r}" for c, r in zip(part["configuration"], part["reference"])]
            ax.set_yticks(y, names, fontsize=6)
            label = axis_label(metric)
            ax.set_xlabel(f"difference in {label[:1].lower()}{label[1:]}")
            ax.xaxis.set_major_locator(MaxNLocator(nbins=5))  # room for long tick labels
        axes.flat[0].legend(fontsize=7)
        fig.suptitle("Paired differences against the reference (same seeds)")
        fig.tight_layout()
        return fig


def wait_distribution(summary: pd.DataFrame) -> plt.Figure:
    """The journey wait-time CDF of each configuration with 95% CI bands (log time)."""
    waits = summary[summary["metric"].isin(WAIT_METRICS)]
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(6.4, 4.2))
        for name, group in waits.groupby("configuration", sort=False):
            group = group.set_index("metric").reindex(WAIT_METRICS)
            line = ax.plot(WAIT_EDGES_MIN, group["mean"], marker="o", ms=3, label=name)
            ax.fill_between(WAIT_EDGES_MIN, group["low"], group["high"], alpha=BAND_ALPHA, lw=0,
                            color=line[0].get_color())  # fmt: skip
        ax.set_xscale("log")
        ax.set_xticks(WAIT_EDGES_MIN, WAIT_EDGE_LABELS)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("total wait of a journey, at most (log scale)")
        ax.set_ylabel("share of ended journeys (CDF)")
        ax.set_title("Wait-time distribution (mean and 95% CI over seeds)")
        ax.legend(fontsize=7)
        fig.tight_layout()
        return fig


def erlang_curves(
    summary: pd.DataFrame,
    x: str,
    theory: Callable[[int], dict[str, float]],
    metrics: Sequence[str],
) -> plt.Figure:
    """Simulated metrics (mean, 95% CI) against the number of servers, with the exact
    Erlang C/A values drawn as a curve through every integer in range."""
    metrics = [m for m in metrics if not _metric(summary, m).empty]
    with plt.rc_context(STYLE):
        fig, axes = _grid(len(metrics))
        for ax, metric in zip(axes.flat, metrics):
            rows = _metric(summary, metric).assign(_x=lambda f: pd.to_numeric(f[x]))
            rows = rows.sort_values("_x")
            grid = np.arange(int(rows["_x"].min()), int(rows["_x"].max()) + 1)
            exact = [theory(int(n)).get(metric, np.nan) for n in grid]
            ax.plot(grid, exact, color="black", lw=1.0, label="exact (Erlang)")
            ax.errorbar(rows["_x"], rows["mean"], yerr=rows["half_width"], fmt="o", ms=4,
                        capsize=2, color="tab:red", label="simulated, 95% CI")  # fmt: skip
            ax.set_xlabel("agents (servers)")
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_ylabel(axis_label(metric))
        axes.flat[0].legend(fontsize=7)
        fig.suptitle("Simulation against queueing theory")
        fig.tight_layout()
        return fig
