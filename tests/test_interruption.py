"""Interruption: runs and sweeps killed in every phase leave nothing partial, and a resumed
sweep completes the same table as one never interrupted.

Kills are timed by observable state, never by sleeping: the run reports its phases
(``SUPPORTSIM_STATUS_FILE``: started, composed, simulating, writing, finished) and the
test waits for the phase it wants to hit. Signals go either to the main process alone or
to its whole process group, as Ctrl-C in a terminal and a batch scheduler's cancel do. A
kill before the signal handlers exist (right after the process starts) is all-or-nothing
too, and may end the process by the signal itself.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from sim.app.collect import TABLE, collect

from .conftest import ROOT, cli_env, run_cli

RESULT_FILES = ("timeseries.csv", "daily.png", "daily.pdf", "provenance.json", "summary.json")
FIGURES = "output.figures=true"  # every result file a run can write, the figures too
RUNS = {
    "erlang": ["scenario=erlang", "erlang.days=25", "seed=7", FIGURES],
    "default": ["horizon_days=30", "size=small", "seed=7", FIGURES],
    # the event log streams to its file while the run simulates (sim.app.contact_file)
    "recorded": ["scenario=erlang", "erlang.days=25", "seed=7", "record.contacts=true", FIGURES],
}
SWEEP = ["-m", "scenario=erlang", "erlang.days=20", "output.figures=false"]
SWEEP_JOBS = ["seed=0,1,2", "erlang.servers=11,12"]
KILLS = random.Random(20261123)
STATE_TIMEOUT_S = 120.0
POLL_S = 0.01


# The run is started through a two-line launcher that gives it the signals' default
# dispositions, as a job started from a terminal has, then execs it: a shell that runs
# this suite in the background may have set SIGINT to ignored, and an ignored signal stays
# ignored across exec. (Resetting in the child itself, with preexec_fn, is unsafe in a
# threaded test process.)
AS_FOREGROUND_JOB = (
    "import os, signal, sys\n"
    "for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP): signal.signal(s, signal.SIG_DFL)\n"
    "os.execv(sys.executable, [sys.executable, '-m', 'sim', *sys.argv[1:]])"
)


def start(args: list[str], status: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", AS_FOREGROUND_JOB, *args],
        cwd=ROOT,
        env=cli_env(SUPPORTSIM_STATUS_FILE=str(status)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell job has
    )


def phases(status: Path) -> list[str]:
    return status.read_text().split() if status.exists() else []


def wait_for_phase(status: Path, phase: str, count: int, process: subprocess.Popen) -> bool:
    """Until the run(s) reported ``phase`` ``count`` times; False if the process ended first."""
    deadline = time.monotonic() + STATE_TIMEOUT_S
    while phases(status).count(phase) < count:
        if process.poll() is not None:
            return False
        assert time.monotonic() < deadline, f"no {phase!r} after {STATE_TIMEOUT_S} s"
        time.sleep(POLL_S)
    return True


def wait_until_gone(process: subprocess.Popen) -> None:
    """Until no process of the run's group is left (launcher workers included)."""
    deadline = time.monotonic() + STATE_TIMEOUT_S
    while True:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        assert time.monotonic() < deadline, "workers outlived their sweep"
        time.sleep(POLL_S)


def interrupt(process: subprocess.Popen, signum: int, whole_group: bool) -> tuple[int, str]:
    """Send the signal (if the run is still there), then wait for it and its workers."""
    try:
        if whole_group:
            os.killpg(process.pid, signum)
        else:
            process.send_signal(signum)
    except ProcessLookupError:  # it had already finished
        pass
    _, stderr = process.communicate(timeout=STATE_TIMEOUT_S)
    wait_until_gone(process)
    return process.returncode, stderr


def leftovers(root: Path) -> list[Path]:
    """Temporary files of unfinished writes, anywhere below ``root``."""
    return list(root.rglob("*.tmp"))


def assert_all_or_nothing(run_dir: Path, files: tuple[str, ...] = RESULT_FILES) -> bool:
    """A run directory holds every result file (and a valid summary) or none of them."""
    present = [name for name in files if (run_dir / name).exists()]
    assert present in ([], list(files)), present
    if present:
        json.loads((run_dir / "summary.json").read_text())
    return bool(present)


# (phase to wait for, how many times): "spawn" does not wait at all.
KILL_PHASES = ["spawn", "started", "composed", "simulating", "writing"]


