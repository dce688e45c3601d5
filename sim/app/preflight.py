"""Checks on a command line before Hydra acts on it: on failure nothing is created or run.

Hydra makes the run directory, and instantiates callbacks and launchers named in the
configuration, before our task function sees the config; a sweep validates each job only
when that job starts. So the CLI first composes the configuration itself and refuses, in
one line naming the key:

- any value the schema rejects, in *every* job of a sweep (not at job 40 of 400);
- code named by configuration: a ``_target_`` (or a logging factory) outside the allow-list
  of this package and Hydra's plugins, wherever it sits, including ``hydra.callbacks``;
- ``--experimental-rerun``, which unpickles a file from a results directory.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from hydra import initialize_config_dir
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.plugins import Plugins
from hydra.plugins.launcher import Launcher
from hydra.plugins.sweeper import Sweeper
from omegaconf import DictConfig, OmegaConf
from tqdm import tqdm

from sim.app import progress
from sim.app.compose import CONFIG_DIR, compose_config, compose_raw, to_config, without_hydra
from sim.app.files import unwritable
from sim.app.sweep import expected_jobs, is_basic_sweeper
from sim.config import ConfigError
from sim.config.validation import check_field

# Code a configuration may name: this package, the launchers and sweepers Hydra has
# installed (by their exact class), and logging classes.
ALLOWED_TARGETS = ("sim.",)
ALLOWED_LOGGING_CLASSES = ("logging.", "colorlog.")
CODE_KEYS = ("_target_", "()", "class")  # instantiate / logging.config factories


@cache
def hydra_plugin_targets() -> frozenset[str]:
    """The installed launcher and sweeper classes, as a ``_target_`` names them."""
    plugins = Plugins.instance()
    return frozenset(
        f"{plugin.__module__}.{plugin.__qualname__}"
        for kind in (Launcher, Sweeper)
        for plugin in plugins.discover(kind)
    )


def allowed_target(value: Any) -> bool:
    return isinstance(value, str) and (
        value.startswith(ALLOWED_TARGETS) or value in hydra_plugin_targets()
    )


def _hydra_arguments() -> argparse.ArgumentParser:
    """The flags of a Hydra 1.3 app's command line that decide what runs (Hydra reads
    them all again itself; only the overrides and these flags matter here)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("overrides", nargs="*")
    switches = [("--help", "-h"), ("--hydra-help",), ("--multirun", "-m")]
    switches += [("--shell-completion", "-sc"), ("--run", "-r"), ("--resolve",)]
    for flags in switches:
        parser.add_argument(*flags, action="store_true")
    options = [("--cfg", "-c"), ("--package", "-p"), ("--config-path", "-cp")]
    options += [("--config-name", "-cn"), ("--config-dir", "-cd"), ("--experimental-rerun",)]
    for flags in options:
        parser.add_argument(*flags)
    parser.add_argument("--info", "-i", nargs="?", const="all")
    return parser


def parse_command_line(argv: Sequence[str]) -> argparse.Namespace:
    """The command line as Hydra reads it: its flags and the overrides."""
    args, _ = _hydra_arguments().parse_known_args(list(argv))
    return args


def check_command_line(argv: Sequence[str]) -> DictConfig | None:
    """Raise ConfigError (or Hydra's own error) if this command line must not run; else
    the configuration it composed, Hydra's node included (None if it composed none)."""
    args = parse_command_line(argv)
    if args.experimental_rerun is not None:
        raise ConfigError(
            "--experimental-rerun",
            args.experimental_rerun,
            "not supported: it unpickles a file from a results directory; re-run with the "
            "overrides in its .hydra/overrides.yaml",
        )
    if args.help or args.hydra_help or args.info or args.shell_completion:
        return None  # nothing runs
    if args.config_path or args.config_name:
        return None  # a different primary config: Hydra checks it
    overrides = list(args.overrides)
    if args.config_dir:
        overrides.append(f"hydra.searchpath=[file://{Path(args.config_dir).resolve()}]")
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        first_job = expected_jobs(overrides, {})[0] if args.multirun else overrides
        cfg = compose_raw(first_job, with_hydra=True)
        check_no_foreign_code(cfg)
        check_output_directory(cfg, args.multirun)
        to_config(without_hydra(cfg))
        if args.multirun and is_basic_sweeper(OmegaConf.select(cfg, "hydra.sweeper._target_")):
            params = cfg.hydra.sweeper.params
            plain = {} if params is None else OmegaConf.to_container(params, resolve=False)
            check_every_job(expected_jobs(overrides, plain))
    return cfg


def check_output_directory(cfg: DictConfig, multirun: bool) -> None:
    """Results need a folder: ``hydra.run.dir`` (``hydra.sweep.dir`` for a sweep) must
    name one this user can create — never empty (Hydra would write into the current
    folder), never under a file or a read-only folder."""
    key = "hydra.sweep.dir" if multirun else "hydra.run.dir"
    value = OmegaConf.select(cfg, key)
    reason = unwritable(Path(str(value or "")), directory=True) if value else "must not be empty"
    if reason is not None:
        raise ConfigError(key, value, f"results need a folder: {reason}")


def check_no_foreign_code(cfg: DictConfig) -> None:
    """Every ``_target_`` (and logging ``class``/``()``) names allow-listed code."""
    for path, key, value in _code_references(OmegaConf.to_container(cfg, resolve=False)):
        logging_class = key != "_target_" and "logging" in path
        if key != "_target_" and not logging_class:
            continue
        if logging_class:
            ok = isinstance(value, str) and value.startswith(ALLOWED_LOGGING_CLASSES)
            allowed = ", ".join(p + "*" for p in ALLOWED_LOGGING_CLASSES)
        else:
            ok = allowed_target(value)
            allowed = "sim.*, or an installed Hydra launcher or sweeper"
        if not ok:
            raise ConfigError(
                f"{path}.{key}" if path else key,
                value,
                f"configuration may only name code in {allowed}",
            )


def _code_references(node: Any, path: str = "") -> Iterator[tuple[str, str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in CODE_KEYS:
                yield path, str(key), value
            yield from _code_references(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _code_references(value, f"{path}[{i}]")


LARGE_SWEEP = 1000  # jobs: more are announced, and counted on a terminal
WHOLE_NUMBER = re.compile(r"-?\d+")


def check_every_job(jobs: list[list[str]]) -> None:
    """Validate each job of a sweep. Jobs that differ only in their seed compose alike, so
    one of them is composed and the others only get their seed checked (a seed that is a
    whole number without Hydra's parser: a hundred thousand seeds take a second)."""
    parser = OverridesParser.create()
    composed: dict[tuple[str, ...], Any] = {}
    if len(jobs) > LARGE_SWEEP:
        print(f"supportsim: checking the {len(jobs):,} jobs of the sweep", file=sys.stderr)
    with tqdm(jobs, desc="checking jobs", unit="job", disable=not progress.enabled()) as bar:
        for job in bar:
            seedless = tuple(item for item in job if item.partition("=")[0].lstrip("+~") != "seed")
            try:
                if seedless not in composed:
                    composed[seedless] = compose_config(job)
                    continue
                for item in job:
                    if item in seedless:
                        continue
                    text = item.partition("=")[2]
                    seed = (
                        int(text)
                        if WHOLE_NUMBER.fullmatch(text)
                        else parser.parse_override(item).value()
                    )
                    check_field(dataclasses.replace(composed[seedless], seed=seed), "seed")
            except ConfigError as error:
                shown = " ".join(item for item in job if not item.startswith("hydra"))
                raise ConfigError(
                    error.key, error.value, f"{error.allowed} (in job: {shown})"
                ) from None
