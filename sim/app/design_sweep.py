"""The design sweeper's work: a study over the uncertain parameters as a Hydra sweep.

``hydra/sweeper=design`` (``experiment=sensitivity``, ``experiment=robustness``) replaces
Hydra's grid with a study (``sim.analysis.uncertainty.study``): each point of its design, in
each arm, is one ordinary job whose overrides set the parameters' values — so every
launcher (joblib here, submitit on a cluster) runs it, ``.hydra/overrides.yaml`` says
what each job was, and a job runs all of the study's seeds (``seeds=[…]``) so they can be
averaged before any index. The study is kept as ``design.json`` in the sweep directory
(written before its jobs start), from which ``collect`` knows every job and the report
reads the design. A two-stage study (Morris, then Sobol over what Morris found) reads the
first stage's results from the jobs' files before it designs the second.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.plugins import Plugins
from hydra.types import HydraContext, TaskFunction
from omegaconf import DictConfig, OmegaConf

from sim.analysis.uncertainty.parameters import check
from sim.analysis.uncertainty.study import Job, Stage, Study, StudySettings
from sim.app.collect import Collected, collect
from sim.app.compose import compose_config
from sim.app.files import atomic_write
from sim.app.outputs import summary_text
from sim.app.reading import read_json, read_overrides
from sim.app.sweep import STUDY_FILE, job_key
from sim.config import Config, ConfigError, validate

log = logging.getLogger("supportsim")


class DesignSweep:
    """What ``hydra_plugins.supportsim_design.DesignSweeper`` does, kept in the package."""

    def __init__(self, settings: Mapping[str, Any], max_batch_size: int | None) -> None:
        self.raw = {
            key: OmegaConf.to_container(value) if OmegaConf.is_config(value) else value
            for key, value in settings.items()
        }
        self.max_batch_size = max_batch_size
        self.config: DictConfig | None = None
        self.launcher: Any = None

    def setup(
        self, hydra_context: HydraContext, task_function: TaskFunction, config: DictConfig
    ) -> None:
        self.config = config
        self.launcher = Plugins.instance().instantiate_launcher(
            hydra_context=hydra_context, task_function=task_function, config=config
        )

    def sweep(self, arguments: list[str]) -> list[Any]:
        assert self.config is not None and self.launcher is not None
        check()  # the registry's ranges, with the command line's one-line error
        study = Study(StudySettings.from_mapping(self.raw), plain_arguments(arguments))
        sweep_dir = Path(self.config.hydra.sweep.dir)
        sweep_dir.mkdir(parents=True, exist_ok=True)
        OmegaConf.save(self.config, sweep_dir / "multirun.yaml")
        returns = self._run_stage(study, study.first_stage(), sweep_dir)
        second = study.second_stage(study_rows(study, collect(sweep_dir)))
        if second is not None:
            log.info("Sobol over the %d parameters Morris ranked first", len(second.parameters))
            returns += self._run_stage(study, second, sweep_dir)
        return returns

    def _run_stage(self, study: Study, stage: Stage, sweep_dir: Path) -> list[Any]:
        index = study.stages.index(stage)
        jobs = study.stage_jobs(index)
        check_jobs(study, jobs)
        write_study(sweep_dir, study)
        arms = len(study.settings.arm_names)
        log.info("%s design: %d points × %d arms", stage.kind, len(stage.unit), arms)
        first = study.jobs.index(jobs[0])
        size = self.max_batch_size or len(jobs)
        returns = []
        for start in range(0, len(jobs), size):
            batch = [job.overrides for job in jobs[start : start + size]]
            results = self.launcher.launch(batch, initial_job_idx=first + start)
            for result in results:
                _ = result.return_value  # a failed job stops the sweep, as Hydra's own does
            returns.append(results)
        return returns


def plain_arguments(arguments: Sequence[str]) -> list[str]:
    """The command line's overrides, every job's; a sweep over them is the design's job."""
    parser = OverridesParser.create()
    for override in parser.parse_overrides(list(arguments)):
        if override.is_sweep_override():
            raise ConfigError(
                override.get_key_element(),
                (override.input_line or "").partition("=")[2],
                "a design sweep sets its own jobs: give one value (seeds: seeds=[0,1,…])",
            )
    return list(arguments)


def check_jobs(study: Study, jobs: list[Job]) -> None:
    """Every job's configuration is valid, before any starts: each arm composed once, then
    each point's values set on it and validated (fast: no composition per point)."""
    composed: dict[str, Config] = {}
    for job in jobs:
        if job.arm not in composed:
            arm = study.settings.arm_overrides(job.arm)
            composed[job.arm] = compose_config([*study.arguments, *arm])
        config = copy.deepcopy(composed[job.arm])
        given = len(study.arguments) + len(study.settings.arm_overrides(job.arm))
        for item in job.overrides[given:]:  # the point's values
            key, _, value = item.partition("=")
            _set(config, key, float(value))
        try:
            validate(config)
        except ConfigError as error:
            raise ConfigError(
                error.key, error.value, f"{error.allowed} (in design point {job.point})"
            ) from None


def _set(config: Config, key: str, value: float) -> None:
    *path, last = key.split(".")
    node: Any = config
    for part in path:
        node = getattr(node, part)
    setattr(node, last, value)


def write_study(sweep_dir: Path, study: Study) -> None:
    atomic_write(sweep_dir / STUDY_FILE, lambda h: h.write(summary_text(study.to_dict())))


def read_study(sweep_dir: Path) -> Study | None:
    """The study a design sweep left in ``sweep_dir`` (None for any other sweep)."""
    path = sweep_dir / STUDY_FILE
    return Study.from_dict(read_json(path)) if path.is_file() else None


def study_rows(study: Study, collected: Collected) -> pd.DataFrame:
    """The runs' rows tagged with the stage, point and arm each belongs to (a run whose
    overrides appear twice in a design — Morris may visit a point twice — counts for both)."""
    where: dict[str, list[Job]] = {}
    for job in study.jobs:
        where.setdefault(job_key(job.overrides), []).append(job)
    rows = []
    for row in collected.table.to_dict("records"):
        run_dir = Path(row["run_dir"])
        job_dir = run_dir if (run_dir / ".hydra").is_dir() else run_dir.parent
        for job in where.get(job_key(read_overrides(job_dir)), []):
            rows.append({**row, "stage": job.stage, "point": job.point, "arm": job.arm})
    return pd.DataFrame(rows)
