"""One look for every figure: Agg backend, style, colours, axis labels with units.

Figures are returned, never written here: the application saves them (``sim.app.figures``).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from sim.analysis.metrics_registry import axis_label
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

__all__ = ["BAND_ALPHA", "CHANNEL_COLOURS", "STYLE", "axis_label"]
