"""How one journey feels to a customer, and what it does to loyalty and trust.

Pure scalar functions (no state, no randomness), so every equation of ``docs/model.md``
§ Customers is here once and testable by hand. The journey's signals arrive as a
:class:`Signals`; later issues (agents, culture, policies) fill in more of its fields.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.config.customers import ExperienceConfig, LoyaltyConfig
from sim.model.customers import ProblemOutcome

MIN_DURATION_MIN = 0.05  # below 3 s everything feels instant
# TARP's classes as module constants for the per-problem path (an enum member's lookup
# costs ~70 ns, a global's ~10).
_SILENT, _UNRESOLVED = ProblemOutcome.SILENT, ProblemOutcome.UNRESOLVED
_RESOLVED, _RESOLVED_FAST = ProblemOutcome.RESOLVED, ProblemOutcome.RESOLVED_FAST


@dataclass(slots=True)
class Signals:
    """What the customer lived through on one issue."""

    severity: float  # pain weight of the issue (mean 1)
    contacted: bool  # False: suffered in silence
    resolved: bool = False
    duration_min: float = 0.0  # from contacting us to resolution (or to giving up)
    expected_min: float = 1.0  # how long this customer expected it to take on this channel
    effort: int = 0  # handoffs + repeat attempts + channel switches
    care: float = 0.0  # acknowledgement, apology, empathy, explanation, in [0, 1]
    authenticity: float = 1.0  # how much care signals are believed (lip service < 1)
    credit: float = 0.0  # compensation, in units of the pain
    deflected: bool = False  # told "that is our policy" instead of being helped
    prior_failures: float = 0.0  # recent earlier problems (fading memory)
    acknowledged: float = 0.0  # share of a silent problem's resentment spared: we told them
    routine: bool = False  # a request, not a problem: handled well it changes nothing
    blame: float = 1.0  # share of the problem itself laid at our door (an outage: less)
    strictness: float = 1.0  # > 1: held to a higher standard (a premium segment): see below


@dataclass(slots=True)
class Experience:
    """The score's components (positive = good) and their sum."""

    speed: float
    resolution: float
    effort: float
    care: float
    compensation: float
    repeat: float = 0.0

    @property
    def score(self) -> float:
        return (
            self.speed + self.resolution + self.effort + self.care + self.compensation
        ) + self.repeat


def disconfirmation(duration_min: float, expected_min: float) -> float:
    """ln(expected / actual): > 0 faster than expected, < 0 slower (Oliver 1980)."""
    return math.log(expected_min / max(duration_min, MIN_DURATION_MIN))


def pain(severity: float, weights: ExperienceConfig, blame: float = 1.0) -> float:
    """What having the problem at all costs, the moment it happens (before any handling):
    as far as the customer blames us for it (``Signals.blame``)."""
    return -weights.pain_weight * severity * blame


def strictness(expectation_multiplier: float, weights: ExperienceConfig) -> float:
    """How much harder a segment judges the handling than a standard customer: m^−e for
    a segment that expects its issues resolved in m (< 1) of the standard time.

    A price premium raises the level of service a customer finds adequate and narrows the
    zone of tolerance (Zeithaml, Berry & Parasuraman 1993); against the higher standard the
    same failure disconfirms more and the same fix delights less (Voss, Parasuraman &
    Grewal 1998). e = ``standard_elasticity``; 1 for a standard customer (m = 1) or e = 0.
    """
    return expectation_multiplier ** (-weights.standard_elasticity)


def experience(signals: Signals, weights: ExperienceConfig) -> Experience:
    """Score how one issue was handled; losses weigh more than gains (Anderson & Sullivan
    1993); a repeated failure disappoints more (Maxham & Netemeyer 2002); a customer held
    to a higher standard (``Signals.strictness`` s > 1: premium_standard) finds every
    failure of resolution and effort s times as bad and a fix 1/s as good."""
    return Experience(*_components(signals, weights))


def experience_score(signals: Signals, weights: ExperienceConfig) -> float:
    """``experience(signals, weights).score`` without building the components' record
    (the per-journey path scores every contact)."""
    speed, resolution, effort, care, compensation, repeat = _components(signals, weights)
    return (speed + resolution + effort + care + compensation) + repeat


