"""Figures (matplotlib, Agg): labelled axes with units, uncertainty shown, PNG and PDF.

``daily`` draws one run; ``study`` draws a sweep from its table (outcomes against a swept
key, the cost–churn frontier, paired differences, wait-time distributions, Erlang curves);
``series`` draws daily series of many runs with replication bands.
"""

from sim.plots.daily import daily_figure
from sim.plots.style import STYLE, axis_label, save

__all__ = ["STYLE", "axis_label", "daily_figure", "save"]
