"""The command line: a thin Hydra app around ``sim.run``.

``python -m sim [overrides]`` (or ``supportsim``) composes ``configs/``, validates it into
a plain :class:`sim.config.Config`, runs the model and writes the results into Hydra's run
directory. Every configuration mistake ends in one line on stderr naming the key and what
is allowed, exit code 2, and no results. ``SUPPORTSIM_TRACEBACK=1`` (or Hydra's own
``HYDRA_FULL_ERROR=1``) shows the full traceback instead.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from sim.app import progress, status
from sim.app.callbacks import collect_failed_sweep
from sim.app.compose import CONFIG_DIR, one_line, register_schemas, to_config, unset_section_error
from sim.app.files import remove_stale_temporaries
from sim.app.hydra_internals import mode_from
from sim.app.outputs import (
    CONTACTS,
    FAILURE,
    STAFFING_PLAN,
    SUMMARY,
    Tables,
    finished,
    record_failure,
    write_run,
)
from sim.app.preflight import check_command_line
from sim.app.signals import (
    Interrupted,
    default_signals,
    exit_interrupted,
    raise_if_interrupted,
    stop_cleanly_on_signals,
)
from sim.config import Config, ConfigError
from sim.model.org import RunResult, run

if TYPE_CHECKING:
    from sim.app.contact_file import ContactFile

EXIT_BAD_INPUT = 2
PLAN_CACHE = ".plans"  # in a sweep's directory: staffing plans its jobs computed
EXIT_FAILED = 1
log = logging.getLogger("supportsim")


def _fail(message: str, exit_code: int) -> None:
    print(f"supportsim: {message}", file=sys.stderr)
    sys.exit(exit_code)


_VERBOSE = any(os.environ.get(var) == "1" for var in ("SUPPORTSIM_TRACEBACK", "HYDRA_FULL_ERROR"))


def _verbose() -> bool:
    """Tracebacks wanted? Read once at import, before ``main`` sets HYDRA_FULL_ERROR."""
    return _VERBOSE


@hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="config")
def _app(cfg: DictConfig) -> None:
    stop_cleanly_on_signals()  # again: a launcher's worker process runs only this
    try:
        config = to_config(cfg)
    except ConfigError as error:
        if _verbose() or HydraConfig.get().mode == RunMode.MULTIRUN:
            raise  # a sweep reports it with the job's overrides; main() prints one line
        _fail(f"error: {one_line(error)}", EXIT_BAD_INPUT)
    out_dir = Path(HydraConfig.get().runtime.output_dir)
    status.mark("composed")
    runs = _runs_to_do(config, out_dir)
    if not runs:
        status.mark("finished")
        return
    for _, run_dir in runs:
        remove_stale_temporaries(run_dir)  # left by a run killed with SIGKILL
        (run_dir / FAILURE).unlink(missing_ok=True)  # an earlier attempt's, resumed now
    raise_if_interrupted()
    status.mark("simulating")
    run_dir = runs[0][1]
    try:
        config, tables_of = _staffed(config)  # once per job: a plan does not depend on the seed
        for seed, run_dir in runs:
            _run_one(dataclasses.replace(config, seed=seed), run_dir, tables_of)
    except Exception as error:
        if HydraConfig.get().mode == RunMode.MULTIRUN:
            record_failure(run_dir, error)  # collect lists it with this line
        raise


def _run_one(config: Config, run_dir: Path, tables_of: Callable[[RunResult], Tables]) -> None:
    started = time.perf_counter()
    with _contact_file(config, run_dir) as contacts:
        result = _simulate(config, contacts)
        raise_if_interrupted()
        status.mark("writing")
        wall_time_s = time.perf_counter() - started
        _write_and_finish(result, config, run_dir, wall_time_s, tables_of(result), contacts)


def seed_directory(seed: int) -> str:
    """Where a job running several seeds (``seeds=[…]``) puts the run of ``seed``."""
    return f"seed_{seed}"


def _runs_to_do(config: Config, out_dir: Path) -> list[tuple[int, Path]]:
    """The job's runs — its seed, or each of ``seeds`` in a directory of its own — less
    those a resumed sweep already finished."""
    if config.seeds:
        runs = [(seed, out_dir / seed_directory(seed)) for seed in config.seeds]
    else:
        runs = [(config.seed, out_dir)]
    if not config.output.resume:
        return runs
    to_do = []
    for seed, run_dir in runs:
        if finished(run_dir):
            log.info("resume: %s already finished, skipped", run_dir)
        else:
            if (run_dir / SUMMARY).is_file():
                log.warning("resume: %s has a %s that does not parse: run again", run_dir, SUMMARY)
            to_do.append((seed, run_dir))
    return to_do


def _contact_file(config: Config, out_dir: Path) -> AbstractContextManager[ContactFile | None]:
    """Where ``record.contacts`` streams the event log (nothing without it)."""
    if not config.record.contacts:
        return nullcontext()
    from sim.app.contact_file import ContactFile  # pyarrow: only when recording

    return ContactFile(out_dir / CONTACTS, config.record.start_date)


def _simulate(config: Config, contacts: ContactFile | None) -> RunResult:
    """The run, stoppable at each simulated midnight, with a progress bar on a terminal."""
    if HydraConfig.get().mode == RunMode.MULTIRUN:  # the sweep's own bar counts jobs
        return run(config, config.seed, lambda _day: raise_if_interrupted(), contacts)
    with progress.days(config.horizon_days, f"{config.name} seed {config.seed}") as bar:

        def on_day(day: int) -> None:
            raise_if_interrupted()
            if bar is not None:
                bar(day)

        return run(config, config.seed, on_day, contacts)


def _staffed(config: Config) -> tuple[Config, Callable[[RunResult], Tables]]:
    """The configuration with its staffing plan made (``staffing=from_forecast``), and the
    tables the run writes beside its results: the plan per interval, with the service
    each interval got."""
    if not config.staffing.plan.enabled:
        return config, lambda _result: {}
    from sim.analysis.planning.plan import plan_staffing, planned  # pandas, milp: when planning

    plan_with = plan_staffing
    if HydraConfig.get().mode == RunMode.MULTIRUN:  # the sweep's jobs share their plans
        import joblib

        cache = Path(HydraConfig.get().sweep.dir) / PLAN_CACHE
        plan_with = joblib.Memory(cache, verbose=0).cache(plan_staffing)
    config, plan = planned(config, plan_with)
    log.info("staffing planned from the forecast: %d paid agent-hours a week", plan.paid_hours)
    return config, lambda result: {STAFFING_PLAN: plan.table(result.intervals)}


def _write_and_finish(
    result: RunResult,
    config: Config,
    out_dir: Path,
    wall_time_s: float,
    tables: Tables,
    contacts: ContactFile | None = None,
) -> None:
    """Write the results; a single run whose summary is in place is done, whatever comes.

    A signal after summary.json committed the run stops nothing: the run ends normally
    (it landed inside the write) or dies of it (it landed later, with the default
    handlers back). A sweep still stops at it, between its jobs.
    """
    single_run = HydraConfig.get().mode != RunMode.MULTIRUN
    try:
        write_run(result, config, out_dir, wall_time_s, tables, contacts)
        if single_run:
            default_signals()  # inside the try: a signal just before it is caught below
    except (KeyboardInterrupt, Interrupted):
        if not (single_run and (out_dir / SUMMARY).is_file()):
            raise
        default_signals()
    status.mark("finished")
    log.info("results in %s", out_dir)


def _mode_read_from(checked: DictConfig | None) -> AbstractContextManager[None]:
    """Hydra composes the whole configuration once more only to read ``hydra.mode``; the
    pre-flight composed the same command line, so its answer stands in."""
    if checked is None:
        return nullcontext()
    return mode_from(OmegaConf.select(checked, "hydra.mode"))


def main() -> None:
    """Entry point of ``supportsim`` and ``python -m sim``."""
    stop_cleanly_on_signals()
    os.environ["HYDRA_FULL_ERROR"] = "1"  # let errors reach us; we print them as one line
    try:
        register_schemas()
        checked = check_command_line(sys.argv[1:])  # before Hydra creates anything
        with _mode_read_from(checked):
            _app()
    except (ConfigError, OmegaConfBaseException, hydra.errors.HydraException) as error:
        swept = collect_failed_sweep()  # a job of a sweep failed: keep what finished
        if _verbose():
            raise
        _fail(f"error: {one_line(error)}" + (f"; {swept}" if swept else ""), EXIT_BAD_INPUT)
    except (KeyboardInterrupt, Interrupted) as stop:
        exit_interrupted(
            stop,
            f"unfinished runs have no {SUMMARY}; finish a sweep with the same command "
            "and output.resume=true",
        )
    except Exception as error:
        swept = collect_failed_sweep()
        if _verbose():
            raise
        unset = unset_section_error([a for a in sys.argv[1:] if not a.startswith("-")])
        if unset is not None:
            _fail(f"error: {one_line(unset)}", EXIT_BAD_INPUT)
        if swept is not None:
            _fail(f"failed: {type(error).__name__}: {one_line(error)}; {swept}", EXIT_FAILED)
        _fail(
            f"failed: {type(error).__name__}: {one_line(error)} "
            "(SUPPORTSIM_TRACEBACK=1 shows the traceback)",
            EXIT_FAILED,
        )
