"""Schemas of incidents: outages whose affected customers all get an issue (one cause)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.config.constraints import number, probability, section
from sim.config.errors import ConfigError

MAX_DAYS = 36_500.0
MAX_DELAY_MIN = 1e6  # about two years
MAX_SCHEDULED = 1000


@dataclass
class IncidentConfig:
    """A scheduled incident: from ``start_day`` for ``duration_days``, a ``share`` of the
    active customers each get one issue of mean pain ``severity_mean``, at times spread
    uniformly over the incident (a correlated surge with a shared cause). It is detected
    ``detection_delay_min`` after it starts (when proactive outreach can begin)."""

    start_day: float = number(30.0, ge=0.0, le=MAX_DAYS)
    duration_days: float = number(1.0, gt=0.0, le=3650.0)
    share: float = probability(0.1)
    severity_mean: float = number(1.5, gt=0.0, le=100.0)
    detection_delay_min: float = number(60.0, ge=0.0, le=MAX_DELAY_MIN)


@dataclass
class RandomIncidentsConfig:
    """Outages as a Poisson process (``rate_per_year``, at most one a day on average): each
    affects a share of the customers (Beta with mean ``share_mean`` and concentration
    ``share_concentration``) for an exponential duration of mean ``duration_days_mean``,
    with mean pain ``severity_mean``, and is detected ``detection_delay_min`` after it
    starts."""

    rate_per_year: float = number(0.0, ge=0.0, le=365.0)
    share_mean: float = number(0.05, gt=0.0, lt=1.0)
    share_concentration: float = number(10.0, gt=0.0, le=1e4)
    duration_days_mean: float = number(1.0, gt=0.0, le=3650.0)
    severity_mean: float = number(1.2, gt=0.0, le=100.0)
    detection_delay_min: float = number(60.0, ge=0.0, le=MAX_DELAY_MIN)


@dataclass
class IncidentsConfig:
    """Incidents of the run: scheduled ones (scenarios) and random ones (a Poisson process).

    An affected customer contacts us about an incident's issue with ``contact_factor``
    times the chance they would for an everyday issue of the same pain: an outage is
    visible to everyone, so most assume it is known and wait, and one who waits does not
    resent it as a problem nobody heard: ``visible_relief`` of that resentment is spared.
    A shared, passing cause is blamed less than a failure of one's own service (Folkes
    1984; Folkes, Koletsky & Graham 1987): the pain, resentment, lost trust and memory of
    an incident's issue count ``blame`` of an everyday problem's; how an ensuing contact is
    handled counts in full (``docs/calibration.md``: Optus 2023, Rogers 2022).
    """

    scheduled: list[IncidentConfig] = field(default_factory=list)
    random: RandomIncidentsConfig = section(RandomIncidentsConfig)
    contact_factor: float = probability(0.3)
    visible_relief: float = probability(0.8)
    blame: float = probability(0.1)

    def rules(self) -> None:
        if len(self.scheduled) > MAX_SCHEDULED:
            raise ConfigError(
                "scheduled", f"{len(self.scheduled)} incidents", f"at most {MAX_SCHEDULED}"
            )
