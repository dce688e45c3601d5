"""The oracles themselves, against published numbers and an independent cross-check."""

from __future__ import annotations

import numpy as np
import pytest

from sim.analysis import theory


def test_erlang_b_known_value():
    # a = 10 Erlangs on 10 trunks: classic table value 0.2146
    assert theory.erlang_b(10, 10.0) == pytest.approx(0.21458, abs=1e-5)


def test_erlang_c_worked_example():
    """Erlang C worked example (pyworkforce README): 100 calls / 30 min, 180 s handle,
    14 agents, 20 s target."""
    queue = theory.erlang_c(arrival_rate=100 / 30, service_rate=1 / 3, servers=14)
    assert queue.p_wait == pytest.approx(0.1741, abs=5e-5)
    assert queue.service_level(20 / 60) == pytest.approx(0.8884, abs=5e-5)
    assert queue.mean_wait_min * 60 == pytest.approx(7.84, abs=5e-3)


def test_erlang_c_rejects_unstable_load():
    with pytest.raises(ValueError, match="unstable"):
        theory.erlang_c(arrival_rate=2.0, service_rate=0.1, servers=20)


def test_erlang_a_published_example():
    """Mandelbaum & Zeltyn (2005) published example: n = 50, λ = 48/min, mean service
    1 min, mean patience 2 min."""
    queue = theory.erlang_a(48.0, 1.0, 50, 0.5)
    assert queue.p_abandon == pytest.approx(0.03091, abs=5e-6)
    assert queue.mean_wait_min * 60 == pytest.approx(3.71, abs=5e-3)
    assert queue.p_wait == pytest.approx(0.4678, abs=5e-5)
    assert queue.occupancy == pytest.approx(0.93, abs=5e-3)
    assert theory.erlang_c(48.0, 1.0, 50).p_wait == pytest.approx(0.694, abs=5e-4)


@pytest.mark.parametrize(
    ("lam", "mu", "n", "theta"),
    [(48.0, 1.0, 50, 0.5), (1.0, 1 / 6, 10, 0.2), (110 / 60, 1 / 6, 10, 0.2), (5.0, 1.0, 3, 2.0)],
)
def test_erlang_a_matches_birth_death_chain(lam, mu, n, theta):
    """Closed form vs the truncated chain with death rate min(k,n)μ + max(k−n,0)θ."""
    p = theory.birth_death_queue(lam, mu, n, theta)
    waiting = np.maximum(np.arange(p.size) - n, 0)
    queue = theory.erlang_a(lam, mu, n, theta)
    assert queue.p_wait == pytest.approx(p[n:].sum(), rel=1e-9)
    assert queue.p_abandon == pytest.approx(theta * (p * waiting).sum() / lam, rel=1e-9)
    assert queue.mean_wait_min == pytest.approx((p * waiting).sum() / lam, rel=1e-9)


def test_erlang_a_service_level_limits():
    queue = theory.erlang_a(1.0, 1 / 6, 10, 0.2)
    assert queue.service_level(0.0) == pytest.approx(1 - queue.p_wait, abs=1e-12)
    # As t grows, the answered share approaches 1 − P(Ab).
    assert queue.service_level(500.0) == pytest.approx(1 - queue.p_abandon, abs=1e-9)
    # Slow abandonment approaches Erlang C.
    slow = theory.erlang_a(100 / 30, 1 / 3, 14, 1e-3)
    erlang_c = theory.erlang_c(100 / 30, 1 / 3, 14)
    assert slow.service_level(1 / 3) == pytest.approx(erlang_c.service_level(1 / 3), abs=1e-3)


def test_offered_wait_tail_starts_at_delay_probability():
    queue = theory.erlang_a(48.0, 1.0, 50, 0.5)
    assert queue.offered_wait_tail(0.0) == pytest.approx(queue.p_wait, rel=1e-12)
    assert queue.offered_wait_tail(1.0) < queue.offered_wait_tail(0.1) < queue.p_wait


def test_halfin_whitt_square_root_staffing():
    """Halfin & Whitt (1981): at R = 100, β = 0.5 → exact 0.5157; β = 1 → exact 0.2370."""
    for beta, exact in [(0.5, 0.5157), (1.0, 0.2370)]:
        servers = theory.square_root_staffing(100.0, beta)
        assert servers == 100 + round(beta * 10)
        assert theory.erlang_c(100.0, 1.0, servers).p_wait == pytest.approx(exact, abs=5e-5)
        # The limit α(β) is close at R = 100 (the exact value converges to it).
        assert theory.halfin_whitt_delay(beta) == pytest.approx(exact, abs=0.02)


def test_jackson_network_with_feedback_against_closed_forms():
    """Jackson traffic equations with escalation p and return q, λ₁ = γ/(1 − pq) and
    λ₂ = pγ/(1 − pq), and the product form checked against closed forms that share no
    code with the oracle: M/M/1 (L = ρ/(1 − ρ)) and M/M/2 (L = 2ρ/(1 − ρ²))."""
    gamma, p, q, mu1, mu2 = 1.2, 0.3, 0.25, 1.6, 0.4
    network = theory.jackson_network([gamma, 0.0], [[0.0, p], [q, 0.0]], [1, 2], [mu1, mu2])
    lam1, lam2 = gamma / (1 - p * q), p * gamma / (1 - p * q)
    assert network.arrival_rates == pytest.approx([lam1, lam2])
    rho1, rho2 = lam1 / mu1, lam2 / (2 * mu2)
    in_node = [rho1 / (1 - rho1), 2 * rho2 / (1 - rho2**2)]
    assert network.utilisations == pytest.approx([rho1, rho2])
    assert network.mean_in_node == pytest.approx(in_node)
    waits = [in_node[0] / lam1 - 1 / mu1, in_node[1] / lam2 - 1 / mu2]  # Little, less service
    assert network.mean_wait_min == pytest.approx(waits)
    assert network.mean_sojourn_min == pytest.approx(sum(in_node) / gamma)
    # Feedback at one node (a share r sent back to the same pool): λ = γ/(1 − r).
    r = 0.2
    loop = theory.jackson_network([gamma], [[r]], [1], [mu1])
    rho = gamma / (1 - r) / mu1
    assert loop.mean_in_node == pytest.approx([rho / (1 - rho)])
