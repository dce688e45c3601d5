"""Fitting the model to a centre's own data (``python -m sim.fit``, ``sim.app.fit_command``).

``inputs`` checks and normalises the three layouts it reads, ``demand`` fits rates and
profiles, ``durations`` handle times, patience and redials, ``centre`` puts them together
and ``preset`` writes the result as a scenario preset.
"""

from sim.analysis.fitting.centre import (
    CentreFit,
    ChannelFit,
    FitOptions,
    fit_contacts,
    fit_intervals,
)
from sim.analysis.fitting.inputs import FitInputError
from sim.analysis.fitting.preset import preset_yaml

__all__ = [
    "CentreFit",
    "ChannelFit",
    "FitInputError",
    "FitOptions",
    "fit_contacts",
    "fit_intervals",
    "preset_yaml",
]
