"""Safety of configuration and results: no code from configs, no writes outside the run
directory, and reading a results directory never executes anything from it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from sim.app.collect import collect
from sim.app.collect import main as collect_main
from sim.app.preflight import allowed_target
from sim.app.report import main as report_main

from .conftest import ROOT, run_cli

# A callable that would leave a trace if it were ever called: exec("open(...)").
EXPLOIT_ARGS = "[\"open('{marker}', 'w').close()\"]"


def _hostile_command_lines(marker: Path) -> list[list[str]]:
    args = EXPLOIT_ARGS.format(marker=marker)
    return [
        ["+hydra.callbacks.evil._target_=builtins.exec", f"+hydra.callbacks.evil._args_={args}"],
        [
            "hydra.callbacks.collect._target_=builtins.exec",
            f"+hydra.callbacks.collect._args_={args}",
        ],
        ["hydra.job_logging.handlers.console.class=builtins.exec"],
        ["+policy._target_=builtins.exec", f"+policy._args_={args}"],
        ["-m", "hydra/launcher=basic", "hydra.launcher._target_=builtins.exec"],
        ["--experimental-rerun", str(marker.with_suffix(".pickle"))],
    ]


@pytest.mark.parametrize("case", range(6))
def test_configuration_cannot_run_code(tmp_path: Path, case: int):
    marker = tmp_path / "PWNED"
    args = _hostile_command_lines(marker)[case]
    done = run_cli(*args, f"hydra.run.dir={tmp_path / 'run'}", "scenario=erlang", "erlang.days=2")
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr
    assert re.search(r"_target_|class|--experimental-rerun", done.stderr), done.stderr
    assert not marker.exists() and not (tmp_path / "run").exists()


def test_a_config_directory_cannot_bring_code_either(tmp_path: Path):
    """An experiment file from a shared --config-dir that adds a Hydra callback."""
    marker = tmp_path / "PWNED"
    (tmp_path / "conf" / "experiment").mkdir(parents=True)
    evil = {
        "hydra": {
            "callbacks": {
                "evil": {"_target_": "builtins.exec", "_args_": [f"open('{marker}','w')"]}
            }
        }
    }
    text = "# @package _global_\n" + yaml.safe_dump(evil)
    (tmp_path / "conf" / "experiment" / "evil.yaml").write_text(text)
    done = run_cli(
        "--config-dir", str(tmp_path / "conf"), "-m", "experiment=evil",
        f"hydra.sweep.dir={tmp_path / 'sweep'}", "scenario=erlang", "erlang.days=2",
    )  # fmt: skip
    assert done.returncode == 2 and "hydra.callbacks.evil._target_" in done.stderr, done.stderr
    assert not marker.exists() and not (tmp_path / "sweep").exists()


def test_every_target_in_the_shipped_configs_is_allowed():
    targets = []
    for path in (ROOT / "configs").rglob("*.yaml"):
        targets += re.findall(r"_target_:\s*(\S+)", path.read_text())
    assert targets and all(allowed_target(t) for t in targets), targets


UNSAFE_CALLS = re.compile(
    r"\bimport (cloud)?pickle\b|\bpickle\.loads?\(|\beval\(|\bexec\(|yaml\.load\(|"
    r"yaml\.unsafe_load|allow_pickle\s*=\s*True|joblib\.load\(|\binstantiate\(|"
    r"\bimport (shelve|marshal)\b|read_pickle\("
)


def test_no_source_file_can_execute_data():
    """No unpickling, eval, unsafe YAML or Hydra instantiation anywhere in the package."""
    offenders = []
    for path in (ROOT / "sim").rglob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if UNSAFE_CALLS.search(line.split("#")[0]):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, offenders


def _hostile_results(root: Path, marker: Path) -> None:
    """A sweep directory whose files try to run code when loaded unsafely."""
    run_dir = root / "0"
    (run_dir / ".hydra").mkdir(parents=True)
    apply = f'!!python/object/apply:os.system ["touch {marker}"]'
    (root / "multirun.yaml").write_text(f"hydra:\n  overrides:\n    task: {apply}\n")
    (run_dir / ".hydra" / "overrides.yaml").write_text(f"- {apply}\n")
    (run_dir / ".hydra" / "config.pickle").write_bytes(b"cos\nsystem\n(S'touch x'\ntR.")
    (run_dir / "summary.json").write_text('{"seed": 0}')


def test_reading_a_hostile_results_directory_runs_nothing(tmp_path: Path, capsys):
    marker = tmp_path / "PWNED"
    _hostile_results(tmp_path / "sweep", marker)
    assert collect_main([str(tmp_path / "sweep")]) == 2
    assert report_main([str(tmp_path / "sweep")]) == 2
    err = capsys.readouterr().err
    assert "cannot be read" in err and len(err.splitlines()) == 2
    assert not marker.exists() and not (tmp_path / "x").exists()


def test_all_output_stays_inside_the_run_and_sweep_directories(tmp_path: Path):
    work = tmp_path / "cwd"
    work.mkdir()
    run_dir, sweep_dir = tmp_path / "out" / "run", tmp_path / "out" / "sweep"
    done = run_cli(
        "scenario=erlang", "erlang.days=2", "name=a.b-c", f"hydra.run.dir={run_dir}", cwd=work
    )
    assert done.returncode == 0, done.stderr
    done = run_cli(
        "-m", "experiment=validation", "erlang.days=2", "erlang.servers=11,12", "seed=0,1",
        f"hydra.sweep.dir={sweep_dir}", cwd=work,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert not list(work.iterdir())  # nothing in the working directory
    outside = [
        p for p in tmp_path.rglob("*")
        if p.is_file() and not p.is_relative_to(run_dir) and not p.is_relative_to(sweep_dir)
    ]  # fmt: skip
    assert not outside, outside
    assert (sweep_dir / "report.html").is_file() and len(collect(sweep_dir).table) == 4
