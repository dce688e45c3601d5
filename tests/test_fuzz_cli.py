"""Configuration fuzzing through the command line itself: each invalid input gives exit
code 2, exactly one line on stderr naming the key, no traceback, and no file at all.

The CLI runs in-process (``sim.app.cli.main`` with ``sys.argv`` set, in an empty working
directory) so that thousands of cases fit in minutes; ``tests/test_cli.py`` runs a set of
them as real subprocesses. Every case of ``tests/test_fuzz.py`` goes through here under
the ``validation`` marker; the default suite tries a random sample.
"""

from __future__ import annotations

import io
import os
import signal
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.app import cli

from .test_fuzz import CASES, Case, names_key

CHUNKS = 8


def run_in_process(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``supportsim ARGS`` run in ``cwd``; the process's
    argv, directory, environment and signal handlers are restored afterwards."""
    saved = (sys.argv, os.getcwd(), dict(os.environ))
    unraisable_hook = sys.unraisablehook
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    out, err = io.StringIO(), io.StringIO()
    sys.argv = ["supportsim", *args]
    os.chdir(cwd)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                cli.main()
                code = 0
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else 1
    finally:
        sys.argv, cwd_before, environ = saved
        os.chdir(cwd_before)
        os.environ.clear()
        os.environ.update(environ)
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        sys.unraisablehook = unraisable_hook
    return code, out.getvalue(), err.getvalue()


def assert_cli_rejects(case: Case) -> None:
    overrides, key = case
    with tempfile.TemporaryDirectory() as workdir:
        code, out, err = run_in_process(list(overrides), Path(workdir))
        created = list(Path(workdir).rglob("*"))
    lines = err.splitlines()
    assert code == cli.EXIT_BAD_INPUT, (overrides, code, err)
    assert len(lines) == 1 and lines[0].startswith("supportsim: error: "), err
    assert names_key(lines[0], key), f"{' '.join(overrides)}: {lines[0]}"
    assert "Traceback" not in err + out
    assert not created, created  # no run directory, no results, no logs


# A sample in `make test`; every case runs in `make validation` (the chunks below).
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.sampled_from(CASES))
def test_random_invalid_command_lines_fail_cleanly(case):
    assert_cli_rejects(case)


@pytest.mark.validation
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_every_fuzz_case_fails_cleanly_through_the_command_line(chunk):
    cases = CASES[chunk::CHUNKS]
    for case in cases:
        assert_cli_rejects(case)
    print(f"chunk {chunk}: {len(cases)} invalid command lines rejected cleanly")
