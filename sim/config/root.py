"""The root schema: everything one run needs."""

from __future__ import annotations

from dataclasses import dataclass, is_dataclass
from datetime import date
from types import UnionType
from typing import Union, get_args, get_origin, get_type_hints

from sim.config.agents import AgentsConfig
from sim.config.constraints import Range, integer, number, numbers, section, text
from sim.config.culture import CultureConfig
from sim.config.customers import CustomersConfig, MarketConfig
from sim.config.errors import ConfigError
from sim.config.finance import FinanceConfig
from sim.config.incidents import IncidentsConfig
from sim.config.operations import (
    HIGHER_TIER_POOLS,
    HIGHER_TIERS,
    MAX_DAYS,
    ChannelsConfig,
    DemandConfig,
    ErlangConfig,
    StaffingConfig,
    TiersConfig,
)
from sim.config.policy import PolicyConfig
from sim.config.report import ReportConfig

SAFE_NAME = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}"
MAX_SEEDS = 1000  # per job


@dataclass
class OutputConfig:
    """What the CLI writes besides ``summary.json``."""

    timeseries: bool = True
    # daily.png/.pdf, when asked: drawing costs a run more than a short simulation (≈ 1.5
    # s of imports, drawing and saving); a sweep's report draws its own from every run's
    # time series, and timeseries.csv holds every number the figure shows
    figures: bool = False
    resume: bool = False  # skip the run if its directory already holds a summary.json


@dataclass
class RecordConfig:
    """Optional records of the run beyond its counters (``docs/design.md``, event log).

    ``contacts``: one row per contact event (arrival, queue, service start and end,
    handoff, abandon, retry, switch, end) with the contact's, customer's and agent's ids,
    streamed to ``contacts.parquet`` by the command line; off by default (a year of the
    reference organisation is millions of rows). ``start_date`` dates the log's
    timestamps: the model's clock starts on a Monday at 00:00, so it must be a Monday.
    """

    contacts: bool = False
    start_date: str = text("2024-01-01", r"\d{4}-\d{2}-\d{2}", "a date YYYY-MM-DD (a Monday)")

    def rules(self) -> None:
        try:
            weekday = date.fromisoformat(self.start_date).weekday()
        except ValueError:
            raise ConfigError("start_date", self.start_date, "a date YYYY-MM-DD") from None
        if weekday != 0:
            raise ConfigError(
                "start_date", self.start_date, "must be a Monday (the model starts on one)"
            )


