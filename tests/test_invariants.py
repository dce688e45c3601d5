"""Invariants that hold for every valid configuration, checked on random ones (hypothesis).

Each example composes a random configuration exactly as the CLI would (any scenario,
policy, culture and staffing, extra agents per pool, fractional horizons and warm-ups,
a culture change, random seeds), runs it, and checks conservation laws, ranges and the
absence of NaN — in the summary, the daily rows and the model's own state at the end.
"""

from __future__ import annotations

import json
import math
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sim.config import CHANNELS, ConfigError
from sim.config.operations import POOLS
from sim.model.org import SupportOrg

from .conftest import compose_config

# The earliest day each scenario's own incidents start: shorter horizons are invalid.
SCENARIO_MIN_DAYS = {
    "default": 2,
    "tarp": 3,
    "effort": 2,
    "recovery_paradox": 42,
    "cloud_outage": 32,
    "northwind_outage": 32,
    "premium_standard": 2,
    "lip_service": 2,
    "new_management": 2,
    "rising_expectations": 2,
}
MONEY = (
    "cost_total",
    "credits_total",
    "wage_cost",
    "hiring_cost",
    "handling_cost",
    "staffing_cost",
    "outreach_cost",
    "revenue",
)
ENDINGS = ("served", "unresolved", "abandoned")
SHARES = ("p_", "share_", "fcr", "service_level", "occupancy", "churn_affected", "retention_")


@st.composite
def customer_configs(draw: st.DrawFn) -> list[str]:
    scenario = draw(st.sampled_from(sorted(SCENARIO_MIN_DAYS)))
    horizon = draw(st.floats(SCENARIO_MIN_DAYS[scenario], 50.0)).__round__(2)
    warmup = draw(st.floats(0.0, horizon / 2)).__round__(2)
    overrides = [
        f"scenario={scenario}",
        f"horizon_days={horizon}",
        f"warmup_days={warmup}",
        f"customers.population={draw(st.integers(500, 6000))}",
        f"policy={draw(st.sampled_from(['baseline', 'policy_deflection', 'proactive_outreach', 'service_recovery']))}",  # noqa: E501
        f"culture={draw(st.sampled_from(['baseline', 'cost_center', 'customer_first', 'lip_service']))}",  # noqa: E501
        f"staffing={draw(st.sampled_from(['baseline', 'generous', 'lean']))}",
    ]
    for pool in POOLS:
        overrides.append(f"staffing.extra_agents.{pool}={draw(st.integers(-2, 3))}")
    if draw(st.booleans()):
        overrides += [
            f"culture.change_at_day={draw(st.floats(0.5, horizon * 0.9)):.2f}",
            f"culture.change_turnover_share={draw(st.floats(0.0, 0.5)):.2f}",
            f"culture.change.practised_focus={draw(st.floats(0.0, 1.0)):.2f}",
        ]
    else:
        overrides.append("culture.change_at_day=null")
    return overrides


@st.composite
def erlang_configs(draw: st.DrawFn) -> list[str]:
    days = round(draw(st.floats(1.5, 6.0)), 2)
    patience = draw(st.one_of(st.none(), st.floats(0.5, 20.0)))
    return [
        "scenario=erlang",
        f"erlang.days={days}",
        f"warmup_days={round(draw(st.floats(0.0, days / 2)), 2)}",
        f"erlang.servers={draw(st.integers(1, 30))}",
        f"erlang.arrival_rate_per_hour={round(draw(st.floats(1.0, 300.0)), 2)}",
        f"erlang.mean_service_min={round(draw(st.floats(0.5, 12.0)), 2)}",
        f"erlang.mean_patience_min={'null' if patience is None else round(patience, 2)}",
    ]


def run_org(overrides: list[str], seed: int) -> tuple[SupportOrg, dict, dict]:
    try:
        config = compose_config(overrides)
    except ConfigError:
        assume(False)  # an invalid combination: the fuzz tests cover those
    org = SupportOrg(config, seed)
    result = org.run()
    return org, result.summary, result.timeseries


