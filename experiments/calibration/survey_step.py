"""Survey answers fitted to what the surveys found: TARP's "would buy again" by what became
of a problem (37 / 46 / 70 / 95 %), and Dixon et al.'s "disloyal" after high- and
low-effort contacts (96 / 9 %).

The answers are read from state (``sim.model.survey``) and change nothing, so one run of
each calibration scenario records every (class, loyalty, score) the survey would see, and
the four survey parameters are fitted to those records by least squares — no re-simulation.
"""

from __future__ import annotations

import argparse
from collections import defaultdict

import numpy as np
from scipy.optimize import least_squares

from sim.app.compose import compose_config
from sim.config import SurveyConfig
from sim.model.customers import ProblemOutcome
from sim.model.org import SupportOrg
from sim.model.survey import Survey

from .reference_file import read_reference, write_reference

TARP = {"silent": 0.37, "unresolved": 0.46, "resolved": 0.70, "resolved_fast": 0.95}
DIXON = {"high": 0.96, "low": 0.09}
PARAMETERS = ("steepness", "midpoint", "recency", "disloyal_below")
START = (8.0, 0.5, 0.5, 0.4)
LOWER, UPPER = (0.5, -2.0, 0.0, -2.0), (100.0, 3.0, 5.0, 3.0)


class Recorder(Survey):
    """A survey that writes down what it was asked about, and answers as usual."""

    def __init__(self, survey: Survey) -> None:
        super().__init__(survey.cfg, survey.stats)
        self.problems: dict[str, list[tuple[float, float]]] = defaultdict(list)
        self.contacts: dict[str, list[tuple[float, float]]] = defaultdict(list)

    def after_problem(self, outcome: ProblemOutcome, loyalty: float, score: float) -> None:
        self.problems[outcome.name.lower()].append((loyalty, score))
        super().after_problem(outcome, loyalty, score)

    def after_contact(self, effort: int, loyalty: float, score: float) -> None:
        level = self.effort_level(effort)
        if level is not None:
            self.contacts[level].append((loyalty, score))
        super().after_contact(effort, loyalty, score)


def recorded(scenario: str, seed: int) -> Recorder:
    org = SupportOrg(compose_config([f"scenario={scenario}"]), seed)
    recorder = Recorder(org.customers.survey)
    org.customers.survey = recorder
    org.run()
    return recorder


def _share(samples: list[tuple[float, float]], params: np.ndarray, disloyal: bool) -> float:
    steepness, midpoint, recency, below = params
    loyalty, score = np.asarray(samples).T
    u = loyalty + recency * score
    z = steepness * ((below - u) if disloyal else (u - midpoint))
    return float(np.mean(1.0 / (1.0 + np.exp(-np.clip(z, -700, 700)))))


def fit(tarp: Recorder, effort: Recorder) -> tuple[np.ndarray, dict[str, float]]:
    def residuals(params: np.ndarray) -> np.ndarray:
        stated = [_share(tarp.problems[c], params, False) - t for c, t in TARP.items()]
        disloyal = [_share(effort.contacts[c], params, True) - t for c, t in DIXON.items()]
        return np.array(stated + disloyal)

    result = least_squares(residuals, START, bounds=(LOWER, UPPER))
    achieved = {f"would_repurchase_{c}": _share(tarp.problems[c], result.x, False) for c in TARP}
    for c in DIXON:
        achieved[f"disloyal_share_{c}_effort"] = _share(effort.contacts[c], result.x, True)
    return result.x, achieved


def main(args: argparse.Namespace) -> None:
    seed = args.seeds or 0
    params, achieved = fit(recorded("tarp", seed), recorded("effort", seed))
    survey = {name: round(float(v), 4) for name, v in zip(PARAMETERS, params)}
    survey["high_effort_min"] = SurveyConfig().high_effort_min
    reference = read_reference()
    reference["survey"] = {**reference.get("survey", {}), **survey}
    write_reference(reference)
    print("fitted:", survey)
    for key, value in achieved.items():
        print(f"{key:34s} {value:.3f}")
