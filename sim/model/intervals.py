"""Service by hour of the week: what a workforce planner's interval report shows.

Each channel counts the journeys that arrive in each of the week's 168 hours and those
answered within its target on the first attempt (by the hour they arrived), the same
counts the summary's service level divides, so an hour's figure says where a schedule
meets its goal and where it misses. Counting is two list increments per contact; the
warm-up is subtracted at the end, as for every summary counter.
"""

from __future__ import annotations

from sim.units import HOURS_PER_WEEK


class HourlyCounts:
    """Arrivals and first-attempt answers within target, per hour of the week."""

    __slots__ = ("arrived", "in_target")

    def __init__(self) -> None:
        self.arrived = [0] * HOURS_PER_WEEK
        self.in_target = [0] * HOURS_PER_WEEK

    def copy(self) -> HourlyCounts:
        counts = HourlyCounts()
        counts.arrived, counts.in_target = list(self.arrived), list(self.in_target)
        return counts


def interval_table(
    names: list[str], end: list[HourlyCounts], start: list[HourlyCounts], weeks: float
) -> dict[str, list]:
    """Per channel and hour of the week over the measured window: contacts per week and
    the share answered within target (None for an hour without contacts)."""
    table: dict[str, list] = {
        "channel": [],
        "hour_of_week": [],
        "contacts_per_week": [],
        "service_level": [],
    }
    for name, at_end, at_start in zip(names, end, start):
        for hour in range(HOURS_PER_WEEK):
            arrived = at_end.arrived[hour] - at_start.arrived[hour]
            in_target = at_end.in_target[hour] - at_start.in_target[hour]
            table["channel"].append(name)
            table["hour_of_week"].append(hour)
            table["contacts_per_week"].append(arrived / weeks if weeks > 0 else 0.0)
            table["service_level"].append(in_target / arrived if arrived else None)
    return table
