"""The week: when each channel takes contacts. One rule, used by demand, customers and
journeys alike.

The simulation starts on a Monday at 00:00 and time is in minutes. **A channel accepts a
contact in an hour of the week if it is asynchronous (e-mail and social take messages
around the clock) or if that hour is inside its opening hours on one of its opening
days.** An asynchronous channel's opening hours say only when agents are expected to
work it; staffing decides that. So a new contact, a redial and a repeat contact all wait
for the same thing: the next hour the channel accepts contacts.
"""

from __future__ import annotations

import math

import numpy as np

from sim.config import SYNCHRONOUS_CHANNELS, ChannelsConfig
from sim.units import HOURS_PER_DAY, HOURS_PER_WEEK, MIN_PER_HOUR


def hour_of_week(time_min: float) -> int:
    return int(time_min // MIN_PER_HOUR) % HOURS_PER_WEEK


class WeekCalendar:
    """Which hours of the week each channel accepts contacts (see the module's rule)."""

    def __init__(self, channels: ChannelsConfig) -> None:
        self.channels = channels
        self.accepting: list[list[bool]] = [
            [
                name not in SYNCHRONOUS_CHANNELS
                or channel.is_open(how // HOURS_PER_DAY, how % HOURS_PER_DAY)
                for how in range(HOURS_PER_WEEK)
            ]
            for name, channel in channels.items()
        ]

    def mask(self) -> np.ndarray:
        """(168, n_channels) booleans: does the channel accept contacts in this hour?"""
        return np.array(self.accepting, dtype=bool).T

    def accepts(self, channel: int, time_min: float) -> bool:
        return self.accepting[channel][hour_of_week(time_min)]

    def hours_until_accepting(self, channel: int, time_min: float) -> int:
        """Whole hours from the current one to the next accepting one (0: it accepts now)."""
        hours = self.accepting[channel]
        hour = int(time_min // MIN_PER_HOUR)
        ahead = 0
        while not hours[(hour + ahead) % HOURS_PER_WEEK]:
            ahead += 1
        return ahead

    def delay_until_accepting_min(self, channel: int, time_min: float) -> float:
        """From ``time_min`` to the start of the next accepting hour (0 if it accepts then)."""
        ahead = self.hours_until_accepting(channel, time_min)
        if ahead == 0:
            return 0.0
        return (int(time_min // MIN_PER_HOUR) + ahead) * MIN_PER_HOUR - time_min

    def accepting_run_hours(self, channel: int, start_hour: int) -> int:
        """How many consecutive hours the channel accepts from ``start_hour`` (absolute)."""
        hours = self.accepting[channel]
        run = 1
        while run < HOURS_PER_WEEK and hours[(start_hour + run) % HOURS_PER_WEEK]:
            run += 1
        return run

    def deferred_arrival_delay_min(
        self, channel: int, now_min: float, u: float, mean_min: float
    ) -> float:
        """0 if the channel accepts now; else until the customer gets round to it after it
        next opens: an exponential delay (mean ``mean_min``, from the uniform ``u``) after
        the opening, kept inside that opening (so overnight issues spread over the
        morning rather than pile up at the opening minute)."""
        ahead = self.hours_until_accepting(channel, now_min)
        if ahead == 0:
            return 0.0
        opening_hour = int(now_min // MIN_PER_HOUR) + ahead
        run = self.accepting_run_hours(channel, opening_hour)
        offset = min(-mean_min * math.log(1.0 - u), run * MIN_PER_HOUR - 1.0)
        return opening_hour * MIN_PER_HOUR + offset - now_min
