"""Progress on a terminal, silence in CI and logs.

A single run shows simulated days; a sweep shows runs finished (counted from the
``summary.json`` files the jobs write, so it works the same with every launcher). Both
draw only when stderr is a terminal and ``CI`` is unset; ``SUPPORTSIM_PROGRESS=0`` turns
them off, ``=1`` forces them on.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tqdm import tqdm


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


def finished_runs(sweep_dir: Path) -> int:
    """Runs finished in a sweep: one per job, or one per seed of a job running several."""
    single = sum(1 for _ in sweep_dir.glob("*/summary.json"))
    return single + sum(1 for _ in sweep_dir.glob("*/seed_*/summary.json"))
