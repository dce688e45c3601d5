"""Sweeps and aggregation: parallel multirun → one tidy table; incomplete runs are listed."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from sim.collect import collect, main, parse_overrides

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


def test_parallel_sweep_is_collected_into_one_row_per_run(tmp_path: Path):
    sweep(tmp_path / "joblib")  # the default launcher for -m is joblib (parallel)
    table = pd.read_parquet(tmp_path / "joblib" / "runs.parquet")  # written by the callback
    assert len(table) == 4
    assert sorted(zip(table["seed"], table["erlang.servers"])) == [
        (0, 11),
        (0, 12),
        (1, 11),
        (1, 12),
    ]
    summary_keys = json.loads((tmp_path / "joblib" / "0" / "summary.json").read_text()).keys()
    assert set(summary_keys) <= set(table.columns)
    assert table[["contacts_arrived", "p_wait", "mean_wait_min"]].notna().all().all()
    assert (tmp_path / "joblib" / "runs.csv").is_file()
    # The same seeds give the same summaries on the basic (serial) launcher.
    sweep(tmp_path / "basic", "hydra/launcher=basic")
    serial = pd.read_parquet(tmp_path / "basic" / "runs.parquet")
    key = ["seed", "erlang.servers"]
    parallel = table.drop(columns="run_dir").sort_values(key).reset_index(drop=True)
    serial = serial.drop(columns="run_dir").sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(parallel, serial)


def test_incomplete_runs_are_listed_not_mixed_in(tmp_path: Path, capsys):
    sweep(tmp_path)
    (tmp_path / "2" / "summary.json").unlink()  # as if job 2 had been killed
    assert main([str(tmp_path)]) == 0
    collected = collect(tmp_path)
    assert len(collected.table) == 3 and collected.incomplete == [tmp_path / "2"]
    assert (tmp_path / "incomplete.txt").read_text().strip() == str(tmp_path / "2")
    assert "incomplete" in capsys.readouterr().err
    assert main([str(tmp_path / "missing")]) == 2


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
