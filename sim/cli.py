"""The command line: a thin Hydra app around ``sim.run``.

``python -m sim [overrides]`` (or ``supportsim``) composes ``configs/``, validates it into
a plain :class:`sim.config.Config`, runs the model and writes the results into Hydra's run
directory. Every configuration mistake ends in one line on stderr naming the key and what
is allowed, exit code 2, and no results. ``SUPPORTSIM_TRACEBACK=1`` (or Hydra's own
``HYDRA_FULL_ERROR=1``) shows the full traceback instead.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

import hydra
from hydra import compose, initialize_config_dir
from hydra.core.config_store import ConfigStore
from hydra.core.global_hydra import GlobalHydra
from hydra.core.hydra_config import HydraConfig
from hydra.errors import MissingConfigException
from hydra.types import RunMode
from omegaconf import DictConfig, ListConfig, OmegaConf
from omegaconf.errors import ConfigAttributeError, ConfigKeyError, OmegaConfBaseException

from sim import progress
from sim.config import Config, ConfigError
from sim.model.org import run
from sim.outputs import SUMMARY, write_run

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"
EXIT_BAD_INPUT = 2
# Sections that exist only when a preset sets them (None in the schema otherwise).
OPTIONAL_SECTIONS = {"erlang": "scenario=erlang"}
EXIT_FAILED = 1
log = logging.getLogger("supportsim")


def register_schemas() -> None:
    """Make the dataclass schema the base of every composed config (type-checked merges)."""
    ConfigStore.instance().store(name="base_config", node=Config)


def to_config(cfg: DictConfig) -> Config:
    """Validate a composed config into plain dataclasses (runs every ``__post_init__``)."""
    _reject_unknown_keys(cfg)
    try:
        config = OmegaConf.to_object(cfg)
    except ConfigError as error:
        raise error.with_prefix(_locate(cfg, error) or "") from None
    assert isinstance(config, Config)
    return config


def _reject_unknown_keys(node: Any, path: str = "") -> None:
    """Keys added with ``+key=...`` are not in the schema: refuse them rather than ignore them."""
    if isinstance(node, ListConfig):
        for i in range(len(node)):
            _reject_unknown_keys(node._get_node(i), f"{path}[{i}]")
        return
    if not isinstance(node, DictConfig):
        return
    schema = OmegaConf.get_type(node)
    allowed = [f.name for f in fields(schema)] if is_dataclass(schema) else None
    for key in node:
        key_path = f"{path}.{key}" if path else str(key)
        if allowed is not None and key not in allowed:
            raise ConfigError(key_path, _raw(node._get_node(key)), _allowed_keys(allowed))
        _reject_unknown_keys(node._get_node(key), key_path)


def _raises(node: Any, error: ConfigError) -> bool:
    """Does validating this subtree alone raise ``error``?"""
    try:
        OmegaConf.to_object(node)
    except ConfigError as own:
        return own.message() == error.message()
    return False


def _raw(node: Any) -> Any:
    """A node's value as plain data, for an error message (interpolations unresolved)."""
    if isinstance(node, (DictConfig, ListConfig)):
        return OmegaConf.to_container(node, resolve=False)
    return node._value() if node is not None else None


def _allowed_keys(allowed: list[str]) -> str:
    return f"not a known key; allowed here: {', '.join(allowed)}"


def _locate(node: Any, error: ConfigError, path: str = "") -> str | None:
    """Path of the deepest config node whose own validation raises ``error``.

    Dataclass ``__post_init__`` checks only know their own keys; OmegaConf builds nested
    nodes bottom-up, so we find the failing node by validating subtrees, descending only
    into the one that fails (only ever on error).
    """
    if isinstance(node, DictConfig):
        children = [(f"{path}.{k}" if path else str(k), node._get_node(k)) for k in node]
    elif isinstance(node, ListConfig):
        children = [(f"{path}[{i}]", node._get_node(i)) for i in range(len(node))]
    else:
        return None
    for child_path, child in children:
        if isinstance(child, (DictConfig, ListConfig)) and _raises(child, error):
            return _locate(child, error, child_path)
    return path


def one_line(error: BaseException) -> str:
    """A single line that names the key at fault and what is allowed."""
    if isinstance(error, ConfigError):
        return error.message()
    if isinstance(error, MissingConfigException) and error.options is not None:
        group, _, option = (error.missing_cfg_file or "").rpartition("/")
        allowed = ", ".join(sorted(error.options))
        return f"{group} = {option!r} is not a known option: allowed: {allowed}"
    for candidate in _chain(error):
        if isinstance(candidate, (ConfigKeyError, ConfigAttributeError)):
            return _unknown_key(candidate)
        if isinstance(candidate, OmegaConfBaseException) and candidate.full_key:
            message = (candidate.msg or str(candidate)).splitlines()[0]
            return f"{candidate.full_key}: {message}"
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


