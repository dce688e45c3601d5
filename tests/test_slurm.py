"""A sweep on a real SLURM cluster (``hydra/launcher=slurm``): submitted as one job array,
every job's summary collected into ``runs.parquet`` — the same bytes as on the basic
launcher — and a job that dies hard (``scancel``) listed in ``incomplete.txt`` with its
SLURM state instead of hanging the sweep; resumed, the sweep completes.

CI starts a single-node cluster with accounting (``.ci/slurm/start.sh``); elsewhere the
test runs where one is up and is skipped otherwise (under ``CI=true`` it fails instead).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from .conftest import ROOT, cli_env, run_cli

pytestmark = pytest.mark.validation
PARTITION = os.environ.get("SUPPORTSIM_SLURM_PARTITION", "debug")
SLURM = ["hydra/launcher=slurm", "hydra.launcher.timeout_min=10"]
JOBS = ["scenario=erlang", "warmup_days=0.5", "output.figures=false"]
STARTED_WITHIN_S = 120.0  # a job of the array must start within this on an idle cluster


def cluster_is_up() -> bool:
    if shutil.which("scontrol") is None:
        return False
    ping = subprocess.run(["scontrol", "ping"], capture_output=True, text=True, check=False)
    return "is UP" in ping.stdout


@pytest.fixture(autouse=True)
def slurm_cluster():
    if not cluster_is_up():
        if os.environ.get("CI"):
            pytest.fail("no SLURM cluster: .ci/run starts one with .ci/slurm/start.sh")
        pytest.skip("no SLURM cluster here (bash .ci/slurm/start.sh starts one)")


def sweep_command(sweep_dir: Path, *overrides: str) -> list[str]:
    return [sys.executable, "-m", "sim", "-m", *SLURM, *JOBS, *overrides,
            f"hydra.sweep.dir={sweep_dir}"]  # fmt: skip


def test_a_sweep_runs_as_a_job_array_with_the_summaries_of_any_launcher(tmp_path: Path):
    env = cli_env(SUPPORTSIM_SLURM_PARTITION=PARTITION)
    started = time.monotonic()
    done = subprocess.run(
        sweep_command(tmp_path / "slurm", "erlang.days=1", "seed=0,1,2,3"),
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=600,
    )  # fmt: skip
    seconds = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert "SLURM job array" in done.stdout + done.stderr
    table = pd.read_parquet(tmp_path / "slurm" / "runs.parquet")
    assert sorted(table["seed"]) == [0, 1, 2, 3]
    local = run_cli("-m", "hydra/launcher=basic", *JOBS, "erlang.days=1", "seed=0,1,2,3",
                    f"hydra.sweep.dir={tmp_path / 'basic'}")  # fmt: skip
    assert local.returncode == 0, local.stderr
    for job in range(4):
        on_slurm = (tmp_path / "slurm" / str(job) / "summary.json").read_bytes()
        assert on_slurm == (tmp_path / "basic" / str(job) / "summary.json").read_bytes()
    print(f"\nSLURM: 4 jobs, submission to collection {seconds:.1f} s")


def _wait_for(condition, what: str, timeout_s: float = STARTED_WITHIN_S):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def test_a_job_cancelled_hard_is_listed_not_waited_for_and_resume_completes_it(tmp_path):
    """Job 2 (400 days) is cancelled with ``scancel`` while it runs: the sweep ends — no
    hang — with exit 1, the three other summaries in the table and job 2 in
    ``incomplete.txt`` with its SLURM state; run again with ``output.resume=true`` it
    runs job 2 alone and the table is whole."""
    env = cli_env(SUPPORTSIM_SLURM_PARTITION=PARTITION)
    command = sweep_command(tmp_path, "erlang.days=1,400", "seed=0,1")
    sweep = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env, cwd=ROOT)  # fmt: skip
    try:
        _wait_for(lambda: (tmp_path / "2" / ".hydra" / "config.yaml").is_file(), "job 2 to run")
        task = _wait_for(lambda: next(iter((tmp_path / ".submitit").glob("*_2")), None), "task 2")
        subprocess.run(["scancel", task.name], check=True)
        cancelled = time.monotonic()
        _, err = sweep.communicate(timeout=300)
        ended_s = time.monotonic() - cancelled
    finally:
        sweep.kill()
    assert sweep.returncode == 1, err
    assert "1 job(s) of the sweep did not finish" in err.strip().splitlines()[-1]
    assert sorted(pd.read_parquet(tmp_path / "runs.parquet")["erlang.days"]) == [1, 1, 400]
    listed, why = (tmp_path / "incomplete.txt").read_text().strip().split("\t")
    assert listed == str(tmp_path / "2") and "CANCELLED" in why and why.startswith("failed:")
    resumed = subprocess.run([*command, "output.resume=true"], capture_output=True, text=True,
                             env=env, cwd=ROOT, timeout=600)  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    assert len(pd.read_parquet(tmp_path / "runs.parquet")) == 4
    assert (tmp_path / "incomplete.txt").read_text() == ""
    print(f"\nSLURM: the sweep ended {ended_s:.1f} s after its job was cancelled")
