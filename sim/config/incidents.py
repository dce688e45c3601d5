"""Schemas of incidents: outages whose affected customers all get an issue (one cause)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.config.checks import check_non_negative, check_positive, check_probability


@dataclass
class IncidentConfig:
    """A scheduled incident: from ``start_day`` for ``duration_days``, a ``share`` of the
    active customers each get one issue of mean pain ``severity_mean``, at times spread
    uniformly over the incident (a correlated surge with a shared cause)."""

    start_day: float = 30.0
    duration_days: float = 1.0
    share: float = 0.1
    severity_mean: float = 1.5

    def __post_init__(self) -> None:
        check_non_negative("start_day", self.start_day)
        check_positive("duration_days", self.duration_days)
        check_probability("share", self.share)
        check_positive("severity_mean", self.severity_mean)


@dataclass
class IncidentsConfig:
    """Incidents of the run (scheduled ones; random ones come with the policy issue)."""

    scheduled: list[IncidentConfig] = field(default_factory=list)
