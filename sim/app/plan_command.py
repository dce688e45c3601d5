"""``python -m sim.staffing [OVERRIDES] [--out FILE]``: a staffing plan from the forecast,
without simulating it.

Composes the configuration as ``python -m sim`` would, with ``staffing=from_forecast``
(its ``staffing.plan.*`` keys may be overridden), makes the plan and prints, per pool, the
peak agents and the paid hours a week it schedules. ``--out FILE`` writes the shifts as a
staffing preset (``configs/staffing/NAME.yaml``) to run, compare or edit by hand, and
``--table FILE`` the plan per interval (CSV). Bad input: one line naming the key, exit 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hydra.errors import HydraException
from omegaconf.errors import OmegaConfBaseException

from sim.analysis.planning.plan import StaffingPlan, planned
from sim.analysis.planning.staffing import Shift
from sim.app.compose import compose_config, one_line
from sim.app.files import atomic_write, unwritable
from sim.app.outputs import write_csv
from sim.config import ConfigError
from sim.config.operations import POOLS


def preset_yaml(plan: StaffingPlan, command: str) -> str:
    """The plan's shifts as a staffing preset, headed by how it was made."""
    lines = [
        "# Staffing preset planned from the forecast by",
        f"#   {command}",
        "# (Erlang A per hour of the week on a pilot's offered load, grossed up for",
        "# shrinkage, covered by shifts at the fewest paid hours). Sized for that",
        "# organisation: a size preset does not scale it.",
        "scale: 1",
    ]
    for pool in POOLS:
        lines.append(f"{pool}:" + ("" if plan.shifts[pool] else " []"))
        lines += [f"  - {_shift(shift)}" for shift in plan.shifts[pool]]
    return "\n".join(lines) + "\n"


def _shift(shift: Shift) -> str:
    days = ", ".join(str(day) for day in shift.days)
    return (
        f"{{start_hour: {shift.start_hour}, end_hour: {shift.end_hour},"
        f" agents: {shift.agents}, days: [{days}]}}"
    )


def summary_lines(plan: StaffingPlan) -> list[str]:
    lines = [f"{'pool':8s} {'peak required':>13s} {'peak scheduled':>14s} {'paid h/week':>11s}"]
    for pool in POOLS:
        required, scheduled = plan.required[pool], plan.scheduled[pool]
        lines.append(f"{pool:8s} {max(required):13d} {max(scheduled):14d} {sum(scheduled):11,d}")
    lines.append(f"{'all':8s} {'':13s} {'':14s} {plan.paid_hours:11,d}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sim.staffing", description=__doc__)
    parser.add_argument("overrides", nargs="*", help="Hydra overrides, as for python -m sim")
    parser.add_argument("--out", type=Path, help="write the shifts as a staffing preset")
    parser.add_argument("--table", type=Path, help="write the plan per interval (CSV)")
    args = parser.parse_args(argv)
    try:
        for flag, path in (("--out", args.out), ("--table", args.table)):
            reason = None if path is None else unwritable(path)
            if reason is not None:
                raise ConfigError(flag, str(path), reason)
        config = compose_config(["staffing=from_forecast", *args.overrides])
    except (ConfigError, OmegaConfBaseException, HydraException) as error:
        print(f"supportsim.staffing: error: {one_line(error)}", file=sys.stderr)
        return 2
    _, plan = planned(config)
    print("\n".join(summary_lines(plan)))
    if args.out is not None:
        command = " ".join(["python -m sim.staffing", *args.overrides])
        atomic_write(args.out, lambda handle: handle.write(preset_yaml(plan, command)))
        print(f"wrote {args.out}")
    if args.table is not None:
        write_csv(args.table, plan.table())
        print(f"wrote {args.table}")
    return 0
