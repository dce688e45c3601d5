"""Schemas of the policies a manager chooses (northwind_outage, cloud_outage): proactive outreach on
incidents, scripted deflection, service recovery credits, callbacks, priority for
premium customers, overtime under backlog, and an escalation cap."""

from __future__ import annotations

from dataclasses import dataclass

from sim.config.constraints import choice, integer, number, probability, section

OUTREACH_CHANNELS = ("email", "phone", "both")
RECOVERY_KINDS = ("none", "flat", "proportional")
RECOVERY_GRANTORS = ("tier3", "any")
MAX_MONEY = 1e6  # per customer or contact, in currency


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

    A message can also backfire (Ascarza, Iyengar & Schleicher 2016: proactive contact
    raised churn among customers it reminded of their options): it is an occasion to
    reconsider the relationship, like the end of a journey, with ``reconsider`` × that
    occasion's defection chance (0: no such effect, the default until calibrated).
    """

    enabled: bool = False
    channel: str = choice("both", OUTREACH_CHANNELS)
    delay_min: float = number(20.0, ge=0.0, le=1e6)
    spread_hours: float = number(2.0, ge=0.0, le=8760.0)
    reach_share: float = probability(0.9)
    apology: bool = True
    explanation: bool = True
    credit: float = number(0.0, ge=0.0, le=MAX_MONEY)
    credit_per_pain: float = number(0.0, ge=0.0, le=MAX_MONEY)
    contact_reduction: float = probability(0.6)
    silent_relief: float = probability(0.7)
    contact_back_prob: float = probability(0.15)
    cost_per_contact: float = number(2.0, ge=0.0, le=MAX_MONEY)
    reconsider: float = number(0.0, ge=0.0, le=10.0)


@dataclass
class RecoveryConfig:
    """Service-recovery credits on resolved journeys that went wrong first (a handoff, a
    redial, a repeat contact, or slower than expected), granted by ``who``: tier 3 only,
    or any agent. ``flat``: ``amount`` currency each; ``proportional``: ``amount`` ×
    the issue's pain ("the more pain I am caused the more I expect", cloud_outage)."""

    kind: str = choice("proportional", RECOVERY_KINDS)
    amount: float = number(20.0, ge=0.0, le=MAX_MONEY)
    who: str = choice("tier3", RECOVERY_GRANTORS)


@dataclass
class SurgeConfig:
    """Overtime under backlog (Oliva & Sterman 2001: a centre's first answer to work
    pressure). Each hour, a pool whose queued work exceeds ``trigger_backlog_hours`` per
    agent on duty calls in up to ``max_extra_share`` × its scheduled agents from the staff
    off shift (people it employs, whose time off then stops resting them). Overtime hours
    are paid at wage × (1 + ``overtime_premium``); time-and-a-half is the US legal minimum
    for hours over 40 a week (Fair Labor Standards Act, 29 U.S.C. § 207)."""

    enabled: bool = False
    trigger_backlog_hours: float = number(4.0, gt=0.0, le=10_000.0)
    max_extra_share: float = number(0.25, gt=0.0, le=1.0)
    overtime_premium: float = number(0.5, ge=0.0, le=3.0)


@dataclass
class CallbackConfig:
    """Offer a callback instead of holding when ``queue_threshold`` or more are already
    waiting at tier 1 of a synchronous channel; ``accept_prob`` accept. A callback keeps
    the customer's place without holding (no abandonment); it is served after holding
    customers, and the time until the call counts ``felt_wait_share`` towards how long
    the customer feels it took."""

    enabled: bool = False
    queue_threshold: int = integer(3, ge=0, le=100_000)
    accept_prob: float = probability(0.6)
    felt_wait_share: float = probability(0.3)


@dataclass
class PolicyConfig:
    """The manager's policies; presets in ``configs/policy/``. ``deflection_share``: the
    scripted "that is our policy" on top of what agents do of their own accord."""

    outreach: OutreachConfig = section(OutreachConfig)
    deflection_share: float = probability(0.0)
    recovery: RecoveryConfig = section(RecoveryConfig)
    callback: CallbackConfig = section(CallbackConfig)
    surge: SurgeConfig = section(SurgeConfig)
    premium_priority: bool = False
    escalation_cap_handoffs: int | None = integer(None, ge=1, le=100)
