"""Validation ladder, step 1-2: with behaviour off the model *is* a queueing system.

Simulated p_wait, p_abandon, mean wait, service level and occupancy must agree with the
exact Erlang C / Erlang A values inside 99% confidence intervals over independent
replications, in three load regimes; a two-tier escalation network must match Jackson's
product form; Little's law must hold for every queue and for the whole system.
"""

from __future__ import annotations

import pytest

from sim.analysis import theory
from sim.analysis.statistics.replications import estimate, replicate

from .conftest import compose_config, erlang_config

LEVEL = 0.99
REPLICATIONS = 10

# (id, λ per hour, mean service min, servers, mean patience min or None, days per replication)
REGIMES = [
    ("erlang_c_rho0.70", 70.0, 6.0, 10, None, 30.0),
    ("erlang_c_qed_rho0.95", 950.0, 6.0, 100, None, 4.0),
    ("erlang_a_qed_rho1.00", 600.0, 6.0, 60, 5.0, 4.0),
    ("erlang_a_overload_rho1.10", 110.0, 6.0, 10, 5.0, 30.0),
]


def exact(lam_h: float, service_min: float, servers: int, patience_min: float | None):
    lam, mu = lam_h / 60.0, 1.0 / service_min
    if patience_min is None:
        return theory.erlang_c(lam, mu, servers)
    return theory.erlang_a(lam, mu, servers, 1.0 / patience_min)


@pytest.mark.validation
@pytest.mark.parametrize(
    ("lam_h", "service_min", "servers", "patience_min", "days"),
    [r[1:] for r in REGIMES],
    ids=[r[0] for r in REGIMES],
)
def test_erlang_matches_theory(lam_h, service_min, servers, patience_min, days):
    config = erlang_config(lam_h, service_min, servers, patience_min, days)
    summaries = replicate(config, range(REPLICATIONS))
    theory = exact(lam_h, service_min, servers, patience_min)
    target_min = config.channels.phone.target_answer_s / 60.0
    expected = {
        "p_wait": theory.p_wait,
        "p_abandon": theory.p_abandon,
        "mean_wait_min": theory.mean_wait_min,
        "service_level": theory.service_level(target_min),
        "occupancy": theory.occupancy,
    }
    failures = []
    for key, value in expected.items():
        est = estimate(summaries, key, LEVEL)
        if key == "p_abandon" and patience_min is None:
            assert est.mean == 0.0
            continue
        if not est.contains(value):
            failures.append(f"{key}: simulated {est}, exact {value:.6g}")
    assert not failures, "\n".join(failures)


@pytest.mark.validation
def test_two_tier_escalation_matches_jackson():
    """Tier 1 (M/M/4) escalates a share p to tier 2 (M/M/3): a tandem Jackson network."""
    p_escalate, lam_h, t1_min, t2_min, c1, c2 = 0.3, 30.0, 6.0, 10.0, 4, 3
    config = erlang_config(
        lam_h,
        t1_min,
        c1,
        None,
        40.0,
        f"tiers.complexity_probs=[{1 - p_escalate},{p_escalate},0.0]",
        "tiers.tier2_handle_time.kind=exponential",
        f"tiers.tier2_handle_time.mean_min={t2_min}",
        f"staffing.tier2=[{{start_hour:0,end_hour:24,agents:{c2}}}]",
    )
    summaries = replicate(config, range(REPLICATIONS))
    network = theory.jackson_network(
        external_rates=[lam_h / 60.0, 0.0],
        routing=[[0.0, p_escalate], [0.0, 0.0]],
        servers=[c1, c2],
        service_rates=[1.0 / t1_min, 1.0 / t2_min],
    )
    expected = {
        "pool_phone_occupancy": network.utilisations[0],
        "pool_tier2_occupancy": network.utilisations[1],
        "pool_phone_mean_wait_min": network.mean_wait_min[0],
        "pool_tier2_mean_wait_min": network.mean_wait_min[1],
        "pool_tier2_arrival_rate_per_min": network.arrival_rates[1],
        "mean_time_in_system_min": network.mean_sojourn_min,
        "mean_in_system": float(network.mean_in_node.sum()),
    }
    failures = []
    for key, value in expected.items():
        est = estimate(summaries, key, LEVEL)
        if not est.contains(value):
            failures.append(f"{key}: simulated {est}, Jackson {value:.6g}")
    assert not failures, "\n".join(failures)


