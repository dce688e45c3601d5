"""The ways the model puts work on SimPy's clock, and the loop that runs it.

``call_later`` runs a function after a delay with its arguments bound when it is
scheduled (never a lambda that reads a variable later). ``Drive`` walks a time-ordered
stream of items, one pending event at a time: each item, when its time comes, first
schedules the next and then is handled — so a stream of a million arrivals or an
incident's hundred thousand issues never puts more than one event on the heap. An item
is ``(time_min, *payload)`` and the handler receives all of it, time first.

Both put a ``_Call`` on SimPy's event queue instead of a ``Timeout`` with a closure: a
call is all the model ever waits for, and a slotted record with one shared callback costs
a third of a ``Timeout``'s construction and scheduling. ``run_until`` is
``Environment.run(until=…)`` without a method call per event, and calls a ``_Call``
directly; with the two, the event machinery's share of a contact falls by half
(``docs/performance.md``). Both rely on SimPy 4's event queue (entries ``(time,
priority, id, event)``, an event processed by calling its ``callbacks``, the clock in
``_now``), which ``pyproject.toml`` pins to 4.x; processes and SimPy's own events run in
the same loop unchanged, and ``tests/test_events.py`` checks the order against SimPy's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from heapq import heappop, heappush
from typing import Any

import simpy
from simpy.core import NORMAL, URGENT


def _run_call(event: _Call) -> None:
    event.call(*event.args)


class _Call:
    """A scheduled call: what SimPy's loop needs of an event, and the call itself."""

    __slots__ = ("args", "call", "callbacks")
    _ok = True  # never fails: an exception in the call propagates out of the loop

    def __init__(self, call: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self.callbacks = _RUN_CALL
        self.call = call
        self.args = args


_RUN_CALL = (_run_call,)


def call_later(
    env: simpy.Environment, delay_min: float, call: Callable[..., Any], *args: Any
) -> None:
    """``call(*args)`` after ``delay_min`` (the arguments are bound now)."""
    if delay_min < 0.0:
        raise ValueError(f"negative delay {delay_min}")
    heappush(env._queue, (env._now + delay_min, NORMAL, next(env._eid), _Call(call, args)))


class Drive:
    """Handle the ``(time_min, *payload)`` items of a time-ordered iterator at their times.

    ``stop()`` lets the pending event pass unhandled (a stream restarted elsewhere). One
    ``_Call`` serves every item in turn: only one is ever pending.
    """

    __slots__ = ("_env", "_event", "_handle", "_item", "_next_item", "running")

    def __init__(
        self,
        env: simpy.Environment,
        items: Iterator[tuple[Any, ...]],
        handle: Callable[..., Any],
    ) -> None:
        self._env = env
        self._next_item = items.__next__
        self._handle = handle
        self._event = _Call(self._fire, ())
        self._item: tuple[Any, ...] = ()
        self.running = True
        self._schedule_next()

    def stop(self) -> None:
        self.running = False

    def _schedule_next(self) -> None:
        try:
            item = self._next_item()
        except StopIteration:
            return
        env = self._env
        if item[0] < env._now:
            raise ValueError(f"an item at {item[0]} min is in the past ({env._now} min)")
        self._item = item
        event = self._event
        event.callbacks = _RUN_CALL  # SimPy's own loop clears it once processed
        heappush(env._queue, (item[0], NORMAL, next(env._eid), event))

    def _fire(self) -> None:
        if self.running:
            item = self._item
            self._schedule_next()
            self._handle(*item)


class _Stop:
    """The end of a run on the event queue (processed before calls at the same time, as
    ``Environment.run(until=…)`` schedules its own)."""

    __slots__ = ("callbacks",)

    def __init__(self) -> None:
        self.callbacks: list[Any] = []


def run_until(env: simpy.Environment, until_min: float) -> None:
    """Process every event before ``until_min``, then set the clock to it.

    Semantically ``env.run(until=until_min)``; a failed process crashes the run with the
    same exception SimPy raises.
    """
    if until_min <= env._now:
        raise ValueError(f"until ({until_min}) must be after the current time ({env._now})")
    queue = env._queue
    stop = _Stop()
    heappush(queue, (until_min, URGENT, next(env._eid), stop))
    while True:
        now, _, _, event = heappop(queue)
        env._now = now
        if type(event) is _Call:  # the model's own: call it, no callback list to walk
            event.call(*event.args)
            continue
        if event is stop:
            return
        callbacks, event.callbacks = event.callbacks, None
        for callback in callbacks:
            callback(event)
        if not event.ok and not event.defused:  # SimPy's public view of a failed event
            failure = event.value
            crash = type(failure)(*failure.args)
            crash.__cause__ = failure
            raise crash
