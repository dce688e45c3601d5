"""A study over the uncertain parameters: what to run, and what its runs say.

A study has stages, each a design of points in the registry's parameter space
(``sim.analysis.uncertainty.sensitivity``). Every point runs in every *arm* — the same organisation
under, say, silence and proactive outreach — under the same seeds, so an arm's
*contrast* with the first arm (the reference) is paired point by point. Three kinds:

- ``morris``: screening — which parameters move each outcome at all (Morris 1991);
- ``sobol``: how much of each outcome's variance each parameter explains, alone and with
  its interactions (Saltelli et al. 2010); ``morris_sobol`` runs Morris over the whole
  registry, then Sobol over the ``top`` parameters Morris found;
- ``latin``: robustness — draws of the whole registry (Latin hypercube), in which a
  stated conclusion ("outreach beats silence on net value") holds or does not.

The study knows the jobs it asks for (override lists, one per point and arm) and turns
the runs' table back into one number per point, its seeds averaged first. It reads and
writes plain data (``to_dict``/``from_dict``): the application keeps it as design.json in
the sweep directory.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.analysis.uncertainty.sensitivity import (
    SAMPLERS,
    Space,
    design_size,
    morris_indices,
    most_influential,
    seed_means,
    unit_design,
)
from sim.config import ConfigError

KINDS = (*SAMPLERS, "morris_sobol")
EXPECTATIONS = ("higher", "lower")
MAX_POINTS = 100_000


@dataclass(frozen=True)
class Contrast:
    """An arm's difference from the reference arm on ``metric`` (arm − reference), and
    the conclusion it is expected to support: the arm's ``metric`` is ``expect``."""

    metric: str
    expect: str = "higher"

    @property
    def sign(self) -> int:
        return 1 if self.expect == "higher" else -1


@dataclass(frozen=True)
class StudySettings:
    """What ``hydra.sweeper`` (the design sweeper) asks for; see configs/hydra/sweeper."""

    design: str = "morris"
    parameters: tuple[str, ...] = ()
    trajectories: int = 10
    levels: int = 4
    samples: int = 64
    top: int = 10
    draws: int = 32
    seed: int = 0
    arms: tuple[tuple[str, tuple[str, ...]], ...] = ()
    outcomes: tuple[str, ...] = ("churn_rate_annual", "net_value", "service_level")
    contrasts: tuple[Contrast, ...] = ()

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> StudySettings:
        """Settings from the sweeper's config, checked: a one-line error names the key."""
        arms = raw.get("arms") or {}
        contrasts = [Contrast(**dict(c)) for c in raw.get("contrasts") or ()]
        settings = cls(
            design=str(raw.get("design", cls.design)),
            parameters=tuple(raw.get("parameters") or ()),
            trajectories=int(raw.get("trajectories", cls.trajectories)),
            levels=int(raw.get("levels", cls.levels)),
            samples=int(raw.get("samples", cls.samples)),
            top=int(raw.get("top", cls.top)),
            draws=int(raw.get("draws", cls.draws)),
            seed=int(raw.get("seed", cls.seed)),
            arms=tuple((str(name), tuple(map(str, arms[name]))) for name in arms),
            outcomes=tuple(raw.get("outcomes") or cls.outcomes),
            contrasts=tuple(contrasts),
        )
        settings.check()
        return settings

    def check(self) -> None:
        def bad(key: str, value: Any, allowed: str) -> ConfigError:
            return ConfigError(f"hydra.sweeper.{key}", value, allowed)

        if self.design not in KINDS:
            raise bad("design", self.design, f"allowed: {', '.join(KINDS)}")
        known = set(Space.of().keys)
        for key in self.parameters:
            if key not in known:
                raise bad("parameters", key, "must name parameters of the registry")
        for key, value, low in [("trajectories", self.trajectories, 2), ("levels", self.levels, 2)]:
            if value < low:
                raise bad(key, value, f"must be an integer ≥ {low}")
        if self.samples < 2 or self.samples & (self.samples - 1):
            raise bad("samples", self.samples, "must be a power of 2 (Sobol' sequences)")
        varied = len(self.parameters or known)
        if self.design == "morris_sobol" and not 2 <= self.top <= varied:
            raise bad("top", self.top, "must be at least 2 and at most the parameters varied")
        if self.draws < 2:
            raise bad("draws", self.draws, "must be an integer ≥ 2")
        if self.contrasts and len(self.arms) < 2:
            raise bad("contrasts", [c.metric for c in self.contrasts], "need two arms or more")
        for contrast in self.contrasts:
            if contrast.expect not in EXPECTATIONS:
                raise bad("contrasts", contrast.expect, "expect: higher or lower")

    @property
    def space(self) -> Space:
        return Space.of(self.parameters)

    @property
    def arm_names(self) -> list[str]:
        return [name for name, _ in self.arms] or [""]

    def arm_overrides(self, arm: str) -> list[str]:
        return list(dict(self.arms).get(arm, ()))


@dataclass
class Stage:
    """One design: its kind, the parameters on its axes, and its points (unit axes)."""

    kind: str
    parameters: list[str]
    unit: np.ndarray
    levels: int = 4

    @property
    def space(self) -> Space:
        return Space.of(self.parameters)


