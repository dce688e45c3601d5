"""The organisation reacts to being behind (Oliva & Sterman 2001): overtime clears an
outage's backlog, and agents under pressure cut corners. Both under common random numbers:
the same outage, the same customers, the same absences in every arm."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from sim import run
from sim.analysis.statistics.replications import paired_difference, replicate, replicate_runs
from sim.model.org import RunResult

from .conftest import compose_config

# The demo's outage (3 days from day 30, 30 % of customers) in the small organisation.
OUTAGE = ["scenario=northwind_outage", "size=small", "horizon_days=46"]
SEEDS = range(6)
OUTAGE_ENDS_DAY = 33
SURGE = "policy.surge.enabled=true"
CORNERS = "agents.corner_cutting.enabled=true"


def day_backlog_is_back(result: RunResult) -> int | None:
    """First day after the outage whose closing backlog is back to the pre-incident level
    (the mean of days 20-29, with slack for day-to-day noise); None if never."""
    days = np.array(result.timeseries["day"])
    backlog = np.array(result.timeseries["backlog_end"], dtype=float)
    before = backlog[(days >= 20) & (days < 30)].mean()
    back = (days > OUTAGE_ENDS_DAY) & (backlog <= max(1.5 * before, before + 20))
    return int(days[back][0]) if back.any() else None


def test_overtime_clears_an_outages_backlog_in_days_and_costs_what_it_pays():
    silent = replicate_runs(compose_config(OUTAGE), SEEDS, workers=2)
    surge = replicate_runs(compose_config([*OUTAGE, SURGE]), SEEDS, workers=2)
    for with_surge, without in zip(surge, silent):
        back = day_backlog_is_back(with_surge)
        assert back is not None and back <= OUTAGE_ENDS_DAY + 4, back
        assert day_backlog_is_back(without) is None  # still behind 12 days later
        peak = max(with_surge.timeseries["backlog_end"])
        assert peak < 0.75 * max(without.timeseries["backlog_end"])
    on, off = [r.summary for r in surge], [r.summary for r in silent]
    hours = np.array([s["overtime_agent_hours"] for s in on])
    assert hours.min() > 0 and all(s["overtime_agent_hours"] == 0 for s in off)
    # Overtime is paid: the extra hours, at the premium, are in the cost.
    extra_paid = paired_difference(on, off, "paid_agent_hours")
    assert 0.85 * hours.mean() < extra_paid.mean < 1.15 * hours.mean(), extra_paid
    assert all(s["overtime_cost"] > 0 for s in on)
    assert paired_difference(on, off, "cost_total").low > np.mean([s["overtime_cost"] for s in on])


def test_agents_under_pressure_cut_corners_and_wear_out():
    """In the weeks after the outage e-mail is far behind: handling gets shorter, fewer
    problems are solved, burnout rises; each CI (6 seeds, paired) excludes zero."""
    honest = replicate(compose_config(OUTAGE), SEEDS, workers=2)
    hurried = replicate(compose_config([*OUTAGE, CORNERS]), SEEDS, workers=2)
    assert paired_difference(hurried, honest, "pool_email_mean_handle_time_min").high < 0
    assert paired_difference(hurried, honest, "email_fcr").high < 0
    assert paired_difference(hurried, honest, "mean_agent_burnout").low > 0


def test_corners_are_cut_only_when_behind_and_only_when_switched_on():
    config = compose_config(["size=small", "horizon_days=29", "warmup_days=7"])  # no outage
    on = replace(config, agents=replace(config.agents, corner_cutting=_extreme(config, True)))
    off = replace(config, agents=replace(config.agents, corner_cutting=_extreme(config, False)))
    assert run(off, 0).summary == run(config, 0).summary  # switched off, the knobs do nothing
    calm = run(on, 0).summary  # on, but the backlog never reaches the onset
    assert calm == run(config, 0).summary


def _extreme(config, enabled: bool):
    corners = config.agents.corner_cutting
    return replace(
        corners,
        enabled=enabled,
        onset_backlog_hours=1000.0 if enabled else 0.0,
        full_backlog_hours=2000.0 if enabled else 0.1,
        handle_time_cut=0.9,
        resolution_loss=1.0,
        burnout_gain=10.0,
    )


@pytest.mark.validation  # the demo's organisation at full size: four runs of 55 days
def test_overtime_clears_the_demos_outage_backlog_in_about_two_weeks_not_two_months():
    outage = ["scenario=northwind_outage", "horizon_days=55"]
    silent = replicate_runs(compose_config(outage), range(2), workers=2)
    surge = replicate_runs(compose_config([*outage, SURGE]), range(2), workers=2)
    for with_surge, without in zip(surge, silent):
        back = day_backlog_is_back(with_surge)
        assert back is not None and back <= OUTAGE_ENDS_DAY + 18, back
        assert day_backlog_is_back(without) is None  # ≈ 60 days after the outage
        assert with_surge.summary["overtime_cost"] > 0


def test_overtime_is_paid_at_its_premium_on_top_of_the_wage():
    """The same outage and overtime with the premium doubled: the same hours (the premium
    changes nobody's behaviour), the premium's cost exactly twice as much, between the
    cheapest and the dearest tier's wage × premium per overtime hour."""
    half = run(compose_config([*OUTAGE, SURGE, "horizon_days=36"]), 1).summary
    full = run(
        compose_config([*OUTAGE, SURGE, "horizon_days=36", "policy.surge.overtime_premium=1.0"]), 1
    ).summary
    assert half["overtime_agent_hours"] == full["overtime_agent_hours"] > 0
    assert full["overtime_cost"] == pytest.approx(2.0 * half["overtime_cost"], rel=1e-12)
    wages = compose_config(OUTAGE).agents.wage_per_hour
    per_hour = half["overtime_cost"] / half["overtime_agent_hours"]
    assert 0.5 * min(wages) <= per_hour <= 0.5 * max(wages)
