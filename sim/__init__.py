"""supportsim: a discrete-event simulation of a customer-support organisation.

``sim.run(config, seed)`` is the whole model as a pure function; the CLI, sweeps, plots
and reports are built around it and never inside it. The names below are imported on
first use (PEP 562), so ``python -m sim`` can install its signal handlers first.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sim.config import Config, ConfigError
    from sim.model.org import RunResult, run

__all__ = ["Config", "ConfigError", "RunResult", "__version__", "run"]
__version__ = "0.1.0"
_LAZY = {
    "Config": "sim.config",
    "ConfigError": "sim.config",
    "RunResult": "sim.model.org",
    "run": "sim.model.org",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
