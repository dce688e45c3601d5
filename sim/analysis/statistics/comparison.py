"""Statistics of a sweep table: configurations, their means with CIs, paired differences.

A *configuration* is one combination of the swept keys other than the seed. Seeds are the
replications: every configuration run with seed s shares its arrivals, issues and
patience with every other configuration run with seed s (common random numbers), so a
difference is estimated seed by seed. The unpaired (Welch) interval of the same
difference is reported beside it; their width ratio is what the pairing bought.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import yaml

from sim.analysis.statistics.replications import Estimate, mean_ci, welch_ci

SEED = "seed"
NOT_FACTORS = {SEED, "run_dir"}


def typed(value: Any) -> Any:
    """An override's value as the type it spells (``"12"`` → 12, ``"lean"`` stays text)."""
    return yaml.safe_load(value) if isinstance(value, str) and value else value


@dataclass(frozen=True)
class Design:
    """What a sweep varied: ``factors`` change between runs, ``constants`` never do."""

    factors: list[str]
    constants: dict[str, Any]

    def label(self, configuration: Mapping[str, Any]) -> str:
        """A configuration as a reader names it: ``Proactive outreach`` when a sweep varies
        one preset, ``policy proactive outreach, culture customer first`` for several,
        ``staffing.extra_agents.phone = 2`` for a key (``all runs`` with no factors)."""
        if not self.factors:
            return "all runs"
        if len(self.factors) == 1 and is_preset(self.factors[0], configuration[self.factors[0]]):
            return readable(configuration[self.factors[0]]).capitalize()
        return ", ".join(_part(key, configuration[key]) for key in self.factors)


def is_preset(key: str, value: Any) -> bool:
    """A config group's choice (``policy=proactive_outreach``), not a key's value."""
    return "." not in key and isinstance(value, str)


def readable(name: str) -> str:
    return name.replace("_", " ")


def _part(key: str, value: Any) -> str:
    return f"{key} {readable(value)}" if is_preset(key, value) else f"{key} = {value}"


def design(table: pd.DataFrame, override_columns: Sequence[str]) -> Design:
    """Split the swept override columns into those that vary and those that do not."""
    factors, constants = [], {}
    for column in override_columns:
        if column in NOT_FACTORS or column not in table:
            continue
        values = table[column].astype(str).unique()
        if len(values) > 1:
            factors.append(column)
        else:
            constants[column] = table[column].iloc[0]
    return Design(factors, constants)


def configurations(table: pd.DataFrame, factors: Sequence[str]) -> list[dict[str, Any]]:
    """Each distinct configuration once, in the order the sweep ran them."""
    if not factors:
        return [{}]
    unique = table[list(factors)].drop_duplicates()
    return [dict(zip(factors, row)) for row in unique.itertuples(index=False)]


def runs_of(table: pd.DataFrame, configuration: Mapping[str, Any]) -> pd.DataFrame:
    mask = np.ones(len(table), dtype=bool)
    for key, value in configuration.items():
        mask &= (table[key].astype(str) == str(value)).to_numpy()
    return table[mask]


def _finite(series: pd.Series) -> np.ndarray:
    data = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
    return data[np.isfinite(data)]


def _estimate(data: np.ndarray, level: float) -> Estimate:
    if data.size < 2:
        mean = float(data.mean()) if data.size else math.nan
        return Estimate(mean, math.nan, int(data.size), level)
    return mean_ci(data, level)


def summarise(
    table: pd.DataFrame, design_: Design, metrics: Sequence[str], level: float = 0.95
) -> pd.DataFrame:
    """One row per configuration and metric: n, mean, CI half-width, low, high."""
    rows = []
    for configuration in configurations(table, design_.factors):
        runs = runs_of(table, configuration)
        for metric in metrics:
            if metric not in runs:
                continue
            estimate = _estimate(_finite(runs[metric]), level)
            rows.append(
                {
                    **configuration,
                    "configuration": design_.label(configuration),
                    "metric": metric,
                    "n": estimate.n,
                    "mean": estimate.mean,
                    "half_width": estimate.half_width,
                    "low": estimate.low,
                    "high": estimate.high,
                }
            )
    return pd.DataFrame(rows)


def reference_of(configuration: Mapping[str, Any], reference: Mapping[str, Any]) -> dict[str, Any]:
    """The configuration this one is compared with: the same, with the reference values."""
    return {**configuration, **{key: reference[key] for key in reference if key in configuration}}


def paired_comparisons(
    table: pd.DataFrame,
    design_: Design,
    reference: Mapping[str, Any],
    metrics: Sequence[str],
    level: float = 0.95,
) -> pd.DataFrame:
    """Each non-reference configuration minus its reference, seed by seed.

    A reference key the sweep held at the reference value throughout is satisfied by
    every run and dropped; one it did not sweep at all is an error.

    Columns: the paired mean difference with its CI, the unpaired (Welch) half-width of
    the same difference, and ``crn_factor`` = unpaired / paired half-width.
    """
    settled = {k for k in reference if str(design_.constants.get(k, "")) == str(reference[k])}
    reference = {k: v for k, v in reference.items() if k not in settled}
    unknown = [key for key in reference if key not in design_.factors]
    if unknown:
        raise ValueError(
            f"report.reference names {', '.join(unknown)}, which the sweep did not vary "
            f"(swept: {', '.join(design_.factors) or 'nothing'})"
        )
    rows = []
    for configuration in configurations(table, design_.factors):
        base = reference_of(configuration, reference)
        if base == configuration:
            continue
        treated, control = runs_of(table, configuration), runs_of(table, base)
        if control.empty:
            continue
        merged = treated.merge(control, on=SEED, suffixes=("", "__ref"))
        for metric in metrics:
            if metric not in table:
                continue
            pair = merged[[metric, f"{metric}__ref"]].apply(pd.to_numeric, errors="coerce")
            pair = pair[np.isfinite(pair).all(axis=1)]
            paired = _estimate((pair[metric] - pair[f"{metric}__ref"]).to_numpy(), level)
            a, b = _finite(treated[metric]), _finite(control[metric])
            unpaired = welch_ci(a, b, level).half_width if min(a.size, b.size) >= 2 else math.nan
            factor = unpaired / paired.half_width if paired.half_width > 0 else math.nan
            rows.append(
                {
                    **configuration,
                    "configuration": design_.label(configuration),
                    "reference": design_.label(base),
                    "metric": metric,
                    "n_pairs": paired.n,
                    "difference": paired.mean,
                    "half_width": paired.half_width,
                    "low": paired.low,
                    "high": paired.high,
                    "unpaired_half_width": unpaired,
                    "crn_factor": factor,
                }
            )
    return pd.DataFrame(rows)
