"""Ranking and selection: which of a few good candidates is really the best?

An optimiser's best trial is the best *estimate*, over the seeds it happened to use; the
runner-up may be better. The fully sequential procedure of Kim & Nelson (2001, "KN")
settles it with a stated guarantee: with k candidates, an indifference zone δ (a difference
not worth telling apart) and a confidence 1 − α, it returns a candidate whose true mean is
within δ of the best with probability at least 1 − α. It is built for common random
numbers: each pair is screened on the variance of its *differences*, so candidates run on
the same seeds are told apart with far fewer of them.

The procedure: n₀ first seeds for every candidate; η = ½[(2α/(k − 1))^(−2/(n₀−1)) − 1],
h² = 2η(n₀ − 1), S²ᵢₗ the variance of the first-stage differences. Then, after each further
seed r for every candidate still in, candidate i is eliminated when some l has
X̄ᵢ(r) < X̄ₗ(r) − max(0, δ/(2r)·(h²S²ᵢₗ/δ² − r)); it stops when one is left.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from sim.analysis.metrics_registry import HIGHER


@dataclass(frozen=True)
class Selection:
    """The chosen candidate, the seeds each candidate got, and the guarantee it carries."""

    best: int
    seeds_used: tuple[int, ...]  # per candidate, in the order given
    confidence: float  # 1 − α: probability of a correct selection, at least
    indifference: float  # δ, in the objective's units

    @property
    def total_seeds(self) -> int:
        return sum(self.seeds_used)


def kn_constants(k: int, alpha: float, first: int) -> float:
    """h² of the KN procedure for k candidates, confidence 1 − α and n₀ = ``first``."""
    eta = 0.5 * ((2 * alpha / (k - 1)) ** (-2 / (first - 1)) - 1)
    return 2 * eta * (first - 1)


def select_best(
    draw: Callable[[int, int], float],
    k: int,
    indifference: float,
    alpha: float = 0.05,
    first: int = 10,
    most: int = 10_000,
) -> Selection:
    """KN over candidates 0…k−1, larger is better; ``draw(i, seed)`` runs candidate i on
    ``seed`` (the same seed for every candidate: common random numbers)."""
    if k < 2:
        return Selection(0, (0,) * k, 1.0, indifference)
    if indifference <= 0 or not 0 < alpha < 1 or first < 2:
        raise ValueError("KN needs δ > 0, 0 < α < 1 and at least 2 first-stage seeds")
    data = [[draw(i, seed) for seed in range(first)] for i in range(k)]
    h2 = kn_constants(k, alpha, first)
    first_stage = np.array(data)
    variance = np.var(first_stage[:, None, :] - first_stage[None, :, :], axis=2, ddof=1)
    alive, r = list(range(k)), first
    while len(alive) > 1 and r < most:
        alive = _survivors(alive, [np.mean(row) for row in data], variance, h2, indifference, r)
        if len(alive) > 1:
            for i in alive:
                data[i].append(draw(i, r))
            r += 1
    means = [np.mean(row) for row in data]
    best = max(alive, key=lambda i: means[i])
    return Selection(best, tuple(len(row) for row in data), 1 - alpha, indifference)


def _survivors(
    alive: Sequence[int],
    means: Sequence[float],
    variance: np.ndarray,
    h2: float,
    delta: float,
    r: int,
) -> list[int]:
    def allowance(i: int, other: int) -> float:
        return max(0.0, delta / (2 * r) * (h2 * variance[i, other] / delta**2 - r))

    return [
        i
        for i in alive
        if all(means[i] >= means[other] - allowance(i, other) for other in alive if other != i)
    ]


def efficient(costs: Sequence[float], outcomes: Sequence[float], better: str) -> list[int]:
    """Indices of the points no other point beats on both cost and outcome, cheapest first
    (ties in cost go to the better outcome): the configurations worth a look at all.
    ``better`` is ``"higher"`` or ``"lower"`` (the metric registry's words)."""
    sign = 1.0 if better == HIGHER else -1.0
    score = sign * np.asarray(outcomes, dtype=float)
    order = np.lexsort((-score, np.asarray(costs, dtype=float)))
    chosen, best = [], -np.inf
    for i in order:
        if score[i] > best:
            best = score[i]
            chosen.append(int(i))
    return chosen
