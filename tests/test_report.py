"""The report says what the statistics say: its numbers against an independent computation
on a constructed sweep table, and against the comparison tables it is built from."""

from __future__ import annotations

import math
import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.analysis.metrics_registry import metric as registry_entry
from sim.analysis.reporting.build import SweepData, build_report
from sim.analysis.statistics.comparison import design, paired_comparisons, summarise
from sim.config.report import ReportConfig

SEEDS = range(6)
METRICS = ["churn_rate_annual", "cost_total"]
METRICS_SHOWN = [registry_entry(key).label for key in METRICS]  # the tables show labels, not keys
LABELS = dict(zip(METRICS_SHOWN, METRICS))


def constructed_table() -> pd.DataFrame:
    """Two policies over six seeds with known values: the outreach arm lowers churn by
    0.05 (with a little seed-level noise) and costs 2,000 more."""
    rng = np.random.default_rng(3)
    rows = []
    for seed in SEEDS:
        base_churn, base_cost = 0.20 + 0.01 * seed, 100_000.0 + 500.0 * seed
        noise = rng.normal(0.0, 0.002)
        for policy, churn, cost in (
            ("baseline", base_churn, base_cost),
            ("outreach", base_churn - 0.05 + noise, base_cost + 2000.0),
        ):
            rows.append(
                {"policy": policy, "seed": seed, "churn_rate_annual": churn, "cost_total": cost,
                 "run_dir": f"/runs/{policy}/{seed}"}
            )  # fmt: skip
    return pd.DataFrame(rows)


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def markdown_table(text: str, first_columns: list[str]) -> tuple[list[str], list[list[str]]]:
    """(header, body rows) of the first Markdown table whose header starts so."""
    lines = text.splitlines()
    start = next(
        i
        for i, line in enumerate(lines)
        if line.startswith("|") and cells(line)[: len(first_columns)] == first_columns
    )
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(cells(line))
    return cells(lines[start]), rows


def number(text: str) -> float:
    """A number as the report writes it: −5.04, +$2,000, 17.5 (units stripped)."""
    text = text.strip().replace("−", "-").replace("+", "").replace("$", "").replace(",", "")
    return float(text)


def parse_cell(cell: str) -> tuple[float, float]:
    """(mean, half-width) in the metric's own units from ``17.5 ± 1.9 %``,
    ``−5.04 ± 0.31 points``, ``$85.41 ± 0.12 M`` or ``+$2,000 ± 0``."""
    scale = 1.0
    for suffix, factor in ((" points", 0.01), (" %", 0.01), (" M", 1e6), (" min", 1.0)):
        if cell.endswith(suffix):
            cell, scale = cell[: -len(suffix)], factor
    mean, _, half = cell.partition(" ± ")
    return number(mean) * scale, number(half) * scale


@pytest.fixture(scope="module")
def built():
    table = constructed_table()
    settings = ReportConfig(reference={"policy": "baseline"}, metrics=METRICS, series=[])
    report = build_report(SweepData(table, ["policy", "seed"]), settings)
    yield table, report
    for figure in report.figures:
        plt.close(figure.figure)


def test_paired_differences_are_the_seed_by_seed_t_intervals(built):
    table, report = built
    _, rows = markdown_table(report.markdown, ["configuration", "reference"])
    found = {LABELS[row[2]]: parse_cell(row[3]) for row in rows}
    base = table[table["policy"] == "baseline"].set_index("seed")
    treated = table[table["policy"] == "outreach"].set_index("seed")
    for metric in METRICS:
        diff = (treated[metric] - base[metric]).to_numpy()
        half = stats.t.ppf(0.975, len(diff) - 1) * diff.std(ddof=1) / math.sqrt(len(diff))
        mean, shown_half = found[metric]
        assert mean == pytest.approx(diff.mean(), abs=half / 10 or 1e-9)  # to the CI's precision
        if half > 0:
            assert shown_half == pytest.approx(half, rel=0.05)  # 2 significant digits
    assert found["churn_rate_annual"][0] == pytest.approx(-0.05, abs=0.003)
    assert found["cost_total"] == (2000.0, 0.0)


def test_outcome_table_shows_the_comparison_module_s_means(built):
    table, report = built
    summary = summarise(table, design(table, ["policy", "seed"]), METRICS)
    columns, rows = markdown_table(report.markdown, ["configuration", *METRICS_SHOWN])
    for row in rows:
        for metric, shown in zip(METRICS, METRICS_SHOWN):
            mean, half = parse_cell(row[columns.index(shown)])
            expected = summary[
                (summary["configuration"] == row[0]) & (summary["metric"] == metric)
            ].iloc[0]
            assert mean == pytest.approx(expected["mean"], abs=expected["half_width"] / 10)
            assert half == pytest.approx(expected["half_width"], rel=0.05)
        assert row[columns.index("seeds")] == str(len(SEEDS))


def test_crn_factor_in_the_report_is_the_comparison_s(built):
    table, report = built
    paired = paired_comparisons(
        table, design(table, ["policy", "seed"]), {"policy": "baseline"}, METRICS
    )
    churn = paired[paired["metric"] == "churn_rate_annual"].iloc[0]
    _, rows = markdown_table(report.markdown, ["configuration", "reference"])
    shown = next(row for row in rows if LABELS[row[2]] == "churn_rate_annual")
    assert shown[5] == f"{churn['crn_factor']:.1f}×"
    assert float(re.sub("×", "", shown[5])) > 3  # the noise was mostly shared by the seeds
