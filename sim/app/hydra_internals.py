"""The only door to Hydra's private API (``hydra._internal``), for hydra-core 1.3.x.

Two things the public API cannot do, each bought for speed and kept exact:

- **one composition per run**: ``python -m sim`` composes the command line once in its
  pre-flight check, and Hydra composes it again only to read ``hydra.mode``
  (``Hydra.get_mode``, a third of a short run's fixed cost) — ``mode_from`` answers that
  question from the composition already made;
- **value overrides on a kept composition**: a study composes each group choice once and
  applies value overrides (``seed=3``) with Hydra's own step for them
  (``ConfigLoaderImpl._apply_overrides_to_config``), recording the run directory's name
  as Hydra does (``get_overrides_dirname``) — the same functions, in the same order, as
  a full composition (``tests/test_compose.py`` checks both agree).

``tests/test_hydra_internals.py`` fails with a message naming this module if a Hydra
release moves or renames any of them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from hydra._internal.config_loader_impl import ConfigLoaderImpl, get_overrides_dirname
from hydra._internal.hydra import Hydra
from omegaconf import DictConfig

# What this module uses, as (owner, attribute): the test checks each still exists.
USED = ((ConfigLoaderImpl, "_apply_overrides_to_config"), (Hydra, "get_mode"))


def apply_value_overrides(values: Sequence[Any], cfg: DictConfig) -> None:
    """Apply parsed value overrides to ``cfg`` in place, exactly as composition does."""
    ConfigLoaderImpl._apply_overrides_to_config(list(values), cfg)


def overrides_dirname(overrides: Sequence[Any], job: DictConfig) -> str:
    """The run directory's name Hydra makes of parsed overrides (``override_dirname``)."""
    return get_overrides_dirname(
        overrides=list(overrides),
        kv_sep=job.config.override_dirname.kv_sep,
        item_sep=job.config.override_dirname.item_sep,
        exclude_keys=job.config.override_dirname.exclude_keys,
    )


@contextmanager
def mode_from(mode: Any) -> Iterator[None]:
    """While Hydra runs, its ``get_mode`` answers ``mode`` instead of composing again."""
    original = Hydra.get_mode
    Hydra.get_mode = lambda self, config_name, overrides: mode  # type: ignore[method-assign]
    try:
        yield
    finally:
        Hydra.get_mode = original  # type: ignore[method-assign]
