"""The report's staffing view on a constructed staffing sweep with known structure: the
efficient configurations, the cheapest one as good as the best (checked against a brute
force over independent t-intervals), the table's numbers, and no view without staffing."""

from __future__ import annotations

import math
import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.analysis.metrics_registry import HIGHER, LOWER
from sim.analysis.reporting.build import SweepData, build_report
from sim.analysis.reporting.staffing_view import cheapest_as_good
from sim.analysis.statistics.comparison import design
from sim.analysis.statistics.selection import efficient
from sim.config.report import ReportConfig

PHONE = "staffing.extra_agents.phone"
EXTRA = [-4, 0, 4, 8]
SEEDS = range(8)


def constructed_table() -> pd.DataFrame:
    """Each extra agent costs $50,000; service rises and saturates; churn falls; net value
    peaks from +4 on, +8 a few thousand dollars above +4 with more noise than that."""
    rng = np.random.default_rng(5)
    noisy = rng.normal(size=len(SEEDS))
    wide = 2e4 * (noisy - noisy.mean())  # +8's value noise, mean zero over the seeds
    rows = []
    for seed in SEEDS:
        base_value, base_cost = 80e6 + 2e5 * seed, 1.5e6 + 2e4 * seed
        for extra in EXTRA:
            value = base_value + {-4: -1e6, 0: 0.0, 4: 5e5, 8: 5.03e5}[extra]
            rows.append({
                PHONE: extra, "seed": seed, "run_dir": f"/runs/{extra}/{seed}",
                "cost_total": base_cost + 5e4 * extra + 1e3 * rng.normal(),
                "service_level": {-4: 0.6, 0: 0.8, 4: 0.9, 8: 0.95}[extra] + 0.002 * rng.normal(),
                "churn_rate_annual": 0.2 - 0.004 * extra + 0.001 * rng.normal(),
                "net_value": value + (wide[seed] if extra == 8 else 2e3 * rng.normal()),
                "days_measured": 120.0,
            })  # fmt: skip
    return pd.DataFrame(rows)


def brute_force_choice(table: pd.DataFrame, objective: str, better: float) -> int:
    """The cheapest staffing whose paired t-interval against the best includes zero."""
    by = {x: rows.set_index("seed") for x, rows in table.groupby(PHONE)}
    best = max(EXTRA, key=lambda x: better * by[x][objective].mean())
    as_good = [best]
    for x in EXTRA:
        gaps = (by[x][objective] - by[best][objective]).to_numpy()
        half = stats.t.ppf(0.975, len(gaps) - 1) * gaps.std(ddof=1) / math.sqrt(len(gaps))
        if x != best and abs(gaps.mean()) <= half:
            as_good.append(x)
    return min(as_good, key=lambda x: by[x]["cost_total"].mean())


def test_efficient_points_are_those_no_other_beats_on_cost_and_outcome():
    costs = [1.0, 2.0, 3.0, 4.0, 2.0]
    values = [5.0, 4.0, 7.0, 6.0, 6.0]
    assert efficient(costs, values, HIGHER) == [0, 4, 2]
    assert efficient(costs, values, LOWER) == [0, 1]


def test_the_cheapest_staffing_as_good_as_the_best_is_brute_forces_choice():
    table = constructed_table()
    design_ = design(table, [PHONE, "seed"])
    found = cheapest_as_good(table, design_, "net_value", "cost_total", 0.95)
    assert found.best == f"{PHONE} = 8" and found.choice == f"{PHONE} = 4"
    assert brute_force_choice(table, "net_value", 1.0) == 4
    by = {x: rows.set_index("seed") for x, rows in table.groupby(PHONE)}
    saving = (by[8]["cost_total"] - by[4]["cost_total"]).to_numpy()
    assert found.saving.mean == pytest.approx(saving.mean()) and found.saving.low > 1.9e5
    assert found.gap.low < 0 < found.gap.high
    # On service level every cheaper staffing is clearly worse: the best is the choice.
    level = cheapest_as_good(table, design_, "service_level", "cost_total", 0.95)
    assert level.choice == level.best == f"{PHONE} = 8"
    assert brute_force_choice(table, "service_level", 1.0) == 8


