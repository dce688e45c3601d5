"""Daily series of many runs: the mean over seeds per day with a 95% t-band."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy import stats

from sim.analysis.plots.style import BAND_ALPHA, STYLE, axis_label


def band(frames: Sequence[pd.DataFrame], column: str) -> pd.DataFrame:
    """Per day: mean over the runs and its 95% Student-t interval (n ≥ 2), by ``day``."""
    stacked = pd.concat([f[["day", column]] for f in frames], ignore_index=True)
    stacked[column] = pd.to_numeric(stacked[column], errors="coerce")
    grouped = stacked.groupby("day")[column]
    out = grouped.agg(["mean", "std", "count"]).reset_index()
    quantile = stats.t.ppf(0.975, df=np.maximum(out["count"] - 1, 1))
    half = np.where(out["count"] >= 2, quantile * out["std"] / np.sqrt(out["count"]), np.nan)
    out["low"], out["high"] = out["mean"] - half, out["mean"] + half
    return out


def replication_bands(
    runs: Mapping[str, Sequence[pd.DataFrame]], columns: Sequence[str]
) -> plt.Figure:
    """One panel per column, one line per configuration, bands over its seeds."""
    columns = [c for c in columns if all(c in f for frames in runs.values() for f in frames)]
    with plt.rc_context(STYLE):
        n_cols = min(len(columns), 2)
        n_rows = -(-len(columns) // n_cols)
        fig, axes = plt.subplots(
            n_rows, n_cols, figsize=(5.0 * n_cols, 2.9 * n_rows), squeeze=False, sharex=True
        )
        for ax in axes.flat[len(columns) :]:
            ax.set_visible(False)
        for ax, column in zip(axes.flat, columns):
            for name, frames in runs.items():
                daily = band(frames, column)
                line = ax.plot(daily["day"], daily["mean"], lw=1.0, label=name)
                ax.fill_between(daily["day"], daily["low"], daily["high"], alpha=BAND_ALPHA,
                                lw=0, color=line[0].get_color())  # fmt: skip
            ax.set_ylabel(axis_label(column))
            ax.set_xlabel("day")
        axes.flat[0].legend(fontsize=7)
        fig.suptitle("Day by day: mean over seeds with 95% bands")
        fig.tight_layout()
        return fig
