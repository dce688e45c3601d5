"""Statistics of a sweep table: design, means with CIs, paired differences against a reference."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.analysis.statistics.comparison import design, paired_comparisons, reference_of, summarise


def synthetic_table(seeds: int = 10) -> pd.DataFrame:
    """churn = shared seed noise (sd 1) + policy effect + culture effect + small own noise."""
    rng = np.random.default_rng(0)
    shared = rng.normal(0, 1.0, seeds)
    effect = {"baseline": 0.0, "outreach": -0.5}
    culture = {"a": 0.0, "b": 2.0}
    rows = []
    for c in culture:
        for p in effect:
            for s in range(seeds):
                churn = 10 + shared[s] + effect[p] + culture[c] + rng.normal(0, 0.05)
                rows.append({"run_dir": f"{c}{p}{s}", "policy": p, "culture": c, "seed": s,
                             "experiment": "x", "churn": churn, "undefined": None})  # fmt: skip
    return pd.DataFrame(rows)


def test_design_splits_factors_from_constants():
    table = synthetic_table()
    found = design(table, ["policy", "culture", "experiment", "seed"])
    assert found.factors == ["policy", "culture"] and found.constants == {"experiment": "x"}
    assert found.label({"policy": "outreach", "culture": "b"}) == "policy outreach, culture b"
    assert reference_of({"policy": "outreach", "culture": "b"}, {"policy": "baseline"}) == {
        "policy": "baseline",
        "culture": "b",
    }


def test_summary_is_a_student_t_interval_per_configuration():
    table = synthetic_table()
    found = design(table, ["policy", "culture"])
    summary = summarise(table, found, ["churn", "undefined"])
    row = summary[(summary["configuration"] == "policy baseline, culture a")].iloc[0]
    data = table[(table["policy"] == "baseline") & (table["culture"] == "a")]["churn"]
    half = stats.t.ppf(0.975, len(data) - 1) * data.std(ddof=1) / np.sqrt(len(data))
    assert row["mean"] == pytest.approx(data.mean()) and row["half_width"] == pytest.approx(half)
    undefined = summary[summary["metric"] == "undefined"]
    assert (undefined["n"] == 0).all()  # nulls are not averaged in as zeros


def test_paired_differences_within_each_culture_and_their_crn_factor():
    table = synthetic_table()
    found = design(table, ["policy", "culture"])
    paired = paired_comparisons(table, found, {"policy": "baseline"}, ["churn"])
    assert list(paired["reference"]) == ["policy baseline, culture a", "policy baseline, culture b"]
    assert paired["difference"].to_numpy() == pytest.approx([-0.5, -0.5], abs=0.08)
    # The shared seed noise (sd 1) cancels in the pairs (own noise sd 0.05): ~20× narrower.
    assert (paired["crn_factor"] > 8).all()
    with pytest.raises(ValueError, match="did not vary"):
        paired_comparisons(table, found, {"staffing": "lean"}, ["churn"])
    held = design(table[table["culture"] == "a"], ["policy", "culture"])
    assert held.constants == {"culture": "a"}  # a reference key held at its value is fine
    only_a = table[table["culture"] == "a"]
    reference = {"policy": "baseline", "culture": "a"}
    assert len(paired_comparisons(only_a, held, reference, ["churn"])) == 1
