"""Configuration fuzzing: every field of the schema, given an invalid value, fails with one
line that names it — never a traceback, never a silently accepted value."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

import pytest
from hydra import initialize_config_dir
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.compose import CONFIG_DIR, compose_config, one_line


@pytest.fixture(autouse=True, scope="module")
def hydra_once():
    """Initialise Hydra once for the module: composing then costs milliseconds."""
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        yield


BASES = {"default": [], "erlang": ["scenario=erlang"]}


def leaves(node: Any, prefix: str = "") -> list[tuple[str, Any]]:
    found = []
    for f in fields(node):
        value = getattr(node, f.name)
        path = f"{prefix}{f.name}"
        if is_dataclass(value):
            found += leaves(value, path + ".")
        elif isinstance(value, list) and value and is_dataclass(value[0]):
            found += leaves(value[0], f"{path}.0.")
        else:
            found.append((path, value))
    return found


# Free text (a report's title): any string is valid, only a non-string is not.
FREE_TEXT = {"report.title"}


def invalid_values(value: Any, path: str = "") -> list[str]:
    """Values no field of this type accepts (Hydra override syntax)."""
    if path in FREE_TEXT:
        return ["[1]", "{a: 1}"]
    if isinstance(value, bool):
        return ["abc", "maybe", "[1]"]  # (OmegaConf itself reads 0/1/2 as booleans)
    if isinstance(value, (int, float)) or value is None:
        return ["nan", "inf", "-inf", "abc", "[1]", "{a: 1}"]
    if isinstance(value, str):
        return ["'../escape'", "'no such kind'"]
    if isinstance(value, list):
        return ["abc", "[nan]", "[[1]]"]
    return ["abc"]


CASES = sorted(
    {
        (base, path, bad)
        for base, overrides in BASES.items()
        for path, value in leaves(compose_config(overrides))
        if base == "default" or path.startswith("erlang.")  # the rest is the same schema
        for bad in invalid_values(value, path)
    }
)


def assert_rejected_by_key(base: str, path: str, bad: str) -> None:
    with pytest.raises(Exception) as caught:
        compose_config([*BASES[base], f"{path}={bad}"])
    line = one_line(caught.value)
    assert "\n" not in line
    key = path.split(".")[-1]
    assert key in line or path.replace(".0.", "[0].") in line, f"{path}={bad}: {line}"


# One deterministic invalid value per field (every field, every run) ...
FIRST_PER_FIELD = sorted({(base, path): (base, path, bad) for base, path, bad in CASES}.values())


def test_every_field_is_fuzzed():
    assert len({path for _, path, _ in CASES}) > 150  # every leaf of the schema
    assert len(CASES) > 800


@pytest.mark.parametrize("case", FIRST_PER_FIELD, ids=lambda c: f"{c[0]}:{c[1]}={c[2]}")
def test_every_field_rejects_an_invalid_value(case):
    assert_rejected_by_key(*case)


# ... and random (field, invalid value) pairs from all of them (compose costs ~0.3 s).
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.sampled_from(CASES))
def test_random_invalid_values_are_rejected_naming_their_key(case):
    assert_rejected_by_key(*case)


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        (["warmup_days=400"], "warmup_days"),
        (["staffing.phone.0.start_hour=21"], "end_hour"),
        (["channels.chat.open_hour=23", "channels.chat.close_hour=8"], "close_hour"),
        (["customers.premium.share=0.5"], "share"),
        (["+incidents.scheduled=[{start_day: 999}]"], "start_day"),
        (["scenario=erlang", "+incidents.scheduled=[{start_day: 1}]"], "incidents.scheduled"),
        (["tiers.complexity_probs=[0.5,0.6,0.1]"], "complexity_probs"),
        (["channels.phone.patience.kind=hazard"], "hazard_per_min"),
    ],
)
def test_inconsistent_combinations_are_rejected(overrides, key):
    with pytest.raises(Exception) as caught:
        compose_config(overrides)
    line = one_line(caught.value)
    assert key in line and "\n" not in line
