"""Stopping cleanly: SIGTERM and SIGHUP unwind like Ctrl-C, and any of them ends in one
line and exit code 128 + signal number.

Unwinding (rather than dying on the spot) lets unfinished atomic writes remove their
temporary files and a run remove the results it had begun to write. Standard library
only, so the entry point can install it before the heavy imports.
"""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType

STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


class Interrupted(BaseException):
    """A termination signal, raised like KeyboardInterrupt (not an Exception, so no
    ``except Exception`` on the way swallows it).

    Its only argument is the signal number: SimPy re-raises an exception that leaves a
    process as ``type(exc)(*exc.args)``, so the arguments must rebuild the same error.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(int(signum))
        self.signum = int(signum)

    def __str__(self) -> str:
        return signal.Signals(self.signum).name


def _raise_interrupted(signum: int, _frame: FrameType | None) -> None:
    raise Interrupted(signum)


def stop_cleanly_on_signals() -> None:
    """Install the handlers (main thread only; a launcher's worker calls it again).

    A signal the process was started with ignored stays ignored: ``nohup python -m sim``
    must survive the terminal closing (SIGHUP), as the user asked."""
    if threading.current_thread() is threading.main_thread():
        for signum in STOP_SIGNALS:
            if signal.getsignal(signum) is not signal.SIG_IGN:
                signal.signal(signum, _raise_interrupted)


def default_signals() -> None:
    """Once the work is done: a late signal just ends the process (nothing to clean up),
    rather than raising inside the interpreter's shutdown."""
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, *STOP_SIGNALS):
            signal.signal(signum, signal.SIG_DFL)


def exit_interrupted(stop: BaseException, what: str) -> None:
    """One line on stderr and exit 128 + signal number (130 for Ctrl-C, 143 for SIGTERM)."""
    signum = stop.signum if isinstance(stop, Interrupted) else int(signal.SIGINT)
    name = signal.Signals(signum).name
    print(f"supportsim: interrupted by {name}: {what}", file=sys.stderr)
    sys.exit(128 + signum)
