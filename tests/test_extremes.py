"""Every value the schema accepts runs: each numeric field at its minimum, at its maximum and
at log-uniform draws inside its declared range, on a short run of a world with every
mechanism switched on, ends with a ``summary.json`` of finite numbers — no overflow, no
NaN, no infinity, no traceback.

The configuration fuzzing (``tests/test_fuzz.py``) tries values *outside* each range; this
tries the extremes *inside* it. A value the validator refuses (a cross-field rule: a
warm-up longer than the horizon) is refused cleanly, which is allowed; a value it accepts
must run. ``make validation`` runs every case; ``make test`` a fixed sample of them.
"""

from __future__ import annotations

import copy
import json
import math
import zlib
from typing import Any

import numpy as np
import pytest
from hydra import initialize_config_dir

from sim.analysis.planning.plan import plan_staffing, planned
from sim.app.compose import CONFIG_DIR, compose_config
from sim.app.outputs import summary_text
from sim.config import Config, ConfigError, validate
from sim.config.constraints import Items, Range
from sim.model.org import run

from .test_fuzz import leaves

# A few days of a small world with every mechanism on: an outage met in silence (outreach
# softens the pain it would otherwise find), overtime, cut corners, callbacks, deflection,
# switching, chat concurrency, random incidents. A field of a mechanism off here runs in
# a world with it on (``WORLDS``).
BASE = [
    "size=tiny",
    "scenario=northwind_outage",
    "horizon_days=4",
    "warmup_days=1",
    "incidents.scheduled.0.start_day=1",
    "incidents.random.rate_per_year=12",
    "policy.deflection_share=0.25",
    "policy.surge.enabled=true",
    "policy.callback.enabled=true",
    "policy.premium_priority=true",
    "agents.corner_cutting.enabled=true",
    "customers.channel_switching.prob=0.5",
    "channels.chat.concurrency=2",
]
WORLDS = {
    "": BASE,
    "policy.outreach.": [*BASE, "policy=proactive_outreach"],
    "staffing.plan.": [*BASE, "staffing=from_forecast"],
    "erlang.": ["scenario=erlang", "erlang.days=3"],
}
# Sizes: a run's cost grows with them, not its arithmetic. Their maxima run in a world
# where the size is all there is (the rest tiny); the cost itself is measured in
# benchmarks/ (a million customers for a year; docs/performance.md).
SIZE_WORLDS = {
    "horizon_days": ["customers.population=200", "staffing.scale=0.01", "warmup_days=0"],
    "customers.population": [
        "horizon_days=1",
        "warmup_days=0",
        "incidents.scheduled.0.start_day=0.5",
    ],
    **{
        f"channels.{channel}.arrival_rate_per_hour": [
            "horizon_days=0.5",
            "warmup_days=0",
            "incidents.scheduled.0.start_day=0.1",
        ]
        for channel in ("phone", "chat", "email", "social")
    },
}
# A century of days is minutes of CPU even for 200 customers: the horizon's own maximum
# runs in `make long`'s ten-year scenario's company; here, ten years.
SIZE_VALUES = {"horizon_days": 3650.0}
DRAWS = 2  # log-uniform draws inside each range, besides its two ends
SAMPLE_EVERY = 9  # make test: every ninth case


def _inside(r: Range) -> tuple[float, float]:
    """The range's closed ends: an open bound nudged inside by a relative hair."""
    low = float(r.low if r.low is not None else -1e6)
    high = float(r.high if r.high is not None else 1e6)
    if r.low_open:
        low += max(1e-9, 1e-6 * abs(high - low))
    if r.high_open:
        high -= max(1e-9, 1e-6 * abs(high - low))
    return low, high


def _draws(path: str, r: Range) -> list[float]:
    """Log-uniform inside a positive range, uniform otherwise; the same on every machine."""
    low, high = _inside(r)
    rng = np.random.default_rng(zlib.crc32(path.encode()))
    if low > 0 or (low == 0 and high > 0):
        floor = low if low > 0 else max(high * 1e-6, 1e-9)
        values = np.exp(rng.uniform(math.log(floor), math.log(high), DRAWS))
    else:
        values = rng.uniform(low, high, DRAWS)
    return [round(float(v)) if r.integer else float(v) for v in values]


