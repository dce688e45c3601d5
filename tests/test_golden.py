"""Golden regression: small seeded runs of several scenarios, number for number.

A refactor that claims to change no behaviour proves it here: each case's
``summary.json`` text and daily time series must equal the files stored in
``tests/golden/`` — every word and integer exactly, every real number to 1e-12 relative.
That last digit is all the machine may choose: numpy's vectorised kernels (``exp2``,
sums) take AVX2 or AVX-512 paths by CPU, and round differently in the last place, so a
byte-for-byte file would fail on another machine with the model unchanged (the same seed
on one machine still gives the same bytes: ``tests/test_cli.py``). A change that is
*meant* to move results regenerates them on purpose
(``SUPPORTSIM_UPDATE_GOLDEN=1 pytest tests/test_golden.py``), and the diff of the stored
files shows what moved.
"""

from __future__ import annotations

import io
import math
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from sim.app.outputs import summary_text
from sim.model.org import run

from .conftest import compose_config

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("SUPPORTSIM_UPDATE_GOLDEN") == "1"
SMALL = ("size=tiny",)
REAL = re.compile(r"-?\d+\.\d*(?:e[-+]?\d+)?|-?\d+e[-+]?\d+")
RELATIVE_TOLERANCE = 1e-12

# Each case exercises a different part of the model: the queueing core alone; the
# default organisation with random outages; outreach through an incident; a culture
# change with turnover; deflection with callbacks, priority and an escalation cap;
# credits after an outage; premium customers under lean staffing with lip service; an
# outage met with overtime, cut corners, customers switching channels and outreach that
# makes some reconsider.
CASES: dict[str, tuple[int, tuple[str, ...]]] = {
    "erlang": (1, ("scenario=erlang", "erlang.days=5")),
    "default_random_incidents": (
        2,
        ("horizon_days=30", "incidents.random.rate_per_year=12", *SMALL),
    ),
    "northwind_outreach": (
        3,
        ("scenario=northwind_outage", "horizon_days=45", "policy=proactive_outreach", *SMALL),
    ),
    "new_management": (
        4,
        ("scenario=new_management", "horizon_days=40", "culture.change_at_day=20", *SMALL),
    ),
    "effort_deflection_callbacks": (
        5,
        (
            "scenario=effort",
            "horizon_days=21",
            "policy=policy_deflection",
            "policy.callback.enabled=true",
            "policy.callback.queue_threshold=1",
            "policy.callback.accept_prob=0.5",
            "policy.premium_priority=true",
            "policy.escalation_cap_handoffs=2",
            "agents.skill.initial_experience_contacts=200",
        ),
    ),
    "outage_reactions": (
        8,
        (
            "scenario=northwind_outage",
            "horizon_days=45",
            "policy=proactive_outreach",
            "policy.outreach.reconsider=0.5",
            "policy.surge.enabled=true",
            "agents.corner_cutting.enabled=true",
            "customers.channel_switching.prob=0.5",
            *SMALL,
        ),
    ),
    "cloud_outage_credits": (
        6,
        (
            "scenario=cloud_outage",
            "horizon_days=40",
            "policy=proactive_outreach",
            "policy.outreach.credit_per_pain=40",
            *SMALL,
        ),
    ),
    "premium_lip_service": (
        7,
        ("scenario=premium_standard", "culture=lip_service", "horizon_days=30", *SMALL),
    ),
}


def differences(expected: str, produced: str) -> list[str]:
    """What differs between two texts beyond the last places of their real numbers."""
    expected_reals, produced_reals = REAL.findall(expected), REAL.findall(produced)
    if REAL.split(expected) != REAL.split(produced) or len(expected_reals) != len(produced_reals):
        return ["words or integers differ"]
    return [
        f"{a} != {b}"
        for a, b in zip(expected_reals, produced_reals, strict=True)
        if not math.isclose(float(a), float(b), rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-300)
    ]


def test_differences_see_a_changed_integer_word_or_real_and_not_the_last_place():
    assert differences('{"a": 0.1, "n": 3}', '{"a": 0.10000000000000002, "n": 3}') == []
    assert differences('{"a": 0.1, "n": 3}', '{"a": 0.1, "n": 4}') != []
    assert differences('{"a": 0.1, "n": 3}', '{"b": 0.1, "n": 3}') != []
    assert differences('{"a": 0.1, "n": 3}', '{"a": 0.1000001, "n": 3}') != []
    assert differences("1.5e-07,2", "1.5000000000000002e-07,2") == []


def _timeseries_text(rows: dict[str, list]) -> str:
    buffer = io.StringIO()
    pd.DataFrame(rows).to_csv(buffer, index=False)
    return buffer.getvalue()


@pytest.mark.parametrize("case", sorted(CASES))
def test_summary_and_timeseries_equal_the_golden_files(case: str):
    seed, overrides = CASES[case]
    result = run(compose_config(["output.figures=false", *overrides]), seed)
    produced = {
        f"{case}.summary.json": summary_text(result.summary),
        f"{case}.timeseries.csv": _timeseries_text(result.timeseries),
    }
    if UPDATE:  # write, and say so: a file compared with itself proves nothing
        pytest.skip(f"golden files of {case} written: {', '.join(update(produced))}")
    for name, text in produced.items():
        path = GOLDEN / name
        assert path.is_file(), f"{path} missing: SUPPORTSIM_UPDATE_GOLDEN=1 writes it"
        with path.open(encoding="utf-8", newline="") as stored:
            expected = stored.read()
        changed = differences(expected, text)
        assert not changed, f"{name} differs from the golden file: {changed[:5]}"


def update(produced: dict[str, str]) -> list[str]:
    """Write the produced files over the golden ones; the names of those that changed."""
    GOLDEN.mkdir(exist_ok=True)
    changed = []
    for name, text in produced.items():
        path = GOLDEN / name
        old = path.read_text(encoding="utf-8") if path.is_file() else ""
        if differences(old, text) if old else True:
            changed.append(name)
        path.write_text(text, encoding="utf-8", newline="")
    return changed or ["none changed"]


def test_every_golden_file_belongs_to_a_case():
    expected = {f"{c}.{kind}" for c in CASES for kind in ("summary.json", "timeseries.csv")}
    assert {p.name for p in GOLDEN.iterdir()} == expected
