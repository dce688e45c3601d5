"""Schema of the end-of-sweep report: what it compares and how. The model never reads it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sim.config.constraints import Pattern, names, number, text

# A summary key: lower-case words joined by '_' — and not a word YAML reads as a number or
# as nothing ("nan", "null"), which would not name a metric at all.
METRIC_NAME = Pattern(
    r"(?!(nan|inf|null|none|true|false|yes|no|on|off)$)[a-z][a-z0-9_]*",
    "must be a key of docs/metrics.md",
)
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
    ``objective`` is the outcome the recommendation ranks configurations by (in the
    direction the metric registry calls better); ``currency`` prefixes money.
    """

    enabled: bool = False
    title: str | None = None
    reference: dict[str, Any] = field(default_factory=dict)
    metrics: list[str] = names(DEFAULT_METRICS, METRIC_NAME, min_length=1)
    series: list[str] = names(DEFAULT_SERIES, METRIC_NAME)
    x: str | None = None
    level: float = number(0.95, ge=0.5, lt=1.0)
    objective: str = text("net_value", METRIC_NAME.regex, METRIC_NAME.what)
    currency: str = text("$", r"[^\s\d]{1,4}", "1-4 characters, no digit or space ($, €, £, CHF)")