def _components(
    signals: Signals, weights: ExperienceConfig
) -> tuple[float, float, float, float, float, float]:
    """(speed, resolution, effort, care, compensation, repeat): see :func:`experience`."""
    repeat = -weights.repeat_weight * signals.prior_failures
    if not signals.contacted:
        unheard = -weights.silent_weight * signals.severity * (1.0 - signals.acknowledged)
        return unheard * signals.blame, 0.0, 0.0, 0.0, 0.0, repeat * signals.blame
    d = disconfirmation(signals.duration_min, signals.expected_min)
    weight = weights.gain_weight if d >= 0 else weights.loss_weight
    speed = weight * math.tanh(d)
    if signals.routine and speed >= 0.0:  # nothing was wrong: a quick answer is expected
        speed = 0.0
    strict = signals.strictness
    if signals.resolved:
        resolution = 0.0 if signals.routine else weights.resolved_weight / strict
    else:
        resolution = -weights.unresolved_weight * signals.severity * strict
    effort = -weights.effort_weight * signals.effort * strict
    if signals.deflected:  # new_management: "trying to convince me to just accept their policy"
        resolution -= weights.deflection_weight * strict
    care = _care(signals.care, signals.authenticity, weights)
    compensation = _compensation(signals.severity, signals.credit, weights)
    return speed, resolution, effort, care, compensation, repeat


def outreach_experience(
    severity: float,
    credit: float,
    care: float,
    authenticity: float,
    explained: bool,
    weights: ExperienceConfig,
) -> float:
    """Score a message we sent about an incident: the care and credit of an encounter,
    plus an explanation (``credit`` in units of ``pain_value``, as in ``Signals``)."""
    explanation = weights.explanation_weight if explained else 0.0
    return (
        _care(care, authenticity, weights) + explanation + _compensation(severity, credit, weights)
    )


def _care(care: float, authenticity: float, weights: ExperienceConfig) -> float:
    """Care shown counts as far as it is believed (lip service discounts it)."""
    return weights.care_weight * care * authenticity


def _compensation(severity: float, credit: float, weights: ExperienceConfig) -> float:
    """ "The more pain I am caused the more I expect": a credit makes good the pain, up to
    all of it and no further — beyond that it is money wasted."""
    return weights.compensation_weight * min(severity, credit)


def outcome_class(signals: Signals) -> ProblemOutcome:
    """TARP's class of a problem from what the customer lived through."""
    if not signals.contacted:
        return _SILENT
    if not signals.resolved:
        return _UNRESOLVED
    fast = signals.effort == 0 and signals.duration_min <= signals.expected_min
    return _RESOLVED_FAST if fast else _RESOLVED


def logistic(z: float) -> float:
    """1 / (1 + e^−z), finite for every z: the exponent is clipped at ±700 (e^709 is the
    largest a float holds), where the curve is 0 or 1 to the last digit anyway."""
    return 1.0 / (1.0 + math.exp(-max(-700.0, min(700.0, z))))


def encounter_satisfaction(score: float, weights: ExperienceConfig) -> float:
    """How satisfied the handling left the customer, in (0, 1): logistic in the score."""
    return logistic(weights.satisfaction_steepness * score)


def updated_loyalty_and_trust(
    loyalty: float,
    trust: float,
    score: float,
    care: float,
    params: LoyaltyConfig,
    blame: float = 1.0,
) -> tuple[float, float]:
    """Loyalty moves with the score; trust buffers failures and is spent by them.

    A failure (score < 0) moves loyalty by lr·score·(1 − buffer·T) and costs trust a
    share (``blame`` of it: a failure put down to a passing, shared cause says less about
    whether we can be relied on); a success moves loyalty by lr·score and earns trust
    with the care shown. Moves are scaled by the room left ((1 − L) upward, L downward)
    so L stays in [0, 1].
    """
    if score < 0.0:
        delta = params.learning_rate * score * (1.0 - params.trust_buffer * trust)
        trust *= 1.0 - params.trust_failure_drop * blame
    else:
        delta = params.learning_rate * score
        trust += params.trust_care_gain * care * (1.0 - trust)
    delta = max(-1.0, min(1.0, delta))
    loyalty += delta * (1.0 - loyalty) if delta > 0 else delta * loyalty
    return loyalty, trust
