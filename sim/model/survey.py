"""What customers would answer in a survey after an issue: stated intentions, not deeds.

TARP's "would buy again" shares and Dixon et al.'s "disloyal" shares are answers to
questions, so the model reproduces them as answers read from the customer's state, and
keeps them apart from what customers do (``docs/model.md`` § Survey). Answers are expected
shares (the probability of each answer), so asking changes nothing and draws nothing.
"""

from __future__ import annotations

import math

from sim.config.customers import SurveyConfig
from sim.metrics import CustomerStats
from sim.model.customers import ProblemOutcome


def _logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-700.0, min(700.0, z))))


def stated_intention(loyalty: float, score: float, cfg: SurveyConfig) -> float:
    """P("I would buy again") after an issue that scored ``score`` and left ``loyalty``."""
    return _logistic(cfg.steepness * (loyalty + cfg.recency * score - cfg.midpoint))


def stated_disloyalty(loyalty: float, score: float, cfg: SurveyConfig) -> float:
    """P("I would switch, or speak badly of you") after the same issue."""
    return _logistic(cfg.steepness * (cfg.disloyal_below - loyalty - cfg.recency * score))


# The counters each TARP class's answers go to: (asked, "would buy again" summed), indexed
# by the class's value (a tuple: hashing an enum member runs Python code, indexing does not).
_TALLIES = tuple(
    (f"asked_{outcome.name.lower()}", f"would_repurchase_{outcome.name.lower()}")
    for outcome in sorted(ProblemOutcome)
)
# ... and each Dixon effort class's: (asked, "would be disloyal" summed).
_EFFORT_TALLIES = {
    level: (f"{level}_effort", f"{level}_effort_disloyal") for level in ("high", "low")
}


class Survey:
    """Tallies the answers per TARP class and per Dixon effort class."""

    def __init__(self, cfg: SurveyConfig, stats: CustomerStats) -> None:
        self.cfg = cfg
        self.stats = stats

    def after_problem(self, outcome: ProblemOutcome, loyalty: float, score: float) -> None:
        """TARP asked customers who had a problem, by what became of it."""
        asked, yes = _TALLIES[outcome]
        stats = self.stats
        setattr(stats, asked, getattr(stats, asked) + 1)
        setattr(stats, yes, getattr(stats, yes) + stated_intention(loyalty, score, self.cfg))

    def after_contact(self, effort: int, loyalty: float, score: float) -> None:
        """Dixon et al. asked about a service interaction; high effort is several of
        re-explaining, transfers, repeat contacts and channel switches together, low effort
        is none of them."""
        level = self.effort_level(effort)
        if level is None:
            return
        asked, disloyal = _EFFORT_TALLIES[level]
        stats = self.stats
        setattr(stats, asked, getattr(stats, asked) + 1)
        answer = stated_disloyalty(loyalty, score, self.cfg)
        setattr(stats, disloyal, getattr(stats, disloyal) + answer)

    def effort_level(self, effort: int) -> str | None:
        """Dixon's class of a contact: "high", "low", or neither (a single effort event)."""
        if effort >= self.cfg.high_effort_min:
            return "high"
        return "low" if effort == 0 else None
