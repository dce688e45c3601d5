"""Interruption: runs and sweeps killed at random points leave nothing partial, and a
resumed sweep completes the same table as one never interrupted.

The kill points are drawn from a fixed-seed generator (so a failure reproduces) across
start-up, simulation and writing. Signals go either to the main process alone or to its
whole process group, as Ctrl-C in a terminal and a batch scheduler's cancel do.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from sim.collect import TABLE, collect

from .conftest import ROOT, cli_env, run_cli

RESULT_FILES = ("timeseries.csv", "daily.png", "daily.pdf", "provenance.json", "summary.json")
RUN = ["scenario=erlang", "erlang.days=25", "seed=7"]
SWEEP = ["-m", "scenario=erlang", "erlang.days=20", "output.figures=false"]
SWEEP_JOBS = ["seed=0,1,2", "erlang.servers=11,12"]
KILLS = random.Random(20261123)


def start(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "sim", *args],
        cwd=ROOT,
        env=cli_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell job has
    )


def interrupt(process: subprocess.Popen, signum: int, whole_group: bool) -> int:
    if whole_group:
        os.killpg(process.pid, signum)
    else:
        process.send_signal(signum)
    _, stderr = process.communicate(timeout=120)
    assert "Traceback" not in stderr, stderr
    return process.returncode


def wait_for_summaries(root: Path, count: int, process: subprocess.Popen) -> None:
    """Until ``count`` jobs of the sweep in ``root`` have finished (or it has ended)."""
    deadline = time.monotonic() + 120
    while len(list(root.glob("*/summary.json"))) < min(count, 5) and time.monotonic() < deadline:
        if process.poll() is not None:
            return
        time.sleep(0.02)


def leftovers(root: Path) -> list[Path]:
    """Temporary files of unfinished writes, anywhere below ``root``."""
    return [p for p in root.rglob("*.tmp")]


def assert_all_or_nothing(run_dir: Path) -> bool:
    """A run directory holds every result file (and a valid summary) or none of them."""
    present = [name for name in RESULT_FILES if (run_dir / name).exists()]
    assert present in ([], list(RESULT_FILES)), present
    if present:
        json.loads((run_dir / "summary.json").read_text())
    return bool(present)


def test_a_run_killed_at_random_points_has_all_its_results_or_none(tmp_path: Path):
    whole = tmp_path / "whole"
    done = run_cli(*RUN, f"hydra.run.dir={whole}")
    assert done.returncode == 0, done.stderr
    expected = (whole / "summary.json").read_bytes()
    finished = 0
    for attempt, signum in enumerate([signal.SIGINT, signal.SIGTERM, signal.SIGHUP] * 2):
        run_dir = tmp_path / f"killed{attempt}"
        process = start([*RUN, f"hydra.run.dir={run_dir}"])
        time.sleep(KILLS.uniform(1.0, 6.0))
        code = interrupt(process, signum, whole_group=attempt % 2 == 1)
        assert not leftovers(tmp_path)
        complete = assert_all_or_nothing(run_dir)
        # 128 + signum: stopped cleanly; 0 or -signum: it had finished (or was shutting down)
        assert code == 128 + signum or (code in (0, -signum) and complete), code
        if complete:
            finished += 1
            assert (run_dir / "summary.json").read_bytes() == expected
    assert finished < 6  # at least one kill landed before the end


def test_a_run_killed_with_sigkill_leaves_no_result_under_its_final_name(tmp_path: Path):
    """SIGKILL cannot be caught: it may leave a temporary file, never a partial result,
    and the next run in that directory removes the temporary file."""
    run_dir = tmp_path / "run"
    for _ in range(3):
        process = start([*RUN, f"hydra.run.dir={run_dir}"])
        time.sleep(KILLS.uniform(2.0, 6.0))
        interrupt(process, signal.SIGKILL, whole_group=True)
        if (run_dir / "summary.json").exists():
            json.loads((run_dir / "summary.json").read_text())
    done = run_cli(*RUN, f"hydra.run.dir={run_dir}")
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


def test_a_sweep_killed_again_and_again_resumes_to_the_uninterrupted_table(tmp_path: Path):
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    done = run_cli(*SWEEP, *SWEEP_JOBS, f"hydra.sweep.dir={whole}")
    assert done.returncode == 0, done.stderr
    reference = _summaries(collect(whole).table)
    launches = [("joblib", signal.SIGTERM, False), ("joblib", signal.SIGINT, True)]
    launches += [("basic", signal.SIGTERM, True), ("basic", signal.SIGINT, False)]
    finished_after_kill = []
    for launcher, signum, whole_group in launches:
        resume = ["output.resume=true"] if killed.exists() else []
        args = [*SWEEP, *SWEEP_JOBS, f"hydra/launcher={launcher}", *resume]
        before = len(list(killed.glob("*/summary.json")))
        process = start([*args, f"hydra.sweep.dir={killed}"])
        wait_for_summaries(killed, before + KILLS.randint(0, 3), process)
        time.sleep(KILLS.uniform(0.5, 1.5))  # then anywhere in the next job (past start-up)
        code = interrupt(process, signum, whole_group)
        assert code in (0, 128 + signum, -signum), code  # -signum: while shutting down
        time.sleep(1.0)  # any worker still finishing its job would write now
        if not killed.exists():  # stopped while checking the command line: nothing launched
            finished_after_kill.append(0)
            continue
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
