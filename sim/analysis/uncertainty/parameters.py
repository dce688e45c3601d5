"""The registry of uncertain parameters: every parameter the model needs but no study
measures directly, with a plausible range, its distribution and its basis.

One machine-readable place, read by the sensitivity and robustness studies and rendered
into ``docs/calibration.md`` (``python -m sim.app.schema_docs --write``). A range is
checked against the schema when the registry is loaded (``check``): both ends must make
a valid configuration, with the command line's one-line error if not.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from sim.config import Config, ConfigError, validate

JUDGEMENT = "judgement"


@dataclass(frozen=True)
class Uncertain:
    """One uncertain parameter: a dotted config key and its plausible range."""

    key: str
    low: float
    high: float
    basis: str = JUDGEMENT
    log: bool = False  # log-uniform (a scale parameter) rather than uniform


def _u(key: str, low: float, high: float, basis: str = JUDGEMENT, log: bool = False) -> Uncertain:
    return Uncertain(key, low, high, basis, log)


_C = "customers."
PARAMETERS: tuple[Uncertain, ...] = (
    # What an experience does (units: one loyalty step; docs/model.md § Customers).
    _u(_C + "experience.gain_weight", 0.05, 0.3, "Anderson & Sullivan 1993: gains < losses"),
    _u(_C + "experience.loss_weight", 0.1, 0.4, "Anderson & Sullivan 1993: losses > gains"),
    _u(_C + "experience.resolved_weight", 0.1, 0.6),
    _u(_C + "experience.unresolved_weight", 0.2, 0.9),
    _u(_C + "experience.silent_weight", 0.8, 3.2, log=True),
    _u(_C + "experience.effort_weight", 0.25, 1.0, "Dixon et al. 2010: effort drives disloyalty"),
    _u(_C + "experience.care_weight", 0.05, 0.2),
    _u(_C + "experience.compensation_weight", 0.2, 0.8),
    _u(_C + "experience.deflection_weight", 0.05, 0.3),
    _u(_C + "experience.explanation_weight", 0.05, 0.2),
    _u(_C + "experience.pain_weight", 0.15, 0.6),
    _u(_C + "experience.repeat_weight", 0.3, 1.2, "Maxham & Netemeyer 2002: second failure"),
    _u(_C + "experience.satisfaction_rate", 0.3, 0.9),
    _u(_C + "experience.satisfaction_steepness", 2.0, 8.0, log=True),
    _u(
        _C + "experience.standard_elasticity",
        0.25,
        2.0,
        "Zeithaml, Berry & Parasuraman 1993; Voss et al. 1998: direction only",
        log=True,
    ),
    # Loyalty and trust.
    _u(_C + "loyalty.learning_rate", 0.15, 0.6, "calibrated to churn (docs/calibration.md)"),
    _u(_C + "loyalty.trust_buffer", 0.4, 0.9),
    _u(_C + "loyalty.trust_failure_drop", 0.15, 0.6),
    _u(_C + "loyalty.trust_care_gain", 0.05, 0.3),
    _u(_C + "loyalty.grievance_half_life_days", 90.0, 365.0, log=True),
    _u(_C + "loyalty.recovery_half_life_days", 180.0, 730.0, log=True),
    # Defection: calibrated to the churn band, the shape is not measured.
    _u(_C + "defection.monthly_span", 0.1, 0.4, "calibrated to churn (docs/calibration.md)"),
    _u(_C + "defection.shape", 2.0, 4.0),
    _u(_C + "defection.journey_span", 0.05, 0.2),
    _u(_C + "defection.grievance_weight", 0.15, 0.6),
    _u(
        _C + "defection.unpreventable_per_year",
        0.03,
        0.09,
        "US Census CPS movers ≈ 8-9 %/yr; involuntary (non-payment) churn",
    ),
    # Contacting us.
    _u(_C + "issues.contact_max", 0.7, 1.0),
    _u(_C + "issues.contact_scale", 0.4, 1.6, "TARP: most small problems go unvoiced", log=True),
    _u(_C + "issues.recontact_prob", 0.4, 0.8),
    _u(_C + "issues.deferral_mean_min", 60.0, 480.0, log=True),
    _u(_C + "requests.rate_per_year", 0.8, 1.8, "routine 40-60 % of contacts (§ demand)"),
    _u("incidents.contact_factor", 0.15, 0.6, "Optus 2023, Rogers 2022 (§ incidents)"),
    _u("incidents.visible_relief", 0.5, 0.95),
    _u("incidents.blame", 0.05, 0.4, "Folkes 1984; fitted to Rogers 2022 (§ incidents)", log=True),
    _u(_C + "channel_switching.prob", 0.0, 0.6, "Dixon et al. 2010: switching is common"),
    _u("finance.margin_share", 0.25, 0.6, "US wireless EBITDA margins ≈ 1/3 (Triton PCS 2003)"),
    _u("finance.discount_rate_per_year", 0.06, 0.15, "Gupta, Lehmann & Stuart 2004: 12 %"),
    _u("finance.acquisition_cost", 200.0, 600.0, "cost per gross addition $200-400", log=True),
    # Expectations.
    _u(_C + "expectations.half_life_years", 2.0, 8.0, "Toister surveys 2013-2015", log=True),
    _u(_C + "expectations.ratchet_rate", 0.02, 0.1),
    # Word of mouth and the market.
    _u(_C + "word_of_mouth.negative_audience", 5.0, 13.0, "TARP: an unhappy customer tells 8-10"),
    _u(_C + "word_of_mouth.positive_audience", 1.5, 6.0),
    _u(_C + "word_of_mouth.public_multiplier", 3.0, 30.0, log=True),
    _u(_C + "word_of_mouth.listener_customer_share", 0.1, 0.3),
    _u(_C + "word_of_mouth.loyalty_nudge", 0.005, 0.02, log=True),
    _u(_C + "acquisition.reputation_elasticity", 0.05, 0.2),
    _u("market.alternatives", 0.5, 1.5),
    # Survey (answers only: never behaviour).
    _u(_C + "survey.promoter_loyalty", 0.74, 0.82),
    _u(_C + "survey.detractor_loyalty", 0.58, 0.66),
    # Agents.
    _u("agents.skill.novice_skill", 0.25, 0.55),
    _u("agents.skill.learning_contacts", 200.0, 800.0, "weeks to months to proficiency", log=True),
    _u("agents.skill.novice_handle_factor", 1.2, 1.8),
    _u("agents.skill.wrong_transfer_novice", 0.15, 0.45),
    _u("agents.empathy.burnout_loss", 0.3, 0.7),
    _u("agents.burnout.per_busy_hour", 0.025, 0.1, "Oliva & Sterman 2001", log=True),
    _u("agents.burnout.per_hostile_contact", 0.005, 0.02, log=True),
    _u("agents.burnout.recovery_half_life_hours", 15.0, 60.0, log=True),
    _u("agents.attrition.burnout_annual", 0.75, 3.0, log=True),
    _u("agents.corner_cutting.onset_backlog_hours", 2.0, 8.0, log=True),
    _u("agents.corner_cutting.full_backlog_hours", 12.0, 72.0, log=True),
    _u("agents.corner_cutting.handle_time_cut", 0.1, 0.5, "Oliva & Sterman 2001: time per order"),
    _u("agents.corner_cutting.resolution_loss", 0.05, 0.3, "Oliva & Sterman 2001: quality"),
    _u("agents.corner_cutting.burnout_gain", 0.5, 2.0, log=True),
    # Culture.
    _u("culture.influence", 0.4, 0.8),
    _u("culture.percolation_days", 20.0, 90.0, log=True),
    _u("culture.authenticity_gap_weight", 0.75, 3.0, log=True),
    # Demand beyond its measured shape (0 in the default: a Poisson day).
    _u("demand.rate_cv", 0.0, 0.25, "Brown et al. 2005; Ibrahim et al. 2016: daily CV 0.1-0.25"),
    # Policies' behavioural effects.
    _u("policy.surge.trigger_backlog_hours", 2.0, 8.0, log=True),
    _u("policy.surge.max_extra_share", 0.1, 0.5, "overtime of 4-20 hours on a 40-hour week"),
    _u("policy.outreach.contact_reduction", 0.4, 0.8),
    _u("policy.outreach.reconsider", 0.0, 1.0, "Ascarza et al. 2016: outreach can prompt churn"),
    _u("policy.outreach.silent_relief", 0.5, 0.9),
    _u("policy.outreach.contact_back_prob", 0.05, 0.3, "Gartner 2022: outreach invites contact"),
    _u("policy.callback.accept_prob", 0.4, 0.8),
    _u("policy.callback.felt_wait_share", 0.15, 0.5),
)


def _default(config: Any, key: str) -> Any:
    return functools.reduce(getattr, key.split("."), config)


def _section_with(key: str, value: float) -> tuple[Any, str]:
    """A fresh default section holding ``key``, set to ``value``, and its dotted path."""
    path, _, last = key.rpartition(".")
    node = _default(Config(), path)
    current = getattr(node, last)
    setattr(node, last, round(value) if isinstance(current, int) else value)
    return node, path


def check(parameters: tuple[Uncertain, ...] = PARAMETERS) -> None:
    """Every range is ordered, holds its default, and makes its section valid at both
    ends; raises the first ``ConfigError`` found (its one line names the key). Sections,
    not whole configurations: a bare ``Config()`` has no staffing, and composing one is
    the application's business."""
    for p in parameters:
        if not p.low < p.high or (p.log and p.low <= 0):
            raise ConfigError(p.key, [p.low, p.high], "the range must be low < high (> 0 if log)")
        default = _default(Config(), p.key)
        if not p.low <= default <= p.high:
            raise ConfigError(p.key, default, f"default outside its range [{p.low}, {p.high}]")
        for end in (p.low, p.high):
            section, path = _section_with(p.key, end)
            validate(section, path)  # the section's own rules too (shares summing to 1, …)


def markdown_table(parameters: tuple[Uncertain, ...] = PARAMETERS) -> str:
    """The registry as the table in ``docs/calibration.md``."""
    config = Config()
    lines = [
        "| parameter | default | plausible range | distribution | basis |",
        "|---|---|---|---|---|",
    ]
    for p in parameters:
        shape = "log-uniform" if p.log else "uniform"
        default = _default(config, p.key)
        lines.append(f"| `{p.key}` | {default:g} | {p.low:g} – {p.high:g} | {shape} | {p.basis} |")
    return "\n".join(lines)
