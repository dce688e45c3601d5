"""Calibration as code: rerun any step and the repository's calibrated files follow.

    python experiments/calibrate.py staff         # staffing presets from the measured load
    python experiments/calibrate.py steady-state  # the customers' stationary initial state
    python experiments/calibrate.py survey        # survey answers fitted to TARP and Dixon
    python experiments/calibrate.py targets       # the band table in docs/calibration.md

Each step writes what it fits (``configs/staffing/*.yaml``,
``configs/customers/reference.yaml``, ``docs/calibration.md``) and prints what it did.
Order matters once: staff, then steady-state, then survey, then targets. See
``docs/calibration.md`` for what each step fits and why.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from experiments.calibration import staffing_step, state_step, survey_step, targets_step  # noqa: E402

STEPS: dict[str, Callable[[argparse.Namespace], None]] = {
    "staff": staffing_step.main,
    "steady-state": state_step.main,
    "survey": survey_step.main,
    "targets": targets_step.main,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=sorted(STEPS))
    parser.add_argument("--seeds", type=int, default=None, help="replications (step default)")
    args = parser.parse_args(argv)
    STEPS[args.step](args)


if __name__ == "__main__":
    main()
