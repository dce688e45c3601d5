"""Schemas of the policies a manager chooses (seeds 000, 001): proactive outreach on
incidents, scripted deflection, service recovery credits, callbacks, priority for
premium customers, and an escalation cap."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.config.checks import (
    check_choice,
    check_each,
    check_int_range,
    check_non_negative,
    check_probability,
)

OUTREACH_CHANNELS = ("email", "phone", "both")
RECOVERY_KINDS = ("none", "flat", "proportional")
RECOVERY_GRANTORS = ("tier3", "any")


@dataclass
class OutreachConfig:
    """Proactive outreach to the customers an incident affects, once it is detected.

    Each affected customer is reached (with probability ``reach_share``) at detection +
    ``delay_min`` + a uniform spread over ``spread_hours`` (outreach capacity). The message
    carries an apology and an explanation, and optionally a credit (``credit`` in currency,
    or ``credit_per_pain`` × the customer's pain). Customers informed *before* their
    problem shows contact less (``contact_reduction``) and, if they stay silent, do not
    resent it as an unheard problem (``silent_relief``). Some informed customers contact us
    afterwards anyway (``contact_back_prob``; Gartner 2022: many do, often for unwanted
    reasons). Costs ``cost_per_contact`` per customer reached.
    """

    enabled: bool = False
    channel: str = "both"
    delay_min: float = 20.0
    spread_hours: float = 2.0
    reach_share: float = 0.9
    apology: bool = True
    explanation: bool = True
    credit: float = 0.0
    credit_per_pain: float = 0.0
    contact_reduction: float = 0.6
    silent_relief: float = 0.7
    contact_back_prob: float = 0.15
    cost_per_contact: float = 2.0

    def __post_init__(self) -> None:
        check_choice("channel", self.channel, OUTREACH_CHANNELS)
        check_non_negative("delay_min", self.delay_min)
        check_non_negative("spread_hours", self.spread_hours)
        check_each(
            check_probability,
            self,
            "reach_share",
            "contact_reduction",
            "silent_relief",
            "contact_back_prob",
        )
        check_each(check_non_negative, self, "credit", "credit_per_pain", "cost_per_contact")


@dataclass
class RecoveryConfig:
    """Service-recovery credits on resolved journeys that went wrong first (a handoff, a
    redial, a repeat contact, or slower than expected), granted by ``who``: tier 3 only,
    or any agent. ``flat``: ``amount`` currency each; ``proportional``: ``amount`` ×
    the issue's pain ("the more pain I am caused the more I expect", seed 001)."""

    kind: str = "proportional"
    amount: float = 20.0
    who: str = "tier3"

    def __post_init__(self) -> None:
        check_choice("kind", self.kind, RECOVERY_KINDS)
        check_non_negative("amount", self.amount)
        check_choice("who", self.who, RECOVERY_GRANTORS)


@dataclass
class CallbackConfig:
    """Offer a callback instead of holding when ``queue_threshold`` or more are already
    waiting at tier 1 of a synchronous channel; ``accept_prob`` accept. A callback keeps
    the customer's place without holding (no abandonment); it is served after holding
    customers, and the time until the call counts ``felt_wait_share`` towards how long
    the customer feels it took."""

    enabled: bool = False
    queue_threshold: int = 3
    accept_prob: float = 0.6
    felt_wait_share: float = 0.3

    def __post_init__(self) -> None:
        check_int_range("queue_threshold", self.queue_threshold, 0)
        check_probability("accept_prob", self.accept_prob)
        check_probability("felt_wait_share", self.felt_wait_share)


@dataclass
class PolicyConfig:
    """The manager's policies; presets in ``configs/policy/``. ``deflection_share``: the
    scripted "that is our policy" on top of what agents do of their own accord."""

    outreach: OutreachConfig = field(default_factory=OutreachConfig)
    deflection_share: float = 0.0
    recovery: RecoveryConfig = field(default_factory=RecoveryConfig)
    callback: CallbackConfig = field(default_factory=CallbackConfig)
    premium_priority: bool = False
    escalation_cap_handoffs: int | None = None

    def __post_init__(self) -> None:
        check_probability("deflection_share", self.deflection_share)
        if self.escalation_cap_handoffs is not None:
            check_int_range("escalation_cap_handoffs", self.escalation_cap_handoffs, 1)
