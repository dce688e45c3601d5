"""Sweeps and aggregation: parallel multirun → one tidy table; incomplete runs are listed."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from sim.app.collect import collect, main, parse_overrides

from .conftest import run_cli

SWEEP = ["-m", "scenario=erlang", "erlang.days=2", "output.figures=false"]


def sweep(directory: Path, *extra: str) -> None:
    done = run_cli(
        *SWEEP, "seed=0,1", "erlang.servers=11,12", f"hydra.sweep.dir={directory}", *extra
    )
    assert done.returncode == 0, done.stderr


def test_parse_overrides_types_values():
    parsed = parse_overrides(["seed=3", "erlang.servers=12", "staffing=lean", "+x.y=null"])
    assert parsed == {"seed": 3, "erlang.servers": 12, "staffing": "lean", "x.y": None}


def _without_run_dir(table: pd.DataFrame) -> pd.DataFrame:
    key = ["seed", "erlang.servers"]
    return table.drop(columns="run_dir").sort_values(key).reset_index(drop=True)


def test_three_launchers_give_one_row_per_run_and_identical_summaries(tmp_path: Path):
    sweep(tmp_path / "joblib")  # the default launcher for -m is joblib (parallel)
    table = pd.read_parquet(tmp_path / "joblib" / "runs.parquet")  # written by the callback
    assert len(table) == 4
    assert sorted(zip(table["seed"], table["erlang.servers"])) == [
        (0, 11),
        (0, 12),
        (1, 11),
        (1, 12),
    ]
    for job in range(4):
        summary = json.loads((tmp_path / "joblib" / str(job) / "summary.json").read_text())
        row = table[table["run_dir"] == str(tmp_path / "joblib" / str(job))].iloc[0]
        assert set(summary) <= set(table.columns)  # no missing keys
        for key, value in summary.items():
            assert (pd.isna(row[key]) and value is None) or row[key] == value, key
    assert (tmp_path / "joblib" / "runs.csv").is_file()
    # The same seeds give the same summaries on the basic (serial) launcher and on
    # submitit_local (each job its own process, as on a cluster).
    for launcher in ("basic", "submitit_local"):
        sweep(tmp_path / launcher, f"hydra/launcher={launcher}")
        other = pd.read_parquet(tmp_path / launcher / "runs.parquet")
        pd.testing.assert_frame_equal(_without_run_dir(table), _without_run_dir(other))


def test_incomplete_runs_are_listed_not_mixed_in(tmp_path: Path, capsys):
    sweep(tmp_path)
    (tmp_path / "2" / "summary.json").unlink()  # as if job 2 had been killed
    assert main([str(tmp_path)]) == 0
    collected = collect(tmp_path)
    assert len(collected.table) == 3 and collected.incomplete == [tmp_path / "2"]
    listed, why = (tmp_path / "incomplete.txt").read_text().strip().split("\t")
    assert listed == str(tmp_path / "2") and why.startswith("no summary.json")
    assert "incomplete" in capsys.readouterr().err
    assert main([str(tmp_path / "missing")]) == 2


@pytest.mark.validation  # two sweeps of subprocess jobs
def test_resume_reruns_only_the_missing_jobs(tmp_path: Path):
    sweep(tmp_path)
    before = {p: p.stat().st_mtime_ns for p in tmp_path.glob("*/summary.json")}
    lost = tmp_path / "1" / "summary.json"
    original = lost.read_bytes()
    lost.unlink()  # as if job 1 had been killed
    assert len(collect(tmp_path).incomplete) == 1
    sweep(tmp_path, "output.resume=true")
    collected = collect(tmp_path)
    assert len(collected.table) == 4 and not collected.incomplete
    assert lost.read_bytes() == original  # the same seed, the same summary
    for path, mtime in before.items():
        if path != lost:
            assert path.stat().st_mtime_ns == mtime  # finished jobs were not run again


def test_a_sweep_with_a_crashing_job_keeps_the_rest_lists_the_failure_and_fails(tmp_path):
    """Job 1 cannot write its summary (its place is taken by a folder): the others finish,
    the table holds them, ``incomplete.txt`` names job 1 with its error, and the sweep
    exits non-zero in one line. Resumed once the fault is gone, it runs only job 1."""
    (tmp_path / "1" / "summary.json").mkdir(parents=True)
    args = [*SWEEP, "seed=0,1,2", "hydra/launcher=basic", f"hydra.sweep.dir={tmp_path}"]
    done = run_cli(*args)
    assert done.returncode == 1, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("supportsim: failed: IsADirectoryError") and "1 job(s)" in last
    assert sorted(pd.read_parquet(tmp_path / "runs.parquet")["seed"]) == [0, 2]
    listed, why = (tmp_path / "incomplete.txt").read_text().strip().split("\t")
    assert listed == str(tmp_path / "1") and why.startswith("failed: IsADirectoryError")
    (tmp_path / "1" / "summary.json").rmdir()
    finished = {n: (tmp_path / n / "summary.json").stat().st_mtime_ns for n in ("0", "2")}
    resumed = run_cli(*args, "output.resume=true")
    assert resumed.returncode == 0, resumed.stderr
    assert sorted(pd.read_parquet(tmp_path / "runs.parquet")["seed"]) == [0, 1, 2]
    assert (tmp_path / "incomplete.txt").read_text() == ""
    assert not (tmp_path / "1" / "failed.txt").exists()
    assert finished == {n: (tmp_path / n / "summary.json").stat().st_mtime_ns for n in finished}


@pytest.mark.validation
def test_resume_runs_again_a_job_whose_summary_does_not_parse(tmp_path):
    args = [*SWEEP, "seed=0,1", "hydra/launcher=basic", f"hydra.sweep.dir={tmp_path}"]
    assert run_cli(*args).returncode == 0
    whole = (tmp_path / "1" / "summary.json").read_text()
    (tmp_path / "1" / "summary.json").write_text(whole[:40])  # damaged after the fact
    assert collect(tmp_path).incomplete == [tmp_path / "1"]
    resumed = run_cli(*args, "output.resume=true")
    assert resumed.returncode == 0, resumed.stderr
    assert "does not parse: run again" in resumed.stdout + resumed.stderr
    assert (tmp_path / "1" / "summary.json").read_text() == whole
