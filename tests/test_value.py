"""Customer lifetime value (``sim.model.value``) against its closed form and the series it
sums, on constructed cases whose every number is worked out here by hand."""

from __future__ import annotations

import math

import pytest

from sim.config import FinanceConfig
from sim.model.value import VALUE_KEYS, customer_value, lifetime_value


def discounted_margin_by_month(margin: float, retention: float, discount: float) -> float:
    """The series itself, month by month, until what is left is negligible."""
    total, weight, month = 0.0, 1.0, 0
    while month < 100_000:
        month += 1
        weight *= retention / (1.0 + discount)
        total += margin * weight
        if weight < 1e-16:
            break
    return total


@pytest.mark.parametrize(
    ("margin", "retention", "discount"),
    [(20.0, 0.99, 0.00949), (48.0, 0.95, 0.0), (5.0, 0.999, 0.02), (100.0, 0.5, 0.01)],
)
def test_the_closed_form_is_the_discounted_series(margin, retention, discount):
    expected = discounted_margin_by_month(margin, retention, discount)
    assert lifetime_value(margin, retention, discount) == pytest.approx(expected, rel=1e-9)


def test_a_customer_who_never_leaves_undiscounted_is_worth_no_finite_sum():
    assert math.isinf(lifetime_value(20.0, 1.0, 0.0))


def constructed_summary() -> dict:
    """1,000 customers on average for a year: 12,000 customer-months, 120 of them ended
    by churn (a hazard of 0.01 a month), $600,000 of revenue ($50 a customer-month)."""
    return {
        "days_measured": 365.0,
        "mean_customers": 1000.0,
        "customers_churned": 120,
        "customers_acquired": 150,
        "revenue": 600_000.0,
        "cost_total": 80_000.0,
    }


def test_net_value_counts_the_lifetime_of_every_customer_won_and_lost():
    finance = FinanceConfig(discount_rate_per_year=0.12, margin_share=0.4, acquisition_cost=300.0)
    value = customer_value(constructed_summary(), finance)
    margin = 0.4 * 50.0  # $20 a customer-month
    retention = math.exp(-0.01)
    monthly_discount = 1.12 ** (1 / 12) - 1  # 0.949 % a month
    clv = margin * retention / (1 + monthly_discount - retention)
    assert clv == pytest.approx(1018.62, abs=0.01)  # ≈ 51 months of margin
    assert value["margin_per_customer_month"] == pytest.approx(20.0)
    assert value["expected_lifetime_months"] == pytest.approx(100.0)
    assert value["customer_lifetime_value"] == pytest.approx(clv)
    assert value["future_margin_gained"] == pytest.approx(150 * clv)
    assert value["future_margin_lost"] == pytest.approx(120 * clv)
    assert value["acquisition_spend"] == pytest.approx(45_000.0)
    window_margin = 0.4 * 600_000 - 80_000
    assert value["net_value"] == pytest.approx(window_margin - 45_000 + 30 * clv)


def test_losing_more_customers_costs_their_lifetime_and_makes_the_rest_worth_less():
    finance = FinanceConfig()
    base = constructed_summary()
    worse = {**base, "customers_churned": 240}
    kept, lost = customer_value(base, finance), customer_value(worse, finance)
    assert lost["customer_lifetime_value"] < kept["customer_lifetime_value"]
    extra_loss = kept["net_value"] - lost["net_value"]
    assert extra_loss > 120 * lost["customer_lifetime_value"]  # 120 more customers' futures


def test_no_customer_months_or_no_end_to_a_customer_leaves_the_value_undefined():
    never = FinanceConfig(discount_rate_per_year=0.0)
    assert customer_value(
        {**constructed_summary(), "customers_churned": 0}, never
    ) == dict.fromkeys(VALUE_KEYS)
    empty = {**constructed_summary(), "mean_customers": 0.0}
    assert customer_value(empty, FinanceConfig()) == dict.fromkeys(VALUE_KEYS)
