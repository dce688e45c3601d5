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

from sim.units import DAYS_PER_YEAR, MIN_PER_HOUR, MIN_PER_YEAR

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


# Edges of the journey wait-time histogram (total minutes waited, every tier and attempt):
# the summary reports the share of ended journeys that waited at most each edge.
WAIT_EDGES_MIN: tuple[float, ...] = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 240.0, 1440.0)
WAIT_EDGE_LABELS: tuple[str, ...] = (
    "30s",
    "1min",
    "2min",
    "5min",
    "10min",
    "30min",
    "1h",
    "4h",
    "24h",
)
WAIT_BINS: tuple[str, ...] = tuple(f"wait_hist_{label}" for label in WAIT_EDGE_LABELS)


class ChannelStats(_Counters):
    """Journey-level counts for contacts that arrived on one channel."""

    __slots__ = (
        "abandoned",  # journeys that ended with the customer giving up
        "answered",  # contacts answered by an agent for the first time
        "answered_in_target",  # ... on the first attempt within the channel's target
        "arrived",  # new contacts (not redials)
        "attempts",  # offers to tier 1, redials included
        "callbacks",  # contacts that took a callback instead of holding
        "compensations",  # journeys resolved with a credit granted
        "credits_sum",  # service-recovery credits granted (currency)
        "deflections",  # services that ended in "that is our policy"
        "empowered_resolutions",  # resolved by an empowered agent below the needed tier
        "ended_answered",  # ended journeys that had reached an agent
        "escalations",  # handoffs to the next tier
        "first_contact_resolved",  # resolved by the first agent, on the first attempt
        "handoffs_ge_4",  # ended journeys with 4 or more handoffs
        "handoffs_sum",  # handoffs (escalations and wrong transfers), over ended journeys
        "recontacts",  # repeat contacts after an unresolved end (same journey)
        "resolved",  # journeys that ended with the issue resolved
        "retrials",  # redials after abandoning
        "sojourn_sum_min",  # arrival to end, over ended journeys
        "switched_in",  # journeys that came here from a channel the customer gave up on
        "switched_out",  # journeys given up on here for another channel (also abandoned)
        "unresolved",  # journeys that ended answered but not resolved (failed, deflected)
        "wait_hist",  # ended journeys by total wait: bin i holds (edge i-1, edge i]
        "wait_sum_min",  # all waiting (every tier and attempt), over ended journeys
        "waited",  # new contacts that found no free agent
        "wrong_transfers",  # handoffs to a colleague of the same tier
    )

    def __init__(self) -> None:
        super().__init__()
        self.wait_hist = [0] * (len(WAIT_EDGES_MIN) + 1)  # the last: beyond every edge

    def counters(self, prefix: str) -> Snapshot:
        """The counts, the histogram as one counter per bin (``WAIT_BINS``)."""
        out = {f"{prefix}.{name}": getattr(self, name) for name in _CHANNEL_SCALARS}
        out.update({f"{prefix}.{name}": n for name, n in zip(WAIT_BINS, self.wait_hist)})
        return out


_CHANNEL_SCALARS = tuple(name for name in ChannelStats.__slots__ if name != "wait_hist")
CHANNEL_COUNTERS = (*_CHANNEL_SCALARS, *WAIT_BINS)  # the names ``ChannelStats.counters`` uses


class PoolStats(_Counters):
    """Queue-level counts and time-weighted areas for one agent pool."""

    __slots__ = (
        "abandoned",  # contacts that left its queue
        "absent_area",  # ∫ scheduled agents away dt: paid, not available (shrinkage)
        "busy_area",  # ∫ agents busy dt (agent-minutes)
        "completed",  # services completed
        "duty_area",  # ∫ agents on duty dt (agent-minutes)
        "entries",  # contacts offered to the pool
        "overtime_area",  # ∫ agents called in off shift dt (agent-minutes; policy.surge)
        "queue_area",  # ∫ contacts waiting dt (contact-minutes)
        "started",  # services started
        "wait_sum_min",  # time in its queue, counted when each wait ends
    )


