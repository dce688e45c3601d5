"""The command line end to end: results on disk, determinism, and clean failures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from sim.app.files import FILE_MODE

from .conftest import ROOT, cli_env, run_cli

ERLANG_SHORT = ["scenario=erlang", "erlang.days=6"]


def test_default_run_writes_summary_timeseries_and_figures_when_asked(run_dir: Path):
    done = run_cli("horizon_days=21", "output.figures=true", f"hydra.run.dir={run_dir}")
    assert done.returncode == 0, done.stderr
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["contacts_arrived"] > 1000
    assert summary["days_measured"] == 14
    series = pd.read_csv(run_dir / "timeseries.csv")
    assert len(series) == 21 and series["in_warmup"].sum() == 7
    measured = series.loc[~series["in_warmup"]]
    assert measured["contacts_arrived"].sum() == summary["contacts_arrived"]
    # The summary's service level is the measured days' own, weighted by their contacts:
    # the two files are written from separate snapshots and must agree.
    arrived = measured["contacts_arrived"]
    in_target = (measured["service_level"] * arrived).sum() / arrived.sum()
    assert summary["service_level"] == pytest.approx(in_target, rel=1e-9)
    for channel in ("phone", "chat", "email", "social"):
        column = f"{channel}_contacts_arrived"
        assert measured[column].sum() == summary[column], channel
    for name in ("daily.png", "daily.pdf", "provenance.json"):
        assert (run_dir / name).stat().st_size > 1000 or name == "provenance.json"
    assert not list(run_dir.glob("*.tmp"))
    assert (run_dir / "summary.json").stat().st_mode & 0o777 == FILE_MODE  # shareable, as usual


def test_same_seed_gives_byte_identical_summary(tmp_path: Path):
    texts = []
    for i in range(2):
        out = tmp_path / f"run{i}"
        done = run_cli(*ERLANG_SHORT, "seed=42", "output.figures=false", f"hydra.run.dir={out}")
        assert done.returncode == 0, done.stderr
        texts.append((out / "summary.json").read_bytes())
    assert texts[0] == texts[1]
    assert b"wall" not in texts[0]  # wall-clock time lives in provenance.json


def test_more_servers_leave_arrivals_unchanged(tmp_path: Path):
    summaries = []
    for servers in (11, 14):
        out = tmp_path / f"n{servers}"
        done = run_cli(
            *ERLANG_SHORT,
            "seed=5",
            f"erlang.servers={servers}",
            "output.figures=false",
            f"hydra.run.dir={out}",
        )
        assert done.returncode == 0, done.stderr
        summaries.append(json.loads((out / "summary.json").read_text()))
    assert summaries[0]["contacts_arrived"] == summaries[1]["contacts_arrived"]
    assert summaries[0]["p_wait"] > summaries[1]["p_wait"]


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        (["channels.phone.arrival_rate_per_hour=-5"], "channels.phone.arrival_rate_per_hour"),
        (["channels.chat.retrial.prob=1.5"], "channels.chat.retrial.prob"),
        (["scenario=erlang", "erlang.servers=0"], "erlang.servers"),
        (["staffing.phone=[]"], "staffing.phone"),
        (["staffing.tier3=[{start_hour:8,end_hour:22,agents:0}]"], "staffing.tier3"),
        (["scenario=erlang", "erlang.serverz=3"], "erlang.serverz"),
        (["+channels.phone.colour=red"], "channels.phone.colour"),
        (["staffing=skeleton"], "staffing"),
        (["scenario=nowhere"], "scenario"),
        (["scenario=erlang", "erlang.servers=many"], "erlang.servers"),
        (["erlang.servers=12"], "erlang.servers"),
        (["name=../../outside"], "name"),
    ],
    ids=[
        "negative-rate",
        "probability-above-1",
        "zero-servers",
        "no-shift",
        "zero-agents-tier3",
        "unknown-key",
        "appended-unknown-key",
        "unknown-staffing-option",
        "unknown-scenario",
        "wrong-type",
        "section-of-another-scenario",
        "name-escaping-results",
    ],
)
def test_invalid_input_fails_cleanly(run_dir: Path, overrides: list[str], key: str):
    done = run_cli(*overrides, f"hydra.run.dir={run_dir}")
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert key in lines[0]
    assert "Traceback" not in done.stderr
    assert not (run_dir / "summary.json").exists()
    assert not (run_dir / "timeseries.csv").exists()


def test_python_dash_m_and_console_script_share_the_app(tmp_path: Path):
    """The installed ``supportsim`` script runs the same app: the same run, the same bytes
    of summary.json, and the same one-line refusal."""
    script = Path(sys.executable).with_name("supportsim")
    assert script.is_file(), f"{script}: the package's console script is not installed"
    args = ["scenario=erlang", "erlang.days=1", "warmup_days=0.5", "seed=2"]
    by_module = run_cli(*args, f"hydra.run.dir={tmp_path / 'module'}")

    def script_run(*arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(script), *arguments], capture_output=True, text=True, env=cli_env(),
            cwd=ROOT, timeout=300,
        )  # fmt: skip

    by_script = script_run(*args, f"hydra.run.dir={tmp_path / 'script'}")
    assert by_module.returncode == by_script.returncode == 0, by_script.stderr
    module, mine = (tmp_path / name / "summary.json" for name in ("module", "script"))
    assert mine.read_bytes() == module.read_bytes()
    refused = script_run("erlang.servers=0", "scenario=erlang")
    assert refused.returncode == 2
    assert refused.stderr.startswith("supportsim: error: erlang.servers")


def test_the_time_series_is_written_as_pandas_would_write_it(tmp_path):
    """Written without pandas (a short run should not pay for importing it), read back the
    same: whole numbers in a real column as reals, gaps empty, flags as words."""
    import pandas as pd

    from sim.app.outputs import write_columns

    columns = {
        "day": [0, 1, 2, 3],
        "in_warmup": [True, True, False, False],
        "mixed": [0, 1.5, 2, float("nan")],
        "gap": [1, None, 3, 4],
        "tiny": [1e-05, 0.1 + 0.2, -2.5e300, 0.0],
    }
    write_columns(tmp_path / "t.csv", columns)
    assert (tmp_path / "t.csv").read_text() == pd.DataFrame(columns).to_csv(index=False)


# What only a sweep's end, a report or a figure needs: a single run without figures must
# not pay for importing it (issue 23's fixed cost; Hydra instantiates the sweep callbacks
# and imports every sweeper plugin even for one run).
NOT_FOR_ONE_RUN = ("pandas", "scipy.stats", "matplotlib", "SALib", "pyarrow", "sim.analysis")
IMPORTED_AT_EXIT = """
import atexit, runpy, sys
watched = {watched!r}
def report():
    found = sorted({{m for m in sys.modules for w in watched if m == w or m.startswith(w + ".")}})
    print("IMPORTED", " ".join(found), file=sys.stderr)
