"""Schema of management culture (new_management, lip_service): what leaders practise, what
they say, what the front line may do, what it is pushed to do, and how staff are looked
after."""

from __future__ import annotations

from dataclasses import dataclass

from sim.config.constraints import number, probability, section

CULTURE_LEVERS = (
    "practised_focus",
    "stated_focus",
    "empowerment",
    "deflection_pressure",
    "staff_support",
)


@dataclass
class CultureChangeConfig:
    """The new culture from ``culture.change_at_day`` on (null keeps the old value)."""

    practised_focus: float | None = number(None, ge=0.0, le=1.0)
    stated_focus: float | None = number(None, ge=0.0, le=1.0)
    empowerment: float | None = number(None, ge=0.0, le=1.0)
    deflection_pressure: float | None = number(None, ge=0.0, le=1.0)
    staff_support: float | None = number(None, ge=0.0, le=1.0)


@dataclass
class CultureConfig:
    """Levers in [0, 1]. Authenticity of care is ``1 − authenticity_gap_weight·max(0,
    stated − practised)`` (lip_service: lip service "won't come off as authentic").

    Percolation: each agent's empathy and deflection propensity relax towards the
    culture's targets with time constant ``percolation_days``; new hires are trained into
    the current culture. ``enabled: false``: no empowerment, no deflection pressure,
    authentic care, agents keep their own empathy.
    """

    enabled: bool = True
    practised_focus: float = probability(0.6)
    stated_focus: float = probability(0.6)
    empowerment: float = probability(0.3)
    deflection_pressure: float = probability(0.05)
    staff_support: float = probability(0.5)
    influence: float = probability(0.6)
    percolation_days: float = number(45.0, gt=0.0, le=3650.0)
    authenticity_gap_weight: float = number(1.5, ge=0.0, le=100.0)
    change_at_day: float | None = number(None, gt=0.0, le=36_500.0)
    change_turnover_share: float = probability(0.0)
    change: CultureChangeConfig = section(CultureChangeConfig)

    def levers_after_change(self) -> dict[str, float]:
        """The culture's levers once the change has happened."""
        return {
            name: value
            if (value := getattr(self.change, name)) is not None
            else getattr(self, name)
            for name in CULTURE_LEVERS
        }
