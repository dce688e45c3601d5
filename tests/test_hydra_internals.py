"""Hydra's private API, used in one module only (``sim/app/hydra_internals.py``): if a
Hydra release moves or changes what it uses, this test says so by name — before the
command line breaks in a way that is hard to trace."""

from __future__ import annotations

import importlib
import inspect
from importlib.metadata import version

import pytest

HYDRA = version("hydra-core")
DOOR = "sim/app/hydra_internals.py"


def _moved(what: str) -> str:
    return f"hydra-core {HYDRA} moved or changed {what}: {DOOR} must follow it"


def test_the_private_modules_still_import():
    for name in ("hydra._internal.config_loader_impl", "hydra._internal.hydra"):
        try:
            importlib.import_module(name)
        except ImportError:
            pytest.fail(_moved(name))


def test_what_the_door_uses_is_still_there_with_its_parameters():
    from hydra._internal import config_loader_impl, hydra

    expected = {
        (config_loader_impl.ConfigLoaderImpl, "_apply_overrides_to_config"): [
            "overrides",
            "cfg",
        ],
        (config_loader_impl, "get_overrides_dirname"): [
            "overrides",
            "exclude_keys",
            "item_sep",
            "kv_sep",
        ],
        (hydra.Hydra, "get_mode"): ["self", "config_name", "overrides"],
    }
    for (owner, attribute), parameters in expected.items():
        where = f"{owner.__name__}.{attribute}"
        function = getattr(owner, attribute, None)
        assert function is not None, _moved(where)
        found = list(inspect.signature(function).parameters)
        assert all(p in found for p in parameters), _moved(f"{where}{tuple(found)}")


def test_the_mode_hydra_reads_is_the_one_given_and_restored_after():
    from hydra._internal.hydra import Hydra
    from hydra.types import RunMode

    from sim.app.hydra_internals import mode_from

    original = Hydra.get_mode
    with mode_from(RunMode.MULTIRUN):
        assert Hydra.get_mode(None, "config", []) is RunMode.MULTIRUN  # type: ignore[arg-type]
    assert Hydra.get_mode is original


def test_value_overrides_apply_as_composition_applies_them():
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from omegaconf import OmegaConf

    from sim.app.hydra_internals import apply_value_overrides

    cfg = OmegaConf.create({"seed": 0, "customers": {"population": 10}})
    parsed = OverridesParser.create().parse_overrides(["seed=3", "customers.population=20"])
    apply_value_overrides(parsed, cfg)
    assert cfg.seed == 3 and cfg.customers.population == 20
