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
import pyarrow as pa
import pyarrow.parquet as pq
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
from sim.app.files import atomic_write, unwritable
from sim.config import ConfigError
from sim.config.root import SAFE_NAME

EXIT_BAD_INPUT = 2
PROG = "python -m sim.fit"
NAME = "letters, digits, _ . - (at most 64)"


MAX_MB = 1024  # a larger export is refused before it is read (--max-mb raises it)


def read_table(path: Path, max_mb: float = MAX_MB) -> pd.DataFrame:
    """The input file as a frame (CSV, or Parquet by its suffix): its size checked before
    anything is read, its columns before the rows."""
    if not path.is_file():
        raise FitInputError(f"{path}: no such file")
    size_mb = path.stat().st_size / 2**20
    if size_mb > max_mb:
        raise FitInputError(
            f"{path}: {size_mb:,.0f} MB is more than --max-mb {max_mb:,.0f}: fit a shorter"
            " period, or raise --max-mb if this machine has the memory"
        )
    parquet = path.suffix.lower() in (".parquet", ".pq")
    try:
        header = (
            pd.DataFrame(columns=pq.read_schema(path).names)
            if parquet
            else pd.read_csv(path, nrows=0)
        )
        inputs.layout(header, rows_checked=False)  # a wrong layout fails before the rows
        return pd.read_parquet(path) if parquet else pd.read_csv(path)
    except (ValueError, OSError, pd.errors.ParserError, pa.ArrowException) as error:
        if isinstance(error, FitInputError):
            raise
        raise FitInputError(f"{path}: not a readable CSV or Parquet file ({error})") from None


def fit_table(frame: pd.DataFrame, options: FitOptions, rule: str = "iso") -> CentreFit:
    """Whichever layout ``frame`` has, checked and fitted (times read by ``rule``)."""
    kind = inputs.layout(frame)
    caveats: list[str] = []
    if kind == "events":
        return fit_contacts(inputs.from_event_log(frame), kind, options)
    if kind == "contacts":
        return fit_contacts(inputs.contact_log(frame, rule, caveats), kind, options, caveats)
    return fit_intervals(inputs.interval_counts(frame, rule, caveats), options, caveats)


def check_out(out: Path) -> None:
    """``--out`` names DIR/scenario/NAME.yaml whose folder exists or can be made."""
    if out.suffix != ".yaml" or not re.fullmatch(SAFE_NAME, out.stem):
        raise FitInputError(f"--out {out}: must be DIR/scenario/NAME.yaml, NAME {SAFE_NAME}")
    reason = unwritable(out)
    if reason is not None:
        raise FitInputError(f"--out {out}: {reason}")


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
    dates = parser.add_mutually_exclusive_group()
    dates.add_argument(
        "--dayfirst", action="store_true", help="dates are written day first (DD/MM/YYYY)"
    )
    dates.add_argument(
        "--monthfirst", action="store_true", help="dates are written month first (MM/DD/YYYY)"
    )
    parser.add_argument(
        "--max-mb", type=float, default=MAX_MB, help="refuse a larger file before reading it"
    )
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
    rule = "dayfirst" if args.dayfirst else "monthfirst" if args.monthfirst else "iso"
    try:
        if not 0.5 <= args.level < 1.0 or not args.redial_window_min > 0:
            raise FitInputError("--level must be in [0.5, 1) and --redial-window-min > 0")
        check_out(args.out)
        options = FitOptions(args.level, args.redial_window_min)
        fit = fit_table(read_table(args.input, args.max_mb), options, rule)
        command = " ".join([PROG, *(argv if argv is not None else sys.argv[1:])])
        text = preset_yaml(fit, name, command, args.level, inputs.DATE_RULES[rule])
        check_preset(text, name)
    except FitInputError as error:
        print(f"{PROG}: error: {args.input}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (ConfigError, OmegaConfBaseException, HydraException) as error:
        print(f"{PROG}: error: the fitted preset is invalid: {one_line(error)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    atomic_write(args.out, lambda handle: handle.write(text))
    for caveat in fit.caveats:
        print(f"{PROG}: caveat: {caveat}", file=sys.stderr)
    print(f"{PROG}: wrote {args.out} ({len(fit.channels)} channels, {fit.days} days)")
    return 0
