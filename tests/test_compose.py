"""Composition with the presets' merge kept per group choice gives what a full Hydra
composition gives: the same config for valid overrides, the same error for bad ones."""

from __future__ import annotations

import pytest
from hydra import initialize_config_dir
from omegaconf import OmegaConf

from sim.app import compose as composing
from sim.app.compose import CONFIG_DIR, compose_raw, one_line, to_config, without_hydra

VALID = [
    [],
    ["seed=3", "horizon_days=30"],
    ["scenario=erlang", "erlang.servers=13", "erlang.mean_patience_min=null"],
    ["policy=proactive_outreach", "size=small", "customers.premium.share=0.3",
     "customers.standard.share=0.7"],
    ["staffing=lean", "staffing.phone.0.agents=7", "staffing.extra_agents.tier2=-1"],
    ["scenario=northwind_outage", "+incidents.scheduled=[{start_day: 40}]"],
    ["scenario=northwind_outage", "incidents.scheduled=[]"],
    ["culture=lip_service", "staffing.phone=[{start_hour: 8, end_hour: 16, agents: 9}]"],
    ["scenario=cloud_outage", "policy=service_recovery", "++output.figures=false"],
    ["tiers={complexity_probs: [0.5, 0.3, 0.2]}"],
    ["scenario=tarp", "seed=1", "size=tiny"],
]  # fmt: skip

INVALID = [
    ["seed=-1"],
    ["horizon_days=1e9"],
    ["customers.premium.share=2"],
    ["erlang.servers=3"],
    ["staffing.phone.0.start_hour=21"],
    ["no_such_key=1"],
    ["+output.no_such_key=1"],
    ["staffing.phone.0.agents=abc"],
    ["scenario=no_such_option"],
    ["seed=0,1"],
    ["tiers={no_such_key: 1}"],
    ["~no_such_key"],
    ["~report.reference"],
    ["seed=[1"],
]


def _full(overrides: list[str], with_hydra: bool = False):
    return composing._compose(overrides, with_hydra=with_hydra)


@pytest.fixture(autouse=True, scope="module")
def hydra_once():
    """Initialised by the caller, as the pre-flight checks and the fuzz tests do."""
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        yield


@pytest.mark.parametrize("with_hydra", [False, True], ids=["job", "with hydra"])
@pytest.mark.parametrize("overrides", VALID, ids=" ".join)
def test_kept_presets_compose_exactly_as_hydra_does(overrides, with_hydra):
    """Hydra's node too (the pre-flight check composes with it): the record of the
    command line included."""
    composing._BY_GROUPS.clear()
    first = compose_raw(overrides, with_hydra)
    again = compose_raw(overrides, with_hydra)  # from the kept presets
    expected = _full(overrides, with_hydra)
    assert OmegaConf.to_yaml(first) == OmegaConf.to_yaml(expected)
    assert OmegaConf.to_yaml(again) == OmegaConf.to_yaml(expected)
    assert OmegaConf.is_struct(again) == OmegaConf.is_struct(expected)
    again.seed = 12345  # a caller's change stays in its own copy
    assert compose_raw(overrides, with_hydra).seed == expected.seed


@pytest.mark.parametrize("with_hydra", [False, True], ids=["job", "with hydra"])
@pytest.mark.parametrize("overrides", INVALID, ids=" ".join)
def test_kept_presets_fail_with_hydra_s_own_error(overrides, with_hydra):
    compose_raw([], with_hydra)  # the default's presets are kept
    with pytest.raises(Exception) as fast:
        to_config(without_hydra(compose_raw(overrides, with_hydra)))
    with pytest.raises(Exception) as full:
        try:
            to_config(without_hydra(_full(overrides, with_hydra)))
        except Exception as error:
            unset = composing.unset_section_error(overrides)
            if unset is None:
                raise
            raise unset from error
    assert type(fast.value) is type(full.value)
    assert one_line(fast.value) == one_line(full.value)


def test_value_overrides_reuse_the_presets_and_group_choices_do_not():
    composing._BY_GROUPS.clear()
    compose_raw(["seed=1"])
    compose_raw(["seed=2", "horizon_days=10"])
    assert len(composing._BY_GROUPS) == 1
    compose_raw(["policy=proactive_outreach", "seed=2"])
    assert len(composing._BY_GROUPS) == 2
    for overrides in (["seed=0,1"], ["hydra.job.chdir=true"]):
        assert composing._split_overrides(overrides) is None  # only Hydra composes these


def test_without_hydra_initialised_the_presets_are_kept_for_the_config_directory():
    """As a notebook composes: compose_raw initialises Hydra itself, each time."""
    from hydra.core.global_hydra import GlobalHydra

    overrides = ["policy=proactive_outreach", "seed=4"]
    state = GlobalHydra.instance().hydra
    GlobalHydra.instance().clear()
    try:
        composing._BY_GROUPS.clear()
        first, again = compose_raw(overrides), compose_raw(overrides)
        assert list(composing._BY_GROUPS) == [((str(CONFIG_DIR),), "policy=proactive_outreach")]
    finally:
        GlobalHydra.instance().initialize(state)
    assert (
        OmegaConf.to_yaml(again) == OmegaConf.to_yaml(first) == OmegaConf.to_yaml(_full(overrides))
    )