@pytest.mark.parametrize("scenario", sorted(RUNS))
def test_a_run_killed_in_every_phase_has_all_its_results_or_none(scenario: str, tmp_path: Path):
    run = RUNS[scenario]
    files = (*RESULT_FILES, "contacts.parquet") if "record.contacts=true" in run else RESULT_FILES
    whole = tmp_path / "whole"
    done = run_cli(*run, f"hydra.run.dir={whole}")
    assert done.returncode == 0, done.stderr
    expected = (whole / "summary.json").read_bytes()
    interrupted_in = []
    for attempt, phase in enumerate(KILL_PHASES):
        signum = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)[attempt % 3]
        run_dir, status = tmp_path / f"killed{attempt}", tmp_path / f"status{attempt}"
        process = start([*run, f"hydra.run.dir={run_dir}"], status)
        if phase != "spawn":
            assert wait_for_phase(status, phase, 1, process), (phase, process.returncode)
        code, stderr = interrupt(process, signum, whole_group=attempt % 2 == 1)
        assert not leftovers(tmp_path)
        complete = assert_all_or_nothing(run_dir, files)
        if phase == "spawn":
            # Before our handlers exist the signal is the interpreter's or the kernel's:
            # the process dies of it, or (SIGINT while Python imports its site module)
            # prints Python's own error, or — sent between fork and exec, while the child
            # still has its parent's handler — it is lost and the run simply finishes.
            lost = code == 0 and complete
            assert lost or (not complete and code in (-signum, 1, 128 + signum)), (code, stderr)
            if lost:
                assert (run_dir / "summary.json").read_bytes() == expected
            continue
        assert "Traceback" not in stderr, stderr
        if code == 128 + signum:  # stopped cleanly: one line that says so, no results
            assert not complete
            lines = stderr.strip().splitlines()
            assert len(lines) == 1, stderr
            assert lines[0].startswith(f"supportsim: interrupted by {signum.name}: "), stderr
            interrupted_in.append(phase)
        else:  # it had finished writing (or was shutting down) when the signal came
            assert phase == "writing" and code in (0, -signum) and complete, (phase, code)
            assert (run_dir / "summary.json").read_bytes() == expected
    # Every phase after the handlers are in place is interrupted cleanly (writing takes
    # seconds with figures, so a kill sent on its marker lands inside it).
    assert set(interrupted_in) >= {"started", "composed", "simulating", "writing"}, interrupted_in


def test_a_run_killed_with_sigkill_leaves_no_result_under_its_final_name(tmp_path: Path):
    """SIGKILL cannot be caught: it may leave a temporary file, never a partial result,
    and the next run in that directory removes the temporary file."""
    run, run_dir = RUNS["erlang"], tmp_path / "run"
    for attempt, phase in enumerate(["simulating", "writing", "writing"]):
        status = tmp_path / f"status{attempt}"
        process = start([*run, f"hydra.run.dir={run_dir}"], status)
        wait_for_phase(status, phase, 1, process)
        interrupt(process, signal.SIGKILL, whole_group=True)
        if (run_dir / "summary.json").exists():
            json.loads((run_dir / "summary.json").read_text())
    done = run_cli(*run, f"hydra.run.dir={run_dir}")
    assert done.returncode == 0, done.stderr
    assert not leftovers(run_dir) and assert_all_or_nothing(run_dir)


def _frame(table: pd.DataFrame) -> pd.DataFrame:
    """The results, whatever directory they ran in and whether they were resumed."""
    dropped = ["run_dir", *(c for c in table.columns if c.startswith("output."))]
    table = table.drop(columns=dropped).sort_values(["seed", "erlang.servers"])
    return table.reset_index(drop=True)


def _summaries(table: pd.DataFrame) -> dict[tuple[int, int], bytes]:
    """Each finished job's summary.json bytes, by (seed, servers)."""
    return {
        (row["seed"], row["erlang.servers"]): (Path(row["run_dir"]) / "summary.json").read_bytes()
        for _, row in table.iterrows()
    }


