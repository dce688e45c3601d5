"""Schemas of the agents as people: skill and learning, empathy, burnout, attrition, pay."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.config.checks import (
    ConfigError,
    check_each,
    check_non_negative,
    check_positive,
    check_probability,
    is_finite_number,
)
from sim.config.operations import TIERS


@dataclass
class SkillConfig:
    """Skill and its learning curve (seed 003: "the challenges of new staff members").

    An agent's inexperience ``x = exp(−contacts handled / learning_contacts)`` is 1 at
    hire and falls towards 0; skill is ``1 − (1 − novice_skill)·x``. Inexperience slows
    handling, lowers the chance of resolving what the agent's tier can resolve, and causes
    wrong transfers. ``learning: false`` makes every agent fully skilled (x = 0).
    """

    learning: bool = True
    novice_skill: float = 0.4
    learning_contacts: float = 400.0
    initial_experience_contacts: float = 4000.0
    novice_handle_factor: float = 1.5
    resolve_expert: float = 0.95
    resolve_novice: float = 0.7
    wrong_transfer_novice: float = 0.3

    def __post_init__(self) -> None:
        check_probability("novice_skill", self.novice_skill)
        check_positive("learning_contacts", self.learning_contacts)
        check_non_negative("initial_experience_contacts", self.initial_experience_contacts)
        if not (is_finite_number(self.novice_handle_factor) and self.novice_handle_factor >= 1):
            raise ConfigError(
                "novice_handle_factor", self.novice_handle_factor, "must be a number ≥ 1"
            )
        check_each(
            check_probability, self, "resolve_expert", "resolve_novice", "wrong_transfer_novice"
        )


@dataclass
class EmpathyConfig:
    """Each agent's own empathy (a trait, Beta with this mean and concentration), which the
    culture pulls on; burnout makes its expression bitter (seed 002)."""

    mean: float = 0.5
    concentration: float = 6.0
    burnout_loss: float = 0.5

    def __post_init__(self) -> None:
        if not (is_finite_number(self.mean) and 0.0 < self.mean < 1.0):
            raise ConfigError("mean", self.mean, "must be a number in (0, 1)")
        check_positive("concentration", self.concentration)
        check_probability("burnout_loss", self.burnout_loss)


@dataclass
class BurnoutConfig:
    """Burnout B in [0, 1): grows with busy time, hostile contacts and deflection
    conflicts (each as B += g·(1 − B)), recovers off shift with a half-life; staff support
    relieves the growth. Burnt-out agents show less empathy and deflect more."""

    enabled: bool = True
    per_busy_hour: float = 0.05
    per_hostile_contact: float = 0.01
    per_deflection: float = 0.02
    hostility_wait_min: float = 5.0
    recovery_half_life_hours: float = 30.0
    support_relief: float = 0.6
    deflection_gain: float = 0.05

    def __post_init__(self) -> None:
        check_each(
            check_probability,
            self,
            "per_busy_hour",
            "per_hostile_contact",
            "per_deflection",
            "support_relief",
            "deflection_gain",
        )
        check_each(check_positive, self, "hostility_wait_min", "recovery_half_life_hours")


@dataclass
class AttritionConfig:
    """Agents quit with an annual hazard ``base_annual + burnout_annual·B``; each leaver is
    replaced by a novice after ``hiring_delay_days`` (recruiting and training)."""

    enabled: bool = True
    base_annual: float = 0.12
    burnout_annual: float = 1.5
    hiring_delay_days: float = 42.0
    hiring_cost: float = 8000.0

    def __post_init__(self) -> None:
        check_each(
            check_non_negative,
            self,
            "base_annual",
            "burnout_annual",
            "hiring_delay_days",
            "hiring_cost",
        )


@dataclass
class AgentsConfig:
    """The people in the pools. Each pool employs ``max(peak on duty, ⌈weekly shift hours /
    contract_hours_per_week⌉)`` agents, who take turns on its shifts (longest off duty
    first). ``wage_per_hour[j]`` is paid per on-duty hour at tier ``j+1``."""

    contract_hours_per_week: float = 37.5
    wage_per_hour: list[float] = field(default_factory=lambda: [22.0, 30.0, 42.0])
    skill: SkillConfig = field(default_factory=SkillConfig)
    empathy: EmpathyConfig = field(default_factory=EmpathyConfig)
    burnout: BurnoutConfig = field(default_factory=BurnoutConfig)
    attrition: AttritionConfig = field(default_factory=AttritionConfig)

    def __post_init__(self) -> None:
        check_positive("contract_hours_per_week", self.contract_hours_per_week)
        if len(self.wage_per_hour) != len(TIERS):
            raise ConfigError(
                "wage_per_hour", list(self.wage_per_hour), "must list 3 wages (tiers 1-3)"
            )
        for i, wage in enumerate(self.wage_per_hour):
            check_non_negative(f"wage_per_hour[{i}]", wage)
