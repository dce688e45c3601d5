"""Streaming statistics: cumulative counters, snapshots, and the metric definitions.

The hot path only increments counters and integrates a few time-weighted areas. A
snapshot of every counter is taken at each midnight and at the end of the warm-up; the
summary is the difference between the last snapshot and the warm-up one, and each daily
row is the difference between consecutive midnights. So memory grows with the number of
days, never with the number of contacts, and warm-up is excluded exactly. Every metric
is defined once, in :func:`derive`, for both the summary and the daily rows; their
meaning is documented in ``docs/metrics.md``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from sim.units import MIN_PER_YEAR

Snapshot = dict[str, float]
Summary = dict[str, float | None]


class _Counters:
    """Plain numeric attributes listed in ``__slots__``, snapshot by name."""

    __slots__: tuple[str, ...] = ()

    def __init__(self) -> None:
        for name in self.__slots__:
            setattr(self, name, 0)

    def counters(self, prefix: str) -> Snapshot:
        return {f"{prefix}.{name}": getattr(self, name) for name in self.__slots__}


class ChannelStats(_Counters):
    """Journey-level counts for contacts that arrived on one channel."""

    __slots__ = (
        "abandoned",  # journeys that ended with the customer giving up
        "answered",  # contacts answered by an agent for the first time
        "answered_in_target",  # ... on the first attempt within the channel's target
        "arrived",  # new contacts (not redials)
        "attempts",  # offers to tier 1, redials included
        "handoffs_sum",  # transfers between tiers, over ended journeys
        "resolved",  # journeys that ended with the issue resolved
        "retrials",  # redials after abandoning
        "sojourn_sum_min",  # arrival to end, over ended journeys
        "wait_sum_min",  # all waiting (every tier and attempt), over ended journeys
        "waited",  # new contacts that found no free agent
    )


class PoolStats(_Counters):
    """Queue-level counts and time-weighted areas for one agent pool."""

    __slots__ = (
        "abandoned",  # contacts that left its queue
        "busy_area",  # ∫ agents busy dt (agent-minutes)
        "completed",  # services completed
        "duty_area",  # ∫ agents on duty dt (agent-minutes)
        "entries",  # contacts offered to the pool
        "queue_area",  # ∫ contacts waiting dt (contact-minutes)
        "started",  # services started
        "wait_sum_min",  # time in its queue, counted when each wait ends
    )


class CustomerStats(_Counters):
    """What the customer population did."""

    __slots__ = (
        "acquired",  # new customers
        "churned",  # customers who defected (after a journey or at billing)
        "churned_after_journey",  # ... right after a journey
        "customer_area",  # ∫ active customers dt (customer-minutes)
        "high_effort",  # scored journeys of high effort
        "high_effort_disloyal",  # ... after which loyalty fell
        "incident_issues",  # issues caused by incidents (included in issues)
        "issues",  # issues raised by customers
        "low_effort",  # scored journeys of low effort
        "low_effort_disloyal",  # ... after which loyalty fell
        "revenue",  # billed revenue (currency units)
        "silent_issues",  # issues suffered without contacting
        "wom_negative",  # people told a negative story
        "wom_positive",  # people told a positive story
    )


class SystemStats(_Counters):
    """Contacts in the organisation (waiting, in service or waiting to redial)."""

    __slots__ = ("in_system_area",)


def _ratio(numerator: float, denominator: float) -> float | None:
    """A share or mean; ``None`` (JSON null) where it is undefined (no denominator)."""
    return numerator / denominator if denominator > 0 else None


def difference(later: Snapshot, earlier: Snapshot) -> Snapshot:
    return {key: later[key] - earlier.get(key, 0) for key in later}


def derive(
    delta: Snapshot,
    levels: Snapshot,
    duration_min: float,
    channels: Iterable[str],
    pools: Iterable[str],
) -> Summary:
    """Every reported metric, from counter differences over one window.

    ``levels`` are instantaneous values at the window's end (queue lengths, agents).
    """
    channels, pools = list(channels), list(pools)
    out: Summary = {}

    def total(field: str) -> float:
        return sum(delta[f"ch.{c}.{field}"] for c in channels)

    def write_contacts(prefix: str, get: dict[str, float]) -> None:
        arrived = get["arrived"]
        ended = get["abandoned"] + get["resolved"]
        out[f"{prefix}contacts_arrived"] = int(arrived)
        out[f"{prefix}contacts_served"] = int(get["resolved"])
        out[f"{prefix}contacts_abandoned"] = int(get["abandoned"])
        out[f"{prefix}retrials"] = int(get["retrials"])
        out[f"{prefix}p_abandon"] = _ratio(get["abandoned"], arrived)
        out[f"{prefix}p_wait"] = _ratio(get["waited"], arrived)
        out[f"{prefix}mean_wait_min"] = _ratio(get["wait_sum_min"], arrived)
        out[f"{prefix}service_level"] = _ratio(get["answered_in_target"], arrived)
        out[f"{prefix}mean_handoffs"] = _ratio(get["handoffs_sum"], ended)
        out[f"{prefix}mean_time_in_system_min"] = _ratio(get["sojourn_sum_min"], ended)

    fields = ChannelStats.__slots__
    write_contacts("", {f: total(f) for f in fields})
    busy = sum(delta[f"pool.{p}.busy_area"] for p in pools)
    duty = sum(delta[f"pool.{p}.duty_area"] for p in pools)
    out["occupancy"] = _ratio(busy, duty)
    out["agent_hours"] = duty / 60.0
    out["mean_in_system"] = _ratio(delta["sys.in_system_area"], duration_min)
    out["arrival_rate_per_min"] = _ratio(total("arrived"), duration_min)
    for c in channels:
        write_contacts(f"{c}_", {f: delta[f"ch.{c}.{f}"] for f in fields})
    for p in pools:
        get = {f: delta[f"pool.{p}.{f}"] for f in PoolStats.__slots__}
        waits_ended = get["started"] + get["abandoned"]
        out[f"pool_{p}_arrival_rate_per_min"] = _ratio(get["entries"], duration_min)
        out[f"pool_{p}_mean_wait_min"] = _ratio(get["wait_sum_min"], waits_ended)
        out[f"pool_{p}_mean_queue"] = _ratio(get["queue_area"], duration_min)
        out[f"pool_{p}_occupancy"] = _ratio(get["busy_area"], get["duty_area"])
        out[f"pool_{p}_mean_agents"] = _ratio(get["duty_area"], duration_min)
        out[f"pool_{p}_queue_end"] = int(levels[f"pool.{p}.waiting"])
    out["backlog_end"] = int(sum(levels[f"pool.{p}.waiting"] for p in pools))
    if "cust.issues" in delta:
        _derive_customers(out, delta, levels, duration_min)
    return out


def _derive_customers(out: Summary, delta: Snapshot, levels: Snapshot, duration: float) -> None:
    get = {f: delta[f"cust.{f}"] for f in CustomerStats.__slots__}
    customer_years = get["customer_area"] / MIN_PER_YEAR
    out["customers_end"] = int(levels["cust.active"])
    out["customers_acquired"] = int(get["acquired"])
    out["customers_churned"] = int(get["churned"])
    out["customers_churned_after_journey"] = int(get["churned_after_journey"])
    out["churn_rate_annual"] = _ratio(get["churned"], customer_years)
    out["mean_customers"] = _ratio(get["customer_area"], duration)
    out["mean_loyalty_end"] = _finite_or_none(levels["cust.mean_loyalty"])
    out["mean_trust_end"] = _finite_or_none(levels["cust.mean_trust"])
    out["nps"] = _finite_or_none(levels["cust.nps"])
    out["reputation_end"] = levels["cust.reputation"]
    out["revenue"] = get["revenue"]
    out["issues"] = int(get["issues"])
    out["incident_issues"] = int(get["incident_issues"])
    out["p_silent"] = _ratio(get["silent_issues"], get["issues"])
    out["wom_negative"] = int(get["wom_negative"])
    out["wom_positive"] = int(get["wom_positive"])
    out["disloyal_share_high_effort"] = _ratio(get["high_effort_disloyal"], get["high_effort"])
    out["disloyal_share_low_effort"] = _ratio(get["low_effort_disloyal"], get["low_effort"])


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None
