"""The research and manager workflow: killed sweeps, reports, studies, progress, optimisation."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pandas as pd
import pytest

from sim.analysis.planning.optimise import Evaluator, StaffingProblem, brute_force, optimise
from sim.app.pdf import chromium
from sim.app.sweep import expected_jobs, job_key
from sim.model.org import run

from .conftest import ROOT, cli_env, compose_config, run_cli


def test_expected_jobs_follow_hydra_and_let_the_command_line_win():
    jobs = expected_jobs(["seed=range(0,2)", "policy=a,b"], {"policy": "a,b,c", "culture": "x,y"})
    assert len(jobs) == 2 * 2 * 2
    assert {job_key(j) for j in jobs} == {
        job_key([f"policy={p}", f"culture={c}", f"seed={s}"])
        for p in "ab"
        for c in "xy"
        for s in (0, 1)
    }
    assert job_key(["seed=1", "x=2"]) == job_key(["x=02", "seed=1"])


def test_expected_jobs_are_the_basic_sweepers_own_expansion():
    """Our expansion (public override parser) equals Hydra's basic sweeper's, in order."""
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper  # the reference
    from hydra.core.override_parser.overrides_parser import OverridesParser

    overrides = ["seed=range(0,3)", "policy=a,b", "x=3", "staffing.extra_agents.phone=-1,0,1"]
    overrides.append("+foo=[1,2]")
    parsed = OverridesParser.create().parse_overrides(overrides)
    (theirs,) = BasicSweeper.split_arguments(parsed, None)
    assert expected_jobs(overrides, {}) == [list(job) for job in theirs]


def _markdown_images(text: str) -> list[str]:
    return re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)


def test_demo_experiment_ends_in_a_self_contained_report(tmp_path: Path):
    done = run_cli(
        "-m",
        "experiment=demo",
        "horizon_days=40",
        "size=tiny",
        "seed=0,1",
        f"hydra.sweep.dir={tmp_path}",
    )
    assert done.returncode == 0, done.stderr
    assert "report.html" in done.stderr
    text = (tmp_path / "report.md").read_text()
    images = _markdown_images(text)
    assert len(images) >= 4  # paired differences, frontier, waits, daily bands
    html = (tmp_path / "report.html").read_text()
    for image in images:
        assert (tmp_path / image).stat().st_size > 5000
        assert (tmp_path / image).with_suffix(".pdf").is_file()
    embedded = re.findall(
        r'<img alt="[^"]*" src="data:image/png;base64,[A-Za-z0-9+/=]{1000,}"', html
    )
    assert len(embedded) == len(images)
    assert "report_figures/" not in re.sub(r"<code>[^<]*</code>", "", html)  # nothing linked
    assert "Proactive outreach" in text and "CRN factor" in text
    assert text.index("## Summary") < text.index("## What was compared")
    if chromium() is not None:  # printed for report writers (tests/test_browser.py reads it)
        assert (tmp_path / "report.pdf").stat().st_size > 10_000
        assert "report.pdf" in done.stderr
    assert "## Provenance" in text and "seeds: 0, 1" in text


# Each study of configs/experiment/, shrunk to seconds: the same command a user types.
STUDIES = {
    "policy_comparison": [
        "horizon_days=40",
        "size=tiny",
        "policy=baseline,proactive_outreach",
        "culture=baseline,customer_first",
        "seed=0,1",
    ],
    "staffing_frontier": [
        "horizon_days=21",
        "size=tiny",
        "staffing.extra_agents.phone=0,1",
        "staffing.extra_agents.tier2=0",
        "policy=baseline",
        "seed=0,1",
    ],
    "rising_expectations": [
        "horizon_days=30",
        "warmup_days=5",
        "size=tiny",
        "seed=0,1",
    ],
    "validation": ["erlang.days=3", "erlang.servers=11,12", "seed=0,1"],
}


# Each study is a sweep of subprocess jobs (25-40 s): `make validation`; the demo's own
# end-to-end test stays in `make test`.
@pytest.mark.validation
@pytest.mark.parametrize("study", sorted(STUDIES))
def test_every_study_runs_end_to_end(study: str, tmp_path: Path):
    done = run_cli("-m", f"experiment={study}", *STUDIES[study], f"hydra.sweep.dir={tmp_path}")
    assert done.returncode == 0, done.stderr
    table = pd.read_parquet(tmp_path / "runs.parquet")
    assert len(table) >= 4 and table["seed"].nunique() == 2
    assert (tmp_path / "report.html").is_file()
    for image in _markdown_images((tmp_path / "report.md").read_text()):
        assert (tmp_path / image).is_file()


def test_every_experiment_config_has_a_smoke_test():
    configs = {p.stem for p in (ROOT / "configs" / "experiment").glob("*.yaml")}
    # The demo has its own test above; the two studies over the uncertain parameters end to end,
    # report included, in tests/test_design_sweep.py.
    assert configs == set(STUDIES) | {"demo", "sensitivity", "robustness"}


@pytest.mark.validation  # a sweep, then the report twice
def test_report_command_rebuilds_the_report_with_another_reference(tmp_path: Path):
    sweep = ["-m", "scenario=erlang", "erlang.days=2", "erlang.servers=11,12,13", "seed=0,1,2"]
    done = run_cli(*sweep, f"hydra.sweep.dir={tmp_path}")
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "report.md").exists()  # a plain sweep writes no report
    done = run_cli(str(tmp_path), "--reference", "erlang.servers=12", module="sim.report")
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "report.md").read_text()
    # A paired row: configuration erlang.servers = 11 against the new reference, 12.
    assert re.search(r"erlang\.servers = 11\s*\|\s*erlang\.servers = 12\s*\|", text)
    bad = run_cli(str(tmp_path), "--reference", "policy=baseline", module="sim.report")
    assert bad.returncode == 2 and "did not vary" in bad.stderr
    assert run_cli(str(tmp_path / "nope"), module="sim.report").returncode == 2


def test_progress_shows_simulated_days_on_a_terminal_only(tmp_path: Path):
    args = ["scenario=erlang", "erlang.days=3", "output.figures=false"]
    shown = run_cli(*args, f"hydra.run.dir={tmp_path / 'a'}", env=cli_env(SUPPORTSIM_PROGRESS="1"))
    assert shown.returncode == 0 and "/3 [" in shown.stderr and "day/s" in shown.stderr
    quiet = run_cli(*args, f"hydra.run.dir={tmp_path / 'b'}", env=cli_env(CI="true"))
    assert quiet.returncode == 0 and "day/s" not in quiet.stderr
    days: list[int] = []
    config = compose_config(["scenario=erlang", "erlang.days=4"])
    assert run(config, 0, days.append).summary == run(config, 0).summary  # observes only
    assert days == [0, 1, 2, 3, 4]


OPTIMISER_BASE = [
    "horizon_days=28",
    "size=small",
    "output.figures=false",
]


def _staffing_config(extra: dict[str, int]):
    return compose_config(
        [*OPTIMISER_BASE, *(f"staffing.extra_agents.{k}={v}" for k, v in extra.items())]
    )


@pytest.mark.validation  # a grid of simulated staffings
def test_optimiser_finds_the_brute_force_staffing_without_visiting_the_whole_grid():
    """A 4 × 4 grid of staffings, each replicated over the same two seeds, evaluated once;
    the churn target is the grid's median, so about half of it is feasible. Optuna (10
    trials, fewer distinct points than the grid) and brute force (every point) read the same
    cached evaluations, and must name the same cheapest feasible staffing."""
    bounds = {"phone": (-1, 2), "chat": (-1, 2)}
    probe = Evaluator(StaffingProblem(bounds, (0, 1), churn_target=1.0), _staffing_config)
    for point in probe.problem.grid():
        probe(point)
    churns = sorted(evaluation.churn.mean for evaluation in probe.cache.values())
    target = churns[len(churns) // 2]
    problem = StaffingProblem(bounds, (0, 1), churn_target=target)
    cache = {k: dataclasses.replace(e, churn_target=target) for k, e in probe.cache.items()}
    evaluator = Evaluator(problem, _staffing_config, cache=cache)
    best, study = optimise(evaluator, n_trials=10, sampler_seed=0)
    visited = {tuple(trial.params[pool] for pool in bounds) for trial in study.trials}
    assert len(visited) < len(problem.grid()) == 16  # a search, not an enumeration
    exact = brute_force(evaluator)
    assert exact is not None and best is not None and best.feasible
    assert best.extra == exact.extra, (best.extra, exact.extra)
    infeasible = [e for e in evaluator.cache.values() if not e.feasible]
    assert infeasible and min(e.cost.mean for e in infeasible) < exact.cost.mean  # it binds


def test_optimise_staffing_script_writes_its_trials(tmp_path: Path):
    from experiments.optimise_staffing import main as optimise_staffing

    code = optimise_staffing(
        ["--target", "1.0", "--pools", "phone=0:1", "--seeds", "0", "1", "--trials", "3",
         "--out", str(tmp_path), *OPTIMISER_BASE]
    )  # fmt: skip
    assert code == 0
    assert (tmp_path / "trials.png").stat().st_size > 5000
    assert (tmp_path / "trials.pdf").is_file()
    assert len(pd.read_csv(tmp_path / "trials.csv")) == 3


@pytest.mark.validation
def test_common_random_numbers_narrow_policy_differences():
    """Policy deflection against baseline over the same 8 seeds (60 days of the default
    organisation): the paired CI of the difference is at least 3× narrower than the
    unpaired one, for churn and for the window's net value (README quotes the factors)."""
    from sim.analysis.statistics.replications import (
        paired_difference,
        replicate,
        unpaired_difference,
    )

    seeds = range(8)
    base = compose_config(["horizon_days=60"])
    deflect = compose_config(["horizon_days=60", "policy=policy_deflection"])
    reference, treated = replicate(base, seeds, workers=2), replicate(deflect, seeds, workers=2)
    for key in ("churn_rate_annual", "net_value_window"):
        paired = paired_difference(treated, reference, key)
        unpaired = unpaired_difference(treated, reference, key)
        assert paired.excludes_zero() or key == "net_value_window"
        assert unpaired.half_width / paired.half_width >= 3.0, (key, paired, unpaired)


def test_slurm_example_launcher_composes(monkeypatch):
    """The project's SLURM launcher, its partition from SUPPORTSIM_SLURM_PARTITION (else
    the example's ``compute``)."""
    from hydra import compose, initialize_config_dir

    from sim.app.compose import CONFIG_DIR, register_schemas

    register_schemas()
    for partition in (None, "debug"):
        if partition is None:
            monkeypatch.delenv("SUPPORTSIM_SLURM_PARTITION", raising=False)
        else:
            monkeypatch.setenv("SUPPORTSIM_SLURM_PARTITION", partition)
        with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
            cfg = compose("config", ["hydra/launcher=slurm"], return_hydra_config=True)
        launcher = cfg.hydra.launcher
        assert launcher._target_.endswith("SupportsimSlurmLauncher")
        assert launcher.partition == (partition or "compute") and launcher.cpus_per_task == 1