@pytest.mark.validation  # six sweeps of subprocesses: ≈ 100 s
def test_a_sweep_killed_again_and_again_resumes_to_the_uninterrupted_table(tmp_path: Path):
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    done = run_cli(*SWEEP, *SWEEP_JOBS, f"hydra.sweep.dir={whole}")
    assert done.returncode == 0, done.stderr
    reference = _summaries(collect(whole).table)
    launches = [("joblib", signal.SIGTERM, False), ("joblib", signal.SIGINT, True)]
    launches += [("basic", signal.SIGTERM, True), ("basic", signal.SIGINT, False)]
    finished_after_kill = []
    for attempt, (launcher, signum, whole_group) in enumerate(launches):
        resume = ["output.resume=true"] if killed.exists() else []
        args = [*SWEEP, *SWEEP_JOBS, f"hydra/launcher={launcher}", *resume]
        status = tmp_path / f"status{attempt}"
        process = start([*args, f"hydra.sweep.dir={killed}"], status)
        # Kill while the k-th job this launch runs is simulating: mid-sweep by construction.
        wait_for_phase(status, "simulating", KILLS.randint(1, 3), process)
        code, stderr = interrupt(process, signum, whole_group)
        assert "Traceback" not in stderr, stderr
        assert code in (0, 128 + signum, -signum), code  # -signum: while shutting down
        assert not leftovers(killed)
        partial = collect(killed)
        if (killed / f"{TABLE}.parquet").exists():  # a table only once every job finished
            assert len(pd.read_parquet(killed / f"{TABLE}.parquet")) == 6
        finished_after_kill.append(len(partial.table))
        assert len(partial.table) + len(partial.incomplete) + len(partial.never_started) == 6
        for directory in partial.incomplete:
            assert not assert_all_or_nothing(directory)
        for job, summary in _summaries(partial.table).items():  # finished: exactly right
            assert summary == reference[job]
    assert any(0 < n < 6 for n in finished_after_kill), finished_after_kill  # mid-sweep kills
    print("finished after each kill:", finished_after_kill)
    done = run_cli(*SWEEP, *SWEEP_JOBS, f"hydra.sweep.dir={killed}", "output.resume=true")
    assert done.returncode == 0, done.stderr
    resumed = collect(killed)
    assert len(resumed.table) == 6 and not resumed.incomplete and not resumed.never_started
    pd.testing.assert_frame_equal(_frame(resumed.table), _frame(collect(whole).table))
    assert not leftovers(killed)


