"""Schemas of the customer model: population, expectations, experience, loyalty, defection,
word of mouth, acquisition and the market. Equations and sources: ``docs/model.md``.

Every mechanism has a switch (a flag or a zero weight) so that its effect can be measured
against the same run without it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.config.checks import (
    ConfigError,
    check_int_range,
    check_non_negative,
    check_positive,
    check_probability,
    check_weights,
    is_finite_number,
)

N_CHANNELS = 4
SEGMENTS: tuple[str, ...] = ("standard", "premium")


@dataclass
class SegmentConfig:
    """A kind of customer: how often they have issues, where they go, what they pay."""

    share: float = 0.8
    issue_rate_per_year: float = 0.5
    channel_mix: list[float] = field(default_factory=lambda: [0.5, 0.2, 0.25, 0.05])
    patience_factor: float = 1.0
    revenue_per_month: float = 40.0
    expectation_multiplier: float = 1.0

    def __post_init__(self) -> None:
        check_probability("share", self.share)
        check_non_negative("issue_rate_per_year", self.issue_rate_per_year)
        check_weights("channel_mix", self.channel_mix, N_CHANNELS)
        check_positive("patience_factor", self.patience_factor)
        check_non_negative("revenue_per_month", self.revenue_per_month)
        check_positive("expectation_multiplier", self.expectation_multiplier)


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

    severity_mean: float = 0.6
    severity_cv: float = 0.8
    contact_max: float = 0.9
    contact_scale: float = 0.8
    deferral_mean_min: float = 120.0
    recontact_prob: float = 0.6
    recontact_delay_mean_min: float = 180.0
    max_contacts: int = 3

    def __post_init__(self) -> None:
        check_positive("severity_mean", self.severity_mean)
        check_positive("severity_cv", self.severity_cv)
        check_probability("contact_max", self.contact_max)
        check_positive("contact_scale", self.contact_scale)
        check_positive("deferral_mean_min", self.deferral_mean_min)
        check_probability("recontact_prob", self.recontact_prob)
        check_positive("recontact_delay_mean_min", self.recontact_delay_mean_min)
        check_int_range("max_contacts", self.max_contacts, 1)


@dataclass
class ExpectationsConfig:
    """How long customers expect an issue to take to resolve, per channel (phone, chat,
    email, social), and how that expectation drifts.

    E_c(t) = max(floor_c, E_c(0) · 2^(−t / half_life)); a customer expects m · E_c(t).
    ``drift: false`` freezes E_c; ``ratchet_rate: 0`` turns the personal ratchet off.
    """

    resolution_min: list[float] = field(default_factory=lambda: [10.0, 15.0, 480.0, 120.0])
    floor_min: list[float] = field(default_factory=lambda: [2.0, 3.0, 30.0, 15.0])
    half_life_years: float = 4.0
    drift: bool = True
    ratchet_rate: float = 0.05
    multiplier_floor: float = 0.3

    def __post_init__(self) -> None:
        for key, values in (("resolution_min", self.resolution_min), ("floor_min", self.floor_min)):
            if len(values) != N_CHANNELS:
                raise ConfigError(key, list(values), f"must list {N_CHANNELS} values")
            for i, v in enumerate(values):
                check_positive(f"{key}[{i}]", v)
        check_positive("half_life_years", self.half_life_years)
        check_probability("ratchet_rate", self.ratchet_rate)
        check_probability("multiplier_floor", self.multiplier_floor)


@dataclass
class ExperienceConfig:
    """Weights of the experience of an issue: the pain of the problem itself (when it
    happens), then the score of how it was handled (when the journey ends), and the
    satisfaction that handling leaves (an evaluation separate from loyalty).

    Care shown on an answered journey is the empathy the agents who served it expressed
    (``sim.model.agents``), discounted by the culture's authenticity.
    """

    gain_weight: float = 0.12
    loss_weight: float = 0.2
    resolved_weight: float = 0.3
    unresolved_weight: float = 0.45
    silent_weight: float = 1.6
    effort_weight: float = 0.5
    care_weight: float = 0.1
    compensation_weight: float = 0.4
    deflection_weight: float = 0.1
    explanation_weight: float = 0.1
    pain_value: float = 40.0
    effort_high_threshold: int = 1
    pain_weight: float = 0.3
    repeat_weight: float = 0.6
    satisfaction_initial: float = 0.7
    satisfaction_rate: float = 0.6
    satisfaction_steepness: float = 4.0

    def __post_init__(self) -> None:
        for name in (
            "gain_weight",
            "loss_weight",
            "resolved_weight",
            "unresolved_weight",
            "silent_weight",
            "effort_weight",
            "care_weight",
            "compensation_weight",
            "deflection_weight",
            "explanation_weight",
            "pain_weight",
            "repeat_weight",
        ):
            check_non_negative(name, getattr(self, name))
        check_positive("pain_value", self.pain_value)
        check_probability("satisfaction_initial", self.satisfaction_initial)
        check_probability("satisfaction_rate", self.satisfaction_rate)
        check_positive("satisfaction_steepness", self.satisfaction_steepness)
        check_int_range("effort_high_threshold", self.effort_high_threshold, 1)


@dataclass
class LoyaltyConfig:
    """Loyalty L and trust T in [0, 1]; trust buffers failures ("a mulligan or two").

    Between experiences loyalty relaxes towards ``initial_mean`` with
    ``recovery_half_life_days`` (null = never: only experiences move it) and grievance fades.
    """

    initial_mean: float = 0.8
    initial_sd: float = 0.08
    learning_rate: float = 1.0
    trust_initial: float = 0.6
    trust_buffer: float = 0.7
    trust_failure_drop: float = 0.35
    trust_care_gain: float = 0.15
    grievance_half_life_days: float = 180.0
    recovery_half_life_days: float | None = 365.0

    def __post_init__(self) -> None:
        check_probability("initial_mean", self.initial_mean)
        check_non_negative("initial_sd", self.initial_sd)
        check_probability("learning_rate", self.learning_rate)
        check_probability("trust_initial", self.trust_initial)
        check_probability("trust_buffer", self.trust_buffer)
        check_probability("trust_failure_drop", self.trust_failure_drop)
        check_probability("trust_care_gain", self.trust_care_gain)
        check_positive("grievance_half_life_days", self.grievance_half_life_days)
        if self.recovery_half_life_days is not None:
            check_positive("recovery_half_life_days", self.recovery_half_life_days)


@dataclass
class DefectionConfig:
    """Defection hazard rising as loyalty falls, checked monthly and after each journey.

    p_month = alternatives · (base + span·(1 − L)^shape) · (1 + grievance_weight·G)
    p_after_journey = alternatives · journey_span · (1 − L)^shape
    """

    monthly_base: float = 0.002
    monthly_span: float = 0.8
    shape: float = 3.0
    journey_span: float = 0.1
    grievance_weight: float = 0.3

    def __post_init__(self) -> None:
        check_probability("monthly_base", self.monthly_base)
        check_probability("monthly_span", self.monthly_span)
        check_positive("shape", self.shape)
        check_probability("journey_span", self.journey_span)
        check_non_negative("grievance_weight", self.grievance_weight)


@dataclass
class WordOfMouthConfig:
    """Stories told after strongly negative or positive journeys (negative ones travel further)."""

    enabled: bool = True
    negative_threshold: float = -0.3
    positive_threshold: float = 0.2
    negative_audience: float = 9.0
    positive_audience: float = 3.0
    public_multiplier: float = 10.0
    listener_customer_share: float = 0.2
    loyalty_nudge: float = 0.01

    def __post_init__(self) -> None:
        if not (is_finite_number(self.negative_threshold) and self.negative_threshold < 0):
            raise ConfigError(
                "negative_threshold", self.negative_threshold, "must be a finite number < 0"
            )
        check_positive("positive_threshold", self.positive_threshold)
        check_non_negative("negative_audience", self.negative_audience)
        check_non_negative("positive_audience", self.positive_audience)
        check_positive("public_multiplier", self.public_multiplier)
        check_probability("listener_customer_share", self.listener_customer_share)
        check_probability("loyalty_nudge", self.loyalty_nudge)


@dataclass
class AcquisitionConfig:
    """New customers per day (Poisson), modulated by reputation from word of mouth.

    rate = base_per_day · exp(reputation_elasticity · R), R = net people told per customer-year
    (positive minus negative stories, exponentially weighted with the given half-life).
    """

    enabled: bool = True
    base_per_day: float = 550.0
    reputation_elasticity: float = 0.1
    reputation_half_life_days: float = 90.0

    def __post_init__(self) -> None:
        check_non_negative("base_per_day", self.base_per_day)
        check_non_negative("reputation_elasticity", self.reputation_elasticity)
        check_positive("reputation_half_life_days", self.reputation_half_life_days)


@dataclass
class MarketConfig:
    """How easily customers can leave: 1 = an open market, 0 = a cornered one (nobody can)."""

    alternatives: float = 1.0

    def __post_init__(self) -> None:
        if not (0.0 <= self.alternatives <= 3.0):
            raise ConfigError("alternatives", self.alternatives, "must be in [0, 3]")


@dataclass
class CustomersConfig:
    """The customer population and its behaviour. ``enabled: false`` = anonymous demand only."""

    enabled: bool = True
    population: int = 500_000
    standard: SegmentConfig = field(default_factory=SegmentConfig)
    premium: SegmentConfig = field(
        default_factory=lambda: SegmentConfig(
            share=0.2,
            issue_rate_per_year=0.7,
            channel_mix=[0.6, 0.2, 0.15, 0.05],
            patience_factor=0.8,
            revenue_per_month=120.0,
            expectation_multiplier=0.6,
        )
    )
    issues: IssuesConfig = field(default_factory=IssuesConfig)
    expectations: ExpectationsConfig = field(default_factory=ExpectationsConfig)
    experience: ExperienceConfig = field(default_factory=ExperienceConfig)
    loyalty: LoyaltyConfig = field(default_factory=LoyaltyConfig)
    defection: DefectionConfig = field(default_factory=DefectionConfig)
    word_of_mouth: WordOfMouthConfig = field(default_factory=WordOfMouthConfig)
    acquisition: AcquisitionConfig = field(default_factory=AcquisitionConfig)

    def __post_init__(self) -> None:
        check_int_range("population", self.population, 1 if self.enabled else 0, 20_000_000)
        shares = self.standard.share + self.premium.share
        if abs(shares - 1.0) > 1e-9:
            raise ConfigError("premium.share", self.premium.share, "segment shares must sum to 1")

    def segments(self) -> list[SegmentConfig]:
        return [getattr(self, name) for name in SEGMENTS]
