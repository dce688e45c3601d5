"""Ranking and selection (Kim & Nelson's KN): the known best of a constructed set is chosen
with the stated probability or better, and common random numbers make it cheaper."""

from __future__ import annotations

import numpy as np
import pytest

from sim.analysis.statistics.selection import kn_constants, select_best

MEANS = np.array([0.0, 0.0, 0.0, 0.0, 0.5])  # the slippage configuration: one better by δ
DELTA = 0.5


def candidates(trial: int, shared: float):
    """Normal candidates of σ = 1 whose seeds share a common part (CRN: correlation
    ``shared``); draw(i, seed) is reproducible, as a simulation's seed is."""
    rng = np.random.default_rng(trial)
    common = rng.normal(size=20_000)
    own = rng.normal(size=(len(MEANS), 20_000))

    def draw(i: int, seed: int) -> float:
        return MEANS[i] + np.sqrt(shared) * common[seed] + np.sqrt(1 - shared) * own[i, seed]

    return draw


def test_kn_constant_is_the_published_one():
    # Kim & Nelson (2001): k = 2, α = 0.05, n₀ = 10 → η = ½(0.1^(−2/9) − 1), h² = 18η.
    eta = 0.5 * (0.1 ** (-2 / 9) - 1)
    assert kn_constants(2, 0.05, 10) == pytest.approx(18 * eta)


def test_the_known_best_is_chosen_with_the_stated_probability_or_better():
    """300 trials at the least favourable configuration (the best ahead by exactly δ): the
    probability of a correct selection is at least 0.95 (one-sided binomial allowance:
    0.95 − 2.33·√(0.95·0.05/300) ≈ 0.92)."""
    correct = [select_best(candidates(t, 0.0), 5, DELTA).best == 4 for t in range(300)]
    assert np.mean(correct) >= 0.92


def test_common_random_numbers_tell_the_candidates_apart_on_fewer_seeds():
    independent = [select_best(candidates(t, 0.0), 5, DELTA) for t in range(40)]
    paired = [select_best(candidates(t, 0.8), 5, DELTA) for t in range(40)]
    assert np.mean([s.best == 4 for s in paired]) >= 0.9
    cost_independent = np.mean([s.total_seeds for s in independent])
    cost_paired = np.mean([s.total_seeds for s in paired])
    assert cost_paired < 0.5 * cost_independent