def check_summary(summary: dict) -> None:
    """Every value a finite number, text or null; conservation; ranges; money."""
    json.dumps(summary, allow_nan=False)  # no NaN or inf anywhere
    for key, value in summary.items():
        assert value is None or isinstance(value, (str, int, float)), key
        if isinstance(value, float):
            assert math.isfinite(value), key
    for prefix in ("", *(f"{c}_" for c in CHANNELS)):
        arrived = summary[f"{prefix}contacts_arrived"]
        ended = sum(
            summary[f"{prefix}contacts_{how}"] for how in ("served", "unresolved", "abandoned")
        )
        change = summary[f"{prefix}contacts_open_end"] - summary[f"{prefix}contacts_open_start"]
        assert arrived == ended + change, prefix
        # A ratio is null exactly when its denominator is zero, never NaN.
        assert (summary[f"{prefix}service_level"] is None) == (arrived == 0), prefix
    hires, leavers = summary["agent_hires"], summary["agent_leavers"]
    assert summary["agents_start"] + hires - leavers == summary["agents_end"]
    if "customers_end" in summary:
        start, acquired, churned = (
            summary[k] for k in ("customers_start", "customers_acquired", "customers_churned")
        )
        assert start + acquired - churned == summary["customers_end"]
        assert summary["nps"] is None or -100 <= summary["nps"] <= 100
        for key in ("mean_loyalty_end", "mean_trust_end", "mean_satisfaction_end"):
            assert summary[key] is None or 0.0 <= summary[key] <= 1.0, key
    for key in MONEY:
        if key in summary:
            assert summary[key] >= 0.0, key
    costs = summary["staffing_cost"] + summary["credits_total"] + summary.get("outreach_cost", 0)
    assert summary["cost_total"] == pytest.approx(costs)
    for key, value in summary.items():
        if key.startswith(SHARES) and not key.endswith("_n") and value is not None:
            assert -1e-12 <= value <= 1.0 + 1e-12, key


def check_daily_rows(rows: dict) -> None:
    columns = {k: v for k, v in rows.items() if k not in ("day", "in_warmup")}
    for key, values in columns.items():
        for value in values:
            assert value is None or (isinstance(value, (int, float)) and math.isfinite(value)), key
    for channel in CHANNELS:
        for arrived, level in zip(
            rows[f"{channel}_contacts_arrived"], rows[f"{channel}_service_level"]
        ):
            assert (level is None) == (arrived == 0), channel


def check_model_state(org: SupportOrg) -> None:
    """Per tier: queue and service conservation, and Little's law on the sample path."""
    now = org.env.now
    for pool in org.pools:
        pool.advance()
        stats = pool.stats
        assert stats.entries == stats.started + stats.abandoned + pool.n_waiting, pool.name
        assert stats.started == stats.completed + pool.n_busy, pool.name
        live = [c for queue in pool.queues for c, episode in queue if c.episode == episode]
        assert len(live) == pool.n_waiting, pool.name
        # ∫ queue length dt = waits that ended + time so far of those still waiting (L = λW).
        residual = sum(now - contact.enter_min for contact in live)
        assert stats.queue_area == pytest.approx(stats.wait_sum_min + residual, rel=1e-9, abs=1e-6)
        assert 0 <= pool.n_busy <= pool.n_on_duty, pool.name
    journey = org.journey
    assert all(n >= 0 for n in journey.open_by_channel)
    for stats, n_open in zip(journey.stats, journey.open_by_channel):
        assert stats.arrived == stats.resolved + stats.unresolved + stats.abandoned + n_open
    if org.customers is not None:
        population = org.customers.population
        active = np.flatnonzero(population.active)
        for name in ("loyalty", "trust", "satisfaction"):
            values = getattr(population, name)[active]
            assert np.all(np.isfinite(values)) and np.all((values >= 0) & (values <= 1)), name
        assert np.all(population.expectation[active] > 0)


def check_everything(org: SupportOrg, summary: dict, rows: dict) -> None:
    check_summary(summary)
    check_daily_rows(rows)
    check_model_state(org)


SEEDS = st.integers(0, 2**32 - 1)
PROPERTY = settings(
    max_examples=int(os.environ.get("SUPPORTSIM_PROPERTY_EXAMPLES", "12")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@PROPERTY
@given(overrides=customer_configs(), seed=SEEDS)
def test_invariants_hold_for_random_customer_configurations(overrides, seed):
    check_everything(*run_org(overrides, seed))


@PROPERTY
@given(overrides=erlang_configs(), seed=SEEDS)
def test_invariants_hold_for_random_queueing_configurations(overrides, seed):
    check_everything(*run_org(overrides, seed))
