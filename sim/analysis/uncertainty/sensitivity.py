"""Global sensitivity analysis over the registry of uncertain parameters, with SALib.

A design lives in the unit hypercube, one axis per parameter; each point is mapped to the
parameters' values through their plausible ranges (uniform, or log-uniform for a scale
parameter: ``sim.analysis.uncertainty.parameters``). Indices are computed on the unit axes, so a
Morris μ* compares parameters by what moving each across the same share of *its own*
plausible range does to an outcome — not by their units.

A stochastic simulator's output at a design point is averaged over its seeds before any
index is computed (Saltelli et al. 2008, § 1.2.6; SALib#292): the indices then
describe the expected outcome, and seed noise only widens their bootstrap intervals.
Every point runs the same seeds (common random numbers), so differences between points
are not differences between random streams.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analysis
from SALib.analyze import sobol as sobol_analysis
from SALib.sample import latin as latin_sample
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from sim.analysis.uncertainty.parameters import PARAMETERS, Uncertain

SAMPLERS = ("morris", "sobol", "latin")
CONFIDENCE = 0.95
RESAMPLES = 1000  # bootstrap resamples behind every index's interval


@dataclass(frozen=True)
class Space:
    """The uncertain parameters a design varies, in the order of its axes."""

    parameters: tuple[Uncertain, ...]

    @classmethod
    def of(cls, keys: Sequence[str] = ()) -> Space:
        """The registry's parameters named by ``keys`` (all of them when empty)."""
        if not keys:
            return cls(PARAMETERS)
        by_key = {p.key: p for p in PARAMETERS}
        return cls(tuple(by_key[key] for key in keys))

    @property
    def keys(self) -> list[str]:
        return [p.key for p in self.parameters]

    def problem(self) -> dict:
        """SALib's problem: every axis on [0, 1]."""
        return {
            "num_vars": len(self.parameters),
            "names": self.keys,
            "bounds": [[0.0, 1.0]] * len(self.parameters),
        }

    def values(self, unit_point: Sequence[float]) -> dict[str, float]:
        """A point of the unit hypercube as the parameters' values."""
        return {p.key: value_at(p, u) for p, u in zip(self.parameters, unit_point)}


def value_at(parameter: Uncertain, unit: float) -> float:
    """The value a share ``unit`` of the way across the parameter's range (in log space
    for a log-uniform one), to 6 significant digits (every registry parameter is real)."""
    low, high = parameter.low, parameter.high
    if parameter.log:
        value = float(np.exp(np.log(low) + unit * (np.log(high) - np.log(low))))
    else:
        value = low + unit * (high - low)
    return float(f"{value:.6g}")


def unit_design(space: Space, kind: str, size: int, seed: int, levels: int = 4) -> np.ndarray:
    """The design's points on the unit axes: ``morris`` with ``size`` trajectories on a
    ``levels`` grid ((k + 1)·size points), ``sobol`` with ``size`` base samples (a power
    of 2; (k + 2)·size points, first and total order), ``latin`` with ``size`` draws."""
    problem = space.problem()
    if kind == "morris":
        return morris_sample.sample(problem, size, num_levels=levels, seed=seed)
    if kind == "sobol":
        return sobol_sample.sample(problem, size, calc_second_order=False, seed=seed)
    if kind == "latin":
        return latin_sample.sample(problem, size, seed=seed)
    raise ValueError(f"unknown design {kind!r}: one of {', '.join(SAMPLERS)}")


def design_size(kind: str, parameters: int, size: int) -> int:
    """How many points a design has (what a sweep of it costs, before seeds and arms)."""
    return {"morris": (parameters + 1) * size, "sobol": (parameters + 2) * size}.get(kind, size)


def seed_means(rows: pd.DataFrame, outputs: Sequence[str]) -> pd.DataFrame:
    """Each design point's outputs averaged over its seeds (``point`` and ``arm`` columns
    identify a point's runs)."""
    return rows.groupby(["point", "arm"], sort=True)[list(outputs)].mean().reset_index()


def morris_indices(
    space: Space, unit: np.ndarray, outcome: np.ndarray, levels: int, seed: int = 0
) -> pd.DataFrame:
    """μ (mean elementary effect), μ* (mean absolute effect, with its bootstrap interval)
    and σ (spread: interaction or non-linearity) per parameter, per unit of its range."""
    result = morris_analysis.analyze(
        space.problem(),
        unit,
        np.asarray(outcome, dtype=float),
        num_resamples=RESAMPLES,
        conf_level=CONFIDENCE,
        num_levels=levels,
        seed=seed,
    )
    return _per_parameter(space, result, ("mu", "mu_star", "mu_star_conf", "sigma"))


def sobol_indices(space: Space, outcome: np.ndarray, seed: int = 0) -> pd.DataFrame:
    """First-order (S1: the share of the outcome's variance a parameter explains alone)
    and total (ST: with all its interactions) Sobol indices, with bootstrap half-widths."""
    result = sobol_analysis.analyze(
        space.problem(),
        np.asarray(outcome, dtype=float),
        calc_second_order=False,
        num_resamples=RESAMPLES,
        conf_level=CONFIDENCE,
        seed=seed,
    )
    return _per_parameter(space, result, ("S1", "S1_conf", "ST", "ST_conf"))


def _per_parameter(space: Space, result: Mapping, columns: Sequence[str]) -> pd.DataFrame:
    """SALib's result as a table: one row per parameter, the named indices as columns."""
    return pd.DataFrame({"parameter": space.keys, **{c: result[c] for c in columns}})


def most_influential(by_outcome: Mapping[str, pd.DataFrame], count: int) -> list[str]:
    """The ``count`` parameters with the largest Morris μ* on any outcome, each outcome's
    μ* taken relative to its largest (outcomes in money and in shares then weigh alike)."""
    relative = []
    for indices in by_outcome.values():
        largest = indices["mu_star"].max()
        scale = largest if largest > 0 else 1.0
        relative.append(indices.set_index("parameter")["mu_star"] / scale)
    if not relative:
        return []
    ranked = pd.concat(relative, axis=1).max(axis=1).sort_values(ascending=False, kind="stable")
    return list(ranked.index[:count])