@dataclass
class Config:
    """Everything one run needs. ``sim.run(config, seed)`` reads nothing else."""

    name: str = text(
        "default", SAFE_NAME, "letters, digits, '_', '-', '.' only (it names the run directory)"
    )
    seed: int = integer(0, ge=0, le=2**63 - 1)
    # Several seeds in one job (the application runs them in turn, each into a directory
    # seed_<n> of its own): fewer, longer jobs for a cluster. Empty: just ``seed``.
    seeds: list[int] = numbers([], Range(0, 2**63 - 1, integer=True), max_length=MAX_SEEDS)
    horizon_days: float = number(365.0, gt=0.0, le=MAX_DAYS)
    warmup_days: float = number(7.0, ge=0.0, le=MAX_DAYS)
    erlang: ErlangConfig | None = None
    channels: ChannelsConfig = section(ChannelsConfig)
    demand: DemandConfig = section(DemandConfig)
    tiers: TiersConfig = section(TiersConfig)
    staffing: StaffingConfig = section(StaffingConfig)
    agents: AgentsConfig = section(AgentsConfig)
    culture: CultureConfig = section(CultureConfig)
    policy: PolicyConfig = section(PolicyConfig)
    customers: CustomersConfig = section(CustomersConfig)
    market: MarketConfig = section(MarketConfig)
    incidents: IncidentsConfig = section(IncidentsConfig)
    finance: FinanceConfig = section(FinanceConfig)
    output: OutputConfig = section(OutputConfig)
    record: RecordConfig = section(RecordConfig)
    report: ReportConfig = section(ReportConfig)

    def rules(self) -> None:
        """Rules across sections (each section's own fields have passed already)."""
        if len(set(self.seeds)) != len(self.seeds):
            raise ConfigError("seeds", list(self.seeds), "must list each seed once")
        if self.warmup_days >= self.horizon_days:
            raise ConfigError(
                "warmup_days",
                self.warmup_days,
                f"must be < horizon_days ({self.horizon_days})",
            )
        self._check_staffing_covers_demand()
        if self.incidents.scheduled and not self.customers.enabled:
            raise ConfigError(
                "incidents.scheduled",
                f"{len(self.incidents.scheduled)} incidents",
                "incidents affect customers: needs customers.enabled: true",
            )
        if self.incidents.random.rate_per_year > 0 and not self.customers.enabled:
            raise ConfigError(
                "incidents.random.rate_per_year",
                self.incidents.random.rate_per_year,
                "incidents affect customers: must be 0 unless customers.enabled: true",
            )
        change_day = self.culture.change_at_day
        if change_day is not None and change_day >= self.horizon_days:
            raise ConfigError(
                "culture.change_at_day", change_day, f"must be < horizon_days ({self.horizon_days})"
            )
        self._check_blending_without_concurrency()
        if self.report.x is not None and not _is_numeric_key(type(self), self.report.x):
            raise ConfigError(
                "report.x",
                self.report.x,
                "must be a numeric key of the schema (e.g. staffing.extra_agents.phone)",
            )
        for i, incident in enumerate(self.incidents.scheduled):
            if incident.start_day >= self.horizon_days:
                raise ConfigError(
                    f"incidents.scheduled[{i}].start_day",
                    incident.start_day,
                    f"must be < horizon_days ({self.horizon_days})",
                )

    def channel_has_demand(self, index: int) -> bool:
        """Anonymous arrivals or customers who use this channel."""
        _, channel = self.channels.items()[index]
        if channel.arrival_rate_per_hour > 0:
            return True
        customers = self.customers
        return customers.enabled and any(
            s.share > 0 and s.issue_rate_per_year > 0 and s.channel_mix[index] > 0
            for s in customers.segments()
        )

    def _check_staffing_covers_demand(self) -> None:
        """A pool that receives contacts must have agents on some shift (a plan yet to be
        made will give it them)."""
        if self.staffing.plan.enabled:
            return
        for index, (name, _) in enumerate(self.channels.items()):
            if self.channel_has_demand(index) and not any(self.pool_agents(name)):
                raise ConfigError(
                    f"staffing.{name}",
                    "no agents",
                    f"needs a shift with agents ≥ 1 (channel {name} receives contacts)",
                )
        has_demand = any(self.channel_has_demand(i) for i in range(len(self.channels.items())))
        for tier, pool in zip(HIGHER_TIERS, HIGHER_TIER_POOLS):
            if (
                has_demand
                and self.tiers.share_reaching(tier) > 0
                and not any(self.pool_agents(pool))
            ):
                raise ConfigError(
                    f"staffing.{pool}",
                    "no agents",
                    f"needs a shift with agents ≥ 1 (tiers.complexity_probs send contacts "
                    f"to tier {tier})",
                )

    def _check_blending_without_concurrency(self) -> None:
        """Blending lends whole agents: not agents who hold several chats at once."""
        blend = self.staffing.blend
        for name, channel in self.channels.items():
            if channel.concurrency > 1 and (getattr(blend, name) or blend.lends_to(name)):
                raise ConfigError(
                    f"staffing.blend.{name}",
                    getattr(blend, name),
                    f"cannot blend {name}: its agents serve several contacts at once"
                    f" (channels.{name}.concurrency = {channel.concurrency})",
                )

    def pool_agents(self, pool: str) -> list[int]:
        return self.staffing.agents_by_hour_of_week(pool)


def _is_numeric_key(schema: type, path: str) -> bool:
    """Does the dotted ``path`` name an int or float field of the dataclass ``schema``?"""
    node: object = schema
    for part in path.split("."):
        if not (isinstance(node, type) and is_dataclass(node)):
            return False
        hints = get_type_hints(node)
        if part not in hints:
            return False
        node = hints[part]
        options = [a for a in get_args(node) if a is not type(None)]
        if options and get_origin(node) in (UnionType, Union):
            node = options[0]  # X | None: the X
    return node in (int, float)
