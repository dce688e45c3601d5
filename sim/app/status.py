"""Where a run is, for whoever supervises it: ``SUPPORTSIM_STATUS_FILE=PATH`` makes the
command line append one line per phase to PATH.

The phases, in order: ``started`` (the signal handlers are in place: from here on any
interruption ends in one line and exit 128 + signal), ``composed`` (the configuration is
valid and the run directory exists), ``simulating``, ``writing`` (results are being
written, atomically, ``summary.json`` last) and ``finished``. A scheduler or a test can
wait for a phase instead of guessing with a sleep. Each line is one small append (atomic
on POSIX), so the jobs of a sweep may share the file. Standard library only: the entry
point marks ``started`` before the heavy imports.
"""

from __future__ import annotations

import os
import sys

STATUS_FILE = "SUPPORTSIM_STATUS_FILE"
PHASES = ("started", "composed", "simulating", "writing", "finished")


def mark(phase: str) -> None:
    """Append ``phase`` to the status file, if one is asked for."""
    path = os.environ.get(STATUS_FILE)
    if not path:
        return
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, f"{phase}\n".encode())
    finally:
        os.close(fd)


def start() -> None:
    """Mark ``started``; a status file that cannot be written stops the command at once,
    in one line (exit 2), before anything else is done."""
    try:
        mark("started")
    except OSError as error:
        path = os.environ.get(STATUS_FILE)
        print(
            f"supportsim: error: {STATUS_FILE} = {path!r} is invalid: cannot append to it"
            f" ({error.strerror})",
            file=sys.stderr,
        )
        sys.exit(2)
