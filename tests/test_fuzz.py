"""Configuration fuzzing: every field of the schema, given an invalid value, fails with one
line that names it — never a traceback, never a silently accepted value.

Two kinds of bad value per field: values no field of its *type* accepts (``abc`` for a
number, ``[1]`` for a word), and values of the right type outside the *range* the field
declares (``sim.config.constraints``): just past each declared bound, and a non-finite
number. The range cases come from the same declaration the validator enforces, so a new
field is fuzzed the moment it is declared, and a field declared without a constraint
fails ``test_every_field_declares_what_it_accepts``.
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass
from typing import Any, NamedTuple, get_args, get_type_hints

import pytest
from hydra import initialize_config_dir
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.app.compose import CONFIG_DIR, compose_config, one_line
from sim.config.constraints import CONSTRAINT, Choice, Items, Names, Pattern, Range


@pytest.fixture(autouse=True, scope="module")
def hydra_once():
    """Initialise Hydra once for the module: composing then costs milliseconds."""
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        yield


BASES = {"default": [], "erlang": ["scenario=erlang"]}


class Leaf(NamedTuple):
    path: str
    value: Any  # as composed
    nullable: bool
    constraint: Any  # what the field declares it accepts (None: bools, free text)


def leaves(node: Any, prefix: str = "") -> list[Leaf]:
    """Every leaf field of the schema, with its composed value and declared constraint."""
    found = []
    hints = get_type_hints(type(node))
    for f in fields(node):
        value = getattr(node, f.name)
        path = f"{prefix}{f.name}"
        if is_dataclass(value):
            found += leaves(value, path + ".")
        elif isinstance(value, list) and value and is_dataclass(value[0]):
            found += leaves(value[0], f"{path}.0.")
        else:
            nullable = type(None) in get_args(hints[f.name])
            found.append(Leaf(path, value, nullable, f.metadata.get(CONSTRAINT)))
    return found


def sections(node: Any, prefix: str = "") -> list[str]:
    """Every dataclass node of the schema (where an unknown key could be added)."""
    found = [prefix.rstrip(".")]
    for f in fields(node):
        value = getattr(node, f.name)
        if is_dataclass(value):
            found += sections(value, f"{prefix}{f.name}.")
    return found


# Free text (a report's title): any string is valid, only a non-string is not.
FREE_TEXT = {"report.title"}
GROUPS = ("staffing", "culture", "policy", "scenario", "experiment", "hydra/launcher")


def invalid_values(value: Any, path: str, nullable: bool) -> list[str]:
    """Values no field of this type accepts (Hydra override syntax)."""
    if path in FREE_TEXT:
        return ["[1]", "{a: 1}"]
    null = [] if nullable else ["null"]
    if isinstance(value, bool):
        return ["abc", "maybe", "[1]", "''", *null]  # (OmegaConf reads 0/1 as booleans)
    if isinstance(value, (int, float)) or value is None:
        return ["nan", "inf", "-inf", "abc", "[1]", "{a: 1}", "''", *null]
    if isinstance(value, str):
        return ["'../escape'", "'no such kind'", "''", *null]
    if isinstance(value, list):
        return ["abc", "[nan]", "[[1]]", *null]
    return ["abc", *null]


# A case: the overrides of one command line, and the key its error line must name.
Case = tuple[tuple[str, ...], str]


def _field_cases() -> list[Case]:
    cases = set()
    for base, overrides in BASES.items():
        for path, value, nullable, _ in leaves(compose_config(overrides)):
            if base != "default" and not path.startswith("erlang."):
                continue  # the rest is the same schema
            for bad in invalid_values(value, path, nullable):
                cases.add(((*overrides, f"{path}={bad}"), path))
    return sorted(cases)


def _number(x: float, integer: bool) -> str:
    return str(int(x)) if integer else repr(float(x))


def past_bounds(r: Range) -> list[float]:
    """Numbers of the field's own type just outside each declared bound (the bound itself
    where it is open), and one far above the upper bound (``horizon_days=1e9``)."""
    margin = 1 if r.integer else 1e-6
    out = []
    if r.high is not None:
        out.append(r.high if r.high_open else r.high + margin * max(1.0, abs(r.high)))
        out.append(r.high + 1000 * max(1.0, abs(r.high)))
    if r.low is not None:
        out.append(r.low if r.low_open else r.low - margin * max(1.0, abs(r.low)))
    return out


def _list(values: list[Any]) -> str:
    return "[" + ",".join(v if isinstance(v, str) else repr(v) for v in values) + "]"


def out_of_range_values(leaf: Leaf) -> list[str]:
    """In-type values outside the range ``leaf`` declares, and one non-finite number."""
    c = leaf.constraint
    if isinstance(c, Range):
        return [_number(x, c.integer) for x in past_bounds(c)] + ["inf" if c.integer else "nan"]
    if isinstance(c, Items):
        template = list(leaf.value or []) or [c.each.low or 0] * (c.length or 1)
        bad = []
        for x in [*past_bounds(c.each)[:1], "nan"]:
            items = [_number(v, c.each.integer) for v in template]
            items[0] = x if isinstance(x, str) else _number(x, c.each.integer)
            bad.append(_list(items))
        if c.length is not None:
            bad.append(_list([_number(v, c.each.integer) for v in template] * 2))
        return bad
    if isinstance(c, Choice):
        return ["no_such_option"]
    if isinstance(c, Pattern):
        return ["'../escape'"]
    if isinstance(c, Names):
        return ["[Not_A_Key]", "[nan]"]
    return []


# Leaves that accept anything of their type: booleans, a report's free-text title, the
# reference configuration (any swept key), the swept key to draw against (checked
# against the schema as a whole), and lists of sections (each section's fields are fuzzed).
UNCONSTRAINED = {
    "report.title",
    "report.reference",
    "report.x",
    "incidents.scheduled",
}


def _range_cases() -> list[Case]:
    cases = set()
    for base, overrides in BASES.items():
        for leaf in leaves(compose_config(overrides)):
            if base != "default" and not leaf.path.startswith("erlang."):
                continue
            for bad in out_of_range_values(leaf):
                cases.add(((*overrides, f"{leaf.path}={bad}"), leaf.path))
    return sorted(cases)


def _structure_cases() -> list[Case]:
    """Unknown keys in every section (added with + or not), unknown group options."""
    cases = []
    for section in sections(compose_config([])):
        key = f"{section}.no_such_key" if section else "no_such_key"
        cases += [((f"+{key}=1",), key), ((f"{key}=1",), key)]
    cases += [((f"{group}=no_such_option",), group) for group in GROUPS]
    return cases


INCONSISTENT: list[Case] = [
    (("warmup_days=400",), "warmup_days"),
    (("staffing.phone.0.start_hour=21",), "staffing.phone.0.end_hour"),
    (("channels.chat.open_hour=23", "channels.chat.close_hour=8"), "channels.chat.close_hour"),
    (("customers.premium.share=0.5",), "customers.premium.share"),
    (("+incidents.scheduled=[{start_day: 999}]",), "incidents.scheduled.0.start_day"),
    (("scenario=erlang", "+incidents.scheduled=[{start_day: 1}]"), "incidents.scheduled"),
    (("tiers.complexity_probs=[0.5,0.6,0.1]",), "tiers.complexity_probs"),
    (("channels.phone.patience.kind=hazard",), "channels.phone.patience.hazard_per_min"),
    (("culture.change_at_day=400",), "culture.change_at_day"),
    (("scenario=erlang", "erlang.days=1"), "warmup_days"),
    (("erlang.servers=3",), "erlang.servers"),
    (("report.x=policy",), "report.x"),
    (("staffing.extra_agents.phone=-100",), "staffing.phone"),
]
FIELD_CASES = _field_cases()
RANGE_CASES = _range_cases()
CASES: list[Case] = [*FIELD_CASES, *RANGE_CASES, *_structure_cases(), *INCONSISTENT]


def names_key(line: str, key: str) -> bool:
    """Does an error line name ``key`` itself — the whole dotted path (a list's element as
    ``.0.`` or ``[0].``), as a word of its own, not a longer key that contains it?"""
    spellings = {key, key.replace(".0.", "[0]."), re.sub(r"\.(\d+)(?=\.|$)", r"[\1]", key)}
    return any(
        re.search(rf"(?<![\w.\[/]){re.escape(spelled)}(?!\w|\.\w)", line) for spelled in spellings
    )


def test_the_key_matcher_wants_the_whole_key():
    assert names_key("channels.chat.close_hour = 8 is invalid", "channels.chat.close_hour")
    assert names_key("staffing.phone[0].end_hour = 12 is invalid", "staffing.phone.0.end_hour")
    assert not names_key("channels.chat.close_hour = 8 is invalid", "close_hour")
    assert not names_key("channels.chat.close_hour = 8 is invalid", "channels.chat")
    assert not names_key("customers.premium.share = 0.5", "incidents.random.share")


def assert_rejected_by_key(overrides: tuple[str, ...], key: str) -> None:
    with pytest.raises(Exception) as caught:
        compose_config(list(overrides))
    line = one_line(caught.value)
    assert "\n" not in line
    assert names_key(line, key), f"{' '.join(overrides)}: {line}"


# Every wrong-typed value of every field goes through the command line in `make
# validation` (tests/test_fuzz_cli.py); `make test` rejects, per field, an in-type value
# out of its range and a non-finite one (below), and a random sample of all cases.


def test_every_field_is_fuzzed():
    fuzzed = {key for _, key in FIELD_CASES}
    schema = {leaf.path for leaf in leaves(compose_config([]))}
    erlang = leaves(compose_config(BASES["erlang"]))
    schema |= {leaf.path for leaf in erlang if leaf.path.startswith("erlang.")}
    assert fuzzed == schema  # every leaf of the schema, the erlang section included
    assert len(CASES) > 1800


def _range_per_field() -> list[Case]:
    """Per field: its first in-type out-of-range value and its non-finite value."""
    cases = []
    for base, overrides in BASES.items():
        for leaf in leaves(compose_config(overrides)):
            if base != "default" and not leaf.path.startswith("erlang."):
                continue
            bad = out_of_range_values(leaf)
            chosen = bad[:1] + [b for b in bad[1:] if "nan" in b or b == "inf"][:1]
            cases += [((*overrides, f"{leaf.path}={b}"), leaf.path) for b in chosen]
    return cases


@pytest.mark.parametrize("case", _range_per_field(), ids=lambda c: " ".join(c[0]))
def test_every_field_rejects_values_outside_its_declared_range(case):
    assert_rejected_by_key(*case)


def test_every_field_declares_what_it_accepts():
    """A new field without a constraint would escape the range fuzzing: name it here only
    if any value of its type is valid."""
    for base, overrides in BASES.items():
        for leaf in leaves(compose_config(overrides)):
            if base != "default" and not leaf.path.startswith("erlang."):
                continue  # the rest is the same schema
            if isinstance(leaf.value, bool) or leaf.path in UNCONSTRAINED:
                continue
            if base == "default" and leaf.path == "erlang":
                continue  # a section that only scenario=erlang sets
            assert leaf.constraint is not None, leaf.path
            if isinstance(leaf.constraint, Range):  # every size has a bound it can run
                assert leaf.constraint.high is not None, f"{leaf.path}: no upper bound"


@pytest.mark.parametrize("case", [*_structure_cases(), *INCONSISTENT], ids=lambda c: " ".join(c[0]))
def test_unknown_keys_options_and_inconsistent_combinations_are_rejected(case):
    assert_rejected_by_key(*case)


# ... and a sample of all of them (the same on every machine; a composition costs ≈ 0.1 s).
@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.sampled_from(CASES))
def test_random_invalid_values_are_rejected_naming_their_key(case):
    assert_rejected_by_key(*case)
