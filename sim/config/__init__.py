"""Configuration schemas: plain dataclasses whose fields declare what they accept.

The model receives one validated :class:`Config`. Each field's range, choice or pattern
sits in its metadata (``sim.config.constraints``); :func:`validate` checks a whole tree in
one pass that knows every key's full path, then the few rules that span several fields
(``rules()`` methods). Hydra is not imported here: the application registers these
schemas in Hydra's ConfigStore, builds them with ``OmegaConf.to_object`` and validates
them; ``sim.run`` validates a config written in Python the same way. A failure raises a
:class:`ConfigError` naming the key and the allowed range, so bad input never reaches
the model.
"""

from sim.config.agents import (
    AgentsConfig,
    AttritionConfig,
    BurnoutConfig,
    EmpathyConfig,
    SkillConfig,
)
from sim.config.culture import CULTURE_LEVERS, CultureChangeConfig, CultureConfig
from sim.config.customers import (
    SEGMENTS,
    STATE_VARIABLES,
    AcquisitionConfig,
    ChannelSwitchingConfig,
    CustomersConfig,
    DefectionConfig,
    ExpectationsConfig,
    ExperienceConfig,
    InitialStateConfig,
    IssuesConfig,
    LoyaltyConfig,
    MarketConfig,
    RequestsConfig,
    SegmentConfig,
    SurveyConfig,
    WordOfMouthConfig,
)
from sim.config.errors import ConfigError
from sim.config.finance import FinanceConfig
from sim.config.incidents import IncidentConfig, IncidentsConfig, RandomIncidentsConfig
from sim.config.operations import (
    CHANNELS,
    HANDLE_TIME_KINDS,
    HIGHER_TIER_POOLS,
    HIGHER_TIERS,
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
    ShrinkageConfig,
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
from sim.config.root import Config, OutputConfig, RecordConfig
from sim.config.validation import validate

__all__ = [
    "CHANNELS",
    "CULTURE_LEVERS",
    "HANDLE_TIME_KINDS",
    "HIGHER_TIERS",
    "HIGHER_TIER_POOLS",
    "OUTREACH_CHANNELS",
    "PATIENCE_KINDS",
    "RECOVERY_GRANTORS",
    "RECOVERY_KINDS",
    "SEGMENTS",
    "STATE_VARIABLES",
    "SYNCHRONOUS_CHANNELS",
    "TIERS",
    "AcquisitionConfig",
    "AgentsConfig",
    "AttritionConfig",
    "BurnoutConfig",
    "CallbackConfig",
    "ChannelConfig",
    "ChannelSwitchingConfig",
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
    "FinanceConfig",
    "HandleTimeConfig",
    "IncidentConfig",
    "IncidentsConfig",
    "InitialStateConfig",
    "IssuesConfig",
    "LoyaltyConfig",
    "MarketConfig",
    "OutputConfig",
    "OutreachConfig",
    "PatienceConfig",
    "PolicyConfig",
    "RandomIncidentsConfig",
    "RecordConfig",
    "RecoveryConfig",
    "ReportConfig",
    "RequestsConfig",
    "RetrialConfig",
    "SegmentConfig",
    "ShiftConfig",
    "ShrinkageConfig",
    "SkillConfig",
    "StaffingConfig",
    "SurveyConfig",
    "TiersConfig",
    "WordOfMouthConfig",
    "validate",
]