class CustomerStats(_Counters):
    """What the customer population did."""

    __slots__ = (
        "acquired",  # new customers
        "affected_churned",  # customers hit by an incident who later defected
        "answered_journeys",  # scored journeys that reached an agent
        "asked_resolved",  # survey: problems resolved (not fast) whose customers answered
        "asked_resolved_fast",  # ... resolved at once and within expectations
        "asked_silent",  # ... suffered in silence
        "asked_unresolved",  # ... raised and not resolved
        "care_believed_sum",  # care shown × authenticity, over those journeys
        "care_shown_sum",  # empathy the customer met, over those journeys
        "churned",  # customers who defected (after a journey or at billing)
        "churned_after_journey",  # ... right after a journey
        "churned_after_outreach",  # ... on reading our message about a problem
        "churned_unpreventable",  # ... for reasons no service prevents (moves, price, debt)
        "customer_area",  # ∫ active customers dt (customer-minutes)
        "effort_sum",  # effort events of scored journeys (handoffs, repeats, switches)
        "high_effort",  # survey: contacts of high effort (several effort events)
        "high_effort_disloyal",  # ... their expected share of "disloyal" answers, summed
        "incident_affected",  # customers hit by an incident (once per incident)
        "incident_contacts",  # incident issues that customers contacted us about
        "incident_issues",  # issues caused by incidents (included in issues)
        "informed_issues",  # issues of customers told about the incident beforehand
        "issues",  # issues raised by customers
        "low_effort",  # survey: contacts of no effort at all
        "low_effort_disloyal",  # ... their expected "disloyal" answers, summed
        "outreach_contacts",  # affected customers reached by proactive outreach
        "outreach_cost",  # its cost (currency)
        "outreach_credits",  # credits granted with it (currency)
        "outreach_followups",  # contacts it triggered
        "premium_area",  # ∫ active premium customers dt (customer-minutes)
        "premium_churned",  # premium customers who defected
        "requests",  # routine contacts asked for (no problem behind them)
        "revenue",  # billed revenue (currency units)
        "scored_journeys",  # journeys whose customer scored them (still a customer)
        "silent_issues",  # issues suffered without contacting
        "wom_negative",  # people told a negative story
        "wom_positive",  # people told a positive story
        "would_repurchase_resolved",  # survey: expected "would buy again" answers, summed
        "would_repurchase_resolved_fast",
        "would_repurchase_silent",
        "would_repurchase_unresolved",
    )


class WorkforceStats(_Counters):
    """What happened to the people: hires, leavers, and daily samples of their state."""

    __slots__ = (
        "agent_days",  # employed agents counted at each midnight
        "burnout_sum",  # their burnout, summed over those samples
        "handling_cost",  # wages of the busy agent-time (currency; set at each snapshot)
        "hazard_sum",  # their annual quit hazard, summed over those samples
        "hires",  # novices who joined
        "hiring_cost",  # recruiting and training cost of the hires (currency)
        "leavers",  # agents who quit (attrition, turnover at a culture change)
        "overtime_cost",  # the overtime premium paid (currency; set at each snapshot)
        "skill_sum",  # their skill, summed over the samples
        "wage_cost",  # wages paid for on-duty hours (currency; set at each snapshot)
    )


class SystemStats(_Counters):
    """Contacts in the organisation (waiting, in service or waiting to redial)."""

    __slots__ = ("in_system_area",)


def _ratio(numerator: float, denominator: float) -> float | None:
    """A share or mean; ``None`` (JSON null) where it is undefined (no denominator)."""
    return numerator / denominator if denominator > 0 else None


def difference(later: Snapshot, earlier: Snapshot) -> Snapshot:
    return {key: later[key] - earlier.get(key, 0) for key in later}


