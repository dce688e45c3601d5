"""Robust decisions: in how many plausible worlds does a conclusion hold?

Each draw of a Latin-hypercube design over the registry of uncertain parameters is one
plausible world; both arms of a comparison run in it under the same seeds, so the effect
in that world is a paired difference of seed means. A conclusion ("outreach beats silence
on net value") holds in a world when the effect has the stated sign. We report the share
of worlds in which it holds, with an exact (Clopper–Pearson) interval for that share as
the draws are few, the effect's spread across worlds, and where it fails: the parameters
whose values go with the effect most strongly (Spearman's rank correlation), and the
share of worlds in which it holds on either side of the strongest one's median.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from sim.analysis.uncertainty.sensitivity import Space

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


@dataclass(frozen=True)
class Robustness:
    """How one conclusion fares across the plausible worlds."""

    name: str
    expect: str  # "higher" or "lower": the arm's metric against the reference's
    effects: np.ndarray  # per world: arm − reference, seeds averaged
    holds_share: float
    holds_low: float  # 95 % Clopper–Pearson interval of the share
    holds_high: float
    quantiles: dict[float, float]
    drivers: pd.DataFrame  # parameter, rho (Spearman), p_value; strongest first
    split: tuple[str, float, float, float] | None  # parameter, median, share below, above

    @property
    def worlds(self) -> int:
        return len(self.effects)


def robustness(
    name: str, expect: str, effects: np.ndarray, space: Space, unit: np.ndarray
) -> Robustness:
    """The conclusion ``name`` (the arm's metric is ``expect`` than the reference's) over
    the worlds whose unit-axis points are ``unit`` and whose effects are ``effects``."""
    effects = np.asarray(effects, dtype=float)
    sign = 1.0 if expect == "higher" else -1.0
    holds = sign * effects > 0
    interval = stats.binomtest(int(holds.sum()), len(holds)).proportion_ci(0.95, "exact")
    drivers = _drivers(space, unit, effects)
    return Robustness(
        name=name,
        expect=expect,
        effects=effects,
        holds_share=float(holds.mean()),
        holds_low=float(interval.low),
        holds_high=float(interval.high),
        quantiles={q: float(np.quantile(effects, q)) for q in QUANTILES},
        drivers=drivers,
        split=_split(drivers, space, unit, holds),
    )


def _drivers(space: Space, unit: np.ndarray, effects: np.ndarray) -> pd.DataFrame:
    rows = []
    for axis, key in enumerate(space.keys):
        if np.ptp(unit[:, axis]) == 0 or np.ptp(effects) == 0:
            rows.append((key, 0.0, 1.0))
            continue
        rho, p_value = stats.spearmanr(unit[:, axis], effects)
        rows.append((key, float(rho), float(p_value)))
    frame = pd.DataFrame(rows, columns=["parameter", "rho", "p_value"])
    order = frame["rho"].abs().sort_values(ascending=False, kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def _split(
    drivers: pd.DataFrame, space: Space, unit: np.ndarray, holds: np.ndarray
) -> tuple[str, float, float, float] | None:
    """The strongest driver's median value, and the share of worlds in which the
    conclusion holds below and above it (None when it holds or fails everywhere)."""
    if holds.all() or not holds.any() or drivers.empty:
        return None
    key = drivers["parameter"].iloc[0]
    axis = space.keys.index(key)
    median_unit = float(np.median(unit[:, axis]))
    below = unit[:, axis] <= median_unit
    if below.all() or not below.any():
        return None
    median_value = float(space.values(np.full(len(space.keys), median_unit))[key])
    return key, median_value, float(holds[below].mean()), float(holds[~below].mean())


def robustness_table(results: Sequence[Robustness]) -> pd.DataFrame:
    """One row per conclusion: worlds, share holding and its interval, the effect's
    quantiles, and the parameter it depends on most."""
    rows = []
    for r in results:
        row = {
            "conclusion": r.name,
            "expect": r.expect,
            "worlds": r.worlds,
            "holds_share": r.holds_share,
            "holds_low": r.holds_low,
            "holds_high": r.holds_high,
        }
        row.update({f"effect_q{round(q * 100):02d}": v for q, v in r.quantiles.items()})
        row["driver"] = r.drivers["parameter"].iloc[0] if len(r.drivers) else ""
        row["driver_rho"] = float(r.drivers["rho"].iloc[0]) if len(r.drivers) else 0.0
        rows.append(row)
    return pd.DataFrame(rows)
