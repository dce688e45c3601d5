"""The daily figure of one run: demand, service, abandonment, backlog, customers."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy.stats import binomtest

from sim.analysis.plots.style import CHANNEL_COLOURS, STYLE
from sim.config import CHANNELS


def wilson_band(successes: np.ndarray, trials: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """95% Wilson interval of each day's proportion (NaN where there were no trials)."""
    low = np.full(len(trials), np.nan)
    high = np.full(len(trials), np.nan)
    for i, (k, n) in enumerate(zip(successes, trials)):
        if n > 0:
            interval = binomtest(round(k), int(n)).proportion_ci(method="wilson")
            low[i], high[i] = interval.low, interval.high
    return low, high


def _proportion_with_band(
    ax: plt.Axes, days: np.ndarray, share: pd.Series, trials: pd.Series, label: str, colour: str
) -> None:
    share = share.astype(float)
    n = trials.to_numpy(dtype=float)
    low, high = wilson_band(np.nan_to_num(share.to_numpy() * n), n)
    ax.plot(days, share, color=colour, lw=1.0, label=label)
    ax.fill_between(days, low, high, color=colour, alpha=0.2, lw=0)


def _shade_warmup(axes: list[plt.Axes], frame: pd.DataFrame) -> None:
    warm = frame.loc[frame["in_warmup"].astype(bool), "day"]
    if len(warm):
        for ax in axes:
            ax.axvspan(-0.5, warm.max() + 0.5, color="grey", alpha=0.12, lw=0)


def daily_figure(frame: pd.DataFrame, title: str = "") -> plt.Figure:
    """Contacts, service level, abandonment, occupancy and backlog, day by day.

    Shares carry 95% Wilson bands from each day's counts; the grey span is the warm-up,
    excluded from ``summary.json``.
    """
    with_customers = "customers_end" in frame.columns
    with plt.rc_context(STYLE):
        rows = 3 if with_customers else 2
        fig, axes = plt.subplots(rows, 2, figsize=(10, 3.25 * rows), sharex=True)
        days = frame["day"].to_numpy()
        _demand_panel(axes[0, 0], frame, days)
        _service_panel(axes[0, 1], frame, days)
        bottom = "" if with_customers else "day"
        _abandonment_panel(axes[1, 0], frame, days, bottom)
        _backlog_panel(axes[1, 1], frame, days, bottom)
        if with_customers:
            _customer_panels(axes[2, 0], axes[2, 1], frame, days)
        _shade_warmup(list(axes.flat), frame)
        if title:
            fig.suptitle(title)
        fig.tight_layout()
        return fig


def _demand_panel(ax: plt.Axes, frame: pd.DataFrame, days: np.ndarray) -> None:
    for channel in CHANNELS:
        column = frame[f"{channel}_contacts_arrived"]
        if column.sum() > 0:
            ax.plot(days, column, lw=0.9, color=CHANNEL_COLOURS[channel], label=channel)
    ax.set_ylabel("contacts per day")
    ax.set_title("Demand by channel")
    ax.legend(ncol=2)


def _service_panel(ax: plt.Axes, frame: pd.DataFrame, days: np.ndarray) -> None:
    for channel in CHANNELS:
        trials = frame[f"{channel}_contacts_arrived"]
        if trials.sum() > 0:
            share = frame[f"{channel}_service_level"]
            _proportion_with_band(ax, days, share, trials, channel, CHANNEL_COLOURS[channel])
    ax.set_ylabel("answered within target (share)")
    ax.set_ylim(0, 1.02)
    ax.set_title("Service level (95% Wilson bands)")
    ax.legend(ncol=2)


def _abandonment_panel(ax: plt.Axes, frame: pd.DataFrame, days: np.ndarray, xlabel: str) -> None:
    _proportion_with_band(
        ax, days, frame["p_abandon"], frame["contacts_arrived"], "abandoned", "tab:red"
    )
    ax.plot(days, frame["occupancy"].astype(float), color="tab:grey", lw=1.0, label="occupancy")
    ax.set_ylabel("share")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(xlabel)
    ax.set_title("Abandonment (95% band) and agent occupancy")
    ax.legend()


def _backlog_panel(ax: plt.Axes, frame: pd.DataFrame, days: np.ndarray, xlabel: str) -> None:
    for column in [c for c in frame.columns if c.startswith("pool_") and c.endswith("_queue_end")]:
        if frame[column].sum() > 0:
            pool = column.removeprefix("pool_").removesuffix("_queue_end")
            ax.plot(days, frame[column], lw=0.9, label=pool)
    ax.set_ylabel("contacts waiting at midnight")
    ax.set_xlabel(xlabel)
    ax.set_title("Backlog by agent pool")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(ncol=2)


def _customer_panels(
    left: plt.Axes, right: plt.Axes, frame: pd.DataFrame, days: np.ndarray
) -> None:
    """Customers with daily churn and acquisition; mean loyalty with NPS."""
    left.plot(days, frame["customers_end"], color="tab:blue", lw=1.2, label="customers")
    left.set_ylabel("active customers")
    left.set_xlabel("day")
    left.set_title("Customers; churned and acquired per day (7-day mean)")
    flows = left.twinx()
    for column, colour in (("customers_churned", "tab:red"), ("customers_acquired", "tab:green")):
        weekly = frame[column].rolling(7, min_periods=1).mean()
        flows.plot(days, weekly, color=colour, lw=0.9, label=column.removeprefix("customers_"))
    flows.set_ylabel("customers per day")
    flows.grid(False)
    handles = left.get_legend_handles_labels()[0] + flows.get_legend_handles_labels()[0]
    left.legend(handles=handles, loc="lower left")

    right.plot(days, frame["mean_loyalty_end"].astype(float), color="tab:purple", lw=1.2,
               label="mean loyalty")  # fmt: skip
    right.set_ylabel("mean loyalty (0–1)")
    right.set_xlabel("day")
    right.set_title("Loyalty and net promoter score")
    nps = right.twinx()
    nps.plot(days, frame["nps"].astype(float), color="tab:olive", lw=0.9, label="NPS")
    nps.set_ylabel("NPS (points)")
    nps.grid(False)
    handles = right.get_legend_handles_labels()[0] + nps.get_legend_handles_labels()[0]
    right.legend(handles=handles, loc="lower left")