COUNTED_EVENTS = (
    "escalations",
    "wrong_transfers",
    "deflections",
    "empowered_resolutions",
    "compensations",
    "callbacks",
    "switched_out",
    "switched_in",
)


def _contact_metrics(out: Summary, prefix: str, get: dict[str, float], n_open: float) -> None:
    """The journey metrics of one channel (``prefix`` its name and ``_``) or of all."""
    arrived = get["arrived"]
    ended = get["abandoned"] + get["resolved"] + get["unresolved"]
    out[f"{prefix}contacts_arrived"] = int(arrived)
    out[f"{prefix}contacts_served"] = int(get["resolved"])
    out[f"{prefix}contacts_unresolved"] = int(get["unresolved"])
    out[f"{prefix}contacts_abandoned"] = int(get["abandoned"])
    out[f"{prefix}contacts_open_end"] = int(n_open)
    out[f"{prefix}retrials"] = int(get["retrials"])
    out[f"{prefix}recontacts"] = int(get["recontacts"])
    out[f"{prefix}p_abandon"] = _ratio(get["abandoned"], arrived)
    out[f"{prefix}p_wait"] = _ratio(get["waited"], arrived)
    out[f"{prefix}mean_wait_min"] = _ratio(get["wait_sum_min"], arrived)
    out[f"{prefix}service_level"] = _ratio(get["answered_in_target"], arrived)
    out[f"{prefix}fcr"] = _ratio(get["first_contact_resolved"], get["ended_answered"])
    out[f"{prefix}mean_handoffs"] = _ratio(get["handoffs_sum"], ended)
    out[f"{prefix}p_handoffs_ge_4"] = _ratio(get["handoffs_ge_4"], ended)
    for count in COUNTED_EVENTS:
        out[f"{prefix}{count}"] = int(get[count])
    out[f"{prefix}mean_time_in_system_min"] = _ratio(get["sojourn_sum_min"], ended)


def _wait_shares(out: Summary, totals: dict[str, float]) -> None:
    """Share of ended journeys that waited at most each edge of the histogram."""
    ended = totals["abandoned"] + totals["resolved"] + totals["unresolved"]
    waited_at_most = 0.0
    for label, name in zip(WAIT_EDGE_LABELS, WAIT_BINS):
        waited_at_most += totals[name]
        out[f"share_wait_le_{label}"] = _ratio(waited_at_most, ended)


