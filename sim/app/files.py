"""Atomic files: a reader sees a whole file under its final name, or no file at all.

Every results file (summaries, tables, figures, reports) is written to a temporary file
in the same directory and renamed over its final name, which POSIX makes atomic. An
interrupted write removes its temporary file; only SIGKILL (which nothing can catch)
leaves one, and the next run in that directory removes it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

TMP_SUFFIX = ".tmp"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# mkstemp creates files readable by their owner only; results are for sharing, so they get
# the permissions any other file written here would have.
FILE_MODE = 0o666 & ~_umask()


def atomic_write(path: Path, write: Callable[[IO[Any]], None], binary: bool = False) -> None:
    """Write through a temporary file in the same directory, then rename over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TMP_SUFFIX)
    try:
        text = {"encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", **text) as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, FILE_MODE)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def remove_stale_temporaries(directory: Path) -> list[Path]:
    """Delete temporary files of writes that never finished (a SIGKILL leaves them)."""
    stale = sorted(directory.glob(f".*{TMP_SUFFIX}")) if directory.is_dir() else []
    for path in stale:
        path.unlink(missing_ok=True)
    return stale
