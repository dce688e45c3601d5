"""Hydra callbacks of a sweep: a progress bar of finished jobs, and the table (and report)
collected from the jobs' files when the sweep ends.

``on_multirun_end`` receives no job results, so both work from the files the jobs wrote,
the same way with every launcher. Hydra instantiates the callbacks for a single run too,
so what only a sweep's end needs (the collector: pandas, the statistics) is imported
there, not at the top: it cost every run ≈ 1 s of imports.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import OmegaConf
from tqdm import tqdm

from sim.app.progress import enabled, finished_runs
from sim.app.reading import UnreadableResultError
from sim.app.sweep import STUDY_FILE, expected_jobs, is_basic_sweeper

POLL_S = 1.0
# The sweep this process is running, from its start: Hydra calls ``on_multirun_end`` only
# when every job succeeded, so after a failed job the command line collects it here.
_RUNNING: list[Path] = []


class CollectCallback(Callback):
    """Hydra callback: collect the sweep directory when a multirun ends.

    ``on_multirun_end`` receives no job results, so the table is built from the files the
    jobs wrote — the same code path as ``python -m sim.collect``.
    """

    def on_multirun_start(self, config: Any, **kwargs: Any) -> None:
        _RUNNING[:] = [Path(config.hydra.sweep.dir)]

    def on_multirun_end(self, config: Any, **kwargs: Any) -> None:
        from sim.app.collect import collect_and_write

        root = Path(config.hydra.sweep.dir)
        _RUNNING.clear()
        try:
            collected = collect_and_write(root)
        except UnreadableResultError as error:
            print(f"supportsim.collect: error: {error}", file=sys.stderr)
            return
        wanted = config.get("report") is not None and config.report.enabled
        study = (root / STUDY_FILE).is_file()
        if not len(collected.table) or not (wanted or study):
            return
        from sim.app.report import settings_from, write_report  # plotting, SALib: only here

        try:
            settings = settings_from(OmegaConf.to_container(config.report) if wanted else None)
            paths = write_report(root, settings, collected, page=wanted)
        except ValueError as error:  # the runs are safe; say why there is no report
            print(f"supportsim.report: error: {error}", file=sys.stderr)
            return
        for path in paths:
            if path.suffix in (".csv", ".html", ".pdf"):
                print(f"supportsim.report: {path}", file=sys.stderr)


def collect_failed_sweep() -> str | None:
    """After a job of the running sweep failed: collect what finished (the table, and
    ``incomplete.txt`` with each failed job's error line); a sentence saying so, or None
    outside a sweep or when no job had started (nothing to keep: nothing is written)."""
    if not _RUNNING:
        return None
    from sim.app.collect import collect, write

    root = _RUNNING.pop()
    try:
        collected = collect(root)
        if collected.table.empty and not collected.incomplete:
            return None
        write(collected, root)
    except UnreadableResultError as error:
        return f"the sweep stopped and its runs could not be collected: {error}"
    failed = len(collected.incomplete) + len(collected.never_started)
    for path in collected.incomplete:
        print(f"supportsim.collect: incomplete: {path}: {collected.reason(path)}", file=sys.stderr)
    return (
        f"{failed} job(s) of the sweep did not finish (listed with their errors in "
        f"{root / 'incomplete.txt'}); {len(collected.table)} finished runs are in "
        f"{root / 'runs.parquet'}; finish with the same command and output.resume=true"
    )


class SweepProgress(Callback):
    """Hydra callback: a bar of finished runs while a multirun runs (terminal only)."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __getstate__(self) -> dict[str, Any]:
        """Launchers pickle the callbacks along with each job; the watcher stays here."""
        return {}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()

    def on_multirun_start(self, config: Any, **kwargs: Any) -> None:
        if not enabled():
            return
        sweep_dir = Path(config.hydra.sweep.dir)
        try:
            if not is_basic_sweeper(config.hydra.sweeper.get("_target_")):
                raise ValueError("another sweeper: its jobs are its own")
            params = config.hydra.sweeper.get("params") or {}
            total = len(expected_jobs(config.hydra.overrides.task, params))
            total *= max(1, len(config.get("seeds") or ()))
        except Exception:  # a sweeper we cannot count for: show a count without a total
            total = None
        self._thread = threading.Thread(target=self._watch, args=(sweep_dir, total), daemon=True)
        self._thread.start()

    def _watch(self, sweep_dir: Path, total: int | None) -> None:
        with tqdm(total=total, desc="runs", unit="run") as bar:
            while True:
                stopping = self._stop.wait(POLL_S)
                done = finished_runs(sweep_dir)
                bar.update(done - bar.n)
                if stopping:
                    return

    def on_multirun_end(self, config: Any, **kwargs: Any) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._thread = None
