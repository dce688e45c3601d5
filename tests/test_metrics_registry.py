"""One registry of how every metric reads (``sim.analysis.metrics_registry``): it knows
every key a run writes, agrees with the unit column of ``docs/metrics.md``, and formats
numbers as people read them."""

from __future__ import annotations

import json
import re

import pytest

from sim.analysis.metrics_registry import (
    format_estimate,
    format_interval,
    format_value,
    metric,
    money,
)
from sim.config import CHANNELS
from sim.model.org import daily_columns

from .conftest import ROOT

POOLS = [*CHANNELS, "tier2", "tier3"]


def every_key_a_run_writes() -> set[str]:
    """The summary keys of the golden runs (all scenarios' mechanisms on) and the daily
    columns."""
    keys = set(daily_columns(POOLS))
    for path in (ROOT / "tests" / "golden").glob("*.summary.json"):
        keys |= set(json.loads(path.read_text()))
    return keys


def test_every_key_a_run_writes_has_a_label_unit_and_direction():
    for key in sorted(every_key_a_run_writes()):
        entry = metric(key)
        assert entry.label and entry.label != key and "_" not in entry.label, key
        assert entry.better in ("higher", "lower", "neither"), key
    with pytest.raises(ValueError, match="not in the metric registry"):
        metric("no_such_metric")


def test_the_units_are_those_of_docs_metrics():
    text = (ROOT / "docs" / "metrics.md").read_text()
    checked = 0
    header: list[str] = []
    for line in text.splitlines():
        if not line.startswith("|"):
            header = []
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not header:
            header = cells
            continue
        if header != ["key", "unit", "definition"] or not line.startswith("| `"):
            continue  # other tables (the event log's columns) are not metrics
        for key in re.findall(r"`([a-z_{}0-9]+)`", cells[0]):
            key = key.replace("{pool}", "tier2").replace("{channel}", "phone")
            assert metric(key).unit == cells[1], (key, cells[1], metric(key).unit)
            checked += 1
    assert checked > 120


def test_numbers_read_as_people_read_them():
    assert format_value("service_level", 0.7994) == "79.9 %"
    assert format_value("customers_end", 503_912) == "503,912"
    assert money(1_623_400) == "$1.62 M" and money(85_412) == "$85,400"
    assert money(9.114, "€") == "€9.11" and money(-480_000) == "−$480,000"
    assert format_estimate("churn_rate_annual", 0.16723, 0.0005) == "16.723 ± 0.050 %"
    assert format_estimate("net_value", 85_412_345, 120_000) == "$85.41 ± 0.12 M"
    assert format_estimate("churn_rate_annual", -0.0054, 0.0006, signed=True) == (
        "−0.540 ± 0.060 points"
    )
    assert format_estimate("contacts_served", 948, 71.5, signed=True) == "+948 ± 72"
    assert format_interval("churn_affected", -0.0054, 0.0006) == (
        "−0.540 points (95% CI −0.600 to −0.480 points)"
    )
    assert format_interval("cost_total", 2000.0, 0.0) == "+$2,000 (the same in every seed)"
    assert format_value("nps", float("nan")) == "–"
