"""Writing a run's results: atomically, with ``summary.json`` last.

A reader that finds ``summary.json`` can trust the run finished and every other file of
it is complete; an interrupted run removes what it wrote (only SIGKILL can leave a
``.*.tmp`` file, or files without a summary, and the next run in that directory replaces
them), never a partial result under its final name.
"""

from __future__ import annotations

import json
import platform
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from sim.app.files import atomic_write
from sim.app.signals import raise_if_interrupted
from sim.config import Config
from sim.model.org import RunResult

SUMMARY = "summary.json"
TIMESERIES = "timeseries.csv"
PROVENANCE = "provenance.json"


def summary_text(summary: dict[str, Any]) -> str:
    """Canonical JSON of a summary: same summary, same bytes."""
    return json.dumps(summary, indent=2, allow_nan=False) + "\n"


def write_json(path: Path, data: dict[str, Any]) -> None:
    atomic_write(path, lambda handle: handle.write(summary_text(data)))


def timeseries_frame(result: RunResult) -> pd.DataFrame:
    return pd.DataFrame(result.timeseries)


def provenance(config: Config, wall_time_s: float) -> dict[str, Any]:
    """Where a result came from; kept out of summary.json so that stays byte-identical."""
    versions = {}
    for package in ("supportsim", "simpy", "numpy", "scipy", "hydra-core", "pandas"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "command": " ".join(sys.argv),
        "seed": config.seed,
        "scenario": config.name,
        "wall_time_s": round(wall_time_s, 3),
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
    }


def write_run(result: RunResult, config: Config, out_dir: Path, wall_time_s: float) -> None:
    """timeseries.csv, figures and provenance first; summary.json last marks completion.

    Interrupted part-way (Ctrl-C, SIGTERM), it removes what it had written: a run either
    has all its results or none.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    try:
        frame = timeseries_frame(result)
        if config.output.timeseries:
            atomic_write(out_dir / TIMESERIES, lambda handle: frame.to_csv(handle, index=False))
            written.append(out_dir / TIMESERIES)
        if config.output.figures:
            from sim.analysis.plots import daily_figure  # matplotlib only when figures are wanted
            from sim.app.figures import save_figure

            title = f"{config.name}, seed {config.seed}"
            written += save_figure(daily_figure(frame, title), out_dir / "daily")
        write_json(out_dir / PROVENANCE, provenance(config, wall_time_s))
        written.append(out_dir / PROVENANCE)
        raise_if_interrupted()  # the last moment to stop: summary.json commits the run
        write_json(out_dir / SUMMARY, result.summary)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
