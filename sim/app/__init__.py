"""The application around Hydra: command line, composition and pre-flight checks, signals,
progress, atomic files, reading results, sweeps, collecting and reporting.

Imports nothing heavy at package level: ``python -m sim`` installs its signal handlers from
``sim.app.signals`` before NumPy, SimPy or Hydra are loaded."""
