"""Schemas of the operational model: channels, demand, tiers, staffing, the Erlang preset.

Times in minutes unless the name says otherwise; a week is the longest single duration
(handle time, patience, delay) the schema accepts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sim.config.constraints import (
    WEEKDAYS,
    Pattern,
    Range,
    choice,
    integer,
    names,
    number,
    numbers,
    probability,
    section,
    weights,
)
from sim.config.errors import ConfigError

CHANNELS: tuple[str, ...] = ("phone", "chat", "email", "social")
SYNCHRONOUS_CHANNELS: frozenset[str] = frozenset({"phone", "chat"})
TIERS: tuple[int, ...] = (1, 2, 3)
HIGHER_TIERS: tuple[int, ...] = TIERS[1:]  # shared by all channels
HIGHER_TIER_POOLS: tuple[str, ...] = ("tier2", "tier3")
POOLS: tuple[str, ...] = (*CHANNELS, *HIGHER_TIER_POOLS)
HANDLE_TIME_KINDS = ("lognormal", "gamma", "exponential", "deterministic")
PATIENCE_KINDS = ("exponential", "lognormal", "hazard")
MIN_PER_WEEK = 10_080.0
MAX_RATE_PER_HOUR = 100_000.0  # 2.4 million contacts a day on one channel
MAX_AGENTS = 10_000  # on one shift, or one Erlang queue
MAX_CV = 20.0
MAX_DAYS = 36_500.0  # a century: the longest horizon, Erlang runs included
MAX_CONCURRENCY = 10  # chats one agent holds at once (platforms cap it near 3–5)


@dataclass
class HandleTimeConfig:
    """Work content of one service, in minutes (lognormal per Brown et al. 2005; gamma
    where a centre's own data fit it better, ``python -m sim.fit``)."""

    kind: str = choice("lognormal", HANDLE_TIME_KINDS)
    mean_min: float = number(5.0, gt=0.0, le=MIN_PER_WEEK)
    cv: float = number(1.0, gt=0.0, le=MAX_CV)  # used by lognormal and gamma; checked always


@dataclass
class PatienceConfig:
    """How long a waiting customer stays in the queue; ``mean_min: null`` = never abandons.

    ``hazard`` is a piecewise-constant abandonment hazard: ``hazard_per_min[0]`` applies from
    0 to ``hazard_breaks_min[0]``, and so on; the last rate applies for ever after.
    """

    kind: str = choice("exponential", PATIENCE_KINDS)
    mean_min: float | None = number(3.0, gt=0.0, le=MIN_PER_WEEK)
    cv: float = number(1.0, gt=0.0, le=MAX_CV)
    hazard_breaks_min: list[float] = numbers(
        [], Range(0.0, MIN_PER_WEEK, low_open=True), max_length=100, increasing=True
    )
    hazard_per_min: list[float] = numbers([], Range(0.0, 1000.0), max_length=101)

    def rules(self) -> None:
        if self.kind == "hazard":
            n_pieces = len(self.hazard_breaks_min) + 1
            if len(self.hazard_per_min) != n_pieces:
                raise ConfigError(
                    "hazard_per_min",
                    list(self.hazard_per_min),
                    f"must list {n_pieces} rates (one more than hazard_breaks_min)",
                )
            if self.hazard_per_min[-1] <= 0:
                raise ConfigError(
                    "hazard_per_min", list(self.hazard_per_min), "the last rate must be > 0"
                )
            return
        for key in ("hazard_breaks_min", "hazard_per_min"):
            if getattr(self, key):
                raise ConfigError(key, list(getattr(self, key)), "only used with kind: hazard")

    @property
    def never_abandons(self) -> bool:
        return self.kind != "hazard" and self.mean_min is None


@dataclass
class RetrialConfig:
    """Redials after abandoning: chance of trying again, delay, and the attempt limit."""

    prob: float = probability(0.0)
    mean_delay_min: float = number(15.0, gt=0.0, le=MIN_PER_WEEK)
    max_attempts: int = integer(3, ge=1, le=100)


@dataclass
class ChannelConfig:
    """One contact channel. ``arrival_rate_per_hour`` is the mean over its open hours of
    *anonymous* contacts (not from the customer population; 0 by default, the whole demand
    when ``customers.enabled`` is false, as in ``scenario=erlang``), shaped by the
    channel's own profiles when it has them and by ``demand``'s otherwise.

    Synchronous channels (phone, chat) take contacts only while open; their customers
    wait with patience and may redial. Asynchronous ones (email, social) receive contacts
    around the clock and hold them as backlog until an agent is on shift.
    """

    arrival_rate_per_hour: float = number(0.0, ge=0.0, le=MAX_RATE_PER_HOUR)
    open_hour: int = integer(0, ge=0, le=23)
    close_hour: int = integer(24, ge=1, le=24)
    open_days: list[int] = numbers([0, 1, 2, 3, 4, 5, 6], WEEKDAYS, min_length=1, max_length=7)
    target_answer_s: float = number(20.0, gt=0.0, le=MIN_PER_WEEK * 60.0)
    handle_time: HandleTimeConfig = section(HandleTimeConfig)
    patience: PatienceConfig = section(PatienceConfig)
    retrial: RetrialConfig = section(RetrialConfig)
    # This channel's own shape of anonymous demand (``null``: ``demand.hour_profile`` and
    # ``demand.weekday_profile``), as ``python -m sim.fit`` measures it in a centre's log.
    hour_profile: list[float] | None = weights(None, 24)
    weekday_profile: list[float] | None = weights(None, 7)
    # Contacts one agent serves at once (chat, messaging; sim.model.concurrent_pool), and
    # how much longer each takes per extra one beside it (judgement, see docs/model.md).
    concurrency: int = integer(1, ge=1, le=MAX_CONCURRENCY)
    concurrency_slowdown: float = number(0.25, ge=0.0, le=2.0)

    def rules(self) -> None:
        if self.close_hour <= self.open_hour:
            raise ConfigError(
                "close_hour", self.close_hour, f"must be > open_hour ({self.open_hour})"
            )

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
            handle_time=HandleTimeConfig("lognormal", 6.0, 0.9),
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

    def rules(self) -> None:
        if self.phone.concurrency != 1:
            raise ConfigError(
                "phone.concurrency", self.phone.concurrency, "must be 1 (one call at a time)"
            )
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
    """Shape of demand over the day and week (relative weights; Monday first), and how much
    one day's volume differs from another's beyond Poisson chance.

    ``rate_cv``: each day every contact rate (anonymous arrivals, customers' issues and
    requests) is multiplied by one factor drawn from a gamma distribution of mean 1 and
    this coefficient of variation (a Poisson–gamma, i.e. negative binomial, day count);
    0 is a Poisson day. Call centres' daily volumes are overdispersed: Brown et al. (2005)
    and Ibrahim, Ye, L'Ecuyer & Shen (2016) measure coefficients of variation of 0.1–0.25
    beyond Poisson in daily arrival counts (judgement within that range)."""

    hour_profile: list[float] = weights(_DEFAULT_HOUR_PROFILE, 24)
    weekday_profile: list[float] = weights([1.2, 1.1, 1.0, 1.0, 1.0, 0.7, 0.5], 7)
    rate_cv: float = number(0.0, ge=0.0, le=2.0)


@dataclass
class TiersConfig:
    """Escalation tiers and their authority.

    ``complexity_probs[k]`` = share of contacts only tier k+1 (or an empowered agent of tier
    k) can finish. Tier 3 can make exceptions and compensate (``policy.recovery``). A
    deflected contact ("that is our policy") takes ``deflect_time_share`` of the work.
    """

    complexity_probs: list[float] = numbers([0.72, 0.22, 0.06], Range(0.0, 1.0), length=3)
    tier2_handle_time: HandleTimeConfig = section(lambda: HandleTimeConfig("lognormal", 15.0, 1.0))
    tier3_handle_time: HandleTimeConfig = section(lambda: HandleTimeConfig("lognormal", 30.0, 1.0))
    deflect_time_share: float = probability(0.5)

    def rules(self) -> None:
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

    start_hour: int = integer(0, ge=0, le=23)
    end_hour: int = integer(24, ge=1, le=24)
    agents: int = integer(1, ge=0, le=MAX_AGENTS)
    days: list[int] = numbers([0, 1, 2, 3, 4, 5, 6], WEEKDAYS, max_length=7)

    def rules(self) -> None:
        if self.end_hour <= self.start_hour:
            raise ConfigError(
                "end_hour", self.end_hour, f"must be > start_hour ({self.start_hour})"
            )


MAX_EXTRA_AGENTS = 100


@dataclass
class ShrinkageConfig:
    """Scheduled agents who are paid but not taking contacts (scheduled ≠ available).

    ``planned``: breaks, training, meetings, coaching; ``unplanned``: sickness and other
    absence. Each hour each scheduled agent is away with probability planned + unplanned
    (a binomial draw per pool and hour from the pool's own stream); the hour is paid all
    the same, so shrinkage costs money as well as capacity.
    """

    planned: float = number(0.22, ge=0.0, le=0.9)
    unplanned: float = number(0.08, ge=0.0, le=0.9)

    def rules(self) -> None:
        if self.planned + self.unplanned > 0.9:
            raise ConfigError(
                "unplanned", self.unplanned, "planned + unplanned shrinkage must be ≤ 0.9"
            )

    @property
    def share(self) -> float:
        return self.planned + self.unplanned


@dataclass
class ExtraAgentsConfig:
    """Agents added to (or, negative, taken from) every staffed hour of a pool's week.

    One integer per pool turns a shift pattern into a staffing grid that a sweep can walk
    (``staffing.extra_agents.tier2=-1,0,1``) without writing a preset per point.
    """

    phone: int = integer(0, ge=-MAX_EXTRA_AGENTS, le=MAX_EXTRA_AGENTS)
    chat: int = integer(0, ge=-MAX_EXTRA_AGENTS, le=MAX_EXTRA_AGENTS)
    email: int = integer(0, ge=-MAX_EXTRA_AGENTS, le=MAX_EXTRA_AGENTS)
    social: int = integer(0, ge=-MAX_EXTRA_AGENTS, le=MAX_EXTRA_AGENTS)
    tier2: int = integer(0, ge=-MAX_EXTRA_AGENTS, le=MAX_EXTRA_AGENTS)
    tier3: int = integer(0, ge=-MAX_EXTRA_AGENTS, le=MAX_EXTRA_AGENTS)


@dataclass
class PlanGoalsConfig:
    """Share of contacts answered within the pool's answer time in every staffed hour (over
    the week with ``goal_over: week``): phone 20 s and chat 60 s (the industry's 80/20
    convention and chat's looser one, ICMI/COPC), transfers to tier 2 within 60 s and
    tier 3 within 120 s (judgement)."""

    phone: float = number(0.8, gt=0.0, lt=1.0)
    chat: float = number(0.8, gt=0.0, lt=1.0)
    tier2: float = number(0.8, gt=0.0, lt=1.0)
    tier3: float = number(0.8, gt=0.0, lt=1.0)


@dataclass
class StaffingPlanConfig:
    """``staffing=from_forecast``: the shifts are computed before the run, as a workforce
    planner computes them. A pilot of ``pilot_weeks`` (``pilot_runs`` replications on seeds
    of their own, the same for every run seed) measures each pool's offered load per hour
    of the week; the agents each hour needs for its goal follow from Erlang A (the
    channel's patience; ``erlang: C`` ignores abandonment) or, for e-mail and social, from
    clearing each day's work at ``backlog_occupancy``; they are grossed up for shrinkage
    and covered by shifts of ``shift_lengths_h`` at the fewest paid hours (integer
    programming). ``goal_over: week`` meets each goal over the week's contacts instead of
    in every hour, at fewer agent-hours (marginal analysis: Koole & van der Sluis 2003).
    ``forecast_error`` plans for (1 + error) × the measured load (−0.1: a
    forecast 10 % low), so a study can put a wrong forecast through the real demand (with
    ``demand.rate_cv``, day-to-day swings no forecast sees). ``sim.analysis.planning.plan.planned``
    does this; ``sim.run`` refuses a configuration whose plan is still to be made."""

    enabled: bool = False
    goals: PlanGoalsConfig = section(PlanGoalsConfig)
    goal_over: str = choice("interval", ("interval", "week"))
    erlang: str = choice("A", ("A", "C"))
    # Below a tenth, a day's e-mail needs more agents than a shift may hold (10,000).
    backlog_occupancy: float = number(0.85, ge=0.1, le=1.0)
    shift_lengths_h: list[int] = numbers(
        [8, 4], Range(1, 24, integer=True), min_length=1, max_length=6
    )
    pilot_weeks: int = integer(4, ge=1, le=52)
    pilot_runs: int = integer(2, ge=1, le=20)
    pilot_seed: int = integer(1_000_000, ge=0, le=2**63 - 1)
    forecast_error: float = number(0.0, gt=-1.0, le=5.0)


CHANNEL_NAME = Pattern("phone|chat|email|social", "a channel: phone, chat, email or social")


@dataclass
class BlendConfig:
    """Blending: idle tier-1 agents of a channel taking another channel's waiting work.

    ``phone: [email]`` lets phone agents with no call to take answer e-mails (fill-in
    work, in the order listed), and a new e-mail with no e-mail agent free goes to the
    phone agent idle longest. ``reserve_idle_agents`` phone agents (of each lending pool)
    stay idle for their own channel: the threshold policy of Bhulai & Koole (2003) and
    Deslauriers et al. (2007), which keeps inbound service while outbound or back-office
    work fills the idle time. Empty lists (the default) keep every agent to its pool.
    """

    phone: list[str] = names([], CHANNEL_NAME, max_length=3)
    chat: list[str] = names([], CHANNEL_NAME, max_length=3)
    email: list[str] = names([], CHANNEL_NAME, max_length=3)
    social: list[str] = names([], CHANNEL_NAME, max_length=3)
    reserve_idle_agents: int = integer(0, ge=0, le=MAX_AGENTS)

    def rules(self) -> None:
        for channel in CHANNELS:
            targets = getattr(self, channel)
            if channel in targets or len(set(targets)) != len(targets):
                raise ConfigError(
                    channel, list(targets), "must list other channels, each at most once"
                )

    def lends_to(self, channel: str) -> list[str]:
        """The channels whose idle agents take ``channel``'s work."""
        return [lender for lender in CHANNELS if channel in getattr(self, lender)]


@dataclass
class StaffingConfig:
    """Shifts per agent pool: tier 1 per channel, tiers 2 and 3 shared by all channels."""

    phone: list[ShiftConfig] = field(default_factory=list)
    chat: list[ShiftConfig] = field(default_factory=list)
    email: list[ShiftConfig] = field(default_factory=list)
    social: list[ShiftConfig] = field(default_factory=list)
    tier2: list[ShiftConfig] = field(default_factory=list)
    tier3: list[ShiftConfig] = field(default_factory=list)
    extra_agents: ExtraAgentsConfig = section(ExtraAgentsConfig)
    shrinkage: ShrinkageConfig = section(ShrinkageConfig)
    scale: float = number(1.0, gt=0.0, le=100.0)
    plan: StaffingPlanConfig = section(StaffingPlanConfig)
    blend: BlendConfig = section(BlendConfig)

    def agents_by_hour_of_week(self, pool: str) -> list[int]:
        """Agents scheduled in each of the week's 168 hours (Monday 00:00 first).

        ``scale`` multiplies every staffed hour (rounded, at least one agent), so one shift
        pattern serves an organisation of another size (``configs/size/``); then
        ``extra_agents`` applies only to hours the shifts staff (closed hours stay closed)
        and never takes an hour below zero agents.
        """
        agents = [0] * 168
        for shift in getattr(self, pool):
            for day in shift.days:
                for hour in range(shift.start_hour, shift.end_hour):
                    agents[day * 24 + hour] += shift.agents
        if self.scale != 1.0:
            agents = [max(1, round(n * self.scale)) if n > 0 else 0 for n in agents]
        extra = getattr(self.extra_agents, pool)
        if extra:
            agents = [max(0, n + extra) if n > 0 else 0 for n in agents]
        return agents


@dataclass
class ErlangConfig:
    """Knobs of the ``scenario=erlang`` validation preset (M/M/n and M/M/n+M)."""

    arrival_rate_per_hour: float = number(100.0, gt=0.0, le=MAX_RATE_PER_HOUR)
    mean_service_min: float = number(6.0, gt=0.0, le=MIN_PER_WEEK)
    servers: int = integer(11, ge=1, le=MAX_AGENTS)
    mean_patience_min: float | None = number(5.0, gt=0.0, le=MIN_PER_WEEK)
    days: float = number(84.0, gt=0.0, le=MAX_DAYS)
