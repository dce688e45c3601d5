"""Stopping cleanly: SIGTERM and SIGHUP unwind like Ctrl-C, and any of them ends in one
line and exit code 128 + signal number, even when Python swallowed the exception the
signal raised (``raise_if_interrupted`` at the checkpoints).

Unwinding (rather than dying on the spot) lets unfinished atomic writes remove their
temporary files and a run remove the results it had begun to write. Standard library
only, so the entry point can install it before the heavy imports.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable
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


_pending: list[int] = []  # signals received, in order (normally at most one)


def _raise_interrupted(signum: int, _frame: FrameType | None) -> None:
    _pending.append(int(signum))
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise Interrupted(signum)


def raise_if_interrupted() -> None:
    """At a checkpoint (each simulated day, before results are committed): stop if a
    signal came whose exception Python swallowed. A handler's exception raised while
    the interpreter runs a weakref callback or a finaliser (an import lock's clean-up,
    say) is only reported as "Exception ignored" and the work goes on; the signal must
    still stop it."""
    if _pending:
        raise Interrupted(_pending[0])


class _QuietAboutSignals:
    """An unraisable hook: a swallowed stop is not an error to print (the next
    checkpoint raises it); anything else goes to the hook installed before."""

    def __init__(self, previous: Callable[[sys.UnraisableHookArgs], object]) -> None:
        self.previous = previous

    def __call__(self, unraisable: sys.UnraisableHookArgs) -> None:
        if isinstance(unraisable.exc_value, (Interrupted, KeyboardInterrupt)) and _pending:
            return
        self.previous(unraisable)


def stop_cleanly_on_signals() -> None:
    """Install the handlers (main thread only; a launcher's worker calls it again).

    A signal the process was started with ignored stays ignored: ``nohup python -m sim``
    must survive the terminal closing (SIGHUP), as the user asked."""
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, *STOP_SIGNALS):
            if signal.getsignal(signum) is not signal.SIG_IGN:
                signal.signal(signum, _raise_interrupted)
        if not isinstance(sys.unraisablehook, _QuietAboutSignals):
            sys.unraisablehook = _QuietAboutSignals(sys.unraisablehook)


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
