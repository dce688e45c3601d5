"""Each customer mechanism has a switch, and switching it moves outcomes the stated way.

Every comparison runs both arms on the same seeds (common random numbers) and asserts that
the 95% CI of the paired difference excludes zero in the stated direction. The base is the
`effort` preset cut to 120 days: ordinary operation of a half-size organisation with queues
(so that waiting, and therefore expectations, matter).
"""

from __future__ import annotations

import functools

import pytest

from sim.analysis.statistics.replications import paired_difference, replicate

from .conftest import compose_config

SEEDS = range(5)
BASE = ("scenario=effort", "horizon_days=120", "output.figures=false")
# The ratchet acts on a customer's *next* issue: give them several within the window.
FREQUENT_ISSUES = (
    "customers.standard.issue_rate_per_year=5",
    "customers.premium.issue_rate_per_year=6",
)


@functools.cache
def runs(*overrides: str):
    return tuple(replicate(compose_config([*BASE, *overrides]), SEEDS, workers=2))


def effect(key: str, treatment: tuple[str, ...], reference: tuple[str, ...] = ()):
    return paired_difference(runs(*treatment), runs(*reference), key)


@pytest.mark.parametrize(
    ("mechanism", "switched", "reference", "key", "direction"),
    [
        (
            "expectation drift lowers loyalty",
            ("customers.expectations.drift=true", "customers.expectations.half_life_years=0.25"),
            ("customers.expectations.drift=false",),
            "mean_loyalty_end",
            -1,
        ),
        pytest.param(  # five issues a customer-year: ≈ 45 s, in `make validation`
            "the ratchet: service faster than expected makes customers expect it again",
            ("customers.expectations.ratchet_rate=0.2", *FREQUENT_ISSUES),
            ("customers.expectations.ratchet_rate=0", *FREQUENT_ISSUES),
            "mean_expectation_multiplier_end",
            -1,
            marks=pytest.mark.validation,
        ),
        (
            "effort costs loyalty",
            (),
            ("customers.experience.effort_weight=0",),
            "mean_loyalty_end",
            -1,
        ),
        (
            "trust buffers failures: without it more customers leave",
            ("customers.loyalty.trust_buffer=0",),
            (),
            "churn_rate_annual",
            +1,
        ),
        (
            "negative word of mouth lowers acquisition",
            (),
            ("customers.word_of_mouth.enabled=false",),
            "customers_acquired",
            -1,
        ),
        (
            "acquisition replaces churned customers",
            (),
            ("customers.acquisition.enabled=false",),
            "customers_end",
            +1,
        ),
        (
            "a cornered market hides defection",
            ("market.alternatives=0.3",),
            (),
            "churn_rate_annual",
            -1,
        ),
    ],
    ids=lambda v: v if isinstance(v, str) and " " in v else None,
)
def test_mechanism_moves_outcome(mechanism, switched, reference, key, direction):
    diff = effect(key, switched, reference)
    assert diff.excludes_zero(), f"{mechanism}: {key} difference {diff}"
    assert direction * diff.mean > 0, f"{mechanism}: {key} moved the wrong way: {diff}"
