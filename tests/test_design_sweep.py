"""A study over the uncertain parameters from the command line: the design sweeper turns
each point (in each arm) into a job, every job runs all the study's seeds, and the sweep
ends with the indices, the robustness table and the report."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from sim.analysis.uncertainty.study import Study
from sim.app.collect import collect

from .conftest import run_cli

PARAMETERS = "[customers.experience.silent_weight,customers.loyalty.learning_rate]"
ROBUST_PARAMETERS = "[customers.experience.standard_elasticity,customers.loyalty.learning_rate]"
QUICK = (
    "size=tiny",
    "horizon_days=40",
    "warmup_days=7",
    "seeds=[0,1]",
    "hydra/launcher=basic",
    f"hydra.sweeper.parameters={PARAMETERS}",
    "hydra.sweeper.top=2",
)


@pytest.fixture(scope="module")
def morris_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sweep = tmp_path_factory.mktemp("study") / "morris"
    result = run_cli(
        "-m", "experiment=sensitivity", *QUICK, "hydra.sweeper.design=morris",
        "hydra.sweeper.trajectories=2", f"hydra.sweep.dir={sweep}", timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return sweep


def test_each_point_and_arm_is_a_job_that_runs_every_seed_with_the_points_values(morris_sweep):
    study = Study.from_dict(json.loads((morris_sweep / "design.json").read_text()))
    assert len(study.jobs) == (2 + 1) * 2 * 2  # (k + 1)·r points, two arms
    for number, job in enumerate(study.jobs):
        job_dir = morris_sweep / str(number)
        overrides = yaml.safe_load((job_dir / ".hydra" / "overrides.yaml").read_text())
        assert overrides == job.overrides
        config = yaml.safe_load((job_dir / ".hydra" / "config.yaml").read_text())
        values = study.stages[0].space.values(study.stages[0].unit[job.point])
        assert config["customers"]["experience"]["silent_weight"] == pytest.approx(
            values["customers.experience.silent_weight"]
        )
        assert config["policy"]["outreach"]["enabled"] == (job.arm == "outreach")
        for seed in (0, 1):
            summary = json.loads((job_dir / f"seed_{seed}" / "summary.json").read_text())
            assert summary["seed"] == seed


def test_the_sweep_ends_with_morris_indices_for_every_outcome_and_the_contrast(morris_sweep):
    indices = pd.read_csv(morris_sweep / "sensitivity.csv")
    outcomes = set(indices["outcome"])
    assert outcomes == {
        "churn_rate_annual", "net_value", "service_level", "net_value: outreach − silence",
    }  # fmt: skip
    mu_star = indices[indices["index"] == "mu_star"]
    assert len(mu_star) == 4 * 2 and (mu_star["value"] >= 0).all()
    # A higher learning rate moves loyalty further per experience: churn must move with it.
    churn = mu_star[mu_star["outcome"] == "churn_rate_annual"].set_index("parameter")
    assert churn.loc["customers.loyalty.learning_rate", "value"] > 0


def test_the_report_names_the_parameters_in_words_with_its_figures(morris_sweep):
    markdown = (morris_sweep / "report.md").read_text()
    assert "## Summary" in markdown and "learning rate (loyalty)" in markdown
    assert "customers.loyalty.learning_rate" not in markdown.split("## Figures")[0]
    for figure in ("morris.png", "morris.pdf"):
        assert (morris_sweep / "report_figures" / figure).stat().st_size > 0
    assert "data:image/png;base64" in (morris_sweep / "report.html").read_text()


def test_collect_gives_a_row_per_seed_and_knows_every_job(morris_sweep):
    collected = collect(morris_sweep)
    assert len(collected.table) == 12 * 2 and not collected.incomplete
    assert not collected.never_started
    assert sorted(collected.table["seed"].unique()) == [0, 1]


def test_a_resumed_study_runs_nothing_again(morris_sweep):
    before = (morris_sweep / "0" / "seed_0" / "summary.json").stat().st_mtime_ns
    result = run_cli(
        "-m", "experiment=sensitivity", *QUICK, "hydra.sweeper.design=morris",
        "hydra.sweeper.trajectories=2", f"hydra.sweep.dir={morris_sweep}",
        "output.resume=true", timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert (morris_sweep / "0" / "seed_0" / "summary.json").stat().st_mtime_ns == before
    logs = "".join(p.read_text() for p in morris_sweep.glob("*/*.log"))
    assert logs.count("already finished, skipped") >= 12 * 2


@pytest.mark.parametrize(
    ("override", "words"),
    [
        ("seed=0,1", "a design sweep sets its own jobs"),
        ("hydra.sweeper.design=factorial", "hydra.sweeper.design"),
        ("hydra.sweeper.samples=48", "must be a power of 2"),
        ("hydra.sweeper.parameters=[no.such.key]", "must name parameters of the registry"),
    ],
)
def test_a_bad_study_is_one_line_and_runs_nothing(override: str, words: str, tmp_path: Path):
    sweep = tmp_path / "bad"
    result = run_cli("-m", "experiment=sensitivity", *QUICK, override, f"hydra.sweep.dir={sweep}")
    assert result.returncode == 2, result.stderr[-2000:]
    assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not list(sweep.glob("*/seed_*"))


def test_a_robustness_study_reports_the_share_of_worlds_where_each_conclusion_holds(
    tmp_path: Path,
):
    sweep = tmp_path / "robust"
    result = run_cli(
        "-m", "experiment=robustness", "comparison=premium_standard", *QUICK,
        "hydra.sweeper.draws=4", f"hydra.sweeper.parameters={ROBUST_PARAMETERS}",
        f"hydra.sweep.dir={sweep}", timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    table = pd.read_csv(sweep / "robustness.csv")
    assert list(table["worlds"]) == [4, 4]
    assert set(table["conclusion"]) == {
        "satisfaction_premium_end: premium_standard − standard_expectations",
        "churn_rate_annual: premium_standard − standard_expectations",
    }
    assert ((table["holds_share"] >= 0) & (table["holds_share"] <= 1)).all()
    html = (sweep / "report.html").read_text()
    assert "plausible worlds" in html and "premium_standard" in html


def test_every_launcher_runs_a_study_to_the_same_summaries(tmp_path: Path):
    """A design point is an ordinary Hydra job: run one job at a time (basic), in worker
    processes (joblib) or as a cluster would, each job its own process (submitit_local),
    the same study gives byte-identical summaries for every point and seed."""
    design = ("hydra/sweeper=design", "hydra.sweeper.design=latin", "hydra.sweeper.draws=3")
    study = ("-m", *design, f"hydra.sweeper.parameters={PARAMETERS}", *QUICK[:4])
    summaries = {}
    for launcher in ("basic", "joblib", "submitit_local"):
        sweep = tmp_path / launcher
        result = run_cli(*study, f"hydra/launcher={launcher}", f"hydra.sweep.dir={sweep}",
                         timeout=900)  # fmt: skip
        assert result.returncode == 0, result.stderr[-3000:]
        files = sorted(sweep.glob("*/seed_*/summary.json"))
        summaries[launcher] = {f.relative_to(sweep): f.read_bytes() for f in files}
    assert len(summaries["basic"]) == 3 * 2
    assert summaries["joblib"] == summaries["basic"] == summaries["submitit_local"]
