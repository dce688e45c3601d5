"""Durations from a contact log: handle time, patience and redials.

* **Handle time**: lognormal, gamma and exponential fitted by maximum likelihood
  (``scipy.stats``, location 0); the lowest AIC wins, written as the model's mean and CV
  with bootstrap intervals.
* **Patience** is censored data: an abandoned contact's wait is its patience, an answered
  one's wait only a lower bound. The model's piecewise-constant hazard
  (``patience.kind: hazard``) has a closed-form maximum-likelihood estimate, each piece's
  abandonments over the time customers spent waiting in it (the occurrence/exposure
  rate; Nelson–Aalen's increments pooled over the piece), with exact Poisson intervals.
  Kaplan–Meier (``scipy.stats.ecdf`` on censored data) gives the survival curve the
  pieces are checked against.
* **Redials**: an abandoned contact followed, within a window, by another from the same
  caller on the same channel.
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from sim.analysis.fitting.demand import Estimate

HANDLE_FAMILIES = {"lognormal": stats.lognorm, "gamma": stats.gamma, "exponential": stats.expon}
BOOTSTRAP_RESAMPLES = 200
MAX_HAZARD_PIECES = 6
MIN_EVENTS_PER_PIECE = 50  # abandonments: fewer give a rate too noisy to be worth a piece
MIN_SERVED = 10  # handle times: fewer say nothing about a distribution's shape
# A handle time's CV below this is a log that records one number for everyone (a default
# filled in, or rounding to the minute of a near-constant task): no family's shape fits.
CONSTANT_CV = 0.01


@dataclass(frozen=True)
class HandleTimeFit:
    kind: str
    mean_min: Estimate
    cv: Estimate
    aic: dict[str, float]  # by family: the evidence for the choice
    n: int


@dataclass(frozen=True)
class PatienceFit:
    breaks_min: list[float]
    hazard_per_min: list[Estimate]
    abandoned: int
    censored: int
    km_gap: float  # largest |S_KM − S_pieces| at the observed waits: the fit's check


@dataclass(frozen=True)
class RedialFit:
    prob: Estimate
    mean_delay_min: Estimate | None
    max_attempts: int
    n_abandoned: int


def _mean_cv(kind: str, params: tuple[float, ...]) -> tuple[float, float]:
    if kind == "exponential":
        return params[-1], 1.0
    if kind == "gamma":
        shape, _, scale = params
        return shape * scale, 1.0 / np.sqrt(shape)
    sigma, _, scale = params
    return scale * np.exp(sigma**2 / 2.0), float(np.sqrt(np.expm1(sigma**2)))


def _fitted(values: np.ndarray) -> tuple[dict[str, float], dict[str, tuple[float, ...]]]:
    """Each family's AIC and parameters; a family whose fit fails is left out."""
    aic, fitted = {}, {}
    for kind, family in HANDLE_FAMILIES.items():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                params = family.fit(values, floc=0)
                loglik = float(family.logpdf(values, *params).sum())
        except (ValueError, RuntimeError, FloatingPointError, stats.FitError):
            continue
        if not (np.all(np.isfinite(params)) and np.isfinite(loglik)):
            continue
        aic[kind] = 2 * (len(params) - 1) - 2 * loglik  # the location is fixed
        fitted[kind] = params
    return aic, fitted


def handle_time(
    values: np.ndarray, level: float, seed: int = 0, notes: list[str] | None = None
) -> HandleTimeFit | None:
    """The family of lowest AIC and its mean and CV (percentile bootstrap intervals);
    ``None`` with fewer than ``MIN_SERVED`` positive times. Times all (nearly) equal are a
    lognormal of CV ``CONSTANT_CV``, said in ``notes``."""
    values = values[values > 0]
    if len(values) < MIN_SERVED:
        return None
    mean_value = float(values.mean())
    if values.std() < CONSTANT_CV * mean_value:
        if notes is not None:
            notes.append(
                f"handle times all {mean_value:.3g} min: fitted as lognormal with CV "
                f"{CONSTANT_CV} (does the log record real times?)"
            )
        point = Estimate(mean_value, float(values.min()), float(values.max()))
        return HandleTimeFit(
            "lognormal", point, Estimate(CONSTANT_CV, 0.0, CONSTANT_CV), {}, len(values)
        )
    aic, fitted = _fitted(values)
    if not aic:
        if notes is not None:
            notes.append("handle times: no distribution fits them: not fitted (default kept)")
        return None
    kind = min(aic, key=aic.__getitem__)
    mean, cv = _mean_cv(kind, fitted[kind])
    draws = _bootstrap(kind, values, seed)
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.nanpercentile(draws, [tail, 100.0 - tail], axis=0)
    return HandleTimeFit(
        kind,
        Estimate(float(mean), float(low[0]), float(high[0])),
        Estimate(float(cv), float(low[1]), float(high[1])),
        aic,
        len(values),
    )


def _bootstrap(kind: str, values: np.ndarray, seed: int) -> np.ndarray:
    """(mean, CV) of the family refitted to resamples; a resample that will not fit is
    left out (NaN)."""
    rng = np.random.default_rng(seed)
    draws = np.full((BOOTSTRAP_RESAMPLES, 2), np.nan)
    for i in range(BOOTSTRAP_RESAMPLES):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                params = HANDLE_FAMILIES[kind].fit(rng.choice(values, len(values)), floc=0)
            draws[i] = _mean_cv(kind, params)
        except (ValueError, RuntimeError, FloatingPointError, stats.FitError):
            continue
    return draws