atexit.register(report)
sys.argv = ["sim", *{arguments!r}]
runpy.run_module("sim", run_name="__main__", alter_sys=True)
"""


def test_a_single_run_imports_nothing_of_sweeps_reports_or_plots(tmp_path):
    """By default a run draws no figure (``output.figures=true`` asks for one): its
    fixed cost stays that of composing, simulating and writing numbers."""
    run = tmp_path / "run"
    arguments = ["scenario=erlang", "erlang.days=2", f"hydra.run.dir={run}"]
    script = IMPORTED_AT_EXIT.format(watched=NOT_FOR_ONE_RUN, arguments=arguments)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, env=cli_env()
    )
    assert done.returncode == 0, done.stderr
    assert (run / "summary.json").is_file()  # the run did run
    assert not list(run.glob("daily.*"))
    imported = done.stderr.split("IMPORTED", 1)[1].split()
    assert imported == [], imported


COMPOSITIONS_AT_EXIT = """
import atexit, runpy, sys
from hydra._internal import config_loader_impl
load = config_loader_impl.ConfigLoaderImpl.load_configuration
count = []
def counted(self, *args, **kwargs):
    count.append(1)
    return load(self, *args, **kwargs)
config_loader_impl.ConfigLoaderImpl.load_configuration = counted
atexit.register(lambda: print("COMPOSED", len(count), file=sys.stderr))
sys.argv = ["sim", *{arguments!r}]
runpy.run_module("sim", run_name="__main__", alter_sys=True)
"""


def test_a_single_run_composes_its_configuration_twice_not_three_times(tmp_path):
    """The pre-flight composes the command line (so a bad one leaves no directory) and
    the run composes it; Hydra's third composition, only to read ``hydra.mode``, takes the
    pre-flight's answer (a composition of the calibrated presets costs ≈ 0.3 s)."""
    run = tmp_path / "run"
    arguments = ["scenario=erlang", "erlang.days=2", "output.figures=false", f"hydra.run.dir={run}"]
    script = COMPOSITIONS_AT_EXIT.format(arguments=arguments)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, env=cli_env()
    )
    assert done.returncode == 0, done.stderr
    assert (run / "summary.json").is_file()
    assert done.stderr.split("COMPOSED", 1)[1].split() == ["2"], done.stderr


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["hydra.run.dir="], "hydra.run.dir = '' is invalid: results need a folder"),
        (["hydra.run.dir=/proc/no/such"], "hydra.run.dir = '/proc/no/such' is invalid"),
        (["-m", "seed=0,1", "hydra.sweep.dir=/etc/hostname/x"], "/etc/hostname is a file"),
        (["erlang.days=-1"], "erlang.days = -1.0 is invalid: must be a finite number in (0,"),
    ],
)
def test_output_folders_and_interpolated_keys_are_refused_by_the_key_typed(tmp_path, args, line):
    """Before anything runs: an empty or unwritable results folder (Hydra would write into
    the current folder, or fail after simulating), and a value a preset interpolates named
    as the user typed it (``erlang.days``, not the ``horizon_days`` it becomes)."""
    flags, overrides = [a for a in args if a == "-m"], [a for a in args if a != "-m"]
    done = run_cli(*flags, "scenario=erlang", "erlang.days=1", "warmup_days=0.5", *overrides,
                   cwd=tmp_path)  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and line in done.stderr, done.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written where it ran


