"""The model's event machinery (``sim.model.events``) against SimPy's own loop."""

from __future__ import annotations

import pytest
import simpy

from sim.model.events import Drive, call_later, run_until


def _world(env: simpy.Environment, log: list[tuple[float, str]]) -> None:
    """Processes, SimPy timeouts, scheduled calls and two streams, with ties in time."""

    def note(what: str) -> None:
        log.append((env.now, what))

    def ticker(name: str, every_min: float):
        while True:
            yield env.timeout(every_min)
            note(f"{name} tick")
            call_later(env, 0.0, note, f"{name} echo")  # same time, after the tick

    env.process(ticker("a", 2.0))
    env.process(ticker("b", 3.0))
    for at_min in (0.0, 1.0, 2.0, 2.0, 6.0, 7.5):
        call_later(env, at_min, note, f"call {at_min}")
    Drive(env, iter([(0.5, "x"), (2.0, "y"), (6.0, "z")]), lambda t, p: note(f"drive {p}"))
    stopped = Drive(env, iter([(1.5, "never"), (4.0, "never")]), lambda t, p: note(p))
    call_later(env, 1.0, stopped.stop)


def test_run_until_processes_the_same_events_in_the_same_order_as_simpy() -> None:
    ours: list[tuple[float, str]] = []
    env = simpy.Environment()
    _world(env, ours)
    run_until(env, 9.0)
    theirs: list[tuple[float, str]] = []
    reference = simpy.Environment()
    _world(reference, theirs)
    reference.run(until=9.0)
    assert ours == theirs
    assert env.now == reference.now == 9.0
    assert "never" not in {what for _, what in ours} and len(ours) == 21
    # Ties go in the order of scheduling: the calls (at the start), the tick (at 0), the
    # stream's item (when the one before it fired, at 0.5), the echo (at 2).
    at_two = [what for t, what in ours if t == 2.0]
    assert at_two == ["call 2.0", "call 2.0", "a tick", "drive y", "a echo"]


def test_events_at_the_end_time_wait_for_the_next_run() -> None:
    log: list[tuple[float, str]] = []
    env = simpy.Environment()
    call_later(env, 5.0, log.append, (5.0, "at the end"))
    run_until(env, 5.0)
    assert log == []
    run_until(env, 6.0)
    assert log == [(5.0, "at the end")]


def test_a_failed_process_crashes_the_run_as_in_simpy() -> None:
    def failing(env: simpy.Environment):
        yield env.timeout(1.0)
        raise KeyError("lost")

    for run in (run_until, lambda env, until: env.run(until=until)):
        env = simpy.Environment()
        env.process(failing(env))
        with pytest.raises(KeyError) as crash:
            run(env, 3.0)
        assert isinstance(crash.value.__cause__, KeyError) and env.now == 1.0


def test_time_never_runs_backwards() -> None:
    env = simpy.Environment()
    with pytest.raises(ValueError, match="negative delay"):
        call_later(env, -1.0, print)
    run_until(env, 2.0)
    with pytest.raises(ValueError, match="in the past"):
        Drive(env, iter([(1.0, "late")]), print)
    with pytest.raises(ValueError, match="must be after"):
        run_until(env, 2.0)