def _pool_metrics(
    out: Summary, p: str, get: dict[str, float], waiting: float, minutes: float
) -> None:
    waits_ended = get["started"] + get["abandoned"]
    out[f"pool_{p}_arrival_rate_per_min"] = _ratio(get["entries"], minutes)
    out[f"pool_{p}_mean_wait_min"] = _ratio(get["wait_sum_min"], waits_ended)
    out[f"pool_{p}_mean_queue"] = _ratio(get["queue_area"], minutes)
    out[f"pool_{p}_occupancy"] = _ratio(get["busy_area"], get["duty_area"])
    out[f"pool_{p}_mean_handle_time_min"] = _ratio(get["busy_area"], get["completed"])
    out[f"pool_{p}_mean_agents"] = _ratio(get["duty_area"], minutes)
    out[f"pool_{p}_shrinkage"] = _ratio(get["absent_area"], get["duty_area"] + get["absent_area"])
    out[f"pool_{p}_queue_end"] = int(waiting)


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
    fields = CHANNEL_COUNTERS
    totals = {f: sum(delta[f"ch.{c}.{f}"] for c in channels) for f in fields}
    _contact_metrics(out, "", totals, sum(levels[f"ch.{c}.open"] for c in channels))
    _wait_shares(out, totals)
    busy = sum(delta[f"pool.{p}.busy_area"] for p in pools)
    duty = sum(delta[f"pool.{p}.duty_area"] for p in pools)
    out["occupancy"] = _ratio(busy, duty)
    completed = sum(delta[f"pool.{p}.completed"] for p in pools)
    out["mean_handle_time_min"] = _ratio(busy, completed)
    out["agent_hours"] = duty / MIN_PER_HOUR
    absent = sum(delta[f"pool.{p}.absent_area"] for p in pools)
    out["paid_agent_hours"] = (duty + absent) / MIN_PER_HOUR
    out["shrinkage"] = _ratio(absent, duty + absent)
    out["overtime_agent_hours"] = (
        sum(delta[f"pool.{p}.overtime_area"] for p in pools) / MIN_PER_HOUR
    )
    out["mean_in_system"] = _ratio(delta["sys.in_system_area"], duration_min)
    out["arrival_rate_per_min"] = _ratio(totals["arrived"], duration_min)
    for c in channels:
        channel = {f: delta[f"ch.{c}.{f}"] for f in fields}
        _contact_metrics(out, f"{c}_", channel, levels[f"ch.{c}.open"])
    for p in pools:
        get = {f: delta[f"pool.{p}.{f}"] for f in PoolStats.__slots__}
        _pool_metrics(out, p, get, levels[f"pool.{p}.waiting"], duration_min)
    out["backlog_end"] = int(sum(levels[f"pool.{p}.waiting"] for p in pools))
    _derive_workforce(out, delta, levels)
    out["credits_total"] = totals["credits_sum"]
    out["handling_cost"] = delta["wf.handling_cost"]
    out["cost_per_contact"] = _ratio(delta["wf.handling_cost"], totals["arrived"])
    if "cust.issues" in delta:
        _derive_customers(out, delta, levels, duration_min)
    outreach_cost = out.get("outreach_cost", 0.0)
    out["cost_total"] = out["staffing_cost"] + out["credits_total"] + outreach_cost
    if "revenue" in out:  # net_value, beyond the window: sim.model.value
        out["net_value_window"] = out["revenue"] - out["cost_total"]
    return out


def levels_at_start(levels: Snapshot, channels: Iterable[str]) -> Summary:
    """The levels the summary reports at the start of its window (the end of warm-up), so
    that ``start + in − out = end`` can be checked from the summary alone."""
    channels = list(channels)
    out: Summary = {"contacts_open_start": int(sum(levels[f"ch.{c}.open"] for c in channels))}
    out.update({f"{c}_contacts_open_start": int(levels[f"ch.{c}.open"]) for c in channels})
    out["agents_start"] = int(levels["wf.employed"])
    if "cust.active" in levels:
        out["customers_start"] = int(levels["cust.active"])
    return out


def _derive_workforce(out: Summary, delta: Snapshot, levels: Snapshot) -> None:
    get = {f: delta[f"wf.{f}"] for f in WorkforceStats.__slots__}
    agent_years = get["agent_days"] / DAYS_PER_YEAR
    out["agents_end"] = int(levels["wf.employed"])
    out["agent_hires"] = int(get["hires"])
    out["agent_leavers"] = int(get["leavers"])
    out["agent_attrition_annual"] = _ratio(get["leavers"], agent_years)
    out["agent_attrition_hazard_annual"] = _ratio(get["hazard_sum"], get["agent_days"])
    out["mean_agent_burnout"] = _ratio(get["burnout_sum"], get["agent_days"])
    out["mean_agent_skill"] = _ratio(get["skill_sum"], get["agent_days"])
    out["mean_burnout_end"] = _finite_or_none(levels["wf.mean_burnout"])
    out["mean_agent_skill_end"] = _finite_or_none(levels["wf.mean_skill"])
    out["mean_agent_empathy_end"] = _finite_or_none(levels["wf.mean_empathy"])
    out["wage_cost"] = get["wage_cost"]
    out["overtime_cost"] = get["overtime_cost"]
    out["hiring_cost"] = get["hiring_cost"]
    out["staffing_cost"] = get["wage_cost"] + get["hiring_cost"]