def test_a_status_file_that_cannot_be_written_stops_the_run_in_one_line(tmp_path):
    env = cli_env(SUPPORTSIM_STATUS_FILE=str(tmp_path / "no" / "such" / "status"))
    done = run_cli("scenario=erlang", f"hydra.run.dir={tmp_path / 'run'}", env=env)
    assert done.returncode == 2
    assert done.stderr.startswith("supportsim: error: SUPPORTSIM_STATUS_FILE = ")
    assert done.stderr.count("\n") == 1 and not (tmp_path / "run").exists()


def test_a_large_sweep_is_checked_in_seconds_and_says_so(tmp_path):
    """Twenty thousand jobs are announced before they are checked; a bad value in the
    last one is still found, in one line naming it, before anything runs."""
    done = run_cli(
        "-m", "scenario=erlang", "seed=range(0,10000)", "erlang.servers=11,0",
        f"hydra.sweep.dir={tmp_path / 'sweep'}", timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert "checking the 20,000 jobs of the sweep" in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("supportsim: error: erlang.servers")
    assert not (tmp_path / "sweep").exists()


def test_the_staffing_command_refuses_an_out_path_it_cannot_write_before_planning(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    done = run_cli(
        "size=tiny", "--out", str(tmp_path / "file" / "plan.yaml"), module="sim.staffing"
    )
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert (
        done.stderr.startswith("supportsim.staffing: error: --out = ")
        and "is a file" in done.stderr
    )
