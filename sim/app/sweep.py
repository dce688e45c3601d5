"""What a sweep consists of: the jobs Hydra's basic sweeper expands a multirun into.

Knowing the whole list lets ``collect`` name the jobs a killed sweep never started (not
only those it started and lost), and lets the progress bar show a total. The expansion is
the basic sweeper's rule, on Hydra's public override parser: each key's sweep values in
the order given, keys in the order first seen, the cartesian product with the last key
varying fastest. ``hydra.sweeper.params`` (from an experiment config) merge with the
command line the way the sweeper merges them: the command line wins for a key both set.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import HydraException

from sim.app.reading import read_json, read_yaml

MULTIRUN_YAML = "multirun.yaml"
STUDY_FILE = "design.json"  # a design sweep's study (sim.app.design_sweep)


def is_basic_sweeper(target: Any) -> bool:
    """Does a ``hydra.sweeper._target_`` name Hydra's basic sweeper (the one we expand)?"""
    return isinstance(target, str) and target.endswith(".basic_sweeper.BasicSweeper")


def expected_jobs(
    task_overrides: Sequence[str], sweeper_params: Mapping[str, Any]
) -> list[list[str]]:
    """Every job's overrides, in launch order."""
    by_key = {str(key): f"{key}={value}" for key, value in (sweeper_params or {}).items()}
    parser = OverridesParser.create()
    for override in parser.parse_overrides(list(task_overrides)):
        by_key[override.get_key_element()] = override.input_line or ""
    choices = []
    for override in parser.parse_overrides(list(by_key.values())):
        key = override.get_key_element()
        if not override.is_sweep_override():
            choices.append([f"{key}={override.get_value_element_as_str()}"])
        elif override.is_discrete_sweep():
            choices.append([f"{key}={value}" for value in override.sweep_string_iterator()])
        else:
            raise HydraException(f"{key}: the basic sweeper sweeps lists and ranges only")
    return [list(job) for job in itertools.product(*choices)]


# How a job is run, not what it computes: a resumed sweep is the same sweep.
NOT_PART_OF_A_JOB = {"output.resume"}


def job_key(overrides: Sequence[str]) -> str:
    """The same job whatever the order or spelling of its overrides (``seed=01`` is 1)."""
    pairs = []
    for item in overrides:
        key, _, value = str(item).partition("=")
        if key.lstrip("+~") in NOT_PART_OF_A_JOB:
            continue
        pairs.append((key.lstrip("+~"), yaml.safe_load(value) if value else None))
    return json.dumps(sorted(pairs, key=lambda pair: pair[0]), default=str)


def sweep_jobs(root: Path) -> list[list[str]] | None:
    """The jobs of the sweep in ``root`` per its ``design.json`` (a design sweep's study)
    or its ``multirun.yaml``, or None if unknown."""
    design = root / STUDY_FILE
    if design.is_file():
        return [list(job["overrides"]) for job in read_json(design)["jobs"]]
    path = root / MULTIRUN_YAML
    if not path.is_file():
        return None
    hydra = (read_yaml(path) or {}).get("hydra") or {}
    task = (hydra.get("overrides") or {}).get("task") or []
    params = (hydra.get("sweeper") or {}).get("params") or {}
    return expected_jobs(task, params)
