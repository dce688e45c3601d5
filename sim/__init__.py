"""supportsim: a discrete-event simulation of a customer-support organisation.

``sim.run(config, seed)`` is the whole model as a pure function; the CLI, sweeps, plots
and reports are built around it and never inside it.
"""

from sim.config import Config, ConfigError
from sim.model.org import RunResult, run

__all__ = ["Config", "ConfigError", "RunResult", "__version__", "run"]
__version__ = "0.1.0"