def _values(path: str, constraint: Any, current: Any) -> list[Any]:
    if isinstance(constraint, Range):
        low, high = _inside(constraint)
        ends = [int(low), int(high)] if constraint.integer else [low, high]
        return [*ends, *_draws(path, constraint)]
    if isinstance(constraint, Items):  # every element at an end, or at one draw
        length = constraint.length or max(len(current or []), constraint.min_length, 1)
        r = constraint.each
        low, high = _inside(r)
        cast = int if r.integer else float
        return [[cast(v)] * length for v in (low, high, _draws(path, r)[0])]
    return []


def world_of(path: str) -> str:
    """The world a field runs in: the longest prefix of ``WORLDS`` it has."""
    return max((prefix for prefix in WORLDS if path.startswith(prefix)), key=len)


def extreme_cases() -> list[tuple[str, Any]]:
    """(key, value) for every numeric field of the schema."""
    cases = []
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        schema = leaves(compose_config(BASE))
        schema += leaves(compose_config(WORLDS["erlang."]))
    seen = set()
    for leaf in schema:
        if leaf.path in seen or leaf.path == "erlang":  # the section, not a field
            continue
        seen.add(leaf.path)
        if leaf.path.startswith("report.") or leaf.path in ("seed", "seeds"):
            continue  # not the model's: the report's settings and the seed's own range
        for value in _values(leaf.path, leaf.constraint, leaf.value):
            if leaf.path in SIZE_VALUES and value == _inside(leaf.constraint)[1]:
                value = SIZE_VALUES[leaf.path]
            cases.append((leaf.path, value))
    return cases


CASES = extreme_cases()


def _set(config: Config, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node: Any = config
    for part in parents:
        node = node[int(part)] if part.isdigit() else getattr(node, part)
    setattr(node, last, value)


_COMPOSED: dict[tuple[str, ...], Config] = {}


def _world(path: str) -> Config:
    overrides = (*WORLDS[world_of(path)], *SIZE_WORLDS.get(path, []))
    if overrides not in _COMPOSED:
        with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
            _COMPOSED[overrides] = compose_config(list(overrides))
    return copy.deepcopy(_COMPOSED[overrides])


def assert_runs_finite(path: str, value: Any) -> None:
    config = _world(path)
    _set(config, path, value)
    try:
        validate(config)
        if config.staffing.plan.enabled:
            config, _ = planned(config, plan_staffing)
    except ConfigError:
        return  # refused with one line naming the key: allowed
    result = run(config, 0)
    text = summary_text(result.summary)  # refuses NaN and infinity (allow_nan=False)
    numbers = [v for v in json.loads(text).values() if isinstance(v, float)]
    assert all(math.isfinite(v) for v in numbers)


def test_the_cases_cover_every_numeric_field_at_both_ends():
    keys = {path for path, _ in CASES}
    assert {"incidents.scheduled.0.severity_mean", "erlang.servers", "horizon_days"} <= keys
    assert len(CASES) > 4 * 250


# make test's sample leaves the sizes and the planner's pilot (seconds each) to validation.
QUICK = [c for c in CASES if c[0] not in SIZE_WORLDS and ".pilot_" not in c[0]]


@pytest.mark.parametrize("case", QUICK[::SAMPLE_EVERY], ids=lambda c: f"{c[0]}={c[1]}"[:90])
def test_a_sample_of_in_range_extremes_runs(case):
    assert_runs_finite(*case)


@pytest.mark.validation
@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c[0]}={c[1]}"[:90])
def test_every_in_range_extreme_runs(case):
    assert_runs_finite(*case)


@pytest.mark.parametrize(
    "overrides",
    [
        ["incidents.scheduled.0.severity_mean=50"],
        ["incidents.random.severity_mean=100", "incidents.random.rate_per_year=100"],
    ],
)
def test_severe_incidents_run(overrides):
    """Found by this test's cases: a pain of 50 overflowed the satisfaction curve."""
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        config = compose_config([*BASE, *overrides])
    config.policy.deflection_share = 0.0  # as the default world: nothing softens the pain
    summary = json.loads(summary_text(run(config, 0).summary))
    assert summary["contacts_arrived"] > 0
