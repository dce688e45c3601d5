"""Saving figures: PNG and PDF, each atomically, in the style they were drawn in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import matplotlib.pyplot as plt

from sim.analysis.plots.style import STYLE  # sets the Agg backend before any figure exists
from sim.app.files import FIGURE_KINDS, atomic_write


def save_figure(fig: Any, stem: Path) -> list[Path]:
    """Write ``stem.png`` and ``stem.pdf`` and close the figure; returns both paths.

    Interrupted between the two, the first is removed again: a figure exists as a pair or
    not at all. Ticks are drawn at saving, so saving uses the figure's own style too.
    """
    paths = [stem.with_suffix(f".{kind}") for kind in FIGURE_KINDS]

    def writer(kind: str) -> Callable[[IO[bytes]], None]:
        return lambda handle: fig.savefig(handle, format=kind, bbox_inches="tight")

    try:
        with plt.rc_context(STYLE):
            for i, path in enumerate(paths):
                try:
                    atomic_write(path, writer(FIGURE_KINDS[i]), binary=True)
                except BaseException:
                    for written in paths[:i]:
                        written.unlink(missing_ok=True)
                    raise
    finally:
        plt.close(fig)
    return paths


def discard_figure(fig: Any) -> None:
    """Free a figure that will not be written (a report built for its tables only)."""
    plt.close(fig)
