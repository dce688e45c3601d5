"""What an agent does with a contact: resolve, fail, deflect, escalate or transfer wrongly.

A pure function of the contact's complexity, the agent's tier, inexperience and
propensity to deflect, the culture's empowerment and three uniform draws — so the rules
of docs/model.md § Handling are here once and testable by hand.

- First, under deflection pressure, the agent may follow the policy instead of solving
  the problem ("that is our policy", new_management): the journey ends unresolved, quickly.
- Within its authority (complexity ≤ tier) the agent resolves with a probability falling
  with inexperience; otherwise the journey ends unresolved ("not fixed").
- Above it, an empowered agent one tier below resolves anyway (it may also compensate);
  otherwise, if a novice misroutes it, it goes to the wrong colleague, or else it is
  escalated to the next tier.
"""

from __future__ import annotations

from enum import IntEnum

from sim.config import SkillConfig


class Outcome(IntEnum):
    RESOLVE = 0
    FAIL = 1
    DEFLECT = 2
    ESCALATE = 3
    WRONG_TRANSFER = 4


# The members as module constants for the per-contact path: an enum member's lookup
# costs ~70 ns, a global's ~10 (docs/performance.md).
RESOLVE, FAIL, DEFLECT = Outcome.RESOLVE, Outcome.FAIL, Outcome.DEFLECT
ESCALATE, WRONG_TRANSFER = Outcome.ESCALATE, Outcome.WRONG_TRANSFER
HANDOFFS = (ESCALATE, WRONG_TRANSFER)


def decide(
    tier: int,
    complexity: int,
    inexperience: float,
    deflection_prob: float,
    empowerment: float,
    skill: SkillConfig,
    u_resolve: float,
    u_deflect: float,
    u_route: float,
    resolve_factor: float = 1.0,
) -> tuple[Outcome, bool]:
    """(outcome, resolved by empowerment) for one service; ``u_*`` uniform on [0, 1).
    ``resolve_factor`` < 1: a hurried agent solves fewer of the problems it could."""
    if u_deflect < deflection_prob:
        return DEFLECT, False
    if complexity <= tier:
        p_resolve = skill.resolve_expert - (skill.resolve_expert - skill.resolve_novice) * (
            inexperience
        )
        if resolve_factor != 1.0:
            p_resolve *= resolve_factor
        return (RESOLVE if u_resolve < p_resolve else FAIL), False
    if complexity == tier + 1 and u_resolve < empowerment * (1.0 - inexperience):
        return RESOLVE, True
    if u_route < skill.wrong_transfer_novice * inexperience:
        return WRONG_TRANSFER, False
    return ESCALATE, False
