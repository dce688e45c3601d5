"""Management culture: the organisation's levers and the targets it sets for its agents.

Culture does not act on customers directly. It acts through agents (their empathy and
their propensity to deflect relax towards its targets; new hires are trained into it),
through what the front line may do (empowerment), through how staff are supported
(burnout relief), and through whether its care is believed (authenticity). A change of
culture (new management, new_management) switches the levers at once; agents follow slowly.
"""

from __future__ import annotations

import math

from sim.config import CultureConfig


class Culture:
    """The current levers; with ``enabled: false`` a neutral culture that pulls on nobody."""

    def __init__(self, config: CultureConfig) -> None:
        self.config = config
        self.enabled = config.enabled
        self.practised_focus = config.practised_focus
        self.stated_focus = config.stated_focus
        self.empowerment = config.empowerment if self.enabled else 0.0
        self.deflection_pressure = config.deflection_pressure if self.enabled else 0.0
        self.staff_support = config.staff_support if self.enabled else 0.0
        self.daily_relaxation = math.exp(-1.0 / config.percolation_days)
        self.changed = False
        self.authenticity = self._believed_share()  # read on every journey: kept, not computed

    def _believed_share(self) -> float:
        """How much care is believed: lip service (stated above practised) discounts it."""
        if not self.enabled:
            return 1.0
        gap = max(0.0, self.stated_focus - self.practised_focus)
        return max(0.0, 1.0 - self.config.authenticity_gap_weight * gap)

    def empathy_target(self, trait: float) -> float:
        """Where an agent's empathy settles: own trait, pulled towards practised focus."""
        if not self.enabled:
            return trait
        w = self.config.influence
        return (1.0 - w) * trait + w * self.practised_focus

    @property
    def deflection_target(self) -> float:
        return self.deflection_pressure

    def change(self) -> None:
        """New management: the levers switch to ``culture.change`` (unset ones stay)."""
        levers = self.config.levers_after_change()
        self.practised_focus = levers["practised_focus"]
        self.stated_focus = levers["stated_focus"]
        if self.enabled:
            self.empowerment = levers["empowerment"]
            self.deflection_pressure = levers["deflection_pressure"]
            self.staff_support = levers["staff_support"]
        self.authenticity = self._believed_share()
        self.changed = True
