"""From overrides to a validated :class:`sim.config.Config`, and errors to one line.

Shared by the command line (``sim.cli``), its pre-flight checks (``sim.preflight``),
tests, notebooks and benchmarks, so all of them compose a configuration exactly alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from hydra import compose, initialize_config_dir
from hydra.core.config_store import ConfigStore
from hydra.core.global_hydra import GlobalHydra
from hydra.errors import MissingConfigException
from omegaconf import DictConfig, ListConfig, OmegaConf, open_dict
from omegaconf.errors import ConfigAttributeError, ConfigKeyError, OmegaConfBaseException

from sim.config import Config, ConfigError

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"
# Sections that exist only when a preset sets them (None in the schema otherwise).
OPTIONAL_SECTIONS = {"erlang": "scenario=erlang"}


def register_schemas() -> None:
    """Make the dataclass schema the base of every composed config (type-checked merges).

    Storing converts the whole schema to OmegaConf (~0.3 s), so it is done once."""
    store = ConfigStore.instance()
    if "base_config.yaml" not in store.repo:
        store.store(name="base_config", node=Config)


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


def compose_raw(overrides: Sequence[str] = (), with_hydra: bool = False) -> DictConfig:
    """The composed (not yet validated) config; ``with_hydra`` keeps the ``hydra`` node."""
    register_schemas()
    try:
        if GlobalHydra.instance().is_initialized():  # e.g. a test composing many configs
            return compose("config", list(overrides), return_hydra_config=with_hydra)
        with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
            return compose("config", list(overrides), return_hydra_config=with_hydra)
    except Exception as error:
        unset = unset_section_error(list(overrides))
        if unset is not None:
            raise unset from error
        raise


def without_hydra(cfg: DictConfig) -> DictConfig:
    """The job's part of a config composed ``with_hydra``."""
    job = cfg.copy()
    with open_dict(job):
        job.pop("hydra", None)
    return job


def compose_config(overrides: Sequence[str] = ()) -> Config:
    """The validated Config for these overrides, as the CLI would build it (for notebooks,
    tests and benchmarks; no run directory, no output)."""
    return to_config(compose_raw(overrides))
