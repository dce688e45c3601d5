"""The results contract: every key the model writes is defined in docs/metrics.md."""

from __future__ import annotations

import re

from sim import run
from sim.config import CHANNELS
from sim.model.org import daily_columns

from .conftest import ROOT, compose_config

POOLS = [*CHANNELS, "tier2", "tier3"]


def documented_keys() -> set[str]:
    text = (ROOT / "docs" / "metrics.md").read_text()
    keys = set()
    for token in re.findall(r"`([a-z_{}0-9]+)`", text):
        if "{channel}" in token:
            keys |= {token.replace("{channel}", c) for c in CHANNELS}
        elif "{pool}" in token:
            keys |= {token.replace("{pool}", p) for p in POOLS}
        else:
            keys.add(token)
    return keys


def test_every_summary_and_timeseries_key_is_documented():
    result = run(compose_config(["horizon_days=3", "warmup_days=1"]), 0)
    missing = set(result.summary) - documented_keys()
    assert not missing, f"undocumented summary keys: {sorted(missing)}"
    columns = {"day", "in_warmup", *daily_columns(POOLS)}
    assert set(result.timeseries) == columns
    assert not columns - documented_keys()


def test_the_configuration_reference_lists_every_key_with_the_range_the_code_enforces():
    """docs/configuration.md's generated table is the schema's own declarations
    (`python -m sim.app.schema_docs --write` refreshes it)."""
    from sim.app.schema_docs import DOC, updated

    text = DOC.read_text()
    assert updated(text) == text, "run: python -m sim.app.schema_docs --write"
