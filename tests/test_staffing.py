"""Staffing from a load: Erlang C requirement, backlog requirement, shrinkage, shift cover,
and an organisation staffed from the offered load a pilot run measures."""

from __future__ import annotations

import functools

import pytest

from sim.analysis.planning.staffing import (
    HourLoad,
    agents_for_service_level,
    backlog_requirement,
    cover,
    covered,
    gross_up,
    requirement,
    shifts_for,
    staffed_hours,
    with_shifts,
)
from sim.analysis.planning.workload import WeeklyLoad, offered_load
from sim.analysis.theory import erlang_c
from sim.config import Config
from sim.config.operations import POOLS
from sim.units import HOURS_PER_WEEK

from .conftest import compose_config


def test_requirement_is_the_fewest_agents_meeting_the_goal():
    load = HourLoad(arrivals_per_hour=100.0, handle_min=6.0)  # 10 erlangs
    n = agents_for_service_level(load, 20.0, 0.8)
    level = erlang_c(100 / 60, 1 / 6, n).service_level(20 / 60)
    below = erlang_c(100 / 60, 1 / 6, n - 1).service_level(20 / 60)
    assert level >= 0.8 > below
    assert agents_for_service_level(HourLoad(0.0, 6.0), 20.0, 0.8) == 0


def test_backlog_is_spread_over_the_staffed_hours_of_its_day():
    work = [0.0] * 168
    work[2] = 600.0  # ten hours of e-mail work arrive at 02:00 on Monday
    open_hours = [8 <= h % 24 < 18 for h in range(168)]
    needs = backlog_requirement(work, open_hours, occupancy=0.5)
    assert needs[8:18] == [2] * 10 and sum(needs) == 20  # 10 h of work at 50 % over 10 h


def test_gross_up_schedules_the_nearest_expected_cover():
    assert gross_up([0, 1, 7, 10], 0.3) == [0, 1, 10, 14]


def week_of(day_need: dict[int, int]) -> list[int]:
    need = [0] * 168
    for day in range(7):
        for hour, n in day_need.items():
            need[day * 24 + hour] = n
    return need


@pytest.mark.parametrize(
    ("day_need", "paid_per_day"),
    [
        ({h: 2 for h in range(8, 16)}, 16),  # two 8-hour shifts
        ({h: 1 for h in range(8, 20)}, 12),  # 8 + 4 hours, not two 8s
        ({**{h: 3 for h in range(8, 12)}, **{h: 1 for h in range(12, 16)}}, 16),  # 8 + 4 + 4
        ({h: 1 for h in range(8, 11)}, 4),  # a 3-hour need still costs a 4-hour shift
    ],
)
def test_cover_meets_every_hour_at_the_fewest_paid_hours(day_need, paid_per_day):
    need = week_of(day_need)
    on_duty = covered(cover(need))
    assert all(have >= want for have, want in zip(on_duty, need))
    assert sum(on_duty) == 7 * paid_per_day


def test_cover_groups_days_with_the_same_shift():
    shifts = cover(week_of({h: 2 for h in range(8, 16)}))
    assert len(shifts) == 1 and shifts[0].days == tuple(range(7)) and shifts[0].agents == 2


def test_cover_refuses_a_week_of_the_wrong_length():
    with pytest.raises(ValueError, match="168"):
        cover([1] * 24)


# -- an organisation staffed from its own offered load --------------------------------------
@functools.cache
def tiny_load() -> tuple[Config, WeeklyLoad]:
    config = compose_config(["size=tiny", "output.figures=false"])
    return config, offered_load(config, 4, weeks=2)


def test_the_pilot_measures_offered_load_only_while_a_channel_is_open():
    """Ample staff: every contact is taken at once, so arrivals and work are what the
    customers offered; phone takes none in its closed hours and all of it in open ones."""
    config, load = tiny_load()
    arrivals, work_min = load.pool("phone")
    open_hours = staffed_hours(config, "phone")
    assert arrivals.shape == (HOURS_PER_WEEK,) and arrivals.sum() > 0
    assert all(arrivals[h] == 0 for h in range(HOURS_PER_WEEK) if not open_hours[h])
    busy = arrivals > 0
    mean_handle_min = work_min[busy].sum() / arrivals[busy].sum()
    assert mean_handle_min == pytest.approx(config.channels.phone.handle_time.mean_min, rel=0.25)


def test_shifts_for_the_load_cover_each_hours_requirement_and_staff_the_run():
    config, load = tiny_load()
    goals = {"phone": 0.8, "chat": 0.8}
    shifts = shifts_for(config, goals, load, shrinkage=0.3)
    staffed = with_shifts(config, shifts)
    for pool in POOLS:
        arrivals, work_min = load.pool(pool)
        need = requirement(
            pool, arrivals, work_min, goals.get(pool, 0.8), staffed_hours(config, pool)
        )
        scheduled = staffed.pool_agents(pool)
        assert scheduled == covered(shifts[pool])
        assert all(s >= g for s, g in zip(scheduled, gross_up(need, 0.3))), pool
    assert staffed.staffing.scale == 1.0 and config.staffing.scale != 1.0  # a copy
    more = shifts_for(config, {"phone": 0.95, "chat": 0.95}, load, shrinkage=0.3)
    assert sum(covered(more["phone"])) > sum(covered(shifts["phone"]))
