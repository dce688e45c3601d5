"""Output analysis: MSER-5 finds a known transient and leaves a stationary series alone;
replication advice reaches its target half-width; the sequential procedure stops there
with an interval that still covers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.analysis.statistics.output_analysis import (
    mser_truncation_days,
    seeds_for,
    seeds_needed,
    sequential_replications,
    warmup_findings,
)
from sim.analysis.statistics.replications import mean_ci

DAYS = np.arange(120)


def transient(seed: int) -> np.ndarray:
    """A queue that starts 10 above its level and settles with a time constant of 8 days."""
    return 5 + 10 * np.exp(-DAYS / 8) + np.random.default_rng(seed).normal(0, 0.5, DAYS.size)


def stationary(seed: int) -> np.ndarray:
    return 5 + np.random.default_rng(seed).normal(0, 0.5, DAYS.size)


def test_mser5_truncates_a_known_transient_and_not_a_stationary_series():
    cut_transient = [mser_truncation_days(transient(seed)) for seed in range(50)]
    cut_stationary = [mser_truncation_days(stationary(seed)) for seed in range(50)]
    # 10·e^{−t/8} falls below the noise's half-width of a 5-day mean (0.22) after ≈ 30 days.
    assert min(cut_transient) >= 20 and np.median(cut_transient) <= 45
    assert np.median(cut_stationary) <= 5
    assert mser_truncation_days(np.ones(15)) is None  # three batches: nothing to judge


def test_the_warmup_check_flags_a_short_warmup_and_passes_a_long_one():
    runs = [{"day": DAYS, "backlog_end": transient(seed)} for seed in range(4)]
    (short,) = warmup_findings(runs, ["backlog_end", "absent"], warmup_days=7)
    (long,) = warmup_findings(runs, ["backlog_end"], warmup_days=60)
    assert short.too_short and not long.too_short and short.runs == 4
    assert 20 <= short.truncation_days <= 60
    # Before a scheduled incident only: the days after it are not examined.
    spiked = [
        {"day": DAYS, "backlog_end": np.where(DAYS >= 60, 50.0, stationary(s))} for s in range(4)
    ]
    (before,) = warmup_findings(spiked, ["backlog_end"], warmup_days=7, until_day=60)
    assert not before.too_short


def test_the_advised_number_of_seeds_reaches_the_target_half_width():
    """From a pilot of 10 seeds (σ = 2), the advice for ±0.5; then that many fresh seeds,
    200 times: their half-widths centre on the target."""
    rng = np.random.default_rng(11)
    pilot = rng.normal(0.0, 2.0, 10)
    n = seeds_needed(pilot, 0.5)
    assert n == seeds_for(mean_ci(pilot), 0.5)  # the same advice from a stated interval
    widths = [mean_ci(rng.normal(0.0, 2.0, n)).half_width for _ in range(200)]
    # Off the target only by the pilot's error in σ (its s is an estimate of 2).
    assert np.median(widths) == pytest.approx(0.5 * 2.0 / np.std(pilot, ddof=1), rel=0.05)
    assert np.median(widths) == pytest.approx(0.5, rel=0.25)
    # With the true σ the advice is the textbook one: t·2/√n ≤ 0.5 first at n = 64.
    assert seeds_needed([-np.sqrt(2), np.sqrt(2)], 0.5) == 64  # sample sd exactly 2


def test_the_sequential_procedure_stops_at_the_target_with_an_interval_that_covers():
    hits, sizes = 0, []
    for trial in range(300):
        rng = np.random.default_rng(1000 + trial)
        draws = rng.normal(3.0, 1.5, 2000)
        estimate = sequential_replications(draws.__getitem__, half_width=0.4)
        assert estimate.half_width <= 0.4
        hits += estimate.low <= 3.0 <= estimate.high
        sizes.append(estimate.n)
    assert hits / 300 >= 0.9  # sequential stopping costs a little coverage, not much
    assert 40 <= np.median(sizes) <= 70  # t·1.5/√n ≤ 0.4 near n = 56


def test_the_report_warns_of_a_short_warmup_and_advises_seeds_for_the_decision():
    from sim.analysis.reporting.build import SweepData, build_report
    from sim.config.report import ReportConfig

    rng = np.random.default_rng(5)
    rows, series = [], {}
    for policy, effect in (("a", 0.0), ("b", 1.0)):
        for seed in range(4):
            run_dir = f"/r/{policy}{seed}"
            rows.append({"policy": policy, "seed": seed, "run_dir": run_dir,
                         "net_value": 10.0 + effect + rng.normal(0, 0.4)})  # fmt: skip
            series[run_dir] = pd.DataFrame({"day": DAYS, "backlog_end": transient(seed)})
    data = SweepData(
        pd.DataFrame(rows), ["policy", "seed"], series=series, run_config={"warmup_days": 7}
    )
    settings = ReportConfig(metrics=["net_value"], series=[], objective="net_value")
    text = build_report(data, settings).markdown
    assert "**Warm-up too short:** MSER on the daily backlog at the end of 8 runs" in text
    table = data.table.set_index(["policy", "seed"])["net_value"]
    gap = mean_ci((table["b"] - table["a"]).to_numpy())
    advice = seeds_for(gap, abs(gap.mean) / 2)
    assert f"over 4 seeds; an interval of ± half that difference takes about {advice} seeds" in text
    long = SweepData(data.table, ["policy", "seed"], series=series, run_config={"warmup_days": 60})
    assert "is enough" in build_report(long, settings).markdown
