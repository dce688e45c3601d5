"""Figures (matplotlib, Agg): labelled axes with units, uncertainty shown.

``daily`` draws one run; ``study`` draws a sweep from its statistics (outcomes against a
swept key, the cost–churn frontier, paired differences, wait-time distributions, Erlang
curves); ``series`` draws daily series of many runs with replication bands. Every
function returns its figure; ``sim.app.figures.save_figure`` writes PNG and PDF.
"""

from sim.analysis.plots.daily import daily_figure
from sim.analysis.plots.style import STYLE, axis_label

__all__ = ["STYLE", "axis_label", "daily_figure"]
