"""Configuration schemas: plain dataclasses that validate themselves.

The model receives one validated :class:`Config`. Hydra is not imported here: ``sim.cli``
registers these schemas in Hydra's ConfigStore and converts the composed config with
``OmegaConf.to_object``, which runs every ``__post_init__``. Each check raises a
:class:`ConfigError` naming the offending key (relative to its node; the CLI adds the path)
and the allowed range, so bad input never reaches the model.
"""

from sim.config.agents import (
    AgentsConfig,
    AttritionConfig,
    BurnoutConfig,
    EmpathyConfig,
    SkillConfig,
)
from sim.config.checks import ConfigError
from sim.config.culture import CULTURE_LEVERS, CultureChangeConfig, CultureConfig
from sim.config.customers import (
    SEGMENTS,
    AcquisitionConfig,
    CustomersConfig,
    DefectionConfig,
    ExpectationsConfig,
    ExperienceConfig,
    IssuesConfig,
    LoyaltyConfig,
    MarketConfig,
    SegmentConfig,
    WordOfMouthConfig,
)
from sim.config.incidents import IncidentConfig, IncidentsConfig, RandomIncidentsConfig
from sim.config.operations import (
    CHANNELS,
    HANDLE_TIME_KINDS,
    HIGHER_TIER_POOLS,
    PATIENCE_KINDS,
    SYNCHRONOUS_CHANNELS,
    TIERS,
    ChannelConfig,
    ChannelsConfig,
    DemandConfig,
    ErlangConfig,
    ExtraAgentsConfig,
    HandleTimeConfig,
    PatienceConfig,
    RetrialConfig,
    ShiftConfig,
    StaffingConfig,
    TiersConfig,
)
from sim.config.policy import (
    OUTREACH_CHANNELS,
    RECOVERY_GRANTORS,
    RECOVERY_KINDS,
    CallbackConfig,
    OutreachConfig,
    PolicyConfig,
    RecoveryConfig,
)
from sim.config.report import ReportConfig
from sim.config.root import Config, OutputConfig

__all__ = [
    "CHANNELS",
    "CULTURE_LEVERS",
    "HANDLE_TIME_KINDS",
    "HIGHER_TIER_POOLS",
    "OUTREACH_CHANNELS",
    "PATIENCE_KINDS",
    "RECOVERY_GRANTORS",
    "RECOVERY_KINDS",
    "SEGMENTS",
    "SYNCHRONOUS_CHANNELS",
    "TIERS",
    "AcquisitionConfig",
    "AgentsConfig",
    "AttritionConfig",
    "BurnoutConfig",
    "CallbackConfig",
    "ChannelConfig",
    "ChannelsConfig",
    "Config",
    "ConfigError",
    "CultureChangeConfig",
    "CultureConfig",
    "CustomersConfig",
    "DefectionConfig",
    "DemandConfig",
    "EmpathyConfig",
    "ErlangConfig",
    "ExpectationsConfig",
    "ExperienceConfig",
    "ExtraAgentsConfig",
    "HandleTimeConfig",
    "IncidentConfig",
    "IncidentsConfig",
    "IssuesConfig",
    "LoyaltyConfig",
    "MarketConfig",
    "OutputConfig",
    "OutreachConfig",
    "PatienceConfig",
    "PolicyConfig",
    "RandomIncidentsConfig",
    "RecoveryConfig",
    "ReportConfig",
    "RetrialConfig",
    "SegmentConfig",
    "ShiftConfig",
    "SkillConfig",
    "StaffingConfig",
    "TiersConfig",
    "WordOfMouthConfig",
]
