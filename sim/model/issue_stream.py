"""Everyday issues and requests of the whole population, one day at a time.

Issues arise per active customer as one superposed Poisson stream (never a process per
customer): candidates at the population's total rate times the day/week profile, as if
every slot of the population's arrays held a customer of the most contact-prone segment,
each picking a slot uniformly and thinned to its occupant's own rates. The stream depends
on the arrays' capacity alone, so it is the same under every configuration (common random
numbers), and restarts only when the arrays grow.

Customers join only at midnight, so a day's candidates are thinned in one vectorised pass
at its midnight (``plan_day``), each taking its row of draws used or not, the same rows in
the same order as one by one (``rng.RowBlocks``): only issues and requests enter the event
loop. One whose customer has left since midnight is for the handler to drop when it comes —
exactly what thinning each candidate when it comes would do, with the same draws.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import simpy

from sim.model.customers import Population
from sim.model.demand import DayFactors, Upcoming, arrival_blocks
from sim.model.events import Drive
from sim.rng import RowBlocks
from sim.units import MIN_PER_DAY


class IssueStream:
    """The candidates' stream, restarted for the arrays' capacity and planned daily.

    The handler receives ``(time_min, slot, segment, request, severity, u_contact,
    u_channel, u_defer)`` for each issue (``request`` False) or request that passed.
    """

    def __init__(
        self,
        env: simpy.Environment,
        population: Population,
        issue_rate_per_min: np.ndarray,
        request_rate_per_min: float,
        profile: np.ndarray,
        days: DayFactors,
        rngs: dict[str, np.random.Generator],
        rows: RowBlocks,
        handle: Callable[..., Any],
    ) -> None:
        self.env = env
        self.population = population
        self._issue_rate_per_min = issue_rate_per_min  # by segment
        self._contact_rate_per_min = issue_rate_per_min + request_rate_per_min
        self._max_rate_per_min = float(self._contact_rate_per_min.max())
        self._profile = profile
        self._days = days
        self._rngs = rngs
        self._rows = rows
        self._handle = handle
        self._bound = 0.0
        self._candidates: Upcoming | None = None
        self._feed: Drive | None = None

    def follow_capacity(self) -> None:
        """At a midnight: restart for grown arrays, else plan the new day."""
        if self.population.capacity * self._max_rate_per_min != self._bound:
            self.restart()
        else:
            self.plan_day()

    def restart(self) -> None:
        """(Re)start the candidates from now for the population's current capacity."""
        if self._feed is not None:
            self._feed.stop()  # its candidates were drawn for fewer slots
        self._candidates = None
        self._bound = self.population.capacity * self._max_rate_per_min
        if self._bound <= 0:
            return
        rates = (self._profile * self._bound * self._days.cap)[:, None]
        blocks = arrival_blocks(rates, self._rngs["issues"], start_min=self.env.now)
        thinned = self._days.thinned(blocks, self._rngs["issue_days"])
        self._candidates = Upcoming(times for times, _ in thinned)
        self.plan_day()

    def plan_day(self) -> None:
        """Today's candidates, from now to the next midnight, thinned in one pass: the slot
        each picks, empty slots and the segment's own rates; one row of draws each, used
        or not. The issues and requests left enter the event loop."""
        if self._candidates is None:
            return
        midnight_min = (self.env.now // MIN_PER_DAY + 1) * MIN_PER_DAY
        times = self._candidates.times_before(midnight_min)
        u_slot, u_accept, severity, u_contact, u_channel, u_defer = self._rows.take(len(times))
        pop = self.population
        slots = (u_slot * pop.capacity).astype(np.int64)  # Population.slot_at, vectorised
        segments = pop.segment[slots]
        active = pop.active[slots]
        rate = u_accept * self._max_rate_per_min
        issue = active & (rate < self._issue_rate_per_min[segments])
        request = active & ~issue & (rate < self._contact_rate_per_min[segments])
        kept = issue | request
        columns = (slots, segments, request, severity, u_contact, u_channel, u_defer)
        items = zip(times[kept].tolist(), *(column[kept].tolist() for column in columns))
        self._feed = Drive(self.env, items, self._handle)
