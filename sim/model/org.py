"""The organisation: builds the SimPy world from a Config and runs it to a RunResult."""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from dataclasses import dataclass, field

import simpy

from sim.config import CHANNELS, Config, ConfigError, validate
from sim.metrics import Snapshot, Summary, derive, difference, levels_at_start
from sim.model.agents import Workforce, run_shifts
from sim.model.behaviour import CustomerBehaviour
from sim.model.contact_log import ContactLog, Sink
from sim.model.culture import Culture
from sim.model.demand import DayFactors, arrival_blocks, as_events, weekly_rates_per_min
from sim.model.events import Drive, call_later, run_until
from sim.model.incidents import Incidents
from sim.model.intervals import interval_table
from sim.model.journey import Journey
from sim.model.shrinkage import run_hourly_schedule
from sim.model.value import customer_value
from sim.rng import Streams
from sim.units import DAYS_PER_WEEK, MIN_PER_DAY, MIN_PER_HOUR


@dataclass
class RunResult:
    """What one run produces: flat summary scalars, daily time-series columns and the
    service of each hour of the week (``sim.model.intervals``)."""

    seed: int
    summary: Summary
    timeseries: dict[str, list] = field(default_factory=dict)
    intervals: dict[str, list] = field(default_factory=dict)  # by channel and hour of week
    contacts: dict[str, list] | None = None  # record.contacts without a sink: the event log


RETENTION_KEYS = (
    "retention_silent",
    "retention_unresolved",
    "retention_resolved",
    "retention_resolved_fast",
)


def retention_by_first_problem(customers: CustomerBehaviour) -> Summary:
    """Share still customers 12 months after their first problem, by what happened then.

    Only problems at least 12 months before the end count (TARP's question: would they buy
    again). ``null`` where no customer had that outcome early enough.
    """
    kept, total = customers.population.retention_counts()
    summary: Summary = {}
    for key, k, n in zip(RETENTION_KEYS, kept.tolist(), total.tolist()):
        summary[key] = k / n if n else None
        summary[f"{key}_n"] = n
    return summary


def daily_columns(pools: list[str], customers: bool = True) -> list[str]:
    """The derived metrics kept for each day of the time series."""
    columns = [
        "contacts_arrived",
        "contacts_served",
        "contacts_abandoned",
        "p_abandon",
        "service_level",
        "mean_wait_min",
        "occupancy",
        "agent_hours",
    ]
    for channel in CHANNELS:
        columns += [f"{channel}_contacts_arrived", f"{channel}_service_level"]
    columns += [f"pool_{p}_queue_end" for p in pools]
    columns.append("backlog_end")
    columns += [
        "fcr",
        "mean_handoffs",
        "agents_end",
        "agent_leavers",
        "agent_hires",
        "mean_agent_burnout",
        "mean_agent_skill",
    ]
    if customers:
        columns += [
            "customers_end",
            "customers_acquired",
            "customers_churned",
            "mean_loyalty_end",
            "nps",
            "revenue",
            "issues",
        ]
    return columns


def refuse_an_unmade_plan(config: Config) -> None:
    """``staffing=from_forecast`` is planned before the run, outside the engine."""
    if config.staffing.plan.enabled:
        raise ConfigError(
            "staffing.plan.enabled",
            True,
            "the plan is made before the run: sim.analysis.planning.plan.planned(config)"
            " (the command line does it)",
        )