def unset_section_error(overrides: Sequence[str]) -> ConfigError | None:
    """An override into a section that is not set (e.g. ``erlang.servers=3`` without
    ``scenario=erlang``): OmegaConf fails on it without naming the key, so we do."""
    for item in overrides:
        key, _, value = item.partition("=")
        section = key.lstrip("+~").split(".")[0]
        enabler = OPTIONAL_SECTIONS.get(section)
        if enabler and enabler not in overrides:
            return ConfigError(key.lstrip("+~"), value, f"{section}.* applies only with {enabler}")
    return None


def _chain(error: BaseException) -> list[BaseException]:
    """The error and everything it was raised from, outermost first."""
    chain: list[BaseException] = []
    while error is not None and error not in chain:
        chain.append(error)
        error = error.__cause__ or error.__context__
    return chain


def _unknown_key(error: ConfigKeyError | ConfigAttributeError) -> str:
    key = error.full_key or error.key
    schema = error.object_type
    allowed = sorted(f.name for f in fields(schema)) if is_dataclass(schema) else []
    hint = f": allowed here: {', '.join(allowed)}" if allowed else ""
    return f"{key} is not a known key{hint}"


def _fail(message: str, exit_code: int) -> None:
    print(f"supportsim: {message}", file=sys.stderr)
    sys.exit(exit_code)


_VERBOSE = any(os.environ.get(var) == "1" for var in ("SUPPORTSIM_TRACEBACK", "HYDRA_FULL_ERROR"))


def _verbose() -> bool:
    """Tracebacks wanted? Read once at import, before ``main`` sets HYDRA_FULL_ERROR."""
    return _VERBOSE


def compose_config(overrides: Sequence[str] = ()) -> Config:
    """The validated Config for these overrides, as the CLI would build it (for notebooks,
    tests and benchmarks; no run directory, no output)."""
    register_schemas()
    try:
        if GlobalHydra.instance().is_initialized():  # e.g. a test composing many configs
            cfg = compose(config_name="config", overrides=list(overrides))
        else:
            with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
                cfg = compose(config_name="config", overrides=list(overrides))
    except Exception as error:
        unset = unset_section_error(list(overrides))
        if unset is not None:
            raise unset from error
        raise
    return to_config(cfg)


@hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="config")
def _app(cfg: DictConfig) -> None:
    try:
        config = to_config(cfg)
    except ConfigError as error:
        if _verbose() or HydraConfig.get().mode == RunMode.MULTIRUN:
            raise  # a sweep reports it with the job's overrides; main() prints one line
        _fail(f"error: {one_line(error)}", EXIT_BAD_INPUT)
    out_dir = Path(HydraConfig.get().runtime.output_dir)
    if config.output.resume and (out_dir / SUMMARY).is_file():
        log.info("resume: %s already finished, skipped", out_dir)
        return
    started = time.perf_counter()
    if HydraConfig.get().mode == RunMode.MULTIRUN:
        result = run(config, config.seed)  # the sweep's own bar counts jobs
    else:
        with progress.days(config.horizon_days, f"{config.name} seed {config.seed}") as on_day:
            result = run(config, config.seed, on_day)
    write_run(result, config, out_dir, wall_time_s=time.perf_counter() - started)
    log.info("results in %s", out_dir)


def main() -> None:
    """Entry point of ``supportsim`` and ``python -m sim``."""
    register_schemas()
    os.environ["HYDRA_FULL_ERROR"] = "1"  # let errors reach us; we print them as one line
    try:
        _app()
    except (ConfigError, OmegaConfBaseException, hydra.errors.HydraException) as error:
        if _verbose():
            raise
        _fail(f"error: {one_line(error)}", EXIT_BAD_INPUT)
    except Exception as error:
        if _verbose():
            raise
        unset = unset_section_error([a for a in sys.argv[1:] if not a.startswith("-")])
        if unset is not None:
            _fail(f"error: {one_line(unset)}", EXIT_BAD_INPUT)
        _fail(
            f"failed: {type(error).__name__}: {one_line(error)} "
            "(SUPPORTSIM_TRACEBACK=1 shows the traceback)",
            EXIT_FAILED,
        )
