"""What the customers gained and lost in a run are worth beyond its window.

A customer is worth the discounted margin of the months they stay (Gupta, Lehmann &
Stuart 2004): with margin ``m`` a month, monthly retention ``r`` and monthly discount
rate ``δ``,

    CLV = Σ_{t ≥ 1} m · r^t / (1 + δ)^t = m · r / (1 + δ − r).

The run's own realised churn hazard gives ``r`` (a constant hazard ``h`` per customer-
month keeps ``r = e^(−h)``), so a policy that drives customers away also makes each one
who stays worth less. ``net_value`` then counts, besides the window's margin and costs,
the lifetime value of every customer won (less what winning them cost) and of every
customer lost; ``net_value_window`` keeps the window-only figure.
"""

from __future__ import annotations

import math

from sim.config import FinanceConfig
from sim.metrics import Summary
from sim.units import DAYS_PER_YEAR

MONTHS_PER_YEAR = 12


def lifetime_value(margin_per_month: float, retention_per_month: float, discount: float) -> float:
    """Closed form of the discounted margin of a customer who stays each month with
    probability ``retention_per_month`` (∞ if nothing discounts or ends it)."""
    denominator = 1.0 + discount - retention_per_month
    return margin_per_month * retention_per_month / denominator if denominator > 0 else math.inf


def customer_value(summary: Summary, finance: FinanceConfig) -> Summary:
    """The lifetime-value keys of a window's summary (which must have customers)."""
    days = summary["days_measured"]
    customer_months = summary["mean_customers"] * days * MONTHS_PER_YEAR / DAYS_PER_YEAR
    if customer_months <= 0:
        return dict.fromkeys(VALUE_KEYS)
    hazard_per_month = summary["customers_churned"] / customer_months
    margin = finance.margin_share * summary["revenue"] / customer_months
    discount = (1.0 + finance.discount_rate_per_year) ** (1.0 / MONTHS_PER_YEAR) - 1.0
    clv = lifetime_value(margin, math.exp(-hazard_per_month), discount)
    if not math.isfinite(clv):
        return dict.fromkeys(VALUE_KEYS)
    gained = summary["customers_acquired"] * clv
    lost = summary["customers_churned"] * clv
    acquisition = summary["customers_acquired"] * finance.acquisition_cost
    return {
        "margin_per_customer_month": margin,
        "expected_lifetime_months": 1.0 / hazard_per_month if hazard_per_month else None,
        "customer_lifetime_value": clv,
        "future_margin_gained": gained,
        "future_margin_lost": lost,
        "acquisition_spend": acquisition,
        "net_value": finance.margin_share * summary["revenue"]
        - summary["cost_total"]
        - acquisition
        + gained
        - lost,
    }


VALUE_KEYS = (
    "margin_per_customer_month",
    "expected_lifetime_months",
    "customer_lifetime_value",
    "future_margin_gained",
    "future_margin_lost",
    "acquisition_spend",
    "net_value",
)
