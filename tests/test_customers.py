"""The customer model's parts on hand-checked numbers: population, score, loyalty and trust."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim import run
from sim.config import ExperienceConfig, LoyaltyConfig
from sim.model.customers import Population, RetentionTally, StateTime
from sim.model.experience import (
    Signals,
    encounter_satisfaction,
    experience,
    experience_score,
    pain,
    strictness,
    updated_loyalty_and_trust,
)

from .conftest import compose_config

WEIGHTS = ExperienceConfig()
PARAMS = LoyaltyConfig()


def admit(pop: Population, segments: list[int], now: float = 0.0) -> np.ndarray:
    n = len(segments)
    return pop.add(
        np.array(segments, dtype=np.int8),
        np.full(n, 0.8),
        np.full(n, 0.6),
        np.ones(n),
        np.zeros(n, dtype=np.int8),
        now,
    )


def test_population_adds_removes_and_picks_by_position():
    pop = Population(capacity=4, n_segments=2)
    slots = admit(pop, [0, 1, 0, 1, 1, 0])  # grows beyond the initial capacity
    assert pop.counts == [3, 3] and pop.n_active == 6 and pop.capacity >= 6
    picked = {pop.slot_at(u) for u in np.linspace(0, 0.999, 200)}
    assert picked == set(range(pop.capacity))  # every position, active or not
    gone = int(slots[3])
    pop.remove(gone, now_min=10.0)
    assert pop.counts == [3, 2] and not pop.active[gone]
    again = admit(pop, [0], now=20.0)
    assert int(again[0]) == gone  # the slot is reused ...
    assert pop.uid[gone] != 3  # ... by a different customer


def test_one_customer_views_are_the_arrays_even_after_they_grow():
    """The per-journey path reads and writes through memoryviews (``loyalty_of``): they
    must stay views of the live arrays when admissions grow them."""
    pop = Population(capacity=16, n_segments=2)
    first = int(admit(pop, [0])[0])
    pop.loyalty_of[first] = 0.25
    later = admit(pop, [1] * 40)  # grows the arrays: new memory
    assert pop.capacity >= 41 and pop.loyalty[first] == 0.25  # kept across the growth
    slot = int(later[-1])
    pop.loyalty_of[slot] = 0.125
    pop.problems_of[slot] += 2
    pop.active_of[first] = False
    assert pop.loyalty[slot] == 0.125 and pop.problems[slot] == 2 and not pop.active[first]
    pop.trust[slot] = 0.5  # and the other way round
    assert pop.trust_of[slot] == 0.5 and type(pop.trust_of[slot]) is float
    assert pop.segment_of[slot] == 1 and pop.uid_of[slot] == pop.uid[slot]


def test_defection_threshold_race_is_a_bernoulli_draw_per_occasion():
    """Leaving when accumulated hazard −Σlog(1−p) reaches an Exp(1) threshold is the same
    as an independent p-draw at each occasion: P(still here after k) = Π(1 − p)."""
    rng = np.random.default_rng(3)
    n = 40_000
    pop = Population(capacity=n, n_segments=1)
    pop.add(
        np.zeros(n, dtype=np.int8), np.full(n, 0.8), np.full(n, 0.6), np.ones(n),
        np.zeros(n, dtype=np.int8), 0.0, defect_threshold=rng.exponential(1.0, n),
    )  # fmt: skip
    slots = np.arange(n)
    left = set()
    for p in (0.1, 0.25, 0.05):
        left |= set(pop.add_hazards(slots, np.full(n, p)).tolist())
    expected = 1 - 0.9 * 0.75 * 0.95
    assert abs(len(left) / n - expected) < 4 * math.sqrt(expected * (1 - expected) / n)
    assert not pop.add_hazard(0, 0.0) or 0 in left  # a zero-probability occasion never tips
    assert pop.add_hazard(1, 1.0)  # a certain one always does


def test_first_problems_survive_churn_for_retention():
    """Tallied as customers leave: kept if still here ``after_min`` after the problem."""
    pop = Population(capacity=8, n_segments=1, retention=RetentionTally(4, 50.0, 200.0))
    a, b, c, d = admit(pop, [0, 0, 0, 0]).tolist()
    for slot, outcome, problem_min in ((a, 2, 5.0), (b, 0, 7.0), (c, 2, 10.0), (d, 1, 180.0)):
        pop.first_problem[slot], pop.first_problem_min[slot] = outcome, problem_min
    pop.remove(a, now_min=30.0)  # left 25 min after its problem: not kept
    pop.remove(c, now_min=100.0)  # left 90 min after: kept
    kept, total = pop.retention_counts()  # b stays (kept); d's problem is too late to count
    assert total.tolist() == [1, 0, 2, 0] and kept.tolist() == [1, 0, 1, 0]


def test_loyalty_recovers_towards_baseline_and_grievance_fades():
    pop = Population(capacity=4, n_segments=1)
    slot = int(admit(pop, [0])[0])
    pop.loyalty[slot], pop.grievance[slot] = 0.4, 1.0
    time = StateTime(baseline=0.8, recovery_half_life_min=100.0, grievance_half_life_min=50.0)
    pop.bring_one_up_to_date(slot, 100.0, time)
    assert pop.loyalty[slot] == pytest.approx(0.6)
    assert pop.grievance[slot] == pytest.approx(0.25)


def test_silence_costs_in_proportion_to_pain():
    small = experience(Signals(severity=0.5, contacted=False), WEIGHTS).score
    large = experience(Signals(severity=2.0, contacted=False), WEIGHTS).score
    assert small == pytest.approx(-WEIGHTS.silent_weight * 0.5)
    assert large == pytest.approx(4 * small)


def test_being_told_before_the_problem_spares_a_silent_customer_part_of_the_resentment():
    """Outreach that arrived first: the silent score keeps (1 − acknowledged) of itself."""
    unheard = experience(Signals(severity=1.0, contacted=False), WEIGHTS).score
    told = experience(Signals(severity=1.0, contacted=False, acknowledged=0.8), WEIGHTS).score
    assert unheard < told < 0
    assert told == pytest.approx(0.2 * unheard)


def test_losses_weigh_more_than_gains():
    base = {"severity": 1.0, "contacted": True, "resolved": True, "expected_min": 2.0}
    faster = experience(Signals(duration_min=1.0, **base), WEIGHTS).speed
    slower = experience(Signals(duration_min=4.0, **base), WEIGHTS).speed
    assert faster > 0 > slower
    assert abs(slower) > abs(faster)


def test_effort_care_and_compensation_move_the_score():
    base = {"severity": 2.0, "contacted": True, "resolved": True, "duration_min": 1.0}
    plain = experience(Signals(**base), WEIGHTS).score
    effortful = experience(Signals(effort=2, **base), WEIGHTS).score
    assert plain - effortful == pytest.approx(2 * WEIGHTS.effort_weight)
    cared = experience(Signals(care=1.0, **base), WEIGHTS).score
    lip_service = experience(Signals(care=1.0, authenticity=0.3, **base), WEIGHTS).score
    assert cared > lip_service > plain
    # Compensation counts relative to pain and saturates at the pain.
    half = experience(Signals(credit=1.0, **base), WEIGHTS).compensation
    full = experience(Signals(credit=2.0, **base), WEIGHTS).compensation
    more = experience(Signals(credit=5.0, **base), WEIGHTS).compensation
    assert half == pytest.approx(full / 2) and more == full


def test_being_told_to_accept_the_policy_hurts_beyond_the_failure():
    """A deflected journey ("that is our policy") scores below the same unresolved one."""
    base = {"severity": 1.0, "contacted": True, "resolved": False, "duration_min": 3.0}
    failed = experience(Signals(**base), WEIGHTS)
    deflected = experience(Signals(deflected=True, **base), WEIGHTS)
    assert failed.resolution - deflected.resolution == pytest.approx(WEIGHTS.deflection_weight)
    assert deflected.score < failed.score < 0


def test_a_premium_standard_sharpens_failures_and_dulls_fixes_by_the_expectation_ratio():
    """Held to a standard 0.6 of the usual time (elasticity 1): an unresolved problem, an
    effort event and a deflection weigh 1/0.6 as much, a fix 0.6 as much; response time is
    judged as before (it has its own expectation); a standard customer is unchanged."""
    strict = strictness(0.6, WEIGHTS)
    assert strict == pytest.approx(1 / 0.6) and strictness(1.0, WEIGHTS) == 1.0
    assert strictness(0.6, ExperienceConfig(standard_elasticity=0.0)) == 1.0
    failed = {"severity": 2.0, "contacted": True, "resolved": False, "duration_min": 3.0}
    plain, held = (
        experience(Signals(effort=1, strictness=s, **failed), WEIGHTS) for s in (1, strict)
    )
    assert held.resolution == pytest.approx(plain.resolution / 0.6)
    assert held.effort == pytest.approx(plain.effort / 0.6) and held.speed == plain.speed
    fixed = {**failed, "resolved": True}
    plain, held = (experience(Signals(strictness=s, **fixed), WEIGHTS) for s in (1, strict))
    assert held.resolution == pytest.approx(0.6 * plain.resolution)
    assert held.resolution > 0
    deflected = {**failed, "deflected": True}
    plain, held = (experience(Signals(strictness=s, **deflected), WEIGHTS) for s in (1, strict))
    assert held.resolution == pytest.approx(plain.resolution / 0.6)


def test_trust_buffers_failures_and_is_spent_by_them():
    trusting, _ = updated_loyalty_and_trust(0.8, 0.9, -0.5, 0.0, PARAMS)
    wary, _ = updated_loyalty_and_trust(0.8, 0.1, -0.5, 0.0, PARAMS)
    assert wary < trusting < 0.8  # the mulligan: trust softens the same failure
    trust = 0.9
    for _ in range(3):
        _, trust = updated_loyalty_and_trust(0.8, trust, -0.5, 0.0, PARAMS)
    assert trust == pytest.approx(0.9 * (1 - PARAMS.trust_failure_drop) ** 3)
    _, regained = updated_loyalty_and_trust(0.8, 0.3, 0.2, 1.0, PARAMS)
    assert regained > 0.3  # care shown in a good experience rebuilds trust


@pytest.mark.parametrize("score", [-50.0, -1.0, 0.0, 1.0, 50.0])
def test_loyalty_stays_in_the_unit_interval(score):
    for loyalty in (0.0, 0.3, 1.0):
        new, trust = updated_loyalty_and_trust(loyalty, 0.5, score, 1.0, PARAMS)
        assert 0.0 <= new <= 1.0 and 0.0 <= trust <= 1.0


def test_customers_are_conserved_exactly():
    summary = run(compose_config(["horizon_days=60", "size=small"]), 4).summary
    assert summary["customers_acquired"] > 0 and summary["customers_churned"] > 0
    assert (
        summary["customers_start"] + summary["customers_acquired"] - summary["customers_churned"]
        == summary["customers_end"]
    )
    assert 0 < summary["mean_loyalty_end"] < 1 and -100 <= summary["nps"] <= 100


def test_pain_is_paid_when_the_problem_happens_and_repeats_disappoint_more():
    assert pain(2.0, WEIGHTS) == pytest.approx(-2 * WEIGHTS.pain_weight)
    base = {"severity": 1.0, "contacted": True, "resolved": True, "duration_min": 1.0}
    first = experience(Signals(**base), WEIGHTS)
    again = experience(Signals(prior_failures=1.0, **base), WEIGHTS)
    assert first.score - again.score == pytest.approx(WEIGHTS.repeat_weight)


def test_satisfaction_is_a_logistic_evaluation_of_the_handling():
    assert encounter_satisfaction(0.0, WEIGHTS) == pytest.approx(0.5)
    good, bad = encounter_satisfaction(0.5, WEIGHTS), encounter_satisfaction(-0.5, WEIGHTS)
    assert good == pytest.approx(1 - bad) and 0.5 < good < 1


@given(
    severity=st.floats(0.0, 5.0),
    contacted=st.booleans(),
    resolved=st.booleans(),
    duration_min=st.floats(0.0, 10_000.0),
    expected_min=st.floats(0.1, 10_000.0),
    effort=st.integers(0, 6),
    care=st.floats(0.0, 1.0),
    credit=st.floats(0.0, 3.0),
    deflected=st.booleans(),
    prior_failures=st.floats(0.0, 4.0),
    routine=st.booleans(),
    blame=st.floats(0.0, 1.0),
    strictness=st.floats(0.5, 2.0),
)
def test_the_per_journey_score_is_the_components_sum(**fields: float) -> None:
    """The per-journey path's score (no components record) is exactly the components'
    sum, to the bit."""
    signals = Signals(**fields)
    assert experience_score(signals, WEIGHTS) == experience(signals, WEIGHTS).score
