"""The plan per interval: agents required and scheduled, and the service each hour got."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from sim.analysis.planning.plan_view import DAYS, IntervalService
from sim.analysis.plots.style import STYLE
from sim.units import HOURS_PER_DAY, HOURS_PER_WEEK


def plan_figure(views: list[IntervalService]) -> plt.Figure:
    """Per synchronous pool, two panels over the week: agents (required, scheduled) and
    the simulated share answered in time against the goal."""
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(
            2, len(views), figsize=(6.0 * len(views), 5.6), squeeze=False, sharex=True
        )
        for column, view in enumerate(views):
            _agents_panel(axes[0, column], view)
            _service_panel(axes[1, column], view)
        fig.tight_layout()
    return fig


def _week(hours: np.ndarray, values: np.ndarray) -> np.ndarray:
    full = np.full(HOURS_PER_WEEK, np.nan)
    full[hours] = values
    return full


def _agents_panel(ax: plt.Axes, view: IntervalService) -> None:
    hours = view.hours["hour_of_week"].to_numpy()
    x = np.arange(HOURS_PER_WEEK)
    ax.step(x, _week(hours, view.hours["scheduled"]), where="post", label="scheduled")
    ax.step(x, _week(hours, view.hours["required"]), where="post", label="required (Erlang)")
    ax.set_ylabel("agents")
    ax.set_title(f"{view.pool}: agents per hour")
    ax.legend(loc="upper right", fontsize=8)


def _service_panel(ax: plt.Axes, view: IntervalService) -> None:
    served = view.hours.dropna(subset=["simulated_service_level"])
    hours = served["hour_of_week"].to_numpy()
    level = served["simulated_service_level"].to_numpy()
    ax.plot(hours, level * 100, "o", markersize=3, label="simulated")
    ax.axhline(view.goal * 100, color="black", linewidth=0.8, linestyle="--", label="goal")
    ax.set_ylim(0, 105)
    ax.set_ylabel("answered in time (%)")
    ax.set_title(f"{view.pool}: service level per hour")
    ax.set_xticks(np.arange(0, HOURS_PER_WEEK, HOURS_PER_DAY) + HOURS_PER_DAY / 2)
    ax.set_xticklabels([day[:3] for day in DAYS])
    ax.legend(loc="lower right", fontsize=8)
