"""What customers would answer in a survey after an issue: stated intentions, not deeds.

TARP's "would buy again" shares and Dixon et al.'s "disloyal" shares are answers to
questions, so the model reproduces them as answers read from the customer's state, and
keeps them apart from what customers do (``docs/model.md`` § Survey). Answers are expected
shares (the probability of each answer), so asking changes nothing and draws nothing.
"""

from __future__ import annotations

from sim.config.customers import SurveyConfig
from sim.metrics import CustomerStats
from sim.model.customers import ProblemOutcome
from sim.model.experience import logistic


def stated_intention(loyalty: float, score: float, cfg: SurveyConfig) -> float:
    """P("I would buy again") after an issue that scored ``score`` and left ``loyalty``."""
    return logistic(cfg.steepness * (loyalty + cfg.recency * score - cfg.midpoint))


def stated_disloyalty(loyalty: float, score: float, cfg: SurveyConfig) -> float:
    """P("I would switch, or speak badly of you") after the same issue."""
    return logistic(cfg.steepness * (cfg.disloyal_below - loyalty - cfg.recency * score))


# The counters each TARP class's answers go to: (asked, "would buy again" summed), indexed
# by the class's value (a tuple: hashing an enum member runs Python code, indexing does not).
_TALLIES = tuple(
    (f"asked_{outcome.name.lower()}", f"would_repurchase_{outcome.name.lower()}")
    for outcome in sorted(ProblemOutcome)
)


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
        is none of them; a contact in between is in neither class."""
        stats = self.stats
        if effort >= self.cfg.high_effort_min:
            stats.high_effort += 1
            stats.high_effort_disloyal += stated_disloyalty(loyalty, score, self.cfg)
        elif effort == 0:
            stats.low_effort += 1
            stats.low_effort_disloyal += stated_disloyalty(loyalty, score, self.cfg)
