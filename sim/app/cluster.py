"""A sweep as a SLURM job array that survives its dead jobs (``hydra/launcher=slurm``).

hydra-submitit-launcher submits every job of a sweep as one array and then collects the
results in job order; the first job that died without a result (``scancel``, killed by
the node, out of time) raises there, the results of the jobs after it are thrown away and
the jobs still running are left to run. Here the array is submitted the same way, then
every job is waited for, polling SLURM's accounting (``sacct``, through submitit) every
``POLL_S`` seconds: a job with a result returns it; a job that ended without one comes
back as a failed job naming its SLURM state, and its directory gets the failure line
``collect`` lists in ``incomplete.txt``. The sweep then ends as any sweep with a failed
job does: the table of what finished, the failures listed, exit 1; ``output.resume=true``
finishes it. Accounting is required: without ``sacct`` a dead job looks pending for ever.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from hydra.core.singleton import Singleton
from hydra.core.utils import JobReturn, JobStatus, filter_overrides
from hydra_plugins.hydra_submitit_launcher.config import BaseQueueConf
from omegaconf import open_dict

from sim.app.outputs import record_failure

log = logging.getLogger("supportsim")
POLL_S = 2.0  # between two looks at SLURM's accounting for the whole array
# Settings submitit takes under their own name; the rest are SLURM's (``slurm_<name>``),
# and the two below go to the executor itself.
GENERIC = {f.name for f in fields(BaseQueueConf)} - {"submitit_folder"}
EXECUTOR_OWN = {"submitit_folder", "max_num_timeout"}


class DeadJobError(RuntimeError):
    """A job of the array ended without a result: killed, cancelled or out of time."""


def executor_parameters(params: dict[str, Any]) -> dict[str, Any]:
    """The launcher's configuration as submitit's ``update_parameters`` names it."""
    return {
        key if key in GENERIC else f"slurm_{key}": value
        for key, value in params.items()
        if key not in EXECUTOR_OWN
    }


def launch_array(launcher: Any, job_overrides: Sequence[Sequence[str]], first: int) -> list:
    """Submit the jobs as one array, wait for all of them, return one JobReturn each."""
    import submitit  # only when a sweep is launched on SLURM

    params = launcher.params
    executor = submitit.AutoExecutor(
        folder=params["submitit_folder"],
        cluster="slurm",
        slurm_max_num_timeout=params.get("max_num_timeout", 0),
    )
    executor.update_parameters(**executor_parameters(params))
    sweep_dir = Path(str(launcher.config.hydra.sweep.dir))
    sweep_dir.mkdir(parents=True, exist_ok=True)
    arguments = []
    for index, overrides in enumerate(job_overrides, start=first):
        log.info("\t#%d : %s", index, " ".join(filter_overrides(overrides)))
        arguments.append(
            (
                list(overrides),
                "hydra.sweep.dir",
                index,
                f"job_id_for_{index}",
                Singleton.get_state(),
            )
        )
    jobs = executor.map_array(launcher, *zip(*arguments))
    log.info("SLURM job array %s: %d jobs", jobs[0].job_id.split("_")[0], len(jobs))
    wait_for_all(jobs)
    return [outcome(launcher, job, args[0], args[2]) for job, args in zip(jobs, arguments)]


def wait_for_all(jobs: Sequence[Any]) -> None:
    """Until SLURM says every job has ended (one ``sacct`` call refreshes the array)."""
    while True:
        waiting = [job for job in jobs if not job.done()]
        if not waiting:
            return
        waiting[0].done(force_check=True)  # one accounting call for the whole array
        if all(job.done() for job in waiting):
            return
        time.sleep(POLL_S)


def outcome(launcher: Any, job: Any, overrides: list[str], index: int) -> JobReturn:
    """The job's own JobReturn, or a failed one for a job that died without a result."""
    if job.paths.result_pickle.exists() or job.state.upper().startswith("COMPLETED"):
        return job.results()[0]
    error = DeadJobError(f"SLURM job {job.job_id} ended {job.state} without a result")
    record_failure(job_directory(launcher, overrides, index), error)
    return JobReturn(overrides=overrides, status=JobStatus.FAILED, _return_value=error)


def job_directory(launcher: Any, overrides: list[str], index: int) -> Path:
    """Where Hydra puts the job (``hydra.sweep.dir``/``hydra.sweep.subdir``)."""
    config = launcher.hydra_context.config_loader.load_sweep_config(launcher.config, overrides)
    with open_dict(config.hydra.job) as job:
        job.num = index
    return Path(str(config.hydra.sweep.dir)) / str(config.hydra.sweep.subdir)