def hazard_breaks(abandon_waits: np.ndarray) -> list[float]:
    """Piece boundaries at quantiles of the abandonment times: as many pieces (up to six)
    as leave each at least ``MIN_EVENTS_PER_PIECE`` abandonments."""
    pieces = int(min(MAX_HAZARD_PIECES, max(1, len(abandon_waits) // MIN_EVENTS_PER_PIECE)))
    quantiles = np.quantile(abandon_waits, np.arange(1, pieces) / pieces)
    breaks = sorted({round(float(q), 1) for q in quantiles if q > 0.05})
    return breaks


def patience(
    waits: np.ndarray,
    abandoned: np.ndarray,
    level: float,
    breaks_min: list[float] | None,
    notes: list[str] | None = None,
) -> PatienceFit | None:
    """The piecewise-constant hazard from censored waits (``None``: no abandonment, or no
    time spent waiting to measure it over — said in ``notes``)."""
    n_abandoned = int(abandoned.sum())
    if n_abandoned == 0:
        return None
    if not waits.sum() > 0:
        if notes is not None:
            notes.append(
                f"patience: {n_abandoned:,} abandoned but every wait is 0, so no time to"
                " measure it over: not fitted (the model's default kept)"
            )
        return None
    breaks = hazard_breaks(waits[abandoned]) if breaks_min is None else list(breaks_min)
    breaks = [b for b in breaks if b < waits.max()]  # a piece nobody reached says nothing
    edges = np.concatenate(([0.0], breaks, [np.inf]))
    rates = []
    alpha = 1.0 - level
    for start, end in itertools.pairwise(edges):
        exposure = float((np.clip(waits, start, end) - start).sum())  # time waited in it
        events = int((abandoned & (waits >= start) & (waits < end)).sum())
        low = stats.chi2.ppf(alpha / 2, 2 * events) / 2 if events else 0.0
        high = stats.chi2.ppf(1 - alpha / 2, 2 * events + 2) / 2
        rates.append(Estimate(events / exposure, low / exposure, high / exposure))
    return PatienceFit(
        breaks,
        rates,
        n_abandoned,
        len(waits) - n_abandoned,
        _km_gap(waits, abandoned, breaks, [r.value for r in rates]),
    )


def _km_gap(waits: np.ndarray, abandoned: np.ndarray, breaks: list[float], rates: list[float]):
    """Largest distance between Kaplan–Meier's survival and the fitted pieces', where at
    least ``MIN_EVENTS_PER_PIECE`` customers are still waiting (KM's tail is a few people)."""
    data = stats.CensoredData(uncensored=waits[abandoned], right=waits[~abandoned])
    km = stats.ecdf(data).sf
    last_min = np.sort(waits)[-min(MIN_EVENTS_PER_PIECE, len(waits))]
    keep = km.quantiles <= last_min
    times = km.quantiles[keep]
    starts = np.concatenate(([0.0], breaks))
    widths = np.diff(np.concatenate((starts, [np.inf])))
    cumulative = np.concatenate(([0.0], np.cumsum(np.array(rates[:-1]) * widths[:-1])))
    piece = np.searchsorted(starts, times, side="right") - 1
    fitted = np.exp(-(cumulative[piece] + (times - starts[piece]) * np.array(rates)[piece]))
    return float(np.max(np.abs(km.probabilities[keep] - fitted)))


def redials(
    log: pd.DataFrame, window_min: float, level: float
) -> tuple[RedialFit | None, pd.Series]:
    """Redial probability and delay of one channel's contacts, and which contacts are
    redials (all fresh, and no fit, without a ``caller`` column).

    A contact is a redial if the same caller's previous contact on the channel was
    abandoned and ended at most ``window_min`` before it; a chain's length is its
    attempts, the longest seen the model's ``max_attempts``.
    """
    if "caller" not in log.columns:
        return None, pd.Series(False, index=log.index)
    log = log.sort_values(["caller", "arrival"], kind="stable")
    previous = log.groupby("caller", sort=False)[["arrival", "wait_min", "answered"]].shift(1)
    left_at = previous["arrival"] + pd.to_timedelta(previous["wait_min"], unit="min")
    gap_min = (log["arrival"] - left_at) / pd.Timedelta(minutes=1)
    is_redial = previous["answered"].eq(False) & (gap_min >= 0) & (gap_min <= window_min)
    attempt = is_redial.groupby((~is_redial).cumsum()).cumsum() + 1
    max_attempts = int(attempt.max())
    abandoned = ~log["answered"].astype(bool)
    could_redial = abandoned & (attempt < max_attempts) if max_attempts > 1 else abandoned
    n, k = int(could_redial.sum()), int(is_redial.sum())
    if n == 0:
        return None, is_redial
    ci = stats.binomtest(k, n).proportion_ci(level, method="wilson")
    delay = None
    if k > 1:
        gaps = gap_min[is_redial].to_numpy()
        half = float(stats.t.ppf(0.5 + level / 2, k - 1) * gaps.std(ddof=1) / np.sqrt(k))
        delay = Estimate(float(gaps.mean()), float(gaps.mean()) - half, float(gaps.mean()) + half)
    return RedialFit(Estimate(k / n, ci.low, ci.high), delay, max_attempts, n), is_redial
