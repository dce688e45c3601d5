"""What the conclusions depend on: the registry of uncertain parameters with their sources
and plausible ranges (``parameters``), designs over them and Morris/Sobol indices
(``sensitivity``), a study as stages of jobs (``study``), and how each conclusion fares
across worlds (``robustness``, ``results``)."""
