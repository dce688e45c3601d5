"""Schemas of incidents: outages whose affected customers all get an issue (one cause)."""

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


@dataclass
class IncidentConfig:
    """A scheduled incident: from ``start_day`` for ``duration_days``, a ``share`` of the
    active customers each get one issue of mean pain ``severity_mean``, at times spread
    uniformly over the incident (a correlated surge with a shared cause). It is detected
    ``detection_delay_min`` after it starts (when proactive outreach can begin)."""

    start_day: float = 30.0
    duration_days: float = 1.0
    share: float = 0.1
    severity_mean: float = 1.5
    detection_delay_min: float = 60.0

    def __post_init__(self) -> None:
        check_each(check_non_negative, self, "start_day", "detection_delay_min")
        check_each(check_positive, self, "duration_days", "severity_mean")
        check_probability("share", self.share)


@dataclass
class RandomIncidentsConfig:
    """Outages as a Poisson process (``rate_per_year``): each affects a share of the
    customers (Beta with mean ``share_mean`` and concentration ``share_concentration``)
    for an exponential duration of mean ``duration_days_mean``, with mean pain
    ``severity_mean``, and is detected ``detection_delay_min`` after it starts."""

    rate_per_year: float = 0.0
    share_mean: float = 0.05
    share_concentration: float = 10.0
    duration_days_mean: float = 1.0
    severity_mean: float = 1.2
    detection_delay_min: float = 60.0

    def __post_init__(self) -> None:
        check_each(check_non_negative, self, "rate_per_year", "detection_delay_min")
        if not (is_finite_number(self.share_mean) and 0.0 < self.share_mean < 1.0):
            raise ConfigError("share_mean", self.share_mean, "must be a number in (0, 1)")
        check_each(
            check_positive, self, "share_concentration", "duration_days_mean", "severity_mean"
        )


@dataclass
class IncidentsConfig:
    """Incidents of the run: scheduled ones (scenarios) and random ones (a Poisson process)."""

    scheduled: list[IncidentConfig] = field(default_factory=list)
    random: RandomIncidentsConfig = field(default_factory=RandomIncidentsConfig)