def _derive_customers(out: Summary, delta: Snapshot, levels: Snapshot, duration: float) -> None:
    get = {f: delta[f"cust.{f}"] for f in CustomerStats.__slots__}
    customer_years = get["customer_area"] / MIN_PER_YEAR
    out["customers_end"] = int(levels["cust.active"])
    out["customers_acquired"] = int(get["acquired"])
    out["customers_churned"] = int(get["churned"])
    out["customers_churned_after_journey"] = int(get["churned_after_journey"])
    out["customers_churned_after_outreach"] = int(get["churned_after_outreach"])
    out["churn_rate_annual"] = _ratio(get["churned"], customer_years)
    unpreventable = get["churned_unpreventable"]
    out["customers_churned_unpreventable"] = int(unpreventable)
    out["churn_rate_unpreventable_annual"] = _ratio(unpreventable, customer_years)
    out["churn_rate_service_annual"] = _ratio(get["churned"] - unpreventable, customer_years)
    out["mean_customers"] = _ratio(get["customer_area"], duration)
    out["mean_loyalty_end"] = _finite_or_none(levels["cust.mean_loyalty"])
    out["mean_trust_end"] = _finite_or_none(levels["cust.mean_trust"])
    out["nps"] = _finite_or_none(levels["cust.nps"])
    out["reputation_end"] = levels["cust.reputation"]
    out["revenue"] = get["revenue"]
    out["issues"] = int(get["issues"])
    out["requests"] = int(get["requests"])
    out["incident_issues"] = int(get["incident_issues"])
    out["incident_contacts"] = int(get["incident_contacts"])
    out["incident_affected"] = int(get["incident_affected"])
    out["affected_churned"] = int(get["affected_churned"])
    out["churn_affected"] = _ratio(get["affected_churned"], get["incident_affected"])
    out["mean_loyalty_affected_end"] = _finite_or_none(levels["cust.mean_loyalty_affected"])
    out["affected_loyalty_retained"] = _ratio(
        levels["cust.loyalty_affected_sum"], get["incident_affected"]
    )
    out["informed_issues"] = int(get["informed_issues"])
    out["outreach_contacts"] = int(get["outreach_contacts"])
    out["outreach_followups"] = int(get["outreach_followups"])
    out["outreach_cost"] = get["outreach_cost"]
    out["credits_total"] += get["outreach_credits"]
    for segment in ("standard", "premium"):
        out[f"satisfaction_{segment}_end"] = _finite_or_none(levels[f"cust.satisfaction_{segment}"])
        out[f"loyalty_{segment}_end"] = _finite_or_none(levels[f"cust.loyalty_{segment}"])
    premium_years = get["premium_area"] / MIN_PER_YEAR
    out["churn_rate_premium_annual"] = _ratio(get["premium_churned"], premium_years)
    out["churn_rate_standard_annual"] = _ratio(
        get["churned"] - get["premium_churned"], customer_years - premium_years
    )
    out["p_silent"] = _ratio(get["silent_issues"], get["issues"])
    out["wom_negative"] = int(get["wom_negative"])
    out["wom_positive"] = int(get["wom_positive"])
    out["mean_care_shown"] = _ratio(get["care_shown_sum"], get["answered_journeys"])
    out["mean_care_believed"] = _ratio(get["care_believed_sum"], get["answered_journeys"])
    out["effort_events"] = int(get["effort_sum"])
    out["mean_effort"] = _ratio(get["effort_sum"], get["scored_journeys"])
    _derive_survey(out, get)


def _derive_survey(out: Summary, get: dict[str, float]) -> None:
    """Survey answers (``sim.model.survey``): expected shares of each answer."""
    for outcome in ("silent", "unresolved", "resolved", "resolved_fast"):
        key = f"would_repurchase_{outcome}"
        out[key] = _ratio(get[key], get[f"asked_{outcome}"])
    out["disloyal_share_high_effort"] = _ratio(get["high_effort_disloyal"], get["high_effort"])
    out["disloyal_share_low_effort"] = _ratio(get["low_effort_disloyal"], get["low_effort"])


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None
