"""Validation helpers: each check raises a ConfigError naming the key and the allowed range."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any


class ConfigError(ValueError):
    """An invalid configuration value: which key, what it was, what is allowed."""

    def __init__(self, key: str, value: Any, allowed: str) -> None:
        self.key = key
        self.value = value
        self.allowed = allowed
        super().__init__(self.message())

    def __reduce__(self) -> tuple[type, tuple[str, object, str]]:
        """Picklable, so a failing job in a parallel sweep reports back intact."""
        return (type(self), (self.key, self.value, self.allowed))

    def message(self) -> str:
        return f"{self.key} = {self.value!r} is invalid: {self.allowed}"

    def with_prefix(self, prefix: str) -> ConfigError:
        """The same error with the node's path put in front of its key."""
        if not prefix:
            return self
        return ConfigError(f"{prefix}.{self.key}", self.value, self.allowed)


def is_finite_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def check_positive(key: str, value: Any) -> None:
    if not (is_finite_number(value) and value > 0):
        raise ConfigError(key, value, "must be a finite number > 0")


def check_non_negative(key: str, value: Any) -> None:
    if not (is_finite_number(value) and value >= 0):
        raise ConfigError(key, value, "must be a finite number ≥ 0")


def check_probability(key: str, value: Any) -> None:
    if not (is_finite_number(value) and 0.0 <= value <= 1.0):
        raise ConfigError(key, value, "must be a probability in [0, 1]")


def check_int_range(key: str, value: Any, low: int, high: int | None = None) -> None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= low
    ok = ok and (high is None or value <= high)
    if not ok:
        upper = "" if high is None else f" and ≤ {high}"
        raise ConfigError(key, value, f"must be an integer ≥ {low}{upper}")


def check_choice(key: str, value: Any, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ConfigError(key, value, f"allowed: {', '.join(allowed)}")


def check_weights(key: str, values: list[float], length: int) -> None:
    if len(values) != length:
        raise ConfigError(key, list(values), f"must list exactly {length} weights")
    for i, w in enumerate(values):
        check_non_negative(f"{key}[{i}]", w)
    if sum(values) <= 0:
        raise ConfigError(key, list(values), "at least one weight must be > 0")


def check_each(check: Callable[[str, Any], None], node: object, *names: str) -> None:
    """Apply one check to several keys of a node (the keys share a range)."""
    for name in names:
        check(name, getattr(node, name))


def check_days(key: str, days: list[int]) -> None:
    for i, d in enumerate(days):
        check_int_range(f"{key}[{i}]", d, 0, 6)