@pytest.fixture(scope="module")
def report_text() -> str:
    settings = ReportConfig(reference={PHONE: 0}, metrics=["net_value"], series=[])
    report = build_report(SweepData(constructed_table(), [PHONE, "seed"]), settings)
    names = [figure.name for figure in report.figures]
    for figure in report.figures:
        plt.close(figure.figure)
    assert "staffing" in names
    return report.markdown


def test_the_staffing_table_states_the_sweeps_means_and_which_are_efficient(report_text):
    table = constructed_table()
    section = report_text[report_text.index("## Staffing") :]
    rows = [line for line in section.splitlines() if re.match(r"\|\s*\d+\s*\|", line)]
    assert len(rows) == len(EXTRA)
    for row, extra in zip(rows, EXTRA):
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        runs = table[table[PHONE] == extra]
        assert cells[1] == f"{PHONE} = {extra}"
        cost_m = float(cells[2].split(" ± ")[0].lstrip("$").rstrip(" M"))
        assert cost_m == pytest.approx(runs["cost_total"].mean() / 1e6, abs=0.01)
        level = float(cells[3].split(" ± ")[0])
        assert level == pytest.approx(100 * runs["service_level"].mean(), abs=0.1)
        # Churn falls and service rises with every agent: all four are efficient on both;
        # net value does not rise from +4 to +8 by more than noise, but +8's mean is higher.
        assert "service level" in cells[-1] and "churn" in cells[-1].lower()
    efficient_on_value = [extra for row, extra in zip(rows, EXTRA) if "net value" in row.lower()]
    assert efficient_on_value == [-4, 0, 4, 8]


def test_the_summary_names_the_cheapest_staffing_as_good_as_the_best(report_text):
    summary = report_text[report_text.index("## Summary") : report_text.index("## What was")]
    sentence = next(line for line in summary.splitlines() if line.startswith("Staffing:"))
    table = constructed_table()
    by = {x: rows.set_index("seed") for x, rows in table.groupby(PHONE)}
    expected = {}
    for key, low, high in (("cost_total", 8, 4), ("net_value", 4, 8)):
        gaps = (by[low][key] - by[high][key]).to_numpy()
        half = stats.t.ppf(0.975, len(gaps) - 1) * gaps.std(ddof=1) / math.sqrt(len(gaps))
        expected[key] = (gaps.mean(), gaps.mean() - half, gaps.mean() + half)
    money = r"(−?\$[\d,]+)"
    said = re.search(
        rf"\*\*{PHONE} = 4\*\* is the cheapest .* costs {money} less than \*\*{PHONE} = 8\*\* "
        rf"\(paired 95% CI {money} to {money}\).* by ([+−]\$[\d,]+) \(95% CI "
        rf"([+−]\$[\d,]+) to ([+−]\$[\d,]+)\), an interval that includes zero",
        sentence,
    )
    assert said, sentence
    numbers = [float(g.replace("−", "-").replace("$", "").replace(",", "")) for g in said.groups()]
    assert numbers[:3] == pytest.approx(expected["cost_total"], abs=1.0)
    assert numbers[3:] == pytest.approx(expected["net_value"], abs=1.0)


def test_a_sweep_that_keeps_staffing_fixed_has_no_staffing_view():
    table = constructed_table().rename(columns={PHONE: "policy"})
    table["policy"] = table["policy"].map({-4: "a", 0: "b", 4: "c", 8: "d"})
    report = build_report(
        SweepData(table, ["policy", "seed"]), ReportConfig(metrics=["net_value"], series=[])
    )
    for figure in report.figures:
        plt.close(figure.figure)
    assert "## Staffing" not in report.markdown
    assert "staffing" not in [figure.name for figure in report.figures]