def test_a_signal_the_run_was_started_ignoring_stays_ignored(tmp_path: Path):
    """``nohup python -m sim`` survives the terminal closing: an inherited ignore of
    SIGHUP is respected, while SIGTERM still stops the run cleanly."""
    status, run_dir = tmp_path / "status", tmp_path / "run"
    launcher = AS_FOREGROUND_JOB.replace(
        "os.execv", "signal.signal(signal.SIGHUP, signal.SIG_IGN)\nos.execv"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", launcher, *RUNS["erlang"], f"hydra.run.dir={run_dir}"],
        cwd=ROOT,
        env=cli_env(SUPPORTSIM_STATUS_FILE=str(status)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert wait_for_phase(status, "simulating", 1, process)
    process.send_signal(signal.SIGHUP)  # ignored: the run goes on ...
    assert wait_for_phase(status, "writing", 1, process)
    code, stderr = interrupt(process, signal.SIGTERM, whole_group=False)  # ... until this
    assert code in (128 + signal.SIGTERM, 0), (code, stderr)
    assert "SIGHUP" not in stderr


def test_a_stop_whose_exception_python_swallowed_still_stops_at_the_next_checkpoint():
    """A signal's exception raised while Python runs a finaliser or a weakref callback
    (an import lock's clean-up, as a loaded CI run once hit) is only reported as
    "Exception ignored" and the work goes on: the stop must not be printed as a
    traceback, and the next checkpoint (each simulated day, before summary.json) must
    still raise it. Other unraisable errors reach the hook installed before."""
    from sim.app import signals

    reached: list[BaseException] = []

    class StoppedWhileFinalising:
        def __del__(self) -> None:
            signals._raise_interrupted(signal.SIGTERM, None)

    class FailsWhileFinalising:
        def __del__(self) -> None:
            raise ValueError("an error of its own")

    saved = sys.unraisablehook
    sys.unraisablehook = signals._QuietAboutSignals(lambda args: reached.append(args.exc_value))
    try:
        signals.raise_if_interrupted()  # nothing pending: no stop
        StoppedWhileFinalising()  # finalised at once: its Interrupted is swallowed
        assert reached == []
        with pytest.raises(signals.Interrupted) as stop:
            signals.raise_if_interrupted()
        assert stop.value.signum == signal.SIGTERM and str(stop.value) == "SIGTERM"
        FailsWhileFinalising()
        assert [type(error) for error in reached] == [ValueError]
    finally:
        sys.unraisablehook = saved
        signals._pending.clear()


# -- a signal at the worst moment, placed exactly (the loaded CI run left a .tmp file) -----
def _signal_after(monkeypatch: pytest.MonkeyPatch, name: str, nth: int) -> list[str]:
    """Make the ``nth`` call of ``os.<name>`` complete and then raise a SIGTERM's stop, as
    a signal landing right after the system call returned would; returns the calls seen."""
    from sim.app.signals import Interrupted

    real, calls = getattr(os, name), []

    def then_stopped(*args, **kwargs):
        done = real(*args, **kwargs)
        calls.append(str(args[-1] if name == "replace" else args[0]))
        if len(calls) == nth:
            raise Interrupted(signal.SIGTERM)
        return done

    monkeypatch.setattr(os, name, then_stopped)
    return calls


def test_a_signal_just_after_the_temporary_file_exists_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from sim.app.files import atomic_write
    from sim.app.signals import Interrupted

    target = tmp_path / "table.csv"
    calls = _signal_after(monkeypatch, "open", 1)
    with pytest.raises(Interrupted):
        atomic_write(target, lambda handle: handle.write("a,b\n"))
    assert calls and calls[0].endswith(".tmp")  # it landed with the temporary file created
    assert list(tmp_path.iterdir()) == []


def _small_run():
    """A two-day Erlang run, with every result file (timeseries, both figures)."""
    from sim import run

    from .conftest import erlang_config

    config = erlang_config(100.0, 6.0, 11, 5.0, 2.0)
    config = dataclasses.replace(config, output=dataclasses.replace(config.output, figures=True))
    return run(config, 7), config


@pytest.mark.parametrize("nth", [1, 2, 3, 4])
def test_a_signal_just_after_a_result_is_renamed_removes_the_whole_run(
    nth: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Landing after timeseries.csv, a figure or provenance.json is in place, the run
    removes it with the rest; an earlier run's complete results there are gone too (their
    summary first), never mixed with this run's."""
    from sim.app.outputs import write_run
    from sim.app.signals import Interrupted

    result, config = _small_run()
    write_run(result, config, tmp_path, wall_time_s=1.0)  # an earlier, complete run
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(RESULT_FILES)
    calls = _signal_after(monkeypatch, "replace", nth)
    with pytest.raises(Interrupted):
        write_run(result, config, tmp_path, wall_time_s=1.0)
    assert len(calls) == nth and "summary" not in calls[-1]
    assert list(tmp_path.iterdir()) == []


def test_a_signal_just_after_the_summary_is_renamed_keeps_the_complete_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from sim.app.outputs import write_run
    from sim.app.signals import Interrupted

    result, config = _small_run()
    calls = _signal_after(monkeypatch, "replace", 5)
    with pytest.raises(Interrupted):  # the caller decides: a sweep stops, a run is done
        write_run(result, config, tmp_path, wall_time_s=1.0)
    assert calls[-1].endswith("summary.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(RESULT_FILES)
    assert json.loads((tmp_path / "summary.json").read_text()) == result.summary


@pytest.mark.parametrize("mode", ["RUN", "MULTIRUN"])
def test_a_signal_once_the_summary_is_in_place_ends_a_run_normally_and_stops_a_sweep(
    mode: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The stop lands just after summary.json, before the default handlers are back: a
    single run is complete and finishes; a sweep's job keeps its results and the sweep
    stops. Either way nothing is removed."""
    from hydra.types import RunMode

    from sim.app import cli
    from sim.app.signals import Interrupted

    result, config = _small_run()
    monkeypatch.setattr(cli.HydraConfig, "get", staticmethod(lambda: _Mode(RunMode[mode])))
    restored: list[int] = []

    def stopped_on_the_first_call() -> None:
        restored.append(1)
        if len(restored) == 1:
            raise Interrupted(signal.SIGTERM)

    monkeypatch.setattr(cli, "default_signals", stopped_on_the_first_call)
    if mode == "RUN":
        cli._write_and_finish(result, config, tmp_path, 1.0, {})
        assert len(restored) == 2  # the handlers are back to default all the same
    else:
        _signal_after(monkeypatch, "replace", 5)  # a sweep: the stop comes after the summary
        with pytest.raises(Interrupted):
            cli._write_and_finish(result, config, tmp_path, 1.0, {})
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(RESULT_FILES)


class _Mode:
    def __init__(self, mode) -> None:
        self.mode = mode
