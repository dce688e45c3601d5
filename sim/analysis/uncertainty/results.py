"""What a finished study's runs say: Morris and Sobol indices per outcome, and how each
conclusion fares across plausible worlds (``sim.analysis.uncertainty.study`` designs it)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from sim.analysis.uncertainty.robustness import Robustness, robustness
from sim.analysis.uncertainty.sensitivity import morris_indices, sobol_indices
from sim.analysis.uncertainty.study import Study, outcomes_by_point


@dataclass
class StudyResults:
    """Tidy tables: one row per outcome and parameter (``morris``, ``sobol``), and one
    ``Robustness`` per conclusion of a Latin-hypercube stage; ``spread`` holds each
    outcome's quantiles over the worlds of such a stage."""

    morris: pd.DataFrame = field(default_factory=pd.DataFrame)
    sobol: pd.DataFrame = field(default_factory=pd.DataFrame)
    robust: list[Robustness] = field(default_factory=list)
    spread: pd.DataFrame = field(default_factory=pd.DataFrame)


def analyse(study: Study, rows: pd.DataFrame) -> StudyResults:
    """Every stage's indices or robustness, from the runs' rows (``stage``, ``point``,
    ``arm``, ``seed`` and summary keys); the bootstrap seeds are the design's."""
    results = StudyResults()
    morris, sobol, spread = [], [], []
    contrasts = {c.metric: c for c in study.settings.contrasts}
    for index, stage in enumerate(study.stages):
        by_outcome = outcomes_by_point(study, index, rows)
        seed = study.settings.seed + index
        for name, y in by_outcome.items():
            if stage.kind == "morris":
                morris.append(morris_indices(stage.space, stage.unit, y, stage.levels, seed))
                morris[-1].insert(0, "outcome", name)
            elif stage.kind == "sobol":
                sobol.append(sobol_indices(stage.space, y, seed))
                sobol[-1].insert(0, "outcome", name)
            elif name in study.settings.outcomes:
                spread.append(_spread(name, y))
            else:
                expect = contrasts[name.split(":")[0]].expect
                results.robust.append(robustness(name, expect, y, stage.space, stage.unit))
    results.morris = pd.concat(morris, ignore_index=True) if morris else pd.DataFrame()
    results.sobol = pd.concat(sobol, ignore_index=True) if sobol else pd.DataFrame()
    results.spread = pd.DataFrame(spread)
    return results


def _spread(name: str, values) -> dict[str, float | str]:
    series = pd.Series(values)
    row: dict[str, float | str] = {"outcome": name, "mean": float(series.mean())}
    for q in (0.05, 0.5, 0.95):
        row[f"q{round(q * 100):02d}"] = float(series.quantile(q))
    return row
