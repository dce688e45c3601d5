"""What each field of the schema accepts, declared beside the field itself.

A field's constraint lives in its dataclass metadata (``number(5.0, gt=0, le=1440)``
instead of a check in ``__post_init__``), so one pass (``sim.config.validation``) checks
every field knowing its full path, the fuzz tests derive an out-of-range value for every
field from the same declaration, and the docs can state the range the code enforces.
Every size (horizons, populations, agents, rates) has an upper bound the model can
actually run: a typo such as ``horizon_days=1e9`` is refused, not started.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sim.config.errors import ConfigError

CONSTRAINT = "constraint"  # the metadata key of a field's constraint


def is_number(value: Any) -> bool:
    """A real number: int or float, never bool (OmegaConf reads ``true`` as a bool)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _fmt(x: float) -> str:
    """A bound as people read it: 100_000, 0.5, 9_223_372_036_854_775_807."""
    if float(x).is_integer() and abs(x) >= 1e5:
        return f"{int(x):_}"
    return f"{x:g}"


@dataclass(frozen=True)
class Range:
    """A finite number (or an integer) between optional bounds, each open or closed."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    integer: bool = False

    def accepts(self, value: Any) -> bool:
        if not is_number(value) or not math.isfinite(value):
            return False
        if self.integer and not isinstance(value, int):
            return False
        if self.low is not None and (value <= self.low if self.low_open else value < self.low):
            return False
        return self.high is None or (value < self.high if self.high_open else value <= self.high)

    def describe(self) -> str:
        kind = "an integer" if self.integer else "a finite number"
        if self.low is not None and self.high is not None:
            left, right = "(" if self.low_open else "[", ")" if self.high_open else "]"
            return f"{kind} in {left}{_fmt(self.low)}, {_fmt(self.high)}{right}"
        if self.low is not None:
            return f"{kind} {'>' if self.low_open else '≥'} {_fmt(self.low)}"
        if self.high is not None:
            return f"{kind} {'<' if self.high_open else '≤'} {_fmt(self.high)}"
        return kind

    def check(self, key: str, value: Any) -> None:
        if not self.accepts(value):
            raise ConfigError(key, value, f"must be {self.describe()}")


@dataclass(frozen=True)
class Choice:
    """One of a fixed set of words."""

    options: tuple[str, ...]

    def check(self, key: str, value: Any) -> None:
        if value not in self.options:
            raise ConfigError(key, value, f"allowed: {', '.join(self.options)}")

    def describe(self) -> str:
        return "one of " + ", ".join(f"`{o}`" for o in self.options)


@dataclass(frozen=True)
class Pattern:
    """Text matching a regular expression (``what`` says it in words)."""

    regex: str
    what: str

    def check(self, key: str, value: Any) -> None:
        if not (isinstance(value, str) and re.fullmatch(self.regex, value)):
            raise ConfigError(key, value, self.what)

    def describe(self) -> str:
        return self.what


@dataclass(frozen=True)
class Items:
    """A list of numbers: each in ``each``, with a length and optional whole-list rules."""

    each: Range
    length: int | None = None
    min_length: int = 0
    max_length: int = 1000
    positive_sum: bool = False  # weights: at least one must be > 0
    increasing: bool = False  # strictly

    def check(self, key: str, value: Any) -> None:
        items = list(value)
        if self.length is not None and len(items) != self.length:
            raise ConfigError(key, items, f"must list exactly {self.length} values")
        if not self.min_length <= len(items) <= self.max_length:
            raise ConfigError(
                key, items, f"must list {self.min_length} to {self.max_length} values"
            )
        for i, item in enumerate(items):
            if not self.each.accepts(item):
                raise ConfigError(f"{key}[{i}]", item, f"must be {self.each.describe()}")
        if self.positive_sum and not sum(items) > 0:
            raise ConfigError(key, items, "at least one value must be > 0")
        if self.increasing and any(b <= a for a, b in itertools.pairwise(items)):
            raise ConfigError(key, items, "must be strictly increasing")

    def describe(self) -> str:
        if self.length is not None:
            count = f"{self.length} values"
        elif self.min_length or self.max_length != Items.max_length:
            count = f"{self.min_length} to {self.max_length} values"
        else:
            count = "a list"
        extra = ", sum > 0" if self.positive_sum else ", increasing" if self.increasing else ""
        return f"{count}, each {self.each.describe()}{extra}"


@dataclass(frozen=True)
class Names:
    """A list of words, each matching ``pattern`` (metric names, say)."""

    pattern: Pattern
    min_length: int = 0
    max_length: int = 1000

    def check(self, key: str, value: Any) -> None:
        items = list(value)
        if not self.min_length <= len(items) <= self.max_length:
            raise ConfigError(key, items, f"must list {self.min_length} to {self.max_length} names")
        for i, item in enumerate(items):
            self.pattern.check(f"{key}[{i}]", item)

    def describe(self) -> str:
        return f"a list of names, each {self.pattern.what}"


Constraint = Range | Choice | Pattern | Items | Names


def _field(default: Any, constraint: Constraint | None) -> Any:
    metadata = {} if constraint is None else {CONSTRAINT: constraint}
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata=metadata)
    return field(default=default, metadata=metadata)


def number(
    default: float | None,
    *,
    ge: float | None = None,
    gt: float | None = None,
    le: float | None = None,
    lt: float | None = None,
) -> Any:
    """A float field: finite, within the given bounds (``None`` allowed if typed Optional)."""
    low, high = (gt if gt is not None else ge), (lt if lt is not None else le)
    return _field(default, Range(low, high, gt is not None, lt is not None))


def integer(default: int | None, *, ge: int | None = None, le: int | None = None) -> Any:
    return _field(default, Range(ge, le, integer=True))


def probability(default: float) -> Any:
    return number(default, ge=0.0, le=1.0)


def choice(default: str, options: Sequence[str]) -> Any:
    return _field(default, Choice(tuple(options)))


def text(default: str, regex: str, what: str) -> Any:
    return _field(default, Pattern(regex, what))


def numbers(default: list[float], each: Range, **rules: Any) -> Any:
    """A list-of-numbers field (``rules``: length, min_length, positive_sum, increasing)."""
    return _field(default, Items(each, **rules))


def weights(default: list[float] | None, length: int) -> Any:
    """Relative weights: ``length`` finite numbers ≥ 0, at least one > 0 (``None``: unset,
    where the field is typed Optional)."""
    return numbers(default, Range(0.0, 1e6), length=length, positive_sum=True)


def names(default: list[str], pattern: Pattern, **rules: Any) -> Any:
    return _field(default, Names(pattern, **rules))


def section(factory: Callable[[], Any]) -> Any:
    """A nested section (a dataclass), validated by its own fields."""
    return field(default_factory=factory)


WEEKDAYS = Range(0, 6, integer=True)
