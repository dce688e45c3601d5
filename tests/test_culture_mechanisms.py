"""Staffing and culture are levers whose effects run through agents.

Every comparison runs both arms on the same seeds (common random numbers: the same
customers with the same issues, the same people with the same traits and resilience) and
asserts that the 95% CI of the paired difference excludes zero in the stated direction.
"""

from __future__ import annotations

import functools

import pytest

from sim.analysis.statistics.replications import paired_difference, replicate

from .conftest import compose_config

SEEDS = range(5)
# A third of a year of a half-size organisation with queues: fast, and every lever bites.
BASE = ("scenario=effort", "horizon_days=120", "output.figures=false")


@functools.cache
def runs(*overrides: str):
    return tuple(replicate(compose_config([*BASE, *overrides]), SEEDS, workers=2))


def assert_moves(moves: dict[str, int], treatment, reference, base=runs) -> None:
    """Each key moves in its direction (+1 up, −1 down): 95% CI of the paired difference
    excludes zero. One test per comparison, so its runs are made once."""
    failures = []
    for key, direction in moves.items():
        diff = paired_difference(base(*treatment), base(*reference), key)
        if not (diff.excludes_zero() and direction * diff.mean > 0):
            failures.append(f"{key}: expected {'+' if direction > 0 else '−'}, got {diff}")
    assert not failures, "\n".join(failures)


def test_deflection_pressure():
    """Handle-time targets and "follow the policy": shorter contacts and fewer
    escalations, but fewer problems solved and more customers lost."""
    assert_moves(
        {"mean_handle_time_min": -1, "escalations": -1, "fcr": -1, "churn_rate_annual": +1},
        ("culture.deflection_pressure=0.4",),
        ("culture.deflection_pressure=0.05",),
    )


def test_empowerment():
    """A front line allowed to resolve and compensate hands fewer customers on."""
    assert_moves(
        {"mean_handoffs": -1, "fcr": +1, "escalations": -1},
        ("culture.empowerment=0.6",),
        ("culture.empowerment=0.1",),
    )


def test_lip_service_against_customer_first():
    """Same staffing: saying customer-first without practising it loses loyalty and
    satisfaction, and customers."""
    assert_moves(
        {"mean_loyalty_end": -1, "mean_satisfaction_end": -1, "churn_rate_annual": +1},
        ("culture=lip_service",),
        ("culture=customer_first",),
    )


def test_lip_service_is_worse_than_an_honest_cost_center():
    """The same practice; only the claim differs: inauthentic care is discounted, so the
    same encounters leave customers less satisfied and less loyal (lip_service)."""
    assert_moves(
        {"mean_loyalty_end": -1, "mean_satisfaction_end": -1},
        ("culture=lip_service",),
        ("culture=cost_center",),
    )


# Full size: scaled down, lean and baseline round to nearly the same small pools.
HALF_YEAR = ("horizon_days=182", "output.figures=false")


@functools.cache
def half_year_runs(*overrides: str):
    """Half a year of the default organisation: long enough for burnout to settle."""
    return tuple(replicate(compose_config([*HALF_YEAR, *overrides]), range(4), workers=2))


@pytest.mark.validation
def test_lean_staffing_burns_people_out():
    """Fewer agents for the same demand: busier agents, more burnout, more quit. Attrition
    is compared by its hazard (expected quits given the burnout lived through), whose
    paired difference is not drowned by the coin flips of a few dozen quits."""
    assert_moves(
        {"occupancy": +1, "mean_agent_burnout": +1, "agent_attrition_hazard_annual": +1},
        ("staffing=lean",),
        ("staffing=baseline",),
        base=half_year_runs,
    )


CHANGE = (
    "scenario=new_management",
    "horizon_days=240",
    "culture.change_at_day=120",
    "size=small",
)


@functools.cache
def after_change(*overrides: str):
    """Measured from the change on (warm-up = the months before it)."""
    config = compose_config([*CHANGE, "warmup_days=120", "output.figures=false", *overrides])
    return tuple(replicate(config, SEEDS, workers=2))


@pytest.mark.validation
def test_new_management():
    """The new-management story: after new management arrives, more handoffs, less skill,
    more churn than in the same organisation without the change."""
    assert_moves(
        {
            "mean_handoffs": +1,
            "p_handoffs_ge_4": +1,
            "mean_agent_skill": -1,
            "fcr": -1,
            "churn_rate_annual": +1,
        },
        (),
        ("culture.change_at_day=null",),
        base=after_change,
    )
