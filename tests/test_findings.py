"""The report's summary in words says what the numbers say: every number of each sentence
against an independent t-interval on a constructed sweep table with known differences,
the recommendation, and "no clear winner" when the best two cannot be told apart."""

from __future__ import annotations

import math
import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.analysis.reporting.build import SweepData, build_report
from sim.config.report import ReportConfig

SEEDS = range(8)
METRICS = ["churn_rate_annual", "net_value", "cost_total", "service_level"]


def constructed_table() -> pd.DataFrame:
    """Outreach lowers churn by 5 points and adds $2.3 M of value for $0.5 M of cost;
    deflection changes nothing but noise and adds as much value as outreach, give or
    take $20,000 a seed; nothing moves the service level beyond noise."""
    rng = np.random.default_rng(11)
    rows = []
    for seed in SEEDS:
        churn, value, cost = 0.18 + 0.004 * seed, 80e6 + 1e5 * seed, 1.6e6 + 1e4 * seed
        level = 0.8 + 0.01 * rng.normal()
        arms = {
            "baseline": (churn, value, cost, level),
            "outreach": (churn - 0.05 + 0.002 * rng.normal(), value + 2.3e6, cost + 5e5, level),
            "deflection": (
                churn + 0.0005 * rng.normal(),
                value + 2.3e6 + 2e4 * rng.normal(),
                cost,
                level + 0.002 * rng.normal(),
            ),
        }
        for policy, (c, v, k, s) in arms.items():
            rows.append({"policy": policy, "seed": seed, "churn_rate_annual": c, "net_value": v,
                         "cost_total": k, "service_level": s, "days_measured": 113.0,
                         "run_dir": f"/runs/{policy}/{seed}"})  # fmt: skip
    return pd.DataFrame(rows)


def t_interval(values: np.ndarray) -> tuple[float, float, float]:
    half = stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / math.sqrt(len(values))
    return values.mean(), values.mean() - half, values.mean() + half


def paired(table: pd.DataFrame, arm: str, key: str, against: str = "baseline") -> np.ndarray:
    by_policy = {p: rows.set_index("seed")[key] for p, rows in table.groupby("policy")}
    return (by_policy[arm] - by_policy[against]).to_numpy()


def summary_of(objective: str) -> tuple[pd.DataFrame, str]:
    table = constructed_table()
    settings = ReportConfig(
        reference={"policy": "baseline"}, metrics=METRICS, series=[], objective=objective
    )
    report = build_report(SweepData(table, ["policy", "seed"]), settings)
    for figure in report.figures:
        plt.close(figure.figure)
    text = report.markdown
    return table, text[text.index("## Summary") : text.index("## What was compared")]


def value_of(text: str) -> float:
    """A number as a sentence writes it, in the metric's own units."""
    scale = 0.01 if text.endswith("points") else 1e6 if text.endswith("M") else 1.0
    digits = re.sub(r"[^0-9.\-]", "", text.replace("−", "-").split(" ")[0])
    return float(digits) * scale


def change_in(sentence: str, label: str) -> tuple[float, float, float]:
    """(difference, CI low, CI high) that the sentence states for one outcome."""
    number = r"([^ )]+(?: points| M)?)"
    found = re.search(rf"{label} {number} \(95% CI {number} to {number}\)", sentence)
    assert found, (label, sentence)
    centre, low, high = found.groups()
    unit = next((u for u in (" points", " M") if high.endswith(u)), "")
    return value_of(centre), value_of(low + unit), value_of(high)


def test_each_sentence_states_the_paired_differences_and_their_intervals():
    table, summary = summary_of("net_value")
    outreach = next(line for line in summary.splitlines() if "**Outreach**" in line)
    for key, label, tolerance in (
        ("churn_rate_annual", "annual churn", 1e-4),
        ("cost_total", "total cost", 1e4),
    ):
        if key == "cost_total":  # the same $0.5 M in every seed: no interval to state
            assert "total cost +$500,000 (the same in every seed)" in outreach
            continue
        shown = change_in(outreach, label)
        for stated, expected in zip(shown, t_interval(paired(table, "outreach", key))):
            assert stated == pytest.approx(expected, abs=tolerance), (key, shown)
        assert shown[0] < 0 and shown[2] < 0  # down, and clearly so
    assert "net value (customer lifetimes) +$2.30 M (the same in every seed)" in outreach
    assert "no clear change in service level" in outreach
    deflection = next(line for line in summary.splitlines() if "**Deflection**" in line)
    assert "no clear change in annual churn" in deflection
    shown = change_in(deflection, r"net value \(customer lifetimes\)")
    for stated, expected in zip(shown, t_interval(paired(table, "deflection", "net_value"))):
        assert stated == pytest.approx(expected, abs=1e3)
    assert "Means over 113 measured days, 8 seeds" in summary


def test_no_clear_winner_when_the_best_two_overlap():
    table, summary = summary_of("net_value")
    best_two = paired(table, "deflection", "net_value", against="outreach")
    _, low, high = t_interval(best_two)
    assert low < 0 < high  # the constructed case really is a tie
    assert "No clear winner on net value (customer lifetimes)" in summary
    assert "**Deflection** and **Outreach**" in summary or (
        "**Outreach** and **Deflection**" in summary
    )
    assert "includes zero" in summary and "over 8 seeds" in summary


def test_the_recommendation_names_the_clear_best_with_its_margin_and_a_tie_as_a_tie():
    _, summary = summary_of("cost_total")  # baseline and deflection cost the same: a tie
    assert "No clear winner on total cost" in summary and "$0 ± 0" in summary
    table, summary = summary_of("churn_rate_annual")
    line = next(line for line in summary.splitlines() if line.startswith("Recommendation"))
    assert "**Outreach**, with the lowest annual churn" in line
    means = table.groupby("policy")["churn_rate_annual"].mean().sort_values()
    runner_up = means.index[1]
    assert f"next best, **{runner_up.capitalize()}**" in line
    margin = -paired(table, "outreach", "churn_rate_annual", against=runner_up)
    stated = re.search(r"churn: ([0-9.]+) ± ([0-9.]+) points lower", line)
    assert stated, line
    mean, _, high = t_interval(margin)
    assert float(stated.group(1)) / 100 == pytest.approx(mean, abs=1e-4)
    assert float(stated.group(2)) / 100 == pytest.approx(high - mean, rel=0.05)
