"""One pass over a configuration tree that checks every field knowing its full path.

Fields are checked against the constraint declared in their metadata
(``sim.config.constraints``), depth first in declaration order; a node's own rules that
span several of its fields (``rules()``, e.g. close after open) run after its fields and
children have passed, so a rule never sees a malformed value. The first failure raises a
:class:`ConfigError` whose key is the full dotted path (``staffing.phone[0].end_hour``),
so no caller ever has to search for where an error came from.

Construction stays cheap and never raises: OmegaConf builds the tree, ``sim.run`` and the
command line validate it (the same pass for a config written in Python).
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from functools import cache
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

from sim.config.constraints import CONSTRAINT
from sim.config.errors import ConfigError


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


@cache
def nullable_fields(schema: type) -> frozenset[str]:
    """Fields of a dataclass typed ``X | None``."""
    hints = get_type_hints(schema)
    return frozenset(
        name
        for name, hint in hints.items()
        if get_origin(hint) in (UnionType, Union) and type(None) in get_args(hint)
    )


def check_field(node: Any, name: str, path: str = "") -> Any:
    """Check one field of ``node`` against its declared constraint; returns its value."""
    key = join(path, name)
    value = getattr(node, name)
    if value is None:
        if name not in nullable_fields(type(node)):
            raise ConfigError(key, None, "must be set (null is not allowed here)")
        return None
    constraint = _constraints(type(node)).get(name)
    if constraint is not None:
        constraint.check(key, value)
    return value


@cache
def _constraints(schema: type) -> dict[str, Any]:
    return {f.name: f.metadata[CONSTRAINT] for f in fields(schema) if CONSTRAINT in f.metadata}


def validate(node: Any, path: str = "") -> None:
    """Validate a dataclass tree (a whole :class:`~sim.config.Config` or any section)."""
    for f in fields(node):
        key = join(path, f.name)
        value = check_field(node, f.name, path)
        if is_dataclass(value):
            validate(value, key)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if is_dataclass(item):
                    validate(item, f"{key}[{i}]")
    rules = getattr(node, "rules", None)
    if rules is not None:
        try:
            rules()
        except ConfigError as error:
            raise error.with_prefix(path) from None
