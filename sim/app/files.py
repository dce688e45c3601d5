"""Atomic files: a reader sees a whole file under its final name, or no file at all.

Every results file (summaries, tables, figures, reports) is written to a temporary file
in the same directory and renamed over its final name, which POSIX makes atomic. An
interrupted write removes its temporary file; only SIGKILL (which nothing can catch)
leaves one, and the next run in that directory removes it.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

TMP_SUFFIX = ".tmp"
FIGURE_KINDS = ("png", "pdf")  # every figure is saved as both, for screens and for print


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Results are for sharing: they get the permissions any other file written here would have
# (read and write for everyone the umask allows), not mkstemp's owner-only ones.
FILE_MODE = 0o666 & ~_umask()


def temporary_path(path: Path) -> Path:
    """A fresh name beside ``path`` for its temporary file (``.NAME.RANDOM.tmp``)."""
    return path.with_name(f".{path.name}.{secrets.token_hex(6)}{TMP_SUFFIX}")


def atomic_write(path: Path, write: Callable[[IO[Any]], None], binary: bool = False) -> None:
    """Write through a temporary file in the same directory, then rename over ``path``.

    The temporary file's name is chosen before the file exists, so a signal at any moment
    after that finds the name to remove (``tempfile.mkstemp`` creates the file before it
    returns the name, and a signal in between left the file behind).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_path(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, FILE_MODE)
        text = {"encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", **text) as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def remove_stale_temporaries(directory: Path) -> list[Path]:
    """Delete temporary files of writes that never finished (a SIGKILL leaves them)."""
    stale = sorted(directory.glob(f".*{TMP_SUFFIX}")) if directory.is_dir() else []
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def unwritable(path: Path, directory: bool = False) -> str | None:
    """Why results cannot be written at ``path`` (a file, or with ``directory`` a folder to
    create), or None: checked before any work, so a bad path costs no run. The nearest
    existing ancestor must be a folder we can create in (an empty folder is made there and
    removed again)."""
    if not str(path).strip():
        return "must name a path (it is empty)"
    if path.exists() and path.is_dir() != directory:
        return f"{path} is {'not ' if directory else ''}a folder"
    folder = path if directory else path.parent
    while not folder.exists():
        folder = folder.parent
    if not folder.is_dir():
        return f"{folder} is a file, not a folder"
    try:  # a probe, not os.access: root may pass that and still be refused (/proc)
        os.rmdir(tempfile.mkdtemp(prefix=".probe-", dir=folder))
    except OSError as error:
        return f"cannot write into {folder} ({error.strerror})"
    return None
