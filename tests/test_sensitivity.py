"""Global sensitivity analysis and robustness, through the code path the model's studies
take: a study designs its jobs (override lists), each job's values are parsed back from
its overrides and "run" over seeds, and the runs' rows are analysed. Here the model is a
function whose answers are known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis.uncertainty import sensitivity
from sim.analysis.uncertainty import study as design_study
from sim.analysis.uncertainty.parameters import Uncertain
from sim.analysis.uncertainty.results import analyse
from sim.analysis.uncertainty.study import Contrast, Study, StudySettings
from sim.config import ConfigError

# Ishigami & Homma (1990), a = 7, b = 0.1, inputs uniform on [−π, π]: the exact first-order
# and total indices (Saltelli et al. 2008, § 4.6; SALib's test_functions.Ishigami).
ISHIGAMI_S1 = (0.3139, 0.4424, 0.0)
ISHIGAMI_ST = (0.5576, 0.4424, 0.2437)


def ishigami(x1: float, x2: float, x3: float) -> float:
    return np.sin(x1) + 7.0 * np.sin(x2) ** 2 + 0.1 * x3**4 * np.sin(x1)


@pytest.fixture
def three_inputs(monkeypatch: pytest.MonkeyPatch) -> tuple[Uncertain, ...]:
    """A registry of Ishigami's three inputs in place of the model's."""
    registry = tuple(Uncertain(f"x{i}", -np.pi, np.pi) for i in (1, 2, 3))
    monkeypatch.setattr(sensitivity, "PARAMETERS", registry)
    return registry


def _values(overrides: list[str]) -> dict[str, float]:
    return {k: float(v) for k, _, v in (o.partition("=") for o in overrides) if k.startswith("x")}


def _runs(study: Study, seeds: int, noise: float, arm_effect=None) -> pd.DataFrame:
    """What the sweep's runs would report: Ishigami of each job's values plus seed noise
    (the same noise for every point and arm: common random numbers)."""
    rng = np.random.default_rng(7)
    seed_noise = noise * rng.standard_normal(seeds)
    rows = []
    for job in study.jobs:
        x = _values(job.overrides)
        base = ishigami(x["x1"], x["x2"], x.get("x3", 0.0))  # a parameter not varied: its default
        for seed in range(seeds):
            value = base + seed_noise[seed]
            if arm_effect is not None and job.arm == "treated":
                value += arm_effect(x)
            rows.append(
                {"stage": job.stage, "point": job.point, "arm": job.arm, "seed": seed, "y": value}
            )
    return pd.DataFrame(rows)


def test_sobol_indices_of_ishigami_are_recovered_within_their_intervals(three_inputs):
    settings = StudySettings(design="sobol", samples=1024, seed=3, outcomes=("y",))
    study = Study(settings, arguments=["scenario=x"])
    study.first_stage()
    assert len(study.jobs) == 1024 * 5  # (k + 2)·N points, one arm
    assert all(job.overrides[0] == "scenario=x" for job in study.jobs)
    results = analyse(study, _runs(study, seeds=3, noise=0.3))
    sobol = results.sobol.set_index("parameter")
    for i, key in enumerate(["x1", "x2", "x3"]):
        s1, st = sobol.loc[key, ["S1", "ST"]]
        s1_half, st_half = sobol.loc[key, ["S1_conf", "ST_conf"]]
        assert abs(s1 - ISHIGAMI_S1[i]) <= max(s1_half, 0.02), (key, s1, s1_half)
        assert abs(st - ISHIGAMI_ST[i]) <= max(st_half, 0.02), (key, st, st_half)
        assert s1_half < 0.1 and st_half < 0.1  # informative intervals, not wide ones


def test_morris_ranks_ishigami_and_sobol_follows_on_the_top_parameters(three_inputs):
    """x3 acts only through its interaction with x1: Morris sees it (σ large against μ),
    and the two-stage design hands Sobol the parameters Morris ranked first."""
    settings = StudySettings(
        design="morris_sobol", trajectories=40, samples=256, top=2, seed=1, outcomes=("y",)
    )
    study = Study(settings)
    study.first_stage()
    assert len(study.jobs) == 40 * 4
    second = study.second_stage(_runs(study, seeds=2, noise=0.1))
    assert second is not None and sorted(second.parameters) == ["x1", "x2"]
    results = analyse(study, _runs(study, seeds=2, noise=0.1))
    morris = results.morris.set_index("parameter")
    assert morris.loc["x3", "sigma"] > morris.loc["x3", "mu_star"] * 0.9  # all interaction
    assert set(results.sobol["parameter"]) == {"x1", "x2"}


def test_seeds_are_averaged_before_the_indices(three_inputs):
    """Seed noise that is the same at every point (CRN) leaves the indices as they are."""
    settings = StudySettings(design="sobol", samples=256, seed=2, outcomes=("y",))
    study = Study(settings)
    study.first_stage()
    quiet = analyse(study, _runs(study, seeds=1, noise=0.0)).sobol
    noisy = analyse(study, _runs(study, seeds=4, noise=5.0)).sobol
    np.testing.assert_allclose(noisy["ST"], quiet["ST"], atol=1e-9)


def test_robustness_counts_the_worlds_where_a_conclusion_holds_and_finds_its_driver(
    three_inputs,
):
    """A treatment worth 1 + x2/π·2: positive where x2 > −π/2 (three worlds in four);
    the share, its exact interval and the driver (x2) come out as constructed."""
    settings = StudySettings(
        design="latin",
        draws=400,
        seed=5,
        outcomes=("y",),
        arms=(("control", ()), ("treated", ("policy=treated",))),
        contrasts=(Contrast("y", "higher"),),
    )
    study = Study(settings)
    study.first_stage()
    assert {tuple(j.overrides[:1]) for j in study.jobs if j.arm == "treated"} == {
        ("policy=treated",)
    }
    rows = _runs(study, seeds=2, noise=1.0, arm_effect=lambda x: 1.0 + 2.0 * x["x2"] / np.pi)
    (result,) = analyse(study, rows).robust
    assert result.worlds == 400
    assert result.holds_low <= 0.75 <= result.holds_high
    assert abs(result.holds_share - 0.75) < 0.02  # a Latin hypercube stratifies x2
    assert result.drivers["parameter"].iloc[0] == "x2" and result.drivers["rho"].iloc[0] > 0.9
    key, _, below, above = result.split
    assert key == "x2" and below < 0.6 and above == 1.0


def test_settings_are_checked_with_the_key_named(three_inputs):
    for raw, key in [
        ({"design": "fractional"}, "hydra.sweeper.design"),
        ({"parameters": ["nope"]}, "hydra.sweeper.parameters"),
        ({"samples": 100}, "hydra.sweeper.samples"),
        ({"design": "morris_sobol", "top": 9}, "hydra.sweeper.top"),
        ({"contrasts": [{"metric": "y"}]}, "hydra.sweeper.contrasts"),
    ]:
        with pytest.raises(ConfigError) as error:
            StudySettings.from_mapping(raw)
        assert error.value.key == key


def test_a_study_survives_its_file(three_inputs):
    settings = StudySettings(design="morris", trajectories=3, outcomes=("y",))
    study = Study(settings, ["size=tiny"])
    study.first_stage()
    again = Study.from_dict(study.to_dict())
    assert again.settings == study.settings
    assert [j.overrides for j in again.jobs] == [j.overrides for j in study.jobs]
    np.testing.assert_array_equal(again.stages[0].unit, study.stages[0].unit)


def test_a_missing_point_is_named():
    settings = StudySettings(design="latin", draws=4, outcomes=("churn_rate_annual",))
    study = Study(settings)
    study.first_stage()
    rows = pd.DataFrame(
        [{"stage": 0, "point": p, "arm": "", "seed": 0, "churn_rate_annual": 0.1} for p in (0, 1)]
    )
    with pytest.raises(ValueError, match="no finished run for 2 of 4 points"):
        design_study.outcomes_by_point(study, 0, rows)


def test_a_conclusion_holds_where_the_effect_has_its_stated_sign():
    """ "Lower" holds where the arm's metric fell: the same effects give the complementary
    share for the opposite conclusion (and an effect of exactly 0 holds for neither)."""
    from sim.analysis.uncertainty.robustness import robustness

    space = sensitivity.Space.of()
    unit = np.random.default_rng(0).random((10, len(space.keys)))
    effects = np.array([-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    higher = robustness("net_value: a − b", "higher", effects, space, unit)
    lower = robustness("net_value: a − b", "lower", effects, space, unit)
    assert (higher.holds_share, lower.holds_share) == (0.6, 0.3)
    assert lower.holds_high < higher.holds_high
