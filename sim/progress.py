"""Progress on a terminal, silence in CI and logs.

A single run shows simulated days; a sweep shows jobs finished (counted from the
``summary.json`` files the jobs write, so it works the same with every launcher). Both
draw only when stderr is a terminal and ``CI`` is unset; ``SUPPORTSIM_PROGRESS=0`` turns
them off, ``=1`` forces them on.
"""

from __future__ import annotations

import math
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from tqdm import tqdm

from sim.sweep import expected_jobs

POLL_S = 1.0


def enabled() -> bool:
    """Draw progress bars? Only for a person watching a terminal."""
    forced = os.environ.get("SUPPORTSIM_PROGRESS")
    if forced is not None:
        return forced == "1"
    return sys.stderr.isatty() and not os.environ.get("CI")


@contextmanager
def days(total_days: float, label: str) -> Iterator[Callable[[int], None] | None]:
    """An ``on_day`` callback for :func:`sim.run` drawing a bar, or None when quiet."""
    if not enabled():
        yield None
        return
    with tqdm(total=math.ceil(total_days), desc=label, unit="day", leave=False) as bar:
        yield lambda day: bar.update(day - bar.n)


def finished_jobs(sweep_dir: Path) -> int:
    return sum(1 for _ in sweep_dir.glob("*/summary.json"))


class SweepProgress(Callback):
    """Hydra callback: a bar of finished jobs while a multirun runs (terminal only)."""

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
            params = config.hydra.sweeper.get("params") or {}
            total = len(expected_jobs(config.hydra.overrides.task, params))
        except Exception:  # a sweeper we cannot count for: show a count without a total
            total = None
        self._thread = threading.Thread(target=self._watch, args=(sweep_dir, total), daemon=True)
        self._thread.start()

    def _watch(self, sweep_dir: Path, total: int | None) -> None:
        with tqdm(total=total, desc="jobs", unit="job") as bar:
            while True:
                stopping = self._stop.wait(POLL_S)
                done = finished_jobs(sweep_dir)
                bar.update(done - bar.n)
                if stopping:
                    return

    def on_multirun_end(self, config: Any, **kwargs: Any) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._thread = None