@pytest.mark.validation
def test_escalation_with_same_tier_transfers_matches_jackson_with_feedback():
    """Tier 1 (M/M/5) sends a share p of contacts on towards tier 2 (M/M/3); each time such
    a contact is at tier 1 a share r goes to the wrong colleague of the same tier instead
    (back into tier 1's queue, worked afresh). Traffic: λ₁ = (1 − p)γ + pγ/(1 − r), λ₂ =
    pγ. Both classes have the same exponential service at each node, so the product form
    holds (BCMP) with the total rates: each node is M/M/c, the network's mean sojourn is
    ΣL/γ. Agents are held at constant inexperience (no learning, novice speed 1) so that
    r is the same on every visit."""
    p, r, lam_h, t1_min, t2_min, c1, c2 = 0.4, 0.3, 30.0, 6.0, 10.0, 5, 3
    config = erlang_config(
        lam_h,
        t1_min,
        c1,
        None,
        40.0,
        f"tiers.complexity_probs=[{1 - p},{p},0.0]",
        "tiers.tier2_handle_time.kind=exponential",
        f"tiers.tier2_handle_time.mean_min={t2_min}",
        f"staffing.tier2=[{{start_hour:0,end_hour:24,agents:{c2}}}]",
        "agents.skill.learning=true",
        "agents.skill.initial_experience_contacts=0",
        "agents.skill.learning_contacts=1e9",
        "agents.skill.novice_handle_factor=1.0",
        f"agents.skill.wrong_transfer_novice={r}",
    )
    summaries = replicate(config, range(REPLICATIONS))
    gamma = lam_h / 60.0
    lam1 = (1 - p) * gamma + p * gamma / (1 - r)
    routing = [[p * gamma / (1 - r) * r / lam1, p * gamma / lam1], [0.0, 0.0]]
    network = theory.jackson_network([gamma, 0.0], routing, [c1, c2], [1 / t1_min, 1 / t2_min])
    assert network.arrival_rates[0] == pytest.approx(lam1)
    expected = {
        "pool_phone_arrival_rate_per_min": network.arrival_rates[0],
        "pool_tier2_arrival_rate_per_min": network.arrival_rates[1],
        "pool_phone_occupancy": network.utilisations[0],
        "pool_tier2_occupancy": network.utilisations[1],
        "pool_phone_mean_wait_min": network.mean_wait_min[0],
        "pool_tier2_mean_wait_min": network.mean_wait_min[1],
        "pool_phone_mean_queue": network.arrival_rates[0] * network.mean_wait_min[0],
        "mean_time_in_system_min": network.mean_sojourn_min,
        "mean_in_system": float(network.mean_in_node.sum()),
    }
    failures = []
    for key, value in expected.items():
        est = estimate(summaries, key, LEVEL)
        if not est.contains(value):
            failures.append(f"{key}: simulated {est}, Jackson {value:.6g}")
    assert not failures, "\n".join(failures)
    assert all(s["wrong_transfers"] > 0 for s in summaries)


@pytest.mark.validation
@pytest.mark.parametrize("scenario", ["erlang", "default"])
def test_littles_law_every_queue(scenario):
    """L = λW for each agent pool's queue and for the organisation as a whole.

    L is integrated over time and W summed over contacts: independent measurements that
    agree only if the bookkeeping is right (tolerance covers the window's edge effects).
    """
    overrides = [f"scenario={scenario}"]
    overrides += ["erlang.days=20"] if scenario == "erlang" else ["horizon_days=56"]
    summary = replicate(compose_config(overrides), [3])[0]
    pools = [k.removesuffix("_mean_queue") for k in summary if k.endswith("_mean_queue")]
    checked = 0
    for pool in pools:
        rate = summary[f"{pool}_arrival_rate_per_min"]
        wait = summary[f"{pool}_mean_wait_min"]
        if not rate or wait is None:
            continue
        queue = summary[f"{pool}_mean_queue"]
        assert queue == pytest.approx(rate * wait, rel=0.02, abs=1e-3), pool
        checked += 1
    assert checked >= (1 if scenario == "erlang" else 5)
    in_system = summary["arrival_rate_per_min"] * summary["mean_time_in_system_min"]
    assert summary["mean_in_system"] == pytest.approx(in_system, rel=0.02)
