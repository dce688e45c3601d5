"""Output analysis a simulation user expects: is the warm-up long enough, and how many seeds
does a stated precision take?

**Warm-up (MSER-5**, White 1997; White, Cobb & Spratt 2000). The daily series is averaged
in batches of five days (the report uses a week's seven, so that the weekly cycle of a
contact centre is not read as a transient); for each truncation point d (in batches,
over the first half of the run) the marginal standard error of the mean of what remains is
MSER(d) = Σ_{i>d} (Y_i − Ȳ_d)² / (n − d)², and the truncation that minimises it is where
the initial transient has ended. A run whose ``warmup_days`` is shorter than that for a
series is flagged. Only the days before the first scheduled incident are examined: the
incident is the study's event, not a transient to discard.

**Replications.** With n seeds of standard deviation s, a t-interval's half-width is
t_{n−1}·s/√n. The advice is the smallest n whose half-width, at the current s, reaches the
target; ``sequential_replications`` adds seeds one at a time until the interval itself
is as narrow as asked (Law 2015, § 9.4.1: the sequential procedure for a stated absolute
precision).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from sim.analysis.statistics.replications import Estimate, mean_ci

BATCH_DAYS = 5
MIN_BATCHES = 4  # fewer batches than this before the first incident: nothing to judge


def mser_truncation_days(daily: Sequence[float], batch: int = BATCH_DAYS) -> int | None:
    """Days to discard (a multiple of ``batch``) by MSER-``batch``; None if too short."""
    values = np.asarray(daily, dtype=float)
    values = values[np.isfinite(values)]
    n_batches = values.size // batch
    if n_batches < MIN_BATCHES:
        return None
    means = values[: n_batches * batch].reshape(n_batches, batch).mean(axis=1)
    scores = []
    for d in range(n_batches // 2 + 1):
        rest = means[d:]
        scores.append(float(((rest - rest.mean()) ** 2).sum()) / rest.size**2)
    return int(np.argmin(scores)) * batch


@dataclass(frozen=True)
class WarmupFinding:
    """The longest MSER-5 truncation any run's series asked for, against the warm-up."""

    series: str
    truncation_days: int
    warmup_days: float
    runs: int
    at_limit: bool = False  # the minimum sat at the latest truncation MSER may choose

    @property
    def too_short(self) -> bool:
        return self.truncation_days > self.warmup_days


def warmup_findings(
    runs: Sequence[dict[str, Sequence[float]]],
    columns: Sequence[str],
    warmup_days: float,
    until_day: float | None = None,
    batch: int = BATCH_DAYS,
) -> list[WarmupFinding]:
    """Per series, MSER's truncation of the runs' mean series (days before ``until_day``):
    averaging the replications first, as Hoad, Robinson & Davies (2010) recommend, keeps
    one noisy run from moving the answer."""
    findings = []
    for column in columns:
        rows = [series for series in runs if column in series]
        if not rows:
            continue
        days = min(_days_kept(series, until_day) for series in rows)
        mean = np.nanmean([np.asarray(s[column], dtype=float)[:days] for s in rows], axis=0)
        found = mser_truncation_days(mean, batch)
        if found is None:
            continue
        at_limit = found > 0 and found == latest_truncation_days(mean.size, batch)
        findings.append(WarmupFinding(column, found, warmup_days, len(rows), at_limit))
    return findings


def _days_kept(series: dict[str, Sequence[float]], until_day: float | None) -> int:
    days = np.asarray(series["day"], dtype=float)
    return int((days < until_day).sum()) if until_day is not None else days.size


def latest_truncation_days(n_days: int, batch: int = BATCH_DAYS) -> int:
    """The longest truncation MSER considers: half the batches."""
    return (n_days // batch) // 2 * batch


def seeds_needed(values: Sequence[float], half_width: float, level: float = 0.95) -> int:
    """Fewest seeds whose t-interval, at these values' spread, is ±``half_width`` or less."""
    spread = float(np.std(np.asarray(values, dtype=float), ddof=1))
    return seeds_for_spread(spread, half_width, level)


def seeds_for(estimate: Estimate, half_width: float) -> int:
    """The same from an interval already stated (its spread is t·s/√n backwards)."""
    quantile = stats.t.ppf(0.5 + estimate.level / 2, estimate.n - 1)
    spread = estimate.half_width * math.sqrt(estimate.n) / quantile
    return seeds_for_spread(spread, half_width, estimate.level)


def seeds_for_spread(spread: float, half_width: float, level: float, most: int = 100_000) -> int:
    if half_width <= 0:
        raise ValueError("the target half-width must be > 0")
    n = 2
    while n < most and stats.t.ppf(0.5 + level / 2, n - 1) * spread / math.sqrt(n) > half_width:
        n += 1
    return n


def sequential_replications(
    draw: Callable[[int], float],
    half_width: float,
    first: int = 5,
    most: int = 1000,
    level: float = 0.95,
) -> Estimate:
    """Seeds 0, 1, … of ``draw`` until the t-interval is ±``half_width`` (or ``most``)."""
    values = [draw(seed) for seed in range(first)]
    while len(values) < most:
        estimate = mean_ci(values, level)
        if estimate.half_width <= half_width:
            return estimate
        values.append(draw(len(values)))
    return mean_ci(values, level)
