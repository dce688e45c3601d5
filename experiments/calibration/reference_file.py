"""``configs/customers/reference.yaml``: the calibrated customer settings, written here only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

PATH = Path(__file__).resolve().parents[2] / "configs" / "customers" / "reference.yaml"
HEADER = """\
# The reference organisation's calibrated customers: the stationary initial state
# (customers.initial_state, from a burn-in), the acquisition that replaces its churn
# (customers.acquisition) and the survey answers fitted to TARP and Dixon et al.
# (customers.survey). Written by `python experiments/calibrate.py
# steady-state` and `... survey`; do not edit by hand. docs/calibration.md says how.
"""


def read_reference() -> dict[str, Any]:
    if not PATH.is_file():
        return {}
    return yaml.safe_load(PATH.read_text(encoding="utf-8")) or {}


def write_reference(reference: dict[str, Any]) -> None:
    PATH.parent.mkdir(parents=True, exist_ok=True)
    body = yaml.safe_dump(reference, sort_keys=False, default_flow_style=None, width=100)
    PATH.write_text(HEADER + body, encoding="utf-8")
