"""Schemas of the operational model: channels, demand, tiers, staffing, the Erlang preset."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sim.config.checks import (
    ConfigError,
    check_choice,
    check_days,
    check_int_range,
    check_non_negative,
    check_positive,
    check_probability,
    check_weights,
    is_finite_number,
)

CHANNELS: tuple[str, ...] = ("phone", "chat", "email", "social")
SYNCHRONOUS_CHANNELS: frozenset[str] = frozenset({"phone", "chat"})
TIERS: tuple[int, ...] = (1, 2, 3)
HIGHER_TIER_POOLS: tuple[str, ...] = ("tier2", "tier3")
POOLS: tuple[str, ...] = (*CHANNELS, *HIGHER_TIER_POOLS)
HANDLE_TIME_KINDS = ("lognormal", "exponential", "deterministic")
PATIENCE_KINDS = ("exponential", "lognormal", "hazard")


@dataclass
class HandleTimeConfig:
    """Work content of one service, in minutes (lognormal per Brown et al. 2005)."""

    kind: str = "lognormal"
    mean_min: float = 5.0
    cv: float = 1.0

    def __post_init__(self) -> None:
        check_choice("kind", self.kind, HANDLE_TIME_KINDS)
        check_positive("mean_min", self.mean_min)
        check_positive("cv", self.cv)  # used by lognormal; checked always, never silently bad


@dataclass
class PatienceConfig:
    """How long a waiting customer stays in the queue; ``mean_min: null`` = never abandons.

    ``hazard`` is a piecewise-constant abandonment hazard: ``hazard_per_min[0]`` applies from
    0 to ``hazard_breaks_min[0]``, and so on; the last rate applies for ever after.
    """

    kind: str = "exponential"
    mean_min: float | None = 3.0
    cv: float = 1.0
    hazard_breaks_min: list[float] = field(default_factory=list)
    hazard_per_min: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        check_choice("kind", self.kind, PATIENCE_KINDS)
        if self.kind == "hazard":
            n_pieces = len(self.hazard_breaks_min) + 1
            if len(self.hazard_per_min) != n_pieces:
                raise ConfigError(
                    "hazard_per_min",
                    list(self.hazard_per_min),
                    f"must list {n_pieces} rates (one more than hazard_breaks_min)",
                )
            previous = 0.0
            for i, b in enumerate(self.hazard_breaks_min):
                if not (is_finite_number(b) and b > previous):
                    raise ConfigError(
                        f"hazard_breaks_min[{i}]",
                        b,
                        "breaks must be finite and increasing, > 0",
                    )
                previous = b
            for i, h in enumerate(self.hazard_per_min):
                check_non_negative(f"hazard_per_min[{i}]", h)
            if self.hazard_per_min[-1] <= 0:
                raise ConfigError(
                    "hazard_per_min",
                    list(self.hazard_per_min),
                    "the last rate must be > 0",
                )
            return
        for key in ("hazard_breaks_min", "hazard_per_min"):
            if getattr(self, key):
                raise ConfigError(key, list(getattr(self, key)), "only used with kind: hazard")
        if self.mean_min is not None:
            check_positive("mean_min", self.mean_min)
        check_positive("cv", self.cv)

    @property
    def never_abandons(self) -> bool:
        return self.kind != "hazard" and self.mean_min is None


@dataclass
class RetrialConfig:
    """Redials after abandoning: chance of trying again, delay, and the attempt limit."""

    prob: float = 0.0
    mean_delay_min: float = 15.0
    max_attempts: int = 3

    def __post_init__(self) -> None:
        check_probability("prob", self.prob)
        check_positive("mean_delay_min", self.mean_delay_min)
        check_int_range("max_attempts", self.max_attempts, 1)


@dataclass
class ChannelConfig:
    """One contact channel. ``arrival_rate_per_hour`` is the mean over its open hours of
    *anonymous* contacts (not from the customer population; 0 by default, the whole demand
    when ``customers.enabled`` is false, as in ``scenario=erlang``).

    Synchronous channels (phone, chat) take contacts only while open; their customers
    wait with patience and may redial. Asynchronous ones (email, social) receive contacts
    around the clock and hold them as backlog until an agent is on shift.
    """

    arrival_rate_per_hour: float = 0.0
    open_hour: int = 0
    close_hour: int = 24
    open_days: list[int] = field(default_factory=lambda: [0, 1, 2, 3, 4, 5, 6])
    target_answer_s: float = 20.0
    handle_time: HandleTimeConfig = field(default_factory=HandleTimeConfig)
    patience: PatienceConfig = field(default_factory=PatienceConfig)
    retrial: RetrialConfig = field(default_factory=RetrialConfig)

    def __post_init__(self) -> None:
        check_non_negative("arrival_rate_per_hour", self.arrival_rate_per_hour)
        check_int_range("open_hour", self.open_hour, 0, 23)
        check_int_range("close_hour", self.close_hour, 1, 24)
        if self.close_hour <= self.open_hour:
            raise ConfigError(
                "close_hour", self.close_hour, f"must be > open_hour ({self.open_hour})"
            )
        check_days("open_days", self.open_days)
        if not self.open_days:
            raise ConfigError("open_days", [], "must list at least one day (0 = Monday … 6)")
        check_positive("target_answer_s", self.target_answer_s)

    def is_open(self, day_of_week: int, hour: int) -> bool:
        return day_of_week in self.open_days and self.open_hour <= hour < self.close_hour


def _channel(rate: float, **kwargs: Any) -> ChannelConfig:
    return ChannelConfig(arrival_rate_per_hour=rate, **kwargs)


@dataclass
class ChannelsConfig:
    """The four channels; their defaults describe a mid-size contact centre."""

    phone: ChannelConfig = field(
        default_factory=lambda: _channel(
            0.0,
            open_hour=8,
            close_hour=20,
            open_days=[0, 1, 2, 3, 4, 5],
            target_answer_s=20.0,
            handle_time=HandleTimeConfig("lognormal", 5.0, 0.9),
            patience=PatienceConfig("exponential", 4.0),
            retrial=RetrialConfig(prob=0.5, mean_delay_min=20.0, max_attempts=3),
        )
    )
    chat: ChannelConfig = field(
        default_factory=lambda: _channel(
            0.0,
            open_hour=8,
            close_hour=22,
            target_answer_s=60.0,
            handle_time=HandleTimeConfig("lognormal", 8.0, 0.8),
            patience=PatienceConfig("exponential", 5.0),
            retrial=RetrialConfig(prob=0.3, mean_delay_min=30.0, max_attempts=2),
        )
    )
    email: ChannelConfig = field(
        default_factory=lambda: _channel(
            0.0,
            target_answer_s=4 * 3600.0,
            handle_time=HandleTimeConfig("lognormal", 7.0, 0.8),
            patience=PatienceConfig(mean_min=None),
        )
    )
    social: ChannelConfig = field(
        default_factory=lambda: _channel(
            0.0,
            target_answer_s=3600.0,
            handle_time=HandleTimeConfig("lognormal", 6.0, 0.8),
            patience=PatienceConfig(mean_min=None),
        )
    )

    def __post_init__(self) -> None:
        for name in CHANNELS:
            channel: ChannelConfig = getattr(self, name)
            if name not in SYNCHRONOUS_CHANNELS and not channel.patience.never_abandons:
                raise ConfigError(
                    f"{name}.patience.mean_min",
                    channel.patience.mean_min,
                    "asynchronous channels do not abandon: must be null (and kind not hazard)",
                )

    def items(self) -> list[tuple[str, ChannelConfig]]:
        return [(name, getattr(self, name)) for name in CHANNELS]


_DEFAULT_HOUR_PROFILE = [
    0.2, 0.15, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1.3, 1.6, 1.7, 1.6,
    1.4, 1.5, 1.6, 1.5, 1.3, 1.1, 0.9, 0.8, 0.7, 0.6, 0.4, 0.3,
]  # fmt: skip


@dataclass
class DemandConfig:
    """Shape of demand over the day and week (relative weights; Monday first)."""

    hour_profile: list[float] = field(default_factory=lambda: list(_DEFAULT_HOUR_PROFILE))
    weekday_profile: list[float] = field(
        default_factory=lambda: [1.2, 1.1, 1.0, 1.0, 1.0, 0.7, 0.5]
    )

    def __post_init__(self) -> None:
        check_weights("hour_profile", self.hour_profile, 24)
        check_weights("weekday_profile", self.weekday_profile, 7)


@dataclass
class TiersConfig:
    """Escalation tiers and their authority.

    ``complexity_probs[k]`` = share of contacts only tier k+1 (or an empowered agent of tier
    k) can finish. Tier 3 can make exceptions and compensate (``policy.recovery``). A
    deflected contact ("that is our policy") takes ``deflect_time_share`` of the work.
    """

    complexity_probs: list[float] = field(default_factory=lambda: [0.72, 0.22, 0.06])
    tier2_handle_time: HandleTimeConfig = field(
        default_factory=lambda: HandleTimeConfig("lognormal", 15.0, 1.0)
    )
    tier3_handle_time: HandleTimeConfig = field(
        default_factory=lambda: HandleTimeConfig("lognormal", 30.0, 1.0)
    )
    deflect_time_share: float = 0.5

    def __post_init__(self) -> None:
        check_probability("deflect_time_share", self.deflect_time_share)
        if len(self.complexity_probs) != len(TIERS):
            raise ConfigError(
                "complexity_probs",
                list(self.complexity_probs),
                "must list 3 probabilities",
            )
        for i, p in enumerate(self.complexity_probs):
            check_probability(f"complexity_probs[{i}]", p)
        if abs(sum(self.complexity_probs) - 1.0) > 1e-9:
            raise ConfigError("complexity_probs", list(self.complexity_probs), "must sum to 1")

    def handle_time(self, tier: int) -> HandleTimeConfig:
        return self.tier2_handle_time if tier == 2 else self.tier3_handle_time

    def share_reaching(self, tier: int) -> float:
        """Share of contacts whose complexity makes them reach ``tier``."""
        return float(sum(self.complexity_probs[tier - 1 :]))


@dataclass
class ShiftConfig:
    """``agents`` on duty from ``start_hour`` to ``end_hour`` on the listed weekdays."""

    start_hour: int = 0
    end_hour: int = 24
    agents: int = 1
    days: list[int] = field(default_factory=lambda: [0, 1, 2, 3, 4, 5, 6])

    def __post_init__(self) -> None:
        check_int_range("start_hour", self.start_hour, 0, 23)
        check_int_range("end_hour", self.end_hour, 1, 24)
        if self.end_hour <= self.start_hour:
            raise ConfigError(
                "end_hour", self.end_hour, f"must be > start_hour ({self.start_hour})"
            )
        check_int_range("agents", self.agents, 0)
        check_days("days", self.days)


MAX_EXTRA_AGENTS = 100


@dataclass
class ExtraAgentsConfig:
    """Agents added to (or, negative, taken from) every staffed hour of a pool's week.

    One integer per pool turns a shift pattern into a staffing grid that a sweep can walk
    (``staffing.extra_agents.tier2=-1,0,1``) without writing a preset per point.
    """

    phone: int = 0
    chat: int = 0
    email: int = 0
    social: int = 0
    tier2: int = 0
    tier3: int = 0

    def __post_init__(self) -> None:
        for pool in POOLS:
            check_int_range(pool, getattr(self, pool), -MAX_EXTRA_AGENTS, MAX_EXTRA_AGENTS)


@dataclass
class StaffingConfig:
    """Shifts per agent pool: tier 1 per channel, tiers 2 and 3 shared by all channels."""

    phone: list[ShiftConfig] = field(default_factory=list)
    chat: list[ShiftConfig] = field(default_factory=list)
    email: list[ShiftConfig] = field(default_factory=list)
    social: list[ShiftConfig] = field(default_factory=list)
    tier2: list[ShiftConfig] = field(default_factory=list)
    tier3: list[ShiftConfig] = field(default_factory=list)
    extra_agents: ExtraAgentsConfig = field(default_factory=ExtraAgentsConfig)

    def agents_by_hour_of_week(self, pool: str) -> list[int]:
        """Agents on duty in each of the week's 168 hours (Monday 00:00 first).

        ``extra_agents`` applies only to hours the shifts staff (closed hours stay closed)
        and never takes an hour below zero agents.
        """
        agents = [0] * 168
        for shift in getattr(self, pool):
            for day in shift.days:
                for hour in range(shift.start_hour, shift.end_hour):
                    agents[day * 24 + hour] += shift.agents
        extra = getattr(self.extra_agents, pool)
        if extra:
            agents = [max(0, n + extra) if n > 0 else 0 for n in agents]
        return agents


@dataclass
class ErlangConfig:
    """Knobs of the ``scenario=erlang`` validation preset (M/M/n and M/M/n+M)."""

    arrival_rate_per_hour: float = 100.0
    mean_service_min: float = 6.0
    servers: int = 11
    mean_patience_min: float | None = 5.0
    days: float = 84.0

    def __post_init__(self) -> None:
        check_positive("arrival_rate_per_hour", self.arrival_rate_per_hour)
        check_positive("mean_service_min", self.mean_service_min)
        check_int_range("servers", self.servers, 1)
        if self.mean_patience_min is not None:
            check_positive("mean_patience_min", self.mean_patience_min)
        check_positive("days", self.days)
