"""The analysis layer: queueing theory, replications and comparisons, optimisation, the
report and its figures. It calls the engine (``sim.run``) and never the application: no
Hydra, no files — figures and reports are returned to the caller to write."""
