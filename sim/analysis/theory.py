"""Exact queueing results: the oracles the simulation is validated against.

Erlang B, C (M/M/n) and A (Palm, M/M/n+M), square-root staffing, and open Jackson networks.
Sources: Erlang (1917) and the stable Erlang B recursion; Erlang A after Mandelbaum &
Zeltyn, "The Palm/Erlang-A queue, with applications to call centers" (2005) and Garnett,
Mandelbaum & Reiman (MSOM 2002); Halfin & Whitt (1981); Jackson (1957). The published
examples they are tested against are in ``tests/test_analytic.py``. Rates are per
minute and times in minutes throughout, like the model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.integrate import quad
from scipy.special import gammainc, gammaln
from scipy.stats import norm


def erlang_b(servers: int, offered_load: float) -> float:
    """Blocking probability of M/M/n/n by the stable recursion B_k = aB/(k + aB)."""
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = offered_load * blocking / (k + offered_load * blocking)
    return blocking


@dataclass(frozen=True)
class QueueMetrics:
    """Steady-state figures of one queue (times in minutes, rates per minute)."""

    p_wait: float  # P(W > 0), the delay probability
    p_abandon: float  # share of arrivals that abandon
    mean_wait_min: float  # over all arrivals (abandoners: their time in queue)
    mean_queue: float  # time-average number waiting (Little: λ · mean wait)
    occupancy: float  # busy agents / agents


@dataclass(frozen=True)
class ErlangC(QueueMetrics):
    """M/M/n with infinite patience."""

    arrival_rate: float = 0.0
    service_rate: float = 0.0
    servers: int = 0

    def service_level(self, target_min: float) -> float:
        """P(W ≤ t) = 1 − C·exp(−(nμ − λ)t)."""
        decay = self.servers * self.service_rate - self.arrival_rate
        return 1.0 - self.p_wait * math.exp(-decay * target_min)


def erlang_c(arrival_rate: float, service_rate: float, servers: int) -> ErlangC:
    """M/M/n. Raises for an unstable queue (a ≥ n), whose waits grow without bound."""
    load = arrival_rate / service_rate
    if load >= servers:
        raise ValueError(f"unstable M/M/n: offered load {load:.3f} ≥ {servers} servers")
    b = erlang_b(servers, load)
    p_wait = servers * b / (servers - load * (1.0 - b))
    mean_wait = p_wait / (servers * service_rate - arrival_rate)
    return ErlangC(
        p_wait=p_wait,
        p_abandon=0.0,
        mean_wait_min=mean_wait,
        mean_queue=arrival_rate * mean_wait,
        occupancy=load / servers,
        arrival_rate=arrival_rate,
        service_rate=service_rate,
        servers=servers,
    )


@dataclass(frozen=True)
class ErlangA(QueueMetrics):
    """M/M/n+M (Palm): exponential patience with rate θ."""

    p_abandon_given_wait: float = 0.0
    arrival_rate: float = 0.0
    service_rate: float = 0.0
    servers: int = 0
    abandonment_rate: float = 0.0

    def service_level(self, target_min: float) -> float:
        """Share of arrivals answered within t (abandoners count as missed).

        Answered within t ⇔ offered wait V ≤ t and V ≤ patience, so with G(s) = P(V > s)
        SL = E[1{V ≤ t}·e^{−θV}] = 1 − e^{−θt}G(t) − θ∫₀ᵗ e^{−θs}G(s) ds (by parts).
        """
        theta = self.abandonment_rate
        integral, _ = quad(
            lambda s: math.exp(-theta * s) * self.offered_wait_tail(s), 0, target_min
        )
        return (
            1.0
            - math.exp(-theta * target_min) * self.offered_wait_tail(target_min)
            - theta * integral
        )

    def offered_wait_tail(self, t_min: float) -> float:
        """P(V > t): the virtual (offered) wait exceeds t.

        P(V > t) = P(W>0) · γ(x, y·e^{−θt}) / γ(x, y) with x = nμ/θ, y = λ/θ.
        """
        x = self.servers * self.service_rate / self.abandonment_rate
        y = self.arrival_rate / self.abandonment_rate
        shrunk = y * math.exp(-self.abandonment_rate * t_min)
        return self.p_wait * float(gammainc(x, shrunk) / gammainc(x, y))


def _log_a_function(x: float, y: float) -> float:
    """log A(x, y) with A = x·e^y·y^{−x}·γ(x, y) (γ the lower incomplete gamma)."""
    return math.log(x) + y - x * math.log(y) + gammaln(x) + math.log(gammainc(x, y))


def erlang_a(
    arrival_rate: float, service_rate: float, servers: int, abandonment_rate: float
) -> ErlangA:
    """M/M/n+M by Mandelbaum & Zeltyn (2005); stable at any load."""
    if abandonment_rate <= 0:
        raise ValueError("Erlang A needs an abandonment rate > 0 (use erlang_c for none)")
    load = arrival_rate / service_rate
    rho = load / servers
    x = servers * service_rate / abandonment_rate
    y = arrival_rate / abandonment_rate
    a_fn = math.exp(_log_a_function(x, y))
    e = erlang_b(servers, load)
    p_wait = a_fn * e / (1.0 + (a_fn - 1.0) * e)
    p_ab_given_wait = 1.0 / (rho * a_fn) + 1.0 - 1.0 / rho
    p_abandon = p_ab_given_wait * p_wait
    mean_wait = p_abandon / abandonment_rate
    return ErlangA(
        p_wait=p_wait,
        p_abandon=p_abandon,
        mean_wait_min=mean_wait,
        mean_queue=arrival_rate * mean_wait,
        occupancy=arrival_rate * (1.0 - p_abandon) / (servers * service_rate),
        p_abandon_given_wait=p_ab_given_wait,
        arrival_rate=arrival_rate,
        service_rate=service_rate,
        servers=servers,
        abandonment_rate=abandonment_rate,
    )


def birth_death_queue(
    arrival_rate: float,
    service_rate: float,
    servers: int,
    abandonment_rate: float,
    max_state: int = 2000,
) -> np.ndarray:
    """Stationary distribution of M/M/n+M as a truncated birth–death chain (cross-check)."""
    log_p = np.zeros(max_state + 1)
    for k in range(1, max_state + 1):
        death = min(k, servers) * service_rate + max(k - servers, 0) * abandonment_rate
        log_p[k] = log_p[k - 1] + math.log(arrival_rate) - math.log(death)
    p = np.exp(log_p - log_p.max())
    return p / p.sum()


def halfin_whitt_delay(beta: float) -> float:
    """Limit of P(W>0) under square-root staffing: α(β) = [1 + βΦ(β)/φ(β)]⁻¹."""
    return 1.0 / (1.0 + beta * norm.cdf(beta) / norm.pdf(beta))


def square_root_staffing(offered_load: float, beta: float) -> int:
    """Agents n = ⌈R + β√R⌉ for offered load R (Erlangs) and quality-of-service β."""
    return math.ceil(offered_load + beta * math.sqrt(offered_load) - 1e-12)


@dataclass(frozen=True)
class JacksonNetwork:
    """Stationary figures of an open Jackson network of M/M/c nodes."""

    arrival_rates: np.ndarray  # total rate into each node λ_i
    utilisations: np.ndarray  # λ_i / (c_i μ_i)
    mean_wait_min: np.ndarray  # queueing delay per visit at each node
    mean_in_node: np.ndarray  # L_i, time-average number at node i (waiting + in service)
    mean_sojourn_min: float  # external arrival to departure, by Little over the network


def jackson_network(
    external_rates: list[float],
    routing: list[list[float]],
    servers: list[int],
    service_rates: list[float],
) -> JacksonNetwork:
    """Solve λ = (I − Pᵀ)⁻¹ γ; each node is then M/M/c_i in the product form."""
    gamma = np.asarray(external_rates, dtype=float)
    p = np.asarray(routing, dtype=float)
    rates = np.linalg.solve(np.eye(len(gamma)) - p.T, gamma)
    waits, in_node, utilisations = [], [], []
    for lam, c, mu in zip(rates, servers, service_rates):
        if lam <= 0:
            waits.append(0.0)
            in_node.append(0.0)
            utilisations.append(0.0)
            continue
        node = erlang_c(float(lam), mu, c)
        waits.append(node.mean_wait_min)
        in_node.append(lam * (node.mean_wait_min + 1.0 / mu))
        utilisations.append(node.occupancy)
    in_node_arr = np.asarray(in_node)
    return JacksonNetwork(
        arrival_rates=rates,
        utilisations=np.asarray(utilisations),
        mean_wait_min=np.asarray(waits),
        mean_in_node=in_node_arr,
        mean_sojourn_min=float(in_node_arr.sum() / gamma.sum()),
    )
