"""Schema of the money that outlasts the run window: what a customer is worth.

A run counts revenue and cost inside its window only; a customer lost on day 100 of a
120-day run would then cost 20 days of revenue. These settings value the customers
gained and lost at their lifetime value instead (``sim.model.value``, ``docs/metrics.md``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.config.constraints import number, probability
from sim.config.policy import MAX_MONEY


@dataclass
class FinanceConfig:
    """Discounting, margin and acquisition cost for customer lifetime value.

    ``discount_rate_per_year``: Gupta, Lehmann & Stuart (2004, "Valuing Customers", JMR
    41(1)) value customers at 12 % a year. ``margin_share``: the share of revenue left
    after the cost of providing the service, before the customer service this model
    costs itself; US wireless carriers report EBITDA margins of about a third (Triton PCS,
    2003: 33 %), to which the care costs counted here add a few points. ``acquisition_cost``
    per new customer: wireless carriers' cost per gross addition, about $350-400
    (Investopedia, "Cost per gross addition"; MetroPCS 2012: $202 for prepaid).
    """

    discount_rate_per_year: float = number(0.12, ge=0.0, le=1.0)
    margin_share: float = probability(0.4)
    acquisition_cost: float = number(350.0, ge=0.0, le=MAX_MONEY)
