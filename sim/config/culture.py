"""Schema of management culture (seeds 003, 004): what leaders practise, what they say,
what the front line may do, what it is pushed to do, and how staff are looked after."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from sim.config.checks import check_non_negative, check_positive, check_probability

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

    practised_focus: float | None = None
    stated_focus: float | None = None
    empowerment: float | None = None
    deflection_pressure: float | None = None
    staff_support: float | None = None

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                check_probability(f.name, value)


@dataclass
class CultureConfig:
    """Levers in [0, 1]. Authenticity of care is ``1 − authenticity_gap_weight·max(0,
    stated − practised)`` (seed 004: lip service "won't come off as authentic").

    Percolation: each agent's empathy and deflection propensity relax towards the
    culture's targets with time constant ``percolation_days``; new hires are trained into
    the current culture. ``enabled: false``: no empowerment, no deflection pressure,
    authentic care, agents keep their own empathy.
    """

    enabled: bool = True
    practised_focus: float = 0.6
    stated_focus: float = 0.6
    empowerment: float = 0.3
    deflection_pressure: float = 0.05
    staff_support: float = 0.5
    influence: float = 0.6
    percolation_days: float = 45.0
    authenticity_gap_weight: float = 1.5
    change_at_day: float | None = None
    change_turnover_share: float = 0.0
    change: CultureChangeConfig = field(default_factory=CultureChangeConfig)

    def __post_init__(self) -> None:
        for name in (*CULTURE_LEVERS, "influence", "change_turnover_share"):
            check_probability(name, getattr(self, name))
        check_positive("percolation_days", self.percolation_days)
        check_non_negative("authenticity_gap_weight", self.authenticity_gap_weight)
        if self.change_at_day is not None:
            check_positive("change_at_day", self.change_at_day)

    def levers_after_change(self) -> dict[str, float]:
        """The culture's levers once the change has happened."""
        return {
            name: value
            if (value := getattr(self.change, name)) is not None
            else getattr(self, name)
            for name in CULTURE_LEVERS
        }
