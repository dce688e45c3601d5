"""The one error a configuration can raise: which key, what it was, what is allowed."""

from __future__ import annotations

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
