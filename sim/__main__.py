"""``python -m sim`` and ``supportsim``: the command line, stoppable from the first moment.

The signal handlers go in before the heavy imports (Hydra, NumPy, SimPy), so a run
interrupted even while starting ends in one line, never a traceback.
"""

from sim.app import status
from sim.app.signals import (
    Interrupted,
    default_signals,
    exit_interrupted,
    raise_if_interrupted,
    stop_cleanly_on_signals,
)


def entry() -> None:
    stop_cleanly_on_signals()
    status.start()
    try:
        from sim.app.cli import main

        raise_if_interrupted()  # a signal whose exception an import swallowed
    except (KeyboardInterrupt, Interrupted) as stop:
        exit_interrupted(stop, "while starting; nothing was written")
    try:
        main()
    finally:
        default_signals()


if __name__ == "__main__":
    entry()
