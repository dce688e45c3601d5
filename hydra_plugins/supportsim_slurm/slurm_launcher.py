"""The Hydra plugin: a thin shell around ``sim.app.cluster`` (Hydra finds launchers only
in the ``hydra_plugins`` namespace; the work lives in the package). It imports nothing
heavy: Hydra imports every plugin module on every command."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hydra_plugins.hydra_submitit_launcher.submitit_launcher import SlurmLauncher


class SupportsimSlurmLauncher(SlurmLauncher):
    """hydra-submitit-launcher's SLURM launcher (its job, its configuration), waiting for
    the whole array: a job that dies hard (killed, cancelled, out of time) comes back as
    a failed job with its SLURM state, after every other job has finished."""

    def launch(self, job_overrides: Sequence[Sequence[str]], initial_job_idx: int) -> Any:
        from sim.app.cluster import launch_array

        return launch_array(self, job_overrides, initial_job_idx)
