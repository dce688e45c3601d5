"""Incidents and the organisation's response to them (northwind_outage, cloud_outage).

An incident (scheduled, or drawn from the Poisson process of ``sim.model.demand``) hits a
share of the active customers at once: each gets one issue, at a time spread over the
incident, from one shared cause. It is detected after a delay; with proactive outreach
(``policy.outreach``) every affected customer is then reached — or not — at a time set by
the outreach delay and capacity. What the message does depends on when it arrives: before
the customer's problem shows, it forestalls the call and the resentment of an unheard
problem; after it, only the apology, explanation and credit remain ("slow outreach gains
less").

One pending event per incident walks its issues in time order, and one its messages
(``sim.model.events.Drive``): never an event per affected customer up front.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import simpy

from sim.config import Config, IncidentConfig
from sim.model.demand import random_incidents
from sim.model.distributions import lognormal_params
from sim.model.events import Drive, call_later
from sim.rng import Streams
from sim.units import MIN_PER_DAY, MIN_PER_HOUR

if TYPE_CHECKING:
    from sim.model.behaviour import CustomerBehaviour


class Incidents:
    """Schedules the run's incidents and carries out the outreach policy."""

    def __init__(
        self,
        env: simpy.Environment,
        config: Config,
        streams: Streams,
        customers: CustomerBehaviour,
    ) -> None:
        self.env = env
        self.customers = customers
        self.outreach = config.policy.outreach
        self.severity_cv = config.customers.issues.severity_cv
        self._rng = streams.get("customers/incidents")
        self._outreach_rng = streams.get("outreach")
        drawn = random_incidents(
            config.incidents.random, streams.get("incidents/random"), config.horizon_days
        )
        self.schedule = sorted([*config.incidents.scheduled, *drawn], key=lambda i: i.start_day)
        for incident in self.schedule:
            call_later(self.env, incident.start_day * MIN_PER_DAY, self.start, incident)

    def start(self, incident: IncidentConfig) -> None:
        """Pick the affected customers now; schedule their issues and any outreach.

        Every draw is made per slot of the population arrays, active or not, so the same
        customer is hit (at the same moment, as badly, and reached by the same outreach)
        under every configuration run with the same seed, whoever else has left.
        """
        customers = self.customers
        pop = customers.population
        rng = self._rng
        capacity = pop.capacity
        hit = rng.random(capacity) < incident.share
        offset_min = rng.random(capacity) * incident.duration_days * MIN_PER_DAY
        mu, sigma = lognormal_params(incident.severity_mean, self.severity_cv)
        severity = rng.lognormal(mu, sigma, capacity)
        affected = np.flatnonzero(pop.active & hit)
        affected = affected[np.argsort(offset_min[affected], kind="stable")]
        n = len(affected)
        customers.stats.incident_affected += int(np.count_nonzero(~pop.affected[affected]))
        pop.affected[affected] = True
        times = self.env.now + offset_min[affected]
        severities = severity[affected]
        uids = pop.uid[affected]
        told = np.full(n, math.inf)
        outreach = self.outreach
        if outreach.enabled:
            reached_slot = self._outreach_rng.random(capacity) < outreach.reach_share
            spread_min = self._outreach_rng.random(capacity) * outreach.spread_hours * MIN_PER_HOUR
            reached = reached_slot[affected]
            first = self.env.now + incident.detection_delay_min + outreach.delay_min
            told = np.where(reached, first + spread_min[affected], math.inf)
            order = np.argsort(told[reached], kind="stable")
            messages = zip(
                told[reached][order].tolist(),
                affected[reached][order].tolist(),
                uids[reached][order].tolist(),
                severities[reached][order].tolist(),
            )
            Drive(self.env, messages, self._message)
        issues = zip(
            times.tolist(), affected.tolist(), uids.tolist(), severities.tolist(), told.tolist()
        )
        Drive(self.env, issues, self._issue)

    def _issue(
        self, time_min: float, slot: int, uid: int, severity: float, told_min: float
    ) -> None:
        if self.customers.population.uid_of[slot] == uid:  # still a customer
            self.customers.incident_issue(slot, severity, informed=told_min <= time_min)

    def _message(self, _time_min: float, slot: int, uid: int, severity: float) -> None:
        if self.customers.population.uid_of[slot] == uid:
            self.customers.receive_outreach(slot, severity, self.outreach)
