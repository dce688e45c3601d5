"""Replications, confidence intervals and paired comparisons under common random numbers.

Seeds are the unit of replication: run ``config`` once per seed, summarise each metric by
its mean and a Student-t interval over seeds. Two configurations run with the same seeds
share their arrival, issue and patience streams (``sim.rng``), so the paired difference
per seed cancels most of the noise both arms have in common.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
from scipy import stats

from sim.config import Config
from sim.metrics import Summary
from sim.model.org import RunResult, run


@dataclass(frozen=True)
class Estimate:
    """A mean over replications with its two-sided confidence interval."""

    mean: float
    half_width: float
    n: int
    level: float

    @property
    def low(self) -> float:
        return self.mean - self.half_width

    @property
    def high(self) -> float:
        return self.mean + self.half_width

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high

    def excludes_zero(self) -> bool:
        return not self.contains(0.0)

    def __str__(self) -> str:
        return f"{self.mean:.6g} ± {self.half_width:.3g} ({self.level:.0%} CI, n={self.n})"


def mean_ci(values: Sequence[float], level: float = 0.95) -> Estimate:
    """Student-t interval for the mean of independent replications."""
    data = np.asarray(values, dtype=float)
    if data.size < 2:
        raise ValueError("a confidence interval needs at least 2 replications")
    if not np.all(np.isfinite(data)):
        raise ValueError("replication values must be finite")
    sem = float(data.std(ddof=1) / math.sqrt(data.size))
    quantile = float(stats.t.ppf(0.5 + level / 2.0, df=data.size - 1))
    return Estimate(float(data.mean()), quantile * sem, int(data.size), level)


def _run(args: tuple[Config, int]) -> RunResult:
    config, seed = args
    return run(config, seed)


def replicate_runs(config: Config, seeds: Sequence[int], workers: int = 1) -> list[RunResult]:
    """One full result (summary and time series) per seed, in seed order."""
    jobs = [(config, int(seed)) for seed in seeds]
    if workers <= 1 or len(jobs) <= 1:
        return [_run(job) for job in jobs]
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        return list(pool.map(_run, jobs))


def replicate(config: Config, seeds: Sequence[int], workers: int = 1) -> list[Summary]:
    """One summary per seed, in seed order; ``workers > 1`` runs them in processes."""
    return [result.summary for result in replicate_runs(config, seeds, workers)]


def values(summaries: Sequence[Summary], key: str) -> list[float]:
    """One metric across replications; an undefined value (null) is an error here."""
    out = []
    for summary in summaries:
        value = summary[key]
        if value is None:
            raise ValueError(f"{key} is undefined (null) for seed {summary.get('seed')}")
        out.append(float(value))
    return out


def estimate(summaries: Sequence[Summary], key: str, level: float = 0.95) -> Estimate:
    return mean_ci(values(summaries, key), level)


def paired_difference(
    treatment: Sequence[Summary], reference: Sequence[Summary], key: str, level: float = 0.95
) -> Estimate:
    """CI of mean(treatment − reference) over seeds present in both (common random numbers)."""
    by_seed = {s["seed"]: s for s in reference}
    pairs = [(s, by_seed[s["seed"]]) for s in treatment if s["seed"] in by_seed]
    if len(pairs) < 2:
        raise ValueError("paired comparison needs at least 2 shared seeds")
    diffs = [float(a[key]) - float(b[key]) for a, b in pairs]
    return mean_ci(diffs, level)


def unpaired_difference(
    treatment: Sequence[Summary], reference: Sequence[Summary], key: str, level: float = 0.95
) -> Estimate:
    """Welch interval of the difference in means, ignoring the pairing (for comparison)."""
    return welch_ci(values(treatment, key), values(reference, key), level)


def welch_ci(
    treatment: Sequence[float], reference: Sequence[float], level: float = 0.95
) -> Estimate:
    """Welch interval of mean(treatment) − mean(reference) for independent samples."""
    a, b = np.asarray(treatment, dtype=float), np.asarray(reference, dtype=float)
    if min(a.size, b.size) < 2:
        raise ValueError("an unpaired interval needs at least 2 replications per arm")
    var_a, var_b = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = math.sqrt(var_a + var_b)
    if se == 0.0:
        return Estimate(float(a.mean() - b.mean()), 0.0, int(min(a.size, b.size)), level)
    df = (var_a + var_b) ** 2 / (var_a**2 / (a.size - 1) + var_b**2 / (b.size - 1))
    quantile = float(stats.t.ppf(0.5 + level / 2.0, df=df))
    return Estimate(float(a.mean() - b.mean()), quantile * se, int(min(a.size, b.size)), level)


def compare(
    treatment: Config,
    reference: Config,
    seeds: Sequence[int],
    key: str,
    level: float = 0.95,
    workers: int = 1,
) -> Estimate:
    """Paired difference in ``key`` between two configurations over the same seeds."""
    return paired_difference(
        replicate(treatment, seeds, workers), replicate(reference, seeds, workers), key, level
    )
