"""Long horizons: ten simulated years end with finite outputs and flat memory.

Memory is flat by construction (docs/reliability.md): statistics are streamed counters,
retention is tallied as customers leave, and only the daily rows grow with the horizon
(about 0.4 MiB per simulated year). The CI test runs ten years of a scaled-down default
organisation (``size=tiny``: 10,000 customers); ``make long`` runs the full default
scenario for ten years and prints its figures.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.model.org import SupportOrg
from sim.units import DAYS_PER_YEAR

from .conftest import ROOT, compose_config
from .test_invariants import check_everything

STATM = Path("/proc/self/statm")
YEARS = 10
# After the first years, resident memory may grow by the daily rows (~0.4 MiB a year) and
# the free-slot list while the population shrinks (bounded by its capacity): under 1% a
# year of what it was after year 2, and 15% over the whole decade, end-of-run work included.
STEADY_GROWTH_PER_YEAR = 0.01
WHOLE_RUN_GROWTH = 0.15


def rss_mib() -> float:
    """Resident memory of this process now (Linux)."""
    return int(STATM.read_text().split()[1]) * 4096 / 2**20


def measure(size: str, years: int) -> dict:
    """Run the default scenario at ``size`` (``configs/size/``) sampling this process's memory
    each year; check every invariant; return the figures (JSON-ready)."""
    config = compose_config(
        [
            f"horizon_days={years * DAYS_PER_YEAR:g}",
            f"size={size}",
        ]
    )
    rss_by_year: dict[int, float] = {}

    def on_day(day: int) -> None:
        if day % DAYS_PER_YEAR == 0:
            rss_by_year[int(day // DAYS_PER_YEAR)] = rss_mib()

    started = time.perf_counter()
    org = SupportOrg(config, seed=0, on_day=on_day)
    result = org.run()
    rss_by_year[years] = rss_mib()
    check_everything(org, result.summary, result.timeseries)
    assert len(result.timeseries["day"]) == years * DAYS_PER_YEAR
    keys = ("customers_start", "customers_end", "churn_rate_annual")
    return {
        "seconds": time.perf_counter() - started,
        "rss_by_year": rss_by_year,
        "summary": {key: result.summary[key] for key in keys},
    }


def run_for_years(size: str, years: int) -> dict:
    """:func:`measure` in a fresh interpreter, so the memory read is the run's own and not
    that of a test worker other tests have grown."""
    script = (
        "import json, sys; from tests.test_long_horizon import measure; "
        f"json.dump(measure({size!r}, {years}), sys.stdout)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout)
    rss_by_year = {int(year): mib for year, mib in figures["rss_by_year"].items()}
    summary = figures["summary"]
    base = rss_by_year[2]
    steady = (rss_by_year[years - 1] - base) / (years - 3) / base
    whole = rss_by_year[years] / base - 1
    print(
        f"\nsize {size} × {years} years: {figures['seconds']:.0f} s; RSS by year "
        f"(MiB) { {y: round(m) for y, m in rss_by_year.items()} }; after year 2: "
        f"{steady:.2%}/year, {whole:.1%} to the end; customers {summary['customers_start']} "
        f"→ {summary['customers_end']}; churn {summary['churn_rate_annual']:.3f}/year"
    )
    assert steady < STEADY_GROWTH_PER_YEAR and whole < WHOLE_RUN_GROWTH, rss_by_year
    return summary


@pytest.mark.skipif(not STATM.exists(), reason="memory is read from /proc (Linux)")
def test_ten_years_of_a_scaled_down_organisation_keep_memory_flat():
    summary = run_for_years("tiny", YEARS)
    assert 0.5 < summary["customers_end"] / summary["customers_start"] < 2.0  # scaled alike


@pytest.mark.long
@pytest.mark.skipif(not STATM.exists(), reason="memory is read from /proc (Linux)")
def test_ten_years_of_the_default_scenario_keep_memory_flat():
    run_for_years("reference", YEARS)
