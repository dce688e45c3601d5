"""Writing a run's results: atomically, with ``summary.json`` last.

A reader that finds ``summary.json`` can trust the run finished and every other file of
it is complete; an interrupted run leaves at most a ``*.tmp`` file behind, never a
partial result under its final name.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import IO, Any

import pandas as pd

from sim.config import Config
from sim.model.org import RunResult

SUMMARY = "summary.json"
TIMESERIES = "timeseries.csv"
PROVENANCE = "provenance.json"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# mkstemp creates files readable by their owner only; results are for sharing, so they get
# the permissions any other file written here would have.
FILE_MODE = 0o666 & ~_umask()


def atomic_write(path: Path, write: Callable[[IO[str]], None]) -> None:
    """Write through a temporary file in the same directory, then rename over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, FILE_MODE)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


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
    """timeseries.csv, figures and provenance first; summary.json last marks completion."""
    out_dir.mkdir(parents=True, exist_ok=True)
    frame = timeseries_frame(result)
    if config.output.timeseries:
        atomic_write(out_dir / TIMESERIES, lambda handle: frame.to_csv(handle, index=False))
    if config.output.figures:
        from sim.plots import daily_figure  # matplotlib only when figures are wanted

        daily_figure(frame, out_dir / "daily", title=f"{config.name}, seed {config.seed}")
    write_json(out_dir / PROVENANCE, provenance(config, wall_time_s))
    write_json(out_dir / SUMMARY, result.summary)
