"""Schema of the end-of-sweep report: what it compares and how. The model never reads it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sim.config.checks import ConfigError

METRIC_NAME = re.compile(r"[a-z][a-z0-9_]*")
YAML_WORDS = {"nan", "inf", "null", "none", "true", "false", "yes", "no", "on", "off"}
DEFAULT_METRICS = [
    "churn_rate_annual",
    "mean_loyalty_end",
    "nps",
    "service_level",
    "p_abandon",
    "fcr",
    "mean_agent_burnout",
    "cost_total",
    "net_value",
]
DEFAULT_SERIES = [
    "customers_end",
    "mean_loyalty_end",
    "service_level",
    "backlog_end",
    "mean_agent_burnout",
]


@dataclass
class ReportConfig:
    """``report.md`` / ``report.html`` at the end of a sweep (``experiment=`` turns it on).

    ``reference`` names the configuration every other one is compared with, seed by seed:
    ``{policy: baseline}`` compares each configuration with the one that differs from it
    only in having ``policy=baseline``, so a policy × culture sweep compares the policies
    within each culture. ``x`` is a swept key to draw outcomes against (staffing, say).
    """

    enabled: bool = False
    title: str | None = None
    reference: dict[str, Any] = field(default_factory=dict)
    metrics: list[str] = field(default_factory=lambda: list(DEFAULT_METRICS))
    series: list[str] = field(default_factory=lambda: list(DEFAULT_SERIES))
    x: str | None = None
    level: float = 0.95

    def __post_init__(self) -> None:
        if not self.metrics:
            raise ConfigError("metrics", [], "must name at least one summary key")
        for key, names in (("metrics", self.metrics), ("series", self.series)):
            for i, name in enumerate(names):
                plain = isinstance(name, str) and METRIC_NAME.fullmatch(name)
                if not plain or name in YAML_WORDS:  # "nan", "null": a number or nothing
                    raise ConfigError(f"{key}[{i}]", name, "must be a key of docs/metrics.md")
        if not (isinstance(self.level, float) and 0.5 <= self.level < 1.0):
            raise ConfigError("level", self.level, "must be a confidence level in [0.5, 1)")
