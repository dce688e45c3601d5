"""Validation: the reference organisation looks like a real one, in steady state.

Every band of ``sim.analysis.reference.BANDS`` (sources in ``docs/calibration.md``) holds
for the default organisation over a year, with the 95 % CI of the mean over five seeds
inside the band; with expectations frozen the organisation is stationary from its first
measured day.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.analysis.reference import BANDS, estimates, misses
from sim.analysis.statistics.replications import replicate, replicate_runs

from .conftest import compose_config

pytestmark = pytest.mark.validation


def test_the_default_organisation_lands_inside_every_band():
    runs = replicate(compose_config([]), range(5), workers=2)
    found = estimates(runs)
    report = "\n".join(f"{b.label}: {found[b.key]}" for b in BANDS)
    assert not misses(runs), report
    # Churn decomposed: part of it no service can prevent, most of the rest is service's.
    unpreventable = np.mean([s["churn_rate_unpreventable_annual"] for s in runs])
    service = np.mean([s["churn_rate_service_annual"] for s in runs])
    assert 0.03 < unpreventable < service
    # Attrition realised (quits per agent-year), not only the hazard the band reads.
    realised = np.mean([s["agent_attrition_annual"] for s in runs])
    assert 0.25 <= realised <= 0.50, realised


def yearly(result, key: str) -> np.ndarray:
    """A daily series summed (counts) per measured year."""
    measured = ~np.asarray(result.timeseries["in_warmup"], dtype=bool)
    values = np.asarray(result.timeseries[key], dtype=float)[measured]
    return values[: len(values) // 365 * 365].reshape(-1, 365)


def test_with_expectations_frozen_the_organisation_is_in_steady_state_from_day_one():
    config = compose_config(["horizon_days=1102", "customers.expectations.drift=false"])
    for result in replicate_runs(config, range(2), workers=2):
        customers = yearly(result, "customers_end").mean(axis=1)
        churn = yearly(result, "customers_churned").sum(axis=1) / customers
        moves = np.abs(np.diff(np.concatenate([[result.summary["customers_start"]], customers])))
        assert np.all(moves / customers < 0.03), customers
        assert abs(churn[2] / churn[0] - 1.0) < 0.10, churn
