"""From overrides to a validated :class:`sim.config.Config`, and errors to one line.

Shared by the command line (``sim.app.cli``), its pre-flight checks (``sim.app.preflight``),
tests, notebooks and benchmarks, so all of them compose a configuration exactly alike.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import fields, is_dataclass
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

from hydra import compose, initialize_config_dir
from hydra.core.config_store import ConfigStore
from hydra.core.global_hydra import GlobalHydra
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import MissingConfigException
from omegaconf import DictConfig, OmegaConf, open_dict
from omegaconf.errors import ConfigAttributeError, ConfigKeyError, OmegaConfBaseException

from sim.app.hydra_internals import apply_value_overrides, overrides_dirname
from sim.config import Config, ConfigError, validate
from sim.config.validation import join

CONFIG_DIR = Path(__file__).resolve().parents[2] / "configs"
# Sections that exist only when a preset sets them (None in the schema otherwise).
OPTIONAL_SECTIONS = {"erlang": "scenario=erlang"}


def register_schemas() -> None:
    """Make the dataclass schema the base of every composed config (type-checked merges).

    Storing converts the whole schema to OmegaConf (~0.3 s), so it is done once."""
    store = ConfigStore.instance()
    if "base_config.yaml" not in store.repo:
        store.store(name="base_config", node=Config)


def to_config(cfg: DictConfig) -> Config:
    """A composed config as validated plain dataclasses (every key checked, full paths)."""
    raw = OmegaConf.to_container(cfg, resolve=False)
    reject_unknown_keys(raw, Config)
    config = OmegaConf.to_object(cfg)
    assert isinstance(config, Config)
    try:
        validate(config)
    except ConfigError as error:
        raise as_typed(error, raw) from None
    return config


INTERPOLATION = re.compile(r"^\$\{([\w.]+)\}$")


def as_typed(error: ConfigError, raw: Any) -> ConfigError:
    """The error on the key the user typed: a value a preset interpolates
    (``horizon_days: ${erlang.days}``) is reported on its source (``erlang.days``)."""
    node = raw
    for part in re.findall(r"[^.\[\]]+", error.key):
        try:
            node = node[int(part)] if isinstance(node, list) else node[part]
        except (KeyError, IndexError, ValueError, TypeError):
            return error
    match = INTERPOLATION.match(node) if isinstance(node, str) else None
    if match is None:
        return error
    return ConfigError(match.group(1), error.value, f"{error.allowed} (as {error.key})")


def _schema_of(hint: Any) -> Any:
    """The dataclass (or ``list[dataclass]`` element) a type hint names, if any."""
    options = [a for a in get_args(hint) if a is not type(None)]
    if get_origin(hint) in (UnionType, Union) and len(options) == 1:
        hint = options[0]
    return hint


def reject_unknown_keys(data: Any, schema: Any, path: str = "") -> None:
    """Keys added with ``+key=...`` are not in the schema: refuse them rather than ignore
    them. Walks the plain data beside the dataclass types, so every key knows its path."""
    schema = _schema_of(schema)
    if get_origin(schema) is list and isinstance(data, list):
        (element,) = get_args(schema) or (Any,)
        for i, item in enumerate(data):
            reject_unknown_keys(item, element, f"{path}[{i}]")
        return
    if not (isinstance(data, dict) and isinstance(schema, type) and is_dataclass(schema)):
        return
    hints = get_type_hints(schema)
    for key, value in data.items():
        key_path = join(path, str(key))
        if key not in hints:
            raise ConfigError(key_path, value, _allowed_keys(list(hints)))
        reject_unknown_keys(value, hints[key], key_path)


def _allowed_keys(allowed: list[str]) -> str:
    return f"not a known key; allowed here: {', '.join(allowed)}"


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
        split = _split_overrides(overrides)
        if split is None:
            return _compose(overrides, with_hydra)
        cfg = _with_values(*split, with_hydra=with_hydra)
        if with_hydra:
            _record_command_line(cfg, overrides)
        return cfg
    except Exception as error:
        unset = unset_section_error(list(overrides))
        if unset is not None:
            raise unset from error
        raise


def _compose(overrides: Sequence[str], with_hydra: bool) -> DictConfig:
    if GlobalHydra.instance().is_initialized():  # e.g. a test composing many configs
        return compose("config", list(overrides), return_hydra_config=with_hydra)
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        return compose("config", list(overrides), return_hydra_config=with_hydra)


# Composing walks the defaults list and merges every preset into the schema (≈ 0.4 s);
# value overrides (``seed=3``, ``customers.premium.share=0.3``) only change the result.
# So the presets' merge is kept per choice of groups and search path, and value overrides
# are applied to a copy by Hydra's own step for them (≈ 0.05 s) - the same function, in
# the same order, as a full composition; tests/test_compose.py checks both agree.
_BY_GROUPS: dict[tuple[Any, ...], DictConfig] = {}
_MAX_KEPT = 32


def _split_overrides(overrides: Sequence[str]) -> tuple[tuple[Any, ...], list[Any]] | None:
    """(group overrides + search path, parsed value overrides), or None where only a full
    composition will do: a sweep, a ``hydra.*`` key, or a line Hydra must report on."""
    try:
        parsed = OverridesParser.create().parse_overrides(list(overrides))
    except Exception:
        return None
    groups, values = [], []
    for override in parsed:
        key = override.key_or_group
        if override.is_sweep_override() or key.split(".")[0].split("/")[0] == "hydra":
            return None
        is_group = (CONFIG_DIR / key).is_dir()  # Hydra's test: an existing config group
        if isinstance(override.value(), dict) or not is_group:
            values.append(override)
        else:
            groups.append(override.input_line)
    return (_search_path(), *groups), values


def _search_path() -> tuple[Any, ...]:
    instance = GlobalHydra.instance()
    if not instance.is_initialized():
        return (str(CONFIG_DIR),)
    path = instance.config_loader().get_search_path().get_path()
    return tuple((element.provider, element.path) for element in path)


def _with_values(key: tuple[Any, ...], values: list[Any], with_hydra: bool) -> DictConfig:
    kept_as = (*key, "with hydra") if with_hydra else key
    base = _BY_GROUPS.get(kept_as)
    if base is None:
        base = _compose(key[1:], with_hydra)
        if len(_BY_GROUPS) >= _MAX_KEPT:
            _BY_GROUPS.pop(next(iter(_BY_GROUPS)))
        _BY_GROUPS[kept_as] = base
    cfg = copy.deepcopy(base)
    apply_value_overrides(values, cfg)
    return cfg


def _record_command_line(cfg: DictConfig, overrides: Sequence[str]) -> None:
    """What Hydra's composition records of the command line in its node, as it does it
    (``ConfigLoaderImpl._load_configuration_impl``): every override (none is a ``hydra.*``
    one here) in order, and the run directory's name made of them."""
    job = cfg.hydra.job
    cfg.hydra.overrides.task = list(overrides)
    parsed = OverridesParser.create().parse_overrides(list(overrides))
    job.override_dirname = overrides_dirname(parsed, job)


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
