"""``python -m sim.fit INPUT --out DIR/scenario/NAME.yaml``: a scenario preset fitted to a
centre's own data.

INPUT is a CSV or Parquet file: a contact log (one row per contact: ``arrival``,
``channel``, ``outcome`` = answered|abandoned, ``wait_min``, ``handle_min``, optional
``caller``), supportsim's own event log (``contacts.parquet`` of a run with
``record.contacts=true``) or interval counts (``start``, ``channel``, ``contacts``). The
preset runs as ``python -m sim --config-dir DIR scenario=NAME`` (add
``staffing=from_forecast`` to staff it). A malformed file: one line naming the row and
column, exit 2, nothing written.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

import pandas as pd
from hydra.errors import HydraException
from omegaconf.errors import OmegaConfBaseException

from sim.analysis.fitting import (
    CentreFit,
    FitInputError,
    FitOptions,
    fit_contacts,
    fit_intervals,
    inputs,
    preset_yaml,
)
from sim.app.compose import compose_config, one_line
from sim.app.files import atomic_write
from sim.config import ConfigError
from sim.config.root import SAFE_NAME

EXIT_BAD_INPUT = 2
PROG = "python -m sim.fit"
NAME = "letters, digits, _ . - (at most 64)"


def read_table(path: Path) -> pd.DataFrame:
    """The input file as a frame (CSV, or Parquet by its suffix)."""
    if not path.is_file():
        raise FitInputError(f"{path}: no such file")
    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            return pd.read_parquet(path)
        return pd.read_csv(path)
    except (ValueError, OSError, pd.errors.ParserError) as error:
        raise FitInputError(f"{path}: not a readable CSV or Parquet file ({error})") from None


def fit_table(frame: pd.DataFrame, options: FitOptions) -> CentreFit:
    """Whichever layout ``frame`` has, checked and fitted."""
    kind = inputs.layout(frame)
    if kind == "events":
        return fit_contacts(inputs.from_event_log(frame), kind, options)
    if kind == "contacts":
        return fit_contacts(inputs.contact_log(frame), kind, options)
    return fit_intervals(inputs.interval_counts(frame), options)


def check_preset(text: str, name: str) -> None:
    """Compose the preset as ``python -m sim`` would: a fit that does not run is a bug."""
    with tempfile.TemporaryDirectory() as directory:
        (Path(directory) / "scenario").mkdir()
        (Path(directory) / "scenario" / f"{name}.yaml").write_text(text, encoding="utf-8")
        compose_config([f"hydra.searchpath=[file://{directory}]", f"scenario={name}"])


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    parser.add_argument("input", type=Path, help="contact log, event log or interval counts")
    parser.add_argument("--out", type=Path, required=True, help="DIR/scenario/NAME.yaml")
    parser.add_argument("--level", type=float, default=0.95, help="of every interval")
    parser.add_argument(
        "--redial-window-min",
        type=float,
        default=FitOptions.redial_window_min,
        help="a caller's next contact this soon after abandoning is a redial",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    name = args.out.stem
    try:
        if args.out.suffix != ".yaml" or not re.fullmatch(SAFE_NAME, name):
            raise FitInputError(
                f"--out {args.out}: must be DIR/scenario/NAME.yaml, NAME {SAFE_NAME}"
            )
        if not 0.5 <= args.level < 1.0 or not args.redial_window_min > 0:
            raise FitInputError("--level must be in [0.5, 1) and --redial-window-min > 0")
        options = FitOptions(args.level, args.redial_window_min)
        fit = fit_table(read_table(args.input), options)
        command = " ".join([PROG, str(args.input), "--out", str(args.out)])
        text = preset_yaml(fit, name, command, args.level)
        check_preset(text, name)
    except FitInputError as error:
        print(f"{PROG}: error: {args.input}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (ConfigError, OmegaConfBaseException, HydraException) as error:
        print(f"{PROG}: error: the fitted preset is invalid: {one_line(error)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    atomic_write(args.out, lambda handle: handle.write(text))
    print(f"{PROG}: wrote {args.out} ({len(fit.channels)} channels, {fit.days} days)")
    return 0
