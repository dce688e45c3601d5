"""Mechanisms of the reference organisation: routine requests, churn no service can prevent,
shrinkage, and a survey layer that answers without acting."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from sim import run
from sim.analysis.statistics.replications import paired_difference, replicate
from sim.config import ConfigError, ExperienceConfig, LoyaltyConfig, SurveyConfig
from sim.metrics import CustomerStats
from sim.model.customers import ProblemOutcome
from sim.model.experience import Signals, experience, pain, updated_loyalty_and_trust
from sim.model.survey import Survey, stated_disloyalty, stated_intention

from .conftest import compose_config, erlang_config

WEIGHTS = ExperienceConfig()
# A cohort with no service-driven churn and no newcomers: what leaves, leaves unpreventably.
QUIET = [
    "customers.population=20000",
    "customers.acquisition.enabled=false",
    "customers.defection.monthly_base=0",
    "customers.defection.monthly_span=0",
    "customers.defection.journey_span=0",
    "warmup_days=0",
]


def test_a_request_handled_well_leaves_loyalty_where_it_was():
    fine = Signals(severity=0.3, contacted=True, resolved=True, routine=True, duration_min=1.0)
    assert experience(fine, WEIGHTS).score == 0.0  # even faster than expected: no delight
    problem = Signals(severity=0.3, contacted=True, resolved=True, duration_min=1.0)
    assert experience(problem, WEIGHTS).score > 0.0  # a problem fixed fast does delight
    slow = Signals(severity=0.3, contacted=True, resolved=True, routine=True, duration_min=100.0)
    unresolved = Signals(severity=0.3, contacted=True, routine=True, effort=2)
    assert experience(slow, WEIGHTS).score < 0.0
    assert experience(unresolved, WEIGHTS).score < experience(slow, WEIGHTS).score


def test_requests_arrive_at_their_rate_and_are_not_problems():
    config = compose_config(
        [*QUIET, "horizon_days=120", "customers.requests.rate_per_year=2.0"]
        + [f"customers.{s}.issue_rate_per_year=0" for s in ("standard", "premium")]
    )
    summary = run(config, 1).summary
    expected = 2.0 * summary["mean_customers"] * 120 / 365
    assert abs(summary["requests"] - expected) < 4 * math.sqrt(expected)
    # Every request becomes a contact (a few deferred past the horizon by closed lines).
    assert summary["issues"] == 0 and summary["contacts_arrived"] >= 0.99 * summary["requests"]
    # Nobody had a problem: no TARP class is filled, but contacts are surveyed for effort.
    assert summary["would_repurchase_silent"] is None
    assert summary["would_repurchase_resolved_fast"] is None
    assert summary["disloyal_share_low_effort"] is not None


def test_unpreventable_churn_runs_at_its_rate_whatever_the_service():
    rate = 0.12
    config = compose_config(
        [*QUIET, "horizon_days=365", f"customers.defection.unpreventable_per_year={rate}"]
    )
    summary = run(config, 2).summary
    leavers = summary["customers_churned"]
    assert summary["customers_churned_unpreventable"] == leavers
    assert summary["churn_rate_service_annual"] == 0.0
    # Leavers per customer-year estimate the hazard; Poisson error on the count.
    customer_years = summary["mean_customers"]
    assert abs(leavers - rate * customer_years) < 4 * math.sqrt(rate * customer_years)
    assert summary["churn_rate_unpreventable_annual"] == pytest.approx(
        leavers / customer_years, rel=1e-9
    )


def test_unpreventable_churn_adds_to_service_churn_without_changing_it():
    """Common random numbers: the service-driven leavers of a run without moves are the
    same customers with moves on, minus those who moved away first."""
    base = ["customers.population=30000", "horizon_days=200"]
    without = run(compose_config(base), 3).summary
    moving = run(compose_config([*base, "customers.defection.unpreventable_per_year=0.1"]), 3)
    moving = moving.summary
    assert moving["customers_churned_unpreventable"] > 0
    assert moving["customers_churned"] > without["customers_churned"]
    assert moving["churn_rate_service_annual"] <= without["churn_rate_service_annual"] * 1.05


def test_stated_intention_rises_with_loyalty_and_the_handling():
    cfg = SurveyConfig()
    assert stated_intention(0.9, 0.0, cfg) > stated_intention(0.5, 0.0, cfg)
    assert stated_intention(0.5, 0.3, cfg) > stated_intention(0.5, -0.3, cfg)
    assert stated_intention(cfg.midpoint, 0.0, cfg) == pytest.approx(0.5)
    assert stated_disloyalty(cfg.disloyal_below, 0.0, cfg) == pytest.approx(0.5)
    assert stated_disloyalty(0.2, -0.5, cfg) > stated_disloyalty(0.9, 0.2, cfg)
    assert 0.0 < stated_intention(-1e6, 0.0, cfg) < 1e-12  # no overflow at the extremes


def test_high_effort_is_several_effort_events_and_one_counts_as_neither():
    stats = CustomerStats()
    survey = Survey(SurveyConfig(high_effort_min=2), stats)
    for effort in (0, 1, 2, 3):
        survey.after_contact(effort, 0.5, 0.0)
    assert (stats.low_effort, stats.high_effort) == (1, 2)
    survey.after_problem(ProblemOutcome.RESOLVED_FAST, 0.5, 0.0)
    assert stats.asked_resolved_fast == 1 and stats.would_repurchase_resolved_fast > 0


def test_survey_answers_never_change_what_customers_do():
    base = ["customers.population=20000", "horizon_days=60"]
    one = run(compose_config(base), 5).summary
    other = run(compose_config([*base, "customers.survey.midpoint=0.9"]), 5).summary
    answers = {k for k in one if k.startswith(("would_repurchase", "disloyal_share"))}
    assert all(one[k] == other[k] for k in one if k not in answers)
    assert one["would_repurchase_resolved"] > other["would_repurchase_resolved"]


def test_tarp_order_emerges_from_the_state_answers_are_read_from():
    summary = run(compose_config(["customers.population=30000", "horizon_days=120"]), 6).summary
    shares = [
        summary[f"would_repurchase_{c}"]
        for c in ("silent", "unresolved", "resolved", "resolved_fast")
    ]
    assert np.all(np.diff(shares) > 0), shares
    assert summary["disloyal_share_high_effort"] > summary["disloyal_share_low_effort"]


def test_shrinkage_is_paid_time_away_that_costs_service():
    """Scheduled ≠ available: 20 % of 14 scheduled agents away each hour on average leaves
    about 11.2 taking calls, the same wage bill, and a worse service level (same arrivals)."""
    knobs = (100.0, 6.0, 14, 5.0, 60.0)
    full = run(erlang_config(*knobs), 7).summary
    shrunk = run(
        erlang_config(
            *knobs, "staffing.shrinkage.planned=0.15", "staffing.shrinkage.unplanned=0.05"
        ),
        7,
    ).summary
    assert full["shrinkage"] == 0.0
    assert shrunk["shrinkage"] == pytest.approx(0.20, abs=0.01)
    assert shrunk["pool_phone_mean_agents"] == pytest.approx(14 * 0.8, abs=0.2)
    assert shrunk["paid_agent_hours"] == pytest.approx(full["paid_agent_hours"], rel=2e-3)
    assert shrunk["staffing_cost"] == pytest.approx(full["staffing_cost"], rel=2e-3)
    assert shrunk["service_level"] < full["service_level"] - 0.05
    assert shrunk["p_abandon"] > full["p_abandon"]


def test_shrinkage_beyond_nine_tenths_is_refused():
    with pytest.raises(ConfigError, match="unplanned"):
        compose_config(["staffing.shrinkage.planned=0.6", "staffing.shrinkage.unplanned=0.4"])


def test_an_incident_blamed_less_costs_less_pain_resentment_and_trust():
    """Attribution (Folkes 1984): a shared, passing cause is laid less at our door."""
    assert pain(1.2, WEIGHTS, blame=0.1) == pytest.approx(0.1 * pain(1.2, WEIGHTS))
    ours = Signals(severity=1.2, contacted=False, prior_failures=1.0)
    shared = Signals(severity=1.2, contacted=False, prior_failures=1.0, blame=0.1)
    assert experience(shared, WEIGHTS).score == pytest.approx(0.1 * experience(ours, WEIGHTS).score)
    loyalty = LoyaltyConfig()
    _, trust_ours = updated_loyalty_and_trust(0.7, 0.6, -0.5, 0.0, loyalty)
    _, trust_shared = updated_loyalty_and_trust(0.7, 0.6, -0.5, 0.0, loyalty, blame=0.1)
    assert trust_ours == pytest.approx(0.6 * (1 - loyalty.trust_failure_drop))
    assert trust_shared == pytest.approx(0.6 * (1 - 0.1 * loyalty.trust_failure_drop))
    # The handling of a contact it causes is ours in full: blame does not enter it.
    slow = Signals(severity=1.2, contacted=True, duration_min=600.0, blame=0.1)
    assert experience(slow, WEIGHTS) == experience(replace(slow, blame=1.0), WEIGHTS)


def test_an_outage_blamed_in_full_drives_the_affected_away():
    """The same outage, the same customers hit (common random numbers): blamed like a
    private failure, it costs the affected more loyalty and more of them leave."""
    outage = ["scenario=northwind_outage", "horizon_days=60", "customers.population=20000"]
    outage.append("staffing.scale=0.04")  # the small organisation's staffing per customer
    shared = replicate(compose_config(outage), range(6), workers=2)
    private = replicate(compose_config([*outage, "incidents.blame=1.0"]), range(6), workers=2)
    churn = paired_difference(private, shared, "churn_affected")
    assert churn.low > 0.01, churn  # points, not tenths: blame is most of an outage's harm
    assert paired_difference(private, shared, "affected_loyalty_retained").high < 0


def _after_an_incident_issue(blame: float) -> tuple[float, float, float]:
    """(change in grievance, in loyalty, in recent failures) of one customer who suffers
    one incident's problem in silence, in a world where incidents carry ``blame``."""
    from sim.model.org import SupportOrg

    config = compose_config(
        ["size=tiny", "horizon_days=2", "warmup_days=1", f"incidents.blame={blame}"]
    )
    behaviour = SupportOrg(config, 0).customers
    pop = behaviour.population
    before = (pop.grievance_of[0], pop.loyalty_of[0], pop.failures_of[0])
    behaviour._raise_issue(0, 0, 1.2, 0.999999, 0.0, 0.0, incident=True)  # silent
    after = (pop.grievance_of[0], pop.loyalty_of[0], pop.failures_of[0])
    return tuple(a - b for a, b in zip(after, before))


def test_the_pain_of_an_incident_is_laid_at_our_door_only_as_far_as_it_is_blamed():
    """Every part of what an incident's problem does to a customer — its pain now, the
    grievance it leaves, the failure remembered — scales with the blame (the handling of
    a contact it causes does not: test above)."""
    grievance_shared, loyalty_shared, failures_shared = _after_an_incident_issue(0.1)
    grievance_ours, loyalty_ours, failures_ours = _after_an_incident_issue(1.0)
    assert grievance_ours > 0 and loyalty_ours < 0
    assert grievance_shared == pytest.approx(0.1 * grievance_ours, rel=1e-9)
    assert (failures_shared, failures_ours) == pytest.approx((0.1, 1.0))
    assert loyalty_ours < loyalty_shared < 0
