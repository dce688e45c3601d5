"""Validation in the schemas: every bad value names its key and the allowed range.

Building a dataclass never raises; :func:`sim.config.validate` checks a tree in one pass
and names the full path of the first bad key (``sim.run`` and the CLI both call it).
"""

from __future__ import annotations

import pytest

from sim.app.compose import compose_config
from sim.config import (
    ChannelConfig,
    Config,
    ConfigError,
    CustomersConfig,
    HandleTimeConfig,
    PatienceConfig,
    RetrialConfig,
    ShiftConfig,
    StaffingConfig,
    TiersConfig,
    validate,
)


@pytest.mark.parametrize(
    ("build", "key", "allowed"),
    [
        (lambda: ChannelConfig(arrival_rate_per_hour=-1.0), "arrival_rate_per_hour", "[0, "),
        (lambda: RetrialConfig(prob=1.5), "prob", "[0, 1]"),
        (lambda: HandleTimeConfig(kind="weibull"), "kind", "lognormal, gamma, exponential"),
        (lambda: HandleTimeConfig(mean_min=float("nan")), "mean_min", "(0, 10080]"),
        (lambda: PatienceConfig(mean_min=-2.0), "mean_min", "(0, "),
        (
            lambda: PatienceConfig(kind="hazard", hazard_per_min=[0.1, 0.2]),
            "hazard_per_min",
            "1 rate",
        ),
        (
            lambda: PatienceConfig(kind="hazard", hazard_breaks_min=[5, 3]),
            "hazard_breaks_min",
            "increasing",
        ),
        (lambda: ShiftConfig(start_hour=10, end_hour=9), "end_hour", "> start_hour"),
        (lambda: ShiftConfig(agents=-3), "agents", "integer in [0, 10000]"),
        (lambda: ShiftConfig(days=[7]), "days[0]", "integer in [0, 6]"),
        (lambda: TiersConfig(complexity_probs=[0.5, 0.2, 0.2]), "complexity_probs", "sum to 1"),
        (lambda: Config(warmup_days=30.0, horizon_days=10.0), "warmup_days", "< horizon_days"),
        (lambda: Config(horizon_days=1e9), "horizon_days", "(0, 36500]"),
        (lambda: CustomersConfig(population=10**9), "population", "[0, 10_000_000]"),
        (lambda: CustomersConfig(population=0), "population", "≥ 1 with customers on"),
        (lambda: ChannelConfig(open_days=[]), "open_days", "1 to 7 values"),
        (lambda: ChannelConfig(arrival_rate_per_hour=True), "arrival_rate_per_hour", "number"),
        (lambda: HandleTimeConfig(mean_min=None), "mean_min", "null is not allowed"),
    ],
)
def test_invalid_values_raise_with_key_and_range(build, key, allowed):
    node = build()  # building never raises: validation is one pass over the tree
    with pytest.raises(ConfigError) as caught:
        validate(node)
    assert caught.value.key == key
    assert allowed in caught.value.allowed, caught.value.allowed


def test_errors_name_the_full_path_of_the_key():
    config = Config()
    config.staffing.phone = [ShiftConfig(8, 20, 2), ShiftConfig(9, 8, 1)]
    with pytest.raises(ConfigError) as caught:
        validate(config)
    assert caught.value.key == "staffing.phone[1].end_hour"
    config.staffing.phone[1].end_hour = 17
    config.customers.premium.channel_mix[2] = -0.5
    with pytest.raises(ConfigError) as caught:
        validate(config)
    assert caught.value.key == "customers.premium.channel_mix[2]"


def test_run_validates_a_config_written_in_python():
    from sim import run

    with pytest.raises(ConfigError, match="horizon_days"):
        run(Config(horizon_days=-1.0), seed=0)


def test_zero_agents_where_agents_are_needed():
    with pytest.raises(ConfigError, match=r"staffing\.phone"):
        validate(Config(staffing=StaffingConfig()))
    with pytest.raises(ConfigError, match=r"staffing\.tier2"):
        compose_config(["staffing.tier2=[]"])


def test_shifts_add_up_per_hour_of_week():
    staffing = StaffingConfig(phone=[ShiftConfig(8, 20, 5, [0]), ShiftConfig(9, 17, 3, [0, 1])])
    agents = staffing.agents_by_hour_of_week("phone")
    assert agents[7] == 0 and agents[8] == 5 and agents[9] == 8 and agents[17] == 5
    assert agents[24 + 9] == 3 and agents[24 + 8] == 0


def test_erlang_knobs_drive_the_whole_model():
    config = compose_config(["scenario=erlang", "erlang.servers=13", "erlang.days=10"])
    assert config.staffing.agents_by_hour_of_week("phone") == [13] * 168
    assert config.horizon_days == 10
    assert config.channels.phone.handle_time.kind == "exponential"
    assert config.channels.chat.arrival_rate_per_hour == 0
    infinite = compose_config(["scenario=erlang", "erlang.mean_patience_min=null"])
    assert infinite.channels.phone.patience.never_abandons
