"""The two ways the model puts work on SimPy's clock.

``call_later`` runs a function after a delay with its arguments bound when it is
scheduled (never a lambda that reads a variable later). ``Drive`` walks a time-ordered
stream of items, one pending event at a time: each item, when its time comes, first
schedules the next and then is handled — so a stream of a million arrivals or an
incident's hundred thousand issues never puts more than one event on the heap. An item
is ``(time_min, *payload)`` and the handler receives all of it, time first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import simpy


def call_later(
    env: simpy.Environment, delay_min: float, call: Callable[..., Any], *args: Any
) -> None:
    """``call(*args)`` after ``delay_min`` (the arguments are bound now)."""
    env.timeout(delay_min).callbacks.append(lambda _event: call(*args))


class Drive:
    """Handle the ``(time_min, *payload)`` items of a time-ordered iterator at their times.

    ``stop()`` lets the pending event pass unhandled (a stream restarted elsewhere).
    """

    __slots__ = ("_env", "_handle", "_items", "running")

    def __init__(
        self,
        env: simpy.Environment,
        items: Iterator[tuple[Any, ...]],
        handle: Callable[..., Any],
    ) -> None:
        self._env = env
        self._items = items
        self._handle = handle
        self.running = True
        self._schedule_next()

    def stop(self) -> None:
        self.running = False

    def _schedule_next(self) -> None:
        item = next(self._items, None)
        if item is None:
            return
        self._env.timeout(item[0] - self._env.now).callbacks.append(lambda _event: self._fire(item))

    def _fire(self, item: tuple[Any, ...]) -> None:
        if not self.running:
            return
        self._schedule_next()
        self._handle(*item)
