"""Reading results back: plain data only, and one clear error for a damaged file.

Results directories are shared and copied around, so reading one must never run code
from it: YAML goes through the safe loader (no ``!!python/...`` tags), JSON and CSV are
data by construction, and nothing is ever unpickled. A file that is not what supportsim
writes (hand-edited, truncated, foreign) raises :class:`UnreadableResultError` naming it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

# libyaml's safe loader when PyYAML has it (a job's config.yaml is large), else Python's.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class UnreadableResultError(ValueError):
    """A results file that cannot be read as the plain data supportsim writes."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: cannot be read ({reason})")
        self.path = path


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def read_yaml(path: Path) -> Any:
    """A YAML file as plain data (safe loader: tags that would build objects are refused)."""
    try:
        loader = SAFE_LOADER(path.read_text(encoding="utf-8"))
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise UnreadableResultError(path, _first_line(error)) from None


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise UnreadableResultError(path, _first_line(error)) from None


def read_overrides(run_dir: Path) -> list[str]:
    """A run's ``.hydra/overrides.yaml``: the list of ``key=value`` strings Hydra wrote."""
    path = run_dir / ".hydra" / "overrides.yaml"
    overrides = read_yaml(path) or []
    if not (isinstance(overrides, list) and all(isinstance(o, str) for o in overrides)):
        raise UnreadableResultError(path, "not a list of key=value overrides")
    return overrides
