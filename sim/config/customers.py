"""Schemas of the customer model: population, expectations, experience, loyalty, defection,
word of mouth, acquisition and the market. Equations and sources: ``docs/model.md``.

Every mechanism has a switch (a flag or a zero weight) so that its effect can be measured
against the same run without it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from sim.config.constraints import (
    Range,
    integer,
    number,
    numbers,
    probability,
    section,
    weights,
)
from sim.config.errors import ConfigError

N_CHANNELS = 4
SEGMENTS: tuple[str, ...] = ("standard", "premium")
MAX_POPULATION = 10_000_000  # ≈ 3 GiB of customer arrays: what one machine can run
MAX_WEIGHT = 100.0  # experience weights are in units of one loyalty step
MIN_PER_WEEK = 10_080.0
MAX_DAYS = 36_500.0
_EXPECTED_MIN = Range(0.0, 100 * MIN_PER_WEEK, low_open=True)


@dataclass
class SegmentConfig:
    """A kind of customer: how often they have issues, where they go, what they pay."""

    share: float = probability(0.8)
    issue_rate_per_year: float = number(0.5, ge=0.0, le=365.0)
    channel_mix: list[float] = weights([0.5, 0.2, 0.25, 0.05], N_CHANNELS)
    patience_factor: float = number(1.0, gt=0.0, le=100.0)
    revenue_per_month: float = number(40.0, ge=0.0, le=1e6)
    expectation_multiplier: float = number(1.0, gt=0.0, le=100.0)


@dataclass
class IssuesConfig:
    """Severity (pain) of an issue and the chance that the customer contacts us about it.

    An issue that arises while the customer's channel is closed is raised after it opens,
    with an exponential delay of mean ``deferral_mean_min``.

    P(contact | severity s) = contact_max · (1 − exp(−s / contact_scale)): most small
    problems are suffered in silence (TARP), most painful ones are raised.

    A customer whose contact ended answered but unresolved (not fixed, or deflected)
    contacts us again about the same issue with probability ``recontact_prob``, after an
    exponential delay of mean ``recontact_delay_mean_min`` (waiting for the channel to
    open), up to ``max_contacts`` contacts in all: the repeat contacts that make low FCR
    expensive and high-effort (Dixon et al. 2010).
    """

    severity_mean: float = number(0.6, gt=0.0, le=100.0)
    severity_cv: float = number(0.8, gt=0.0, le=20.0)
    contact_max: float = probability(0.9)
    contact_scale: float = number(0.8, gt=0.0, le=100.0)
    deferral_mean_min: float = number(240.0, gt=0.0, le=MIN_PER_WEEK)
    recontact_prob: float = probability(0.6)
    recontact_delay_mean_min: float = number(180.0, gt=0.0, le=MIN_PER_WEEK)
    max_contacts: int = integer(3, ge=1, le=100)


@dataclass
class ExpectationsConfig:
    """How long customers expect an issue to take to resolve, per channel (phone, chat,
    email, social), and how that expectation drifts.

    E_c(t) = max(floor_c, E_c(0) · 2^(−t / half_life)); a customer expects m · E_c(t).
    ``drift: false`` freezes E_c; ``ratchet_rate: 0`` turns the personal ratchet off.
    """

    resolution_min: list[float] = numbers(
        [10.0, 15.0, 480.0, 120.0], _EXPECTED_MIN, length=N_CHANNELS
    )
    floor_min: list[float] = numbers([2.0, 3.0, 30.0, 15.0], _EXPECTED_MIN, length=N_CHANNELS)
    half_life_years: float = number(4.0, gt=0.0, le=1000.0)
    drift: bool = True
    ratchet_rate: float = probability(0.05)
    multiplier_floor: float = probability(0.3)


def _weight(default: float) -> Any:
    """An experience weight: ≥ 0, in units of one loyalty step."""
    return number(default, ge=0.0, le=MAX_WEIGHT)


@dataclass
class ExperienceConfig:
    """Weights of the experience of an issue: the pain of the problem itself (when it
    happens), then the score of how it was handled (when the journey ends), and the
    satisfaction that handling leaves (an evaluation separate from loyalty).

    Care shown on an answered journey is the empathy the agents who served it expressed
    (``sim.model.agents``), discounted by the culture's authenticity.

    A segment that expects faster service (``expectation_multiplier`` m < 1: premium) is
    held to that standard on the rest of the journey too: failures of resolution and
    effort weigh m^−e, a fix m^e, e = ``standard_elasticity`` (0: only response time is
    judged against the higher standard; ``sim.model.experience.strictness``).
    """

    gain_weight: float = _weight(0.12)
    loss_weight: float = _weight(0.2)
    resolved_weight: float = _weight(0.3)
    unresolved_weight: float = _weight(0.45)
    silent_weight: float = _weight(1.6)
    effort_weight: float = _weight(0.5)
    care_weight: float = _weight(0.1)
    compensation_weight: float = _weight(0.4)
    deflection_weight: float = _weight(0.1)
    explanation_weight: float = _weight(0.1)
    pain_value: float = number(40.0, gt=0.0, le=1e6)
    pain_weight: float = _weight(0.3)
    repeat_weight: float = _weight(0.6)
    satisfaction_initial: float = probability(0.7)
    satisfaction_rate: float = probability(0.6)
    satisfaction_steepness: float = number(4.0, gt=0.0, le=100.0)
    standard_elasticity: float = number(1.0, ge=0.0, le=5.0)


@dataclass
class LoyaltyConfig:
    """Loyalty L and trust T in [0, 1]; trust buffers failures ("a mulligan or two").

    Between experiences loyalty relaxes towards ``initial_mean`` with
    ``recovery_half_life_days`` (null = never: only experiences move it) and grievance fades.
    """

    initial_mean: float = probability(0.8)
    initial_sd: float = number(0.08, ge=0.0, le=1.0)
    learning_rate: float = probability(0.3)
    trust_initial: float = probability(0.6)
    trust_buffer: float = probability(0.7)
    trust_failure_drop: float = probability(0.35)
    trust_care_gain: float = probability(0.15)
    grievance_half_life_days: float = number(180.0, gt=0.0, le=MAX_DAYS)
    recovery_half_life_days: float | None = number(365.0, gt=0.0, le=MAX_DAYS)


@dataclass
class DefectionConfig:
    """Defection hazard rising as loyalty falls, checked monthly and after each journey.

    p_month = alternatives · (base + span·(1 − L)^shape) · (1 + grievance_weight·G)
    p_after_journey = alternatives · journey_span · (1 − L)^shape

    Besides, customers leave for reasons no service prevents (moving away, price, unpaid
    bills) at ``unpreventable_per_year``, a race of their own drawn when they join.
    """

    monthly_base: float = probability(0.0)
    monthly_span: float = probability(0.15)
    shape: float = number(3.0, gt=0.0, le=100.0)
    journey_span: float = probability(0.1)
    grievance_weight: float = number(0.3, ge=0.0, le=MAX_WEIGHT)
    unpreventable_per_year: float = number(0.06, ge=0.0, le=12.0)


@dataclass
class RequestsConfig:
    """Routine contacts (billing questions, plan changes, how-to): no problem, no pain, no
    silent suffering — the customer always asks. Handled well they leave loyalty where it
    was; slow, unresolved or high-effort handling costs it like any journey. Most are
    simple: ``complexity_probs`` as in ``tiers`` (share only tier 1, 2, 3 can finish)."""

    rate_per_year: float = number(1.2, ge=0.0, le=365.0)
    severity: float = number(0.3, gt=0.0, le=100.0)
    complexity_probs: list[float] = numbers([0.88, 0.10, 0.02], Range(0.0, 1.0), length=3)

    def rules(self) -> None:
        if abs(sum(self.complexity_probs) - 1.0) > 1e-9:
            raise ConfigError("complexity_probs", list(self.complexity_probs), "must sum to 1")


STATE_VARIABLES: tuple[str, ...] = (
    "loyalty",
    "trust",
    "grievance",
    "failures",
    "satisfaction",
    "expectation_ratio",
)
_UNIT_OR_MORE = Range(0.0, 1e6)


@dataclass
class InitialStateConfig:
    """Where the starting customers stand: fresh (every one at ``loyalty.initial_mean``, no
    grievance — the first years are then a transient), or ``stationary``: drawn from the
    model's own steady state, measured by a burn-in (``experiments/calibrate.py
    steady-state``) and stored as quantiles of each state variable at ``probabilities``
    and the correlation of their normal scores (a Gaussian copula: marginals exact, joint
    structure to second order). ``expectation_ratio`` is the personal multiplier over its
    segment's. Newcomers always join fresh.
    """

    stationary: bool = False
    probabilities: list[float] = numbers([], Range(0.0, 1.0), max_length=201, increasing=True)
    loyalty: list[float] = numbers([], Range(0.0, 1.0), max_length=201)
    trust: list[float] = numbers([], Range(0.0, 1.0), max_length=201)
    grievance: list[float] = numbers([], _UNIT_OR_MORE, max_length=201)
    failures: list[float] = numbers([], _UNIT_OR_MORE, max_length=201)
    satisfaction: list[float] = numbers([], Range(0.0, 1.0), max_length=201)
    # A ratio of 0 would expect every answer in no time at all (its disconfirmation is −∞).
    expectation_ratio: list[float] = numbers([], Range(0.0, 1.0, low_open=True), max_length=201)
    correlation: list[float] = numbers([], Range(-1.0, 1.0), max_length=36)

    def rules(self) -> None:
        if not self.stationary:
            return
        n = len(self.probabilities)
        if n < 2 or self.probabilities[0] != 0.0 or self.probabilities[-1] != 1.0:
            raise ConfigError(
                "probabilities", list(self.probabilities), "must run from 0 to 1 (≥ 2 levels)"
            )
        for name in STATE_VARIABLES:
            values = list(getattr(self, name))
            if len(values) != n or any(b < a for a, b in itertools.pairwise(values)):
                raise ConfigError(name, values, f"must list {n} non-decreasing quantiles")
        k = len(STATE_VARIABLES)
        if len(self.correlation) != k * k:
            raise ConfigError("correlation", list(self.correlation), f"must list {k}×{k} values")
        if not is_correlation_matrix(self.correlation, k):
            raise ConfigError(
                "correlation",
                list(self.correlation),
                "must be a correlation matrix: symmetric, 1 on the diagonal, positive definite",
            )


def is_correlation_matrix(values: list[float], k: int) -> bool:
    """Symmetric, unit diagonal, and positive definite (a Cholesky factor exists): what a
    Gaussian copula needs. Pure Python: the schema imports no NumPy."""
    m = [values[i * k : (i + 1) * k] for i in range(k)]
    if any(m[i][i] != 1.0 or m[i][j] != m[j][i] for i in range(k) for j in range(k)):
        return False
    factor = [[0.0] * k for _ in range(k)]
    for i in range(k):
        for j in range(i + 1):
            rest = m[i][j] - sum(factor[i][n] * factor[j][n] for n in range(j))
            if i == j:
                if rest <= 1e-12:
                    return False
                factor[i][i] = rest**0.5
            else:
                factor[i][j] = rest / factor[j][j]
    return True


@dataclass
class SurveyConfig:
    """What customers would *say* if asked after an issue — not what they do.

    Stated intention to buy again is logistic in u = L + recency·x (loyalty after the
    issue plus the issue's own handling score, weighted by how fresh it is in the answer):
    P(yes) = 1 / (1 + exp(−steepness·(u − midpoint))). "Disloyal" (would switch or speak
    badly, Dixon et al. 2010) is P = 1 / (1 + exp(−steepness·(disloyal_below − u))).
    Answers never move behaviour; realised churn follows the state they are read from.
    NPS counts customers whose loyalty is at least ``promoter_loyalty`` as promoters (9-10
    on "would you recommend us") and those below ``detractor_loyalty`` as detractors (0-6).
    """

    steepness: float = number(8.0, gt=0.0, le=1000.0)
    midpoint: float = number(0.5, ge=-10.0, le=10.0)
    recency: float = number(0.5, ge=0.0, le=10.0)
    disloyal_below: float = number(0.4, ge=-10.0, le=10.0)
    high_effort_min: int = integer(2, ge=1, le=100)
    promoter_loyalty: float = probability(0.78)
    detractor_loyalty: float = probability(0.62)

    def rules(self) -> None:
        if self.detractor_loyalty > self.promoter_loyalty:
            raise ConfigError(
                "detractor_loyalty", self.detractor_loyalty, "must be ≤ promoter_loyalty"
            )


@dataclass
class WordOfMouthConfig:
    """Stories told after strongly negative or positive journeys (negative ones travel further)."""

    enabled: bool = True
    negative_threshold: float = number(-0.3, ge=-MAX_WEIGHT, lt=0.0)
    positive_threshold: float = number(0.2, gt=0.0, le=MAX_WEIGHT)
    negative_audience: float = number(9.0, ge=0.0, le=100.0)
    positive_audience: float = number(3.0, ge=0.0, le=100.0)
    public_multiplier: float = number(10.0, gt=0.0, le=100.0)
    listener_customer_share: float = probability(0.2)
    loyalty_nudge: float = probability(0.01)


@dataclass
class ChannelSwitchingConfig:
    """A customer who gives up waiting on a synchronous channel (phone, chat: no redial
    left, or the line closed) tries another channel open now with probability ``prob``,
    chosen by ``weights`` (phone, chat, email, social) among the others, up to
    ``max_switches`` times per issue. Each switch is one more effort event (Dixon, Freeman
    & Toman 2010 count channel switching among them) and the time already spent counts in
    the journey's duration; a story told from social is public. ``prob: 0`` = off (the
    calibrated default has no switching yet)."""

    prob: float = probability(0.0)
    weights: list[float] = weights([0.3, 0.35, 0.25, 0.1], N_CHANNELS)
    max_switches: int = integer(1, ge=1, le=3)


@dataclass
class AcquisitionConfig:
    """New customers per day (Poisson), modulated by reputation from word of mouth.

    rate per day = base_share_per_year · population / 365 · exp(reputation_elasticity ·
    (R − reference_reputation)), R = net people told per customer-year (positive minus
    negative stories, exponentially weighted with the given half-life). At the reference
    organisation's own steady reputation a base share equal to its churn rate keeps the
    population level at any size (both measured by ``experiments/calibrate.py
    steady-state``); a better or worse reputation than that wins or loses newcomers,
    at most ``MAX_ACQUISITION_BOOST`` times the base (``sim.model.admission``).
    """

    enabled: bool = True
    base_share_per_year: float = number(0.16, ge=0.0, le=10.0)
    # At most a factor e in newcomers per unit of reputation: beyond, word of mouth alone
    # would multiply the market by orders of magnitude (judgement; registry: 0.02-0.3).
    reputation_elasticity: float = number(0.1, ge=0.0, le=1.0)
    reference_reputation: float = number(0.0, ge=-1000.0, le=1000.0)
    reputation_half_life_days: float = number(90.0, gt=0.0, le=MAX_DAYS)


@dataclass
class MarketConfig:
    """How easily customers can leave: 1 = an open market, 0 = a cornered one (nobody can)."""

    alternatives: float = number(1.0, ge=0.0, le=3.0)


@dataclass
class CustomersConfig:
    """The customer population and its behaviour. ``enabled: false`` = anonymous demand only."""

    enabled: bool = True
    population: int = integer(500_000, ge=0, le=MAX_POPULATION)
    standard: SegmentConfig = section(SegmentConfig)
    premium: SegmentConfig = section(
        lambda: SegmentConfig(
            share=0.2,
            issue_rate_per_year=0.7,
            channel_mix=[0.6, 0.2, 0.15, 0.05],
            patience_factor=0.8,
            revenue_per_month=120.0,
            expectation_multiplier=0.6,
        )
    )
    issues: IssuesConfig = section(IssuesConfig)
    expectations: ExpectationsConfig = section(ExpectationsConfig)
    experience: ExperienceConfig = section(ExperienceConfig)
    loyalty: LoyaltyConfig = section(LoyaltyConfig)
    defection: DefectionConfig = section(DefectionConfig)
    word_of_mouth: WordOfMouthConfig = section(WordOfMouthConfig)
    channel_switching: ChannelSwitchingConfig = section(ChannelSwitchingConfig)
    acquisition: AcquisitionConfig = section(AcquisitionConfig)
    requests: RequestsConfig = section(RequestsConfig)
    survey: SurveyConfig = section(SurveyConfig)
    initial_state: InitialStateConfig = section(InitialStateConfig)

    def rules(self) -> None:
        if self.enabled and self.population < 1:
            raise ConfigError("population", self.population, "must be ≥ 1 with customers on")
        shares = self.standard.share + self.premium.share
        if abs(shares - 1.0) > 1e-9:
            raise ConfigError("premium.share", self.premium.share, "segment shares must sum to 1")

    def segments(self) -> list[SegmentConfig]:
        return [getattr(self, name) for name in SEGMENTS]