class SupportOrg:
    """One support organisation, simulated from Monday 00:00 for ``horizon_days``."""

    def __init__(
        self,
        config: Config,
        seed: int,
        on_day: Callable[[int], None] | None = None,
        contact_sink: Sink | None = None,
    ) -> None:
        refuse_an_unmade_plan(config)
        self.config = config
        self.seed = seed
        self.on_day = on_day
        self.env = simpy.Environment()
        self.streams = Streams(seed)
        self.culture = Culture(config.culture)
        self.workforce = Workforce(self.env, config, self.streams, self.culture)
        self.journey = Journey(self.env, config, self.streams, self.workforce, self.culture)
        self.pools = self.journey.pools
        if config.record.contacts:
            self.journey.log = ContactLog(list(CHANNELS), contact_sink)
        wages = config.agents.wage_per_hour
        self._wage_per_min = [wages[p.tier - 1] / MIN_PER_HOUR for p in self.pools]
        self._overtime_premium = config.policy.surge.overtime_premium
        culture = config.culture
        if culture.change_at_day is not None:
            change_min = culture.change_at_day * MIN_PER_DAY
            share = culture.change_turnover_share
            call_later(self.env, change_min, self.workforce.change_culture, share)
        self.pool_names = [pool.name for pool in self.pools]
        self._start_schedules()
        self._start_anonymous_demand()
        self.customers: CustomerBehaviour | None = None
        if config.customers.enabled:
            self.customers = CustomerBehaviour(
                self.env,
                config,
                self.streams,
                self.journey.arrive,
                self.journey.calendar,
                lambda: self.culture.authenticity,
                self.day_factors,
            )
            self.journey.on_journey_end = self.customers.on_journey_end
            self.customers.restart_issue_stream()
            self.incidents = Incidents(self.env, config, self.streams, self.customers)
        self.horizon_min = config.horizon_days * MIN_PER_DAY
        self.warmup_min = config.warmup_days * MIN_PER_DAY
        # Streaming: each day's row is derived at the next midnight and only the rows, the
        # warm-up snapshot and the last midnight's are kept (memory flat in the horizon).
        self._warmup_snapshot: tuple[Snapshot, Snapshot] | None = None
        self._by_hour_at_warmup: list = []
        self._midnight: tuple[float, tuple[Snapshot, Snapshot]] | None = None
        self._columns = daily_columns(self.pool_names, customers=self.customers is not None)
        self._rows: dict[str, list] = {"day": [], "in_warmup": []}
        self._rows.update({column: [] for column in self._columns})
        self.env.process(self._clock())

    def _start_schedules(self) -> None:
        """Each pool's week of shifts: hour by hour with shrinkage or overtime, else at
        each shift change."""
        config = self.config
        shrinkage, surge = config.staffing.shrinkage.share, config.policy.surge
        for pool in self.pools:
            schedule = config.pool_agents(pool.name)
            if shrinkage > 0.0 or surge.enabled:
                rng = self.streams.get(f"shrinkage/{pool.name}")
                hourly = run_hourly_schedule(self.env, pool, schedule, shrinkage, rng, surge)
                self.env.process(hourly)
            else:
                self.env.process(run_shifts(self.env, pool.set_agents_on_duty, schedule))

    def _start_anonymous_demand(self) -> None:
        """The days' demand factors (shared with the customers) and anonymous arrivals."""
        config = self.config
        days = math.ceil(config.horizon_days)
        self.day_factors = DayFactors(config.demand.rate_cv, days, self.streams.get("demand/days"))
        rates = weekly_rates_per_min(self.journey.calendar, config.demand) * self.day_factors.cap
        anonymous = arrival_blocks(rates, self.streams.get("arrivals"))
        Drive(self.env, as_events(self.day_factors.thinned(anonymous)), self._on_arrival)

    def _on_arrival(self, _time_min: float, channel: int) -> None:
        self.journey.arrive(channel)

    def _snapshot_times(self) -> list[float]:
        midnights = [d * MIN_PER_DAY for d in range(math.ceil(self.config.horizon_days))]
        return sorted({*midnights, self.warmup_min} - {self.horizon_min})

    def _clock(self) -> Generator[simpy.Event, None, None]:
        """Snapshots at each midnight and at the end of warm-up; then the day's routines."""
        for at_min in self._snapshot_times():
            if at_min > self.env.now:
                yield self.env.timeout(at_min - self.env.now)
            if at_min == self.warmup_min and self.customers is not None:
                self.customers.population.forget_incidents()
            snapshot = self._snapshot(complete=at_min == self.warmup_min)
            if at_min == self.warmup_min:
                self._warmup_snapshot = snapshot
                self._by_hour_at_warmup = [line.by_hour.copy() for line in self.journey.lines]
            day, rest = divmod(at_min, MIN_PER_DAY)
            if rest != 0:
                continue
            self._close_day(at_min, snapshot)
            if self.on_day is not None:
                self.on_day(int(day))
            if day > 0:
                self.workforce.new_day()
                if self.customers is not None:
                    self.customers.new_day(int(day))
            self.workforce.sample()

    def _snapshot(self, complete: bool = False) -> tuple[Snapshot, Snapshot]:
        """(cumulative counters, instantaneous levels) at the current time.

        ``complete`` adds the customer levels only the summary reports (taken at the end
        of the warm-up and of the run); each midnight takes just what the daily rows keep.
        """
        self.journey.advance()
        counters: Snapshot = self.journey.system.counters("sys")
        levels: Snapshot = {}
        for name, stats, n_open in zip(CHANNELS, self.journey.stats, self.journey.open_by_channel):
            counters.update(stats.counters(f"ch.{name}"))
            levels[f"ch.{name}.open"] = n_open
        wages = handling = overtime = 0.0
        for pool, wage_per_min in zip(self.pools, self._wage_per_min):
            pool.advance()
            counters.update(pool.stats.counters(f"pool.{pool.name}"))
            levels[f"pool.{pool.name}.waiting"] = pool.n_waiting
            wages += (pool.stats.duty_area + pool.stats.absent_area) * wage_per_min
            handling += pool.stats.busy_area * wage_per_min
            overtime += pool.stats.overtime_area * wage_per_min * self._overtime_premium
        self.workforce.stats.overtime_cost = overtime
        self.workforce.stats.wage_cost = wages + overtime
        self.workforce.stats.handling_cost = handling
        counters.update(self.workforce.stats.counters("wf"))
        levels.update(self.workforce.levels())
        if self.customers is not None:
            levels.update(self.customers.levels(complete))
            counters.update(self.customers.stats.counters("cust"))
        return counters, levels

    def _close_day(self, at_min: float, snapshot: tuple[Snapshot, Snapshot]) -> None:
        """At a midnight: the row of the day that just ended, then this becomes its start."""
        if self._midnight is not None:
            start_min, start = self._midnight
            row = self._derive(start, snapshot, at_min - start_min)
            self._rows["day"].append(int(start_min // MIN_PER_DAY))
            self._rows["in_warmup"].append(start_min < self.warmup_min)
            for column in self._columns:
                self._rows[column].append(row[column])
        self._midnight = (at_min, snapshot)

    def _derive(
        self,
        start: tuple[Snapshot, Snapshot],
        end: tuple[Snapshot, Snapshot],
        duration_min: float,
    ) -> Summary:
        (start_counters, _), (end_counters, levels) = start, end
        return derive(
            difference(end_counters, start_counters),
            levels,
            duration_min,
            CHANNELS,
            self.pool_names,
        )

    def run(self) -> RunResult:
        run_until(self.env, self.horizon_min)
        end = self._snapshot(complete=True)
        if self.horizon_min % MIN_PER_DAY == 0:
            self._close_day(self.horizon_min, end)  # the last whole day
        warmup = self._warmup_snapshot
        assert warmup is not None  # taken at warm-up's end (0 = the first snapshot)
        summary: Summary = {
            "scenario": self.config.name,
            "seed": self.seed,
            "horizon_days": self.config.horizon_days,
            "warmup_days": self.config.warmup_days,
            "days_measured": self.config.horizon_days - self.config.warmup_days,
        }
        summary.update(self._derive(warmup, end, self.horizon_min - self.warmup_min))
        summary.update(levels_at_start(warmup[1], CHANNELS))
        if self.customers is not None:
            summary.update(customer_value(summary, self.config.finance))
            summary.update(retention_by_first_problem(self.customers))
            summary.update(self.customers.recovery_summary())
        return RunResult(self.seed, summary, self._rows, self._intervals(), self._contacts())

    def _contacts(self) -> dict[str, list] | None:
        """The event log's last batch to its sink, or the whole log without one."""
        log = self.journey.log
        if log is None:
            return None
        log.flush()
        return log.kept if not log.streams else None

    def _intervals(self) -> dict[str, list]:
        lines = self.journey.lines
        weeks = (self.horizon_min - self.warmup_min) / (MIN_PER_DAY * DAYS_PER_WEEK)
        end = [line.by_hour for line in lines]
        return interval_table([line.name for line in lines], end, self._by_hour_at_warmup, weeks)


def run(
    config: Config,
    seed: int,
    on_day: Callable[[int], None] | None = None,
    contact_sink: Sink | None = None,
) -> RunResult:
    """Simulate one configuration with one seed. Pure: same inputs, same result.

    ``on_day(day)`` is called at each simulated midnight (a progress bar, say); it only
    observes and cannot change the result. With ``record.contacts``, the event log's rows
    go to ``contact_sink`` in batches (``sim.model.contact_log``), or to
    ``RunResult.contacts`` without one.
    """
    validate(config)  # a config written in Python gets the command line's checks
    result = SupportOrg(config, seed, on_day, contact_sink).run()
    if on_day is not None:
        on_day(math.ceil(config.horizon_days))
    return result
