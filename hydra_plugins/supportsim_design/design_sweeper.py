"""The Hydra plugin: a thin shell around ``sim.app.design_sweep`` (Hydra finds sweepers
only in the ``hydra_plugins`` namespace; the work lives in the package).

Hydra imports every plugin module on every command, so this one imports nothing of the
study (pandas, SALib, the analysis) until a study is asked for: a single run should not
pay for them (issue 23's fixed cost; ``tests/test_cli.py`` checks what a run imports)."""

from __future__ import annotations

from typing import Any

from hydra.plugins.sweeper import Sweeper
from hydra.types import HydraContext, TaskFunction
from omegaconf import DictConfig


class DesignSweeper(Sweeper):
    """``hydra/sweeper=design``: a study's design points as jobs (configs/hydra/sweeper)."""

    def __init__(self, max_batch_size: int | None = None, **settings: Any) -> None:
        from sim.app.design_sweep import DesignSweep

        self._sweep = DesignSweep(settings, max_batch_size)

    def setup(
        self, *, hydra_context: HydraContext, task_function: TaskFunction, config: DictConfig
    ) -> None:
        self._sweep.setup(hydra_context, task_function, config)

    def sweep(self, arguments: list[str]) -> Any:
        return self._sweep.sweep(arguments)
