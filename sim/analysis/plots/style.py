"""One look for every figure: Agg backend, style, colours, axis labels with units.

Figures are returned, never written here: the application saves them (``sim.app.figures``).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from sim.config import CHANNELS

STYLE = {
    "figure.dpi": 110,
    "savefig.dpi": 150,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 9,
    "legend.frameon": False,
}
CHANNEL_COLOURS = dict(zip(CHANNELS, ("tab:blue", "tab:orange", "tab:green", "tab:purple")))
BAND_ALPHA = 0.2

# Units of the metrics a report draws most; others follow their name's suffix.
UNITS = {
    "churn_rate_annual": "per customer-year",
    "mean_loyalty_end": "0–1",
    "mean_trust_end": "0–1",
    "nps": "points",
    "net_value": "currency",
    "net_value_window": "currency",
    "customer_lifetime_value": "currency per customer",
    "cost_total": "currency",
    "staffing_cost": "currency",
    "credits_total": "currency",
    "revenue": "currency",
    "cost_per_contact": "currency per contact",
    "mean_agent_burnout": "0–1",
    "mean_agent_skill": "0–1",
    "customers_end": "customers",
    "backlog_end": "contacts",
    "mean_handoffs": "handoffs per journey",
    "agent_attrition_annual": "per agent-year",
    "affected_loyalty_retained": "0–1, leavers as 0",
    "incident_contacts": "contacts",
}
SHARE_WORDS = ("p_", "share", "service_level", "fcr", "occupancy", "churn_affected")


def unit_of(metric: str) -> str:
    if metric in UNITS:
        return UNITS[metric]
    if metric.endswith("_min"):
        return "min"
    if metric.endswith("_annual"):
        return "per year"
    if metric.startswith(SHARE_WORDS) or any(word in metric for word in SHARE_WORDS[1:]):
        return "share"
    return "count"


def axis_label(metric: str) -> str:
    """``churn rate annual (per customer-year)``: the key in words, with its unit."""
    return f"{metric.replace('_', ' ')} ({unit_of(metric)})"
