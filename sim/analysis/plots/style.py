"""One look for every figure: Agg backend, style, colours, axis labels with units.

Figures are returned, never written here: the application saves them (``sim.app.figures``).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from matplotlib.axis import Axis
from matplotlib.ticker import FuncFormatter, PercentFormatter

from sim.analysis.metrics_registry import axis_label, metric, money
from sim.config import CHANNELS

STYLE = {
    "figure.dpi": 110,
    "savefig.dpi": 150,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 9,
    "legend.frameon": False,
}
CHANNEL_COLOURS = dict(zip(CHANNELS, ("tab:blue", "tab:orange", "tab:green", "tab:purple")))
BAND_ALPHA = 0.2


def label_axis(axis: Axis, key: str, currency: str = "$") -> None:
    """An axis as a person reads it: shares in per cent, money as $1.5 M, never a
    ``1e6`` offset; the label names the unit the ticks show."""
    unit = metric(key).unit
    if unit in ("share", "1/year"):
        axis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=None))
        per = " per year" if unit == "1/year" else ""
        axis.set_label_text(f"{metric(key).label} (%{per})")
    elif unit.startswith("currency"):
        axis.set_major_formatter(FuncFormatter(lambda value, _: money(value, currency)))
        axis.set_label_text(axis_label(key, currency))
    else:
        axis.set_label_text(axis_label(key, currency))


__all__ = ["BAND_ALPHA", "CHANNEL_COLOURS", "STYLE", "axis_label", "label_axis"]
