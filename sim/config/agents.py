"""Schemas of the agents as people: skill and learning, empathy, burnout, attrition, pay,
and the corners they cut under pressure."""

from __future__ import annotations

from dataclasses import dataclass

from sim.config.constraints import Range, number, numbers, probability, section
from sim.config.errors import ConfigError

MAX_ANNUAL_HAZARD = 12.0  # a quit hazard of 12 a year: the average agent stays a month


@dataclass
class SkillConfig:
    """Skill and its learning curve (new_management: "the challenges of new staff members").

    An agent's inexperience ``x = exp(−contacts handled / learning_contacts)`` is 1 at
    hire and falls towards 0; skill is ``1 − (1 − novice_skill)·x``. Inexperience slows
    handling, lowers the chance of resolving what the agent's tier can resolve, and causes
    wrong transfers. ``learning: false`` makes every agent fully skilled (x = 0).
    """

    learning: bool = True
    novice_skill: float = probability(0.4)
    learning_contacts: float = number(400.0, gt=0.0, le=1e9)  # 1e9: no learning to speak of
    initial_experience_contacts: float = number(4000.0, ge=0.0, le=1e7)
    novice_handle_factor: float = number(1.5, ge=1.0, le=10.0)
    resolve_expert: float = probability(0.95)
    resolve_novice: float = probability(0.7)
    wrong_transfer_novice: float = probability(0.3)


@dataclass
class EmpathyConfig:
    """Each agent's own empathy (a trait, Beta with this mean and concentration), which the
    culture pulls on; burnout makes its expression bitter (premium_standard: "progressively
    more bitter")."""

    mean: float = number(0.5, gt=0.0, lt=1.0)
    concentration: float = number(6.0, gt=0.0, le=1e4)
    burnout_loss: float = probability(0.5)


@dataclass
class BurnoutConfig:
    """Burnout B in [0, 1): grows with busy time, hostile contacts and deflection
    conflicts (each as B += g·(1 − B)), recovers off shift with a half-life; staff support
    relieves the growth. Burnt-out agents show less empathy and deflect more."""

    enabled: bool = True
    per_busy_hour: float = probability(0.05)
    per_hostile_contact: float = probability(0.01)
    per_deflection: float = probability(0.02)
    hostility_wait_min: float = number(5.0, gt=0.0, le=10_080.0)
    recovery_half_life_hours: float = number(30.0, gt=0.0, le=8760.0)
    support_relief: float = probability(0.6)
    deflection_gain: float = probability(0.05)


@dataclass
class AttritionConfig:
    """Agents quit with an annual hazard ``base_annual + burnout_annual·B``; each leaver is
    replaced by a novice after ``hiring_delay_days`` (recruiting and training)."""

    enabled: bool = True
    base_annual: float = number(0.12, ge=0.0, le=MAX_ANNUAL_HAZARD)
    burnout_annual: float = number(1.2, ge=0.0, le=MAX_ANNUAL_HAZARD)
    hiring_delay_days: float = number(42.0, ge=0.0, le=3650.0)
    hiring_cost: float = number(8000.0, ge=0.0, le=1e6)


@dataclass
class CornerCuttingConfig:
    """What agents do under work pressure (Oliva & Sterman 2001, "Cutting corners and
    working overtime"): with more queued work than they can clear they spend less time per
    contact, solve fewer problems and wear out faster.

    Pressure is 0 up to ``onset_backlog_hours`` of queued work per agent on duty and rises
    linearly to 1 at ``full_backlog_hours``; at full pressure handling takes
    ``handle_time_cut`` less, the chance of resolving falls by ``resolution_loss`` (as a
    share) and burnout grows ``burnout_gain`` times faster. Below the onset nothing changes,
    so a centre in its normal course (e-mail's daily peak ≈ 3 hours of work per agent)
    cuts no corners."""

    enabled: bool = False
    onset_backlog_hours: float = number(4.0, ge=0.0, le=10_000.0)
    full_backlog_hours: float = number(24.0, gt=0.0, le=10_000.0)
    handle_time_cut: float = number(0.3, ge=0.0, le=0.9)
    resolution_loss: float = probability(0.15)
    burnout_gain: float = number(1.0, ge=0.0, le=10.0)

    def rules(self) -> None:
        if self.full_backlog_hours <= self.onset_backlog_hours:
            raise ConfigError(
                "full_backlog_hours",
                self.full_backlog_hours,
                f"must be > onset_backlog_hours ({self.onset_backlog_hours})",
            )

    def pressure(self, backlog_hours_per_agent: float) -> float:
        """0 below the onset, 1 at and beyond full pressure, linear between (whether it
        acts at all is ``enabled``, the journey's to check)."""
        if backlog_hours_per_agent <= self.onset_backlog_hours:
            return 0.0
        span = self.full_backlog_hours - self.onset_backlog_hours
        return min(1.0, (backlog_hours_per_agent - self.onset_backlog_hours) / span)


@dataclass
class AgentsConfig:
    """The people in the pools. Each pool employs ``max(peak on duty, ⌈weekly shift hours /
    contract_hours_per_week⌉)`` agents, who take turns on its shifts (longest off duty
    first). ``wage_per_hour[j]`` is paid per on-duty hour at tier ``j+1``."""

    # At least a four-hour week: a contract of minutes employs a population of agents who
    # each work a few of them (a pool with 1,000 agent-hours a week would hire 10⁶ people).
    contract_hours_per_week: float = number(37.5, ge=4.0, le=168.0)
    wage_per_hour: list[float] = numbers([22.0, 30.0, 42.0], Range(0.0, 10_000.0), length=3)
    skill: SkillConfig = section(SkillConfig)
    empathy: EmpathyConfig = section(EmpathyConfig)
    burnout: BurnoutConfig = section(BurnoutConfig)
    attrition: AttritionConfig = section(AttritionConfig)
    corner_cutting: CornerCuttingConfig = section(CornerCuttingConfig)
