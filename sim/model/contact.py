"""One customer issue on its way through the organisation, and the words for its states.

Everything random about a contact (complexity, work per tier, first patience) is drawn
when it arrives; the journey (``sim.model.journey``) moves it between pools and ends it.
"""

from __future__ import annotations

from enum import IntEnum

from sim.model.handling import RESOLVE


class QueueClass(IntEnum):
    """Served in this order at every pool: premium customers holding (with
    ``policy.premium_priority``), customers holding, then backlog (e-mail, social,
    callbacks). It matters at the shared tiers, where all of them meet."""

    PREMIUM_HOLDING = 0
    HOLDING = 1
    BACKLOG = 2


class JourneyEnd(IntEnum):
    """How a journey ended: the issue resolved, answered but not resolved (failed or
    deflected), or the customer gave up waiting."""

    RESOLVED = 0
    UNRESOLVED = 1
    ABANDONED = 2


# The members as module constants for the per-contact path: an enum member's lookup
# costs ~70 ns, a global's ~10 (docs/performance.md).
HOLDING, PREMIUM_HOLDING = QueueClass.HOLDING, QueueClass.PREMIUM_HOLDING
RESOLVED, UNRESOLVED, ABANDONED = JourneyEnd.RESOLVED, JourneyEnd.UNRESOLVED, JourneyEnd.ABANDONED


class Contact:
    """One customer issue on its way through the organisation."""

    __slots__ = (
        "answered",
        "arrival_hour",
        "arrival_min",
        "attempt",
        "callback",
        "care_sum",
        "carried_effort",
        "carried_min",
        "channel",
        "complexity",
        "contact_id",
        "credit",
        "customer",
        "customer_uid",
        "deflected",
        "empowered",
        "enter_min",
        "episode",
        "handoffs",
        "origin",
        "outcome",
        "patience_min",
        "priority",
        "recontacts",
        "routine",
        "service_min",
        "services",
        "severity",
        "switches",
        "unfelt_min",
        "wait_min",
        "work_min",
    )

    def __init__(
        self,
        channel: int,
        priority: int,
        complexity: int,
        work_min: list[float],
        arrival_min: float,
        patience_min: float,
        customer: int = -1,
        customer_uid: int = -1,
        severity: float = 1.0,
        routine: bool = False,
    ) -> None:
        self.channel = channel
        self.contact_id = -1  # the journey numbers contacts in arrival order
        self.routine = routine  # a request (billing, change, how-to), not a problem
        self.customer = customer  # population slot, -1 for an anonymous contact
        self.customer_uid = customer_uid
        self.severity = severity
        self.priority = priority
        self.complexity = complexity
        self.work_min = work_min
        self.arrival_min = arrival_min
        self.patience_min = patience_min
        self.enter_min = arrival_min
        self.episode = 0
        self.attempt = 1
        self.handoffs = 0
        self.answered = False
        self.wait_min = 0.0
        self.services = 0
        self.recontacts = 0  # contacting us again after an unresolved end
        self.callback = False  # took a callback instead of holding
        self.unfelt_min = 0.0  # waiting the customer did not feel (waiting for a callback)
        self.care_sum = 0.0  # empathy expressed by each agent who served it
        self.credit = 0.0
        self.deflected = False
        self.outcome = RESOLVE
        self.empowered = False
        self.service_min = 0.0
        self.origin = channel  # the channel the customer tried first
        self.switches = 0  # channels given up on for another (customers.channel_switching)
        self.carried_effort = 0  # effort events spent on channels given up on
        self.carried_min = 0.0  # time felt on channels given up on

    @property
    def effort(self) -> int:
        """Effort events so far (Dixon et al. 2010): handoffs, repeat attempts, repeat
        contacts, and each channel given up on with what was spent there."""
        return self.handoffs + self.attempt - 1 + self.recontacts + self.carried_effort

    def switch_channel(
        self,
        channel: int,
        queue_class: int,
        tier1_work_min: float,
        patience_min: float,
        now_min: float,
    ) -> None:
        """The customer gives up on this channel and tries ``channel``: the same issue on a
        fresh journey there, the effort and felt time spent so far carried with it."""
        self.carried_effort = self.effort + 1  # the switch is an effort event itself
        self.carried_min += now_min - self.arrival_min - self.unfelt_min
        self.switches += 1
        premium = self.priority == PREMIUM_HOLDING
        if not (premium and queue_class == HOLDING):
            self.priority = queue_class
        self.channel = channel
        self.work_min[0] = tier1_work_min
        self.patience_min = patience_min
        self.arrival_min = self.enter_min = now_min
        self.attempt = 1
        self.handoffs = self.recontacts = 0
        self.answered = self.callback = False
        self.wait_min = self.unfelt_min = 0.0

    @property
    def care(self) -> float:
        """Mean empathy the customer met (0 if nobody answered)."""
        return self.care_sum / self.services if self.services else 0.0