@dataclass
class Job:
    """One job of the study: a point of a stage, in one arm."""

    stage: int
    point: int
    arm: str
    overrides: list[str]


@dataclass
class Study:
    settings: StudySettings
    arguments: list[str] = field(default_factory=list)  # the command line's own overrides
    stages: list[Stage] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)

    def first_stage(self) -> Stage:
        s = self.settings
        kind = "morris" if s.design == "morris_sobol" else s.design
        size = {"morris": s.trajectories, "sobol": s.samples, "latin": s.draws}[kind]
        return self.add_stage(kind, s.space.keys, size)

    def add_stage(self, kind: str, parameters: list[str], size: int) -> Stage:
        """Design a stage and list its jobs (point by point, each in every arm)."""
        points = design_size(kind, len(parameters), size)
        if points * len(self.settings.arm_names) > MAX_POINTS:
            raise ConfigError(
                "hydra.sweeper", points, f"the design asks for more than {MAX_POINTS:,} jobs"
            )
        space = Space.of(parameters)
        seed = self.settings.seed + len(self.stages)
        unit = unit_design(space, kind, size, seed, self.settings.levels)
        stage = Stage(kind, list(parameters), unit, self.settings.levels)
        index = len(self.stages)
        self.stages.append(stage)
        for point, row in enumerate(unit):
            values = [f"{key}={value!r}" for key, value in space.values(row).items()]
            for arm in self.settings.arm_names:
                overrides = [*self.arguments, *self.settings.arm_overrides(arm), *values]
                self.jobs.append(Job(index, point, arm, overrides))
        return stage

    def stage_jobs(self, stage: int) -> list[Job]:
        return [job for job in self.jobs if job.stage == stage]

    def second_stage(self, first_results: pd.DataFrame) -> Stage | None:
        """After Morris, Sobol over the ``top`` parameters it found (morris_sobol only)."""
        if self.settings.design != "morris_sobol" or len(self.stages) != 1:
            return None
        screened = {
            name: morris_indices(self.stages[0].space, self.stages[0].unit, y, self.settings.levels)
            for name, y in outcomes_by_point(self, 0, first_results).items()
        }
        top = most_influential(screened, self.settings.top)
        return self.add_stage("sobol", top, self.settings.samples)

    def to_dict(self) -> dict[str, Any]:
        settings = asdict(self.settings)
        settings["arms"] = {name: list(overrides) for name, overrides in self.settings.arms}
        return {
            "settings": settings,
            "arguments": self.arguments,
            "stages": [
                {
                    "kind": s.kind,
                    "parameters": s.parameters,
                    "levels": s.levels,
                    "unit": s.unit.tolist(),
                }
                for s in self.stages
            ],
            "jobs": [asdict(job) for job in self.jobs],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Study:
        settings = StudySettings.from_mapping(data["settings"])
        stages = [
            Stage(s["kind"], list(s["parameters"]), np.asarray(s["unit"], float), s["levels"])
            for s in data["stages"]
        ]
        jobs = [Job(**job) for job in data["jobs"]]
        return cls(settings, list(data.get("arguments", [])), stages, jobs)


def contrast_name(contrast: Contrast, arm: str, reference: str) -> str:
    return f"{contrast.metric}: {arm} − {reference}"


def outcomes_by_point(study: Study, stage: int, rows: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each outcome of a stage as one number per point, in the design's order: the
    reference arm's outcomes and each contrast, seeds averaged first. ``rows`` has a row
    per run: ``stage``, ``point``, ``arm``, ``seed`` and the summary keys."""
    settings, points = study.settings, len(study.stages[stage].unit)
    mine = rows[rows["stage"] == stage]
    metrics = sorted({*settings.outcomes, *(c.metric for c in settings.contrasts)})
    _check_columns(mine, metrics)
    means = seed_means(mine, metrics)
    arms = settings.arm_names
    by_arm = {arm: means[means["arm"] == arm].set_index("point") for arm in arms}
    for arm, frame in by_arm.items():
        missing = sorted(set(range(points)) - set(frame.index))
        if missing:
            raise ValueError(
                f"stage {stage} has no finished run for {len(missing)} of {points} points "
                f"in arm {arm or 'default'!r} (first: point {missing[0]}); finish the sweep "
                "with the same command and output.resume=true"
            )
    reference = by_arm[arms[0]]
    result = {name: reference.loc[range(points), name].to_numpy() for name in settings.outcomes}
    for arm in arms[1:]:
        for contrast in settings.contrasts:
            difference = by_arm[arm][contrast.metric] - reference[contrast.metric]
            result[contrast_name(contrast, arm, arms[0])] = difference.loc[range(points)].to_numpy()
    for name, values in result.items():
        if not np.all(np.isfinite(values)):
            raise ValueError(f"outcome {name!r} is not a number at some points: choose another")
    return result


def _check_columns(rows: pd.DataFrame, metrics: Sequence[str]) -> None:
    absent = [m for m in metrics if m not in rows.columns]
    if absent:
        raise ValueError(f"the runs do not report {', '.join(absent)}: not summary keys")
