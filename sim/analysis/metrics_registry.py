"""Every summary key as people read it: label, unit, which way is better, and a caveat.

One place for the report's tables and sentences, the figures' axes and the unit column of
``docs/metrics.md`` (``tests/test_metrics_registry.py`` holds the three together). A
per-channel key (``phone_service_level``) or a pool key (``pool_tier2_occupancy``) takes
the entry of its base key with the channel or pool named in front.

Units are those of ``docs/metrics.md``: ``share`` is shown as a percentage and its
differences in percentage points, ``1/year`` as a percentage a year, ``currency`` with
the report's currency, counts with thousands separators.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from sim.config import CHANNELS
from sim.config.operations import POOLS

HIGHER, LOWER, NEITHER = "higher", "lower", "neither"
CAVEATS = {
    "survivors": "customers who left are not in the mean: driving the least loyal away raises it",
    "window": "revenue inside the window only: a customer lost late in it costs little",
}


class UnknownMetricError(ValueError):
    """A key no run writes: a report asked for it by mistake (one line, exit 2)."""


@dataclass(frozen=True)
class Metric:
    """How one summary key reads."""

    key: str
    label: str
    unit: str
    better: str = NEITHER
    caveat: str = ""


# key | label | unit (docs/metrics.md) | better | caveat (a word of CAVEATS)
_TABLE = """
scenario | Scenario | text | neither |
seed | Seed | integer | neither |
horizon_days | Simulated days | days | neither |
warmup_days | Warm-up days | days | neither |
days_measured | Days measured | days | neither |
contacts_arrived | Contacts | contacts | neither |
contacts_served | Issues resolved | contacts | higher |
contacts_unresolved | Contacts answered, not resolved | contacts | lower |
contacts_abandoned | Contacts given up | contacts | lower |
contacts_open_start | Contacts open at the start | contacts | neither |
contacts_open_end | Contacts open at the end | contacts | lower |
retrials | Redials | attempts | lower |
recontacts | Repeat contacts | contacts | lower |
p_abandon | Abandonment | share | lower |
p_wait | Contacts that waited | share | lower |
mean_wait_min | Mean wait | min | lower |
share_wait_le_30s | Waited at most 30 s | share | higher |
share_wait_le_1min | Waited at most 1 min | share | higher |
share_wait_le_2min | Waited at most 2 min | share | higher |
share_wait_le_5min | Waited at most 5 min | share | higher |
share_wait_le_10min | Waited at most 10 min | share | higher |
share_wait_le_30min | Waited at most 30 min | share | higher |
share_wait_le_1h | Waited at most 1 h | share | higher |
share_wait_le_4h | Waited at most 4 h | share | higher |
share_wait_le_24h | Waited at most 24 h | share | higher |
service_level | Service level | share | higher |
fcr | First-contact resolution | share | higher |
mean_handoffs | Handoffs per journey | handoffs | lower |
p_handoffs_ge_4 | Journeys with 4+ handoffs | share | lower |
escalations | Escalations | handoffs | neither |
wrong_transfers | Wrong transfers | handoffs | lower |
deflections | Deflections ("our policy") | services | lower |
empowered_resolutions | Resolved by empowered agents | journeys | higher |
compensations | Journeys compensated | journeys | neither |
callbacks | Callbacks taken | contacts | neither |
switched_out | Channels given up for another | journeys | lower |
switched_in | Journeys from another channel | journeys | lower |
mean_handle_time_min | Mean handle time | min | neither |
mean_time_in_system_min | Mean time to the end of a journey | min | lower |
mean_in_system | Contacts open (mean) | contacts | lower |
arrival_rate_per_min | Contacts per minute | contacts/min | neither |
occupancy | Occupancy | share | neither |
agent_hours | Agent-hours on duty | hours | neither |
paid_agent_hours | Agent-hours paid | hours | lower |
shrinkage | Shrinkage | share | neither |
overtime_agent_hours | Overtime | hours | neither |
backlog_end | Backlog at the end | contacts | lower |
arrival_rate_per_min@pool | contacts offered per minute | contacts/min | neither |
mean_wait_min@pool | mean wait | min | lower |
mean_queue@pool | mean queue | contacts | lower |
occupancy@pool | occupancy | share | neither |
mean_agents@pool | agents on duty (mean) | agents | neither |
shrinkage@pool | shrinkage | share | neither |
mean_handle_time_min@pool | mean handle time | min | neither |
queue_end@pool | queue at the end | contacts | lower |
agents_start | Agents at the start | agents | neither |
agents_end | Agents at the end | agents | neither |
agent_hires | Agents hired | agents | lower |
agent_leavers | Agents who quit | agents | lower |
agent_attrition_annual | Agent attrition | 1/year | lower |
agent_attrition_hazard_annual | Agent quit hazard | 1/year | lower |
mean_agent_burnout | Agent burnout | [0, 1) | lower |
mean_agent_skill | Agent skill | [0, 1] | higher |
mean_burnout_end | Agent burnout at the end | [0, 1] | lower |
mean_agent_skill_end | Agent skill at the end | [0, 1] | higher |
mean_agent_empathy_end | Empathy customers meet | [0, 1] | higher |
wage_cost | Wages | currency | lower |
overtime_cost | Overtime premium | currency | lower |
hiring_cost | Hiring cost | currency | lower |
staffing_cost | Staffing cost | currency | lower |
handling_cost | Cost of handling time | currency | lower |
cost_per_contact | Handling cost per contact | currency/contact | lower |
credits_total | Credits paid | currency | lower |
cost_total | Total cost | currency | lower |
net_value_window | Net value (window only) | currency | higher | window
net_value | Net value (customer lifetimes) | currency | higher |
margin_per_customer_month | Margin per customer-month | currency | higher |
expected_lifetime_months | Expected customer lifetime | months | higher |
customer_lifetime_value | Customer lifetime value | currency | higher |
future_margin_gained | Lifetime margin of customers won | currency | higher |
future_margin_lost | Lifetime margin of customers lost | currency | lower |
acquisition_spend | Acquisition spend | currency | neither |
customers_start | Customers at the start | customers | neither |
customers_end | Customers at the end | customers | higher |
customers_acquired | Customers won | customers | higher |
customers_churned | Customers lost | customers | lower |
customers_churned_after_journey | Customers lost right after a contact | customers | lower |
customers_churned_after_outreach | Customers lost on reading our message | customers | lower |
mean_customers | Customers (mean) | customers | higher |
churn_rate_annual | Annual churn | 1/year | lower |
customers_churned_unpreventable | Customers lost whatever the service | customers | neither |
churn_rate_unpreventable_annual | Unpreventable churn | 1/year | neither |
churn_rate_service_annual | Service-driven churn | 1/year | lower |
mean_loyalty_end | Customer loyalty at the end | [0, 1] | higher | survivors
mean_trust_end | Customer trust at the end | [0, 1] | higher | survivors
nps | Net promoter score | points, −100…100 | higher | survivors
reputation_end | Reputation (net word of mouth) | people/customer-year | higher |
revenue | Revenue | currency | higher |
issues | Customer issues | issues | lower |
requests | Routine requests | requests | neither |
incident_issues | Issues caused by incidents | issues | lower |
incident_contacts | Contacts about incidents | contacts | lower |
incident_affected | Customers hit by incidents | customers | lower |
affected_churned | Affected customers lost | customers | lower |
churn_affected | Churn among the affected | share | lower |
mean_loyalty_affected_end | Loyalty of the affected still with us | [0, 1] | higher | survivors
affected_loyalty_retained | Loyalty of the affected, leavers as 0 | [0, 1] | higher |
informed_issues | Incident issues we told customers of first | issues | higher |
outreach_contacts | Customers reached by outreach | customers | neither |
outreach_followups | Contacts prompted by outreach | contacts | neither |
outreach_cost | Outreach cost | currency | lower |
satisfaction_standard_end | Satisfaction, standard customers | [0, 1] | higher | survivors
satisfaction_premium_end | Satisfaction, premium customers | [0, 1] | higher | survivors
loyalty_standard_end | Loyalty, standard customers | [0, 1] | higher | survivors
loyalty_premium_end | Loyalty, premium customers | [0, 1] | higher | survivors
churn_rate_standard_annual | Annual churn, standard customers | 1/year | lower |
churn_rate_premium_annual | Annual churn, premium customers | 1/year | lower |
p_silent | Issues suffered in silence | share | neither |
wom_negative | People told a bad story | people | lower |
wom_positive | People told a good story | people | higher |
mean_care_shown | Care shown | [0, 1] | higher |
mean_care_believed | Care believed | [0, 1] | higher |
effort_events | Customer effort events | events | lower |
mean_effort | Effort per journey | events | lower |
would_repurchase_silent | Would buy again (stated): silent | share | higher |
would_repurchase_unresolved | Would buy again (stated): unresolved | share | higher |
would_repurchase_resolved | Would buy again (stated): resolved | share | higher |
would_repurchase_resolved_fast | Would buy again (stated): resolved fast | share | higher |
disloyal_share_high_effort | Disloyal answers after high effort | share | lower |
disloyal_share_low_effort | Disloyal answers after no effort | share | lower |
retention_silent | Retained after a silent first problem | share | higher |
retention_unresolved | Retained after an unresolved first problem | share | higher |
retention_resolved | Retained after a resolved first problem | share | higher |
retention_resolved_fast | Retained after a first problem resolved fast | share | higher |
retention_no_failure | Retained with no failure | share | higher |
retention_one_recovered | Retained after one recovered failure | share | higher |
retention_two_recovered | Retained after two recovered failures | share | higher |
satisfaction_no_failure | Satisfaction with no failure | [0, 1] | higher | survivors
satisfaction_one_recovered | Satisfaction after one recovered failure | [0, 1] | higher | survivors
satisfaction_two_recovered | Satisfaction after two recovered failures | [0, 1] | higher | survivors
mean_satisfaction_end | Customer satisfaction at the end | [0, 1] | higher | survivors
mean_expectation_multiplier_end | Expectation multiplier at the end | multiplier | neither |
"""


def _parse(table: str) -> dict[str, Metric]:
    entries = {}
    for line in table.strip().splitlines():
        key, label, unit, better, caveat = (cell.strip() for cell in line.split("|"))
        caveat = CAVEATS.get(caveat, caveat)
        entries[key] = Metric(key, label, unit, better, caveat)
    return entries


_ENTRIES = _parse(_TABLE)
_POOL_NAMES = {"tier2": "Tier 2", "tier3": "Tier 3"}


def metric(key: str) -> Metric:
    """The entry of a summary key (UnknownMetricError for a key it does not know)."""
    if key in _ENTRIES and "@" not in key:
        return _ENTRIES[key]
    if key.endswith("_n") and key[:-2] in _ENTRIES:  # retention_*_n: how many it is over
        base = _ENTRIES[key[:-2]]
        return Metric(key, f"{base.label}: customers counted", "customers")
    for pool in POOLS:
        prefix = f"pool_{pool}_"
        if key.startswith(prefix) and f"{key[len(prefix) :]}@pool" in _ENTRIES:
            base = _ENTRIES[f"{key[len(prefix) :]}@pool"]
            name = _POOL_NAMES.get(pool, f"{pool.capitalize()} (tier 1)")
            return replace(base, key=key, label=f"{name} {base.label}")
    for channel in CHANNELS:
        prefix = f"{channel}_"
        if key.startswith(prefix) and key[len(prefix) :] in _ENTRIES:
            base = _ENTRIES[key[len(prefix) :]]
            label = f"{_CHANNEL_NAMES[channel]}: {base.label[0].lower()}{base.label[1:]}"
            return replace(base, key=key, label=label)
    raise UnknownMetricError(
        f"{key} is not in the metric registry (sim/analysis/metrics_registry.py); "
        "see docs/metrics.md for the keys"
    )


_CHANNEL_NAMES = {"phone": "Phone", "chat": "Chat", "email": "E-mail", "social": "Social"}


def axis_label(key: str, currency: str = "$") -> str:
    """A figure's axis: the label with the unit of the raw values plotted
    (``Annual churn (per year)``, ``Total cost ($)``)."""
    entry = metric(key)
    unit = entry.unit
    if unit.startswith("currency"):
        unit = currency + unit[len("currency") :]
    unit = RAW_UNIT_WORDS.get(unit, unit)
    return f"{entry.label} ({unit})" if unit else entry.label


# Units named as the raw values are (shares as 0-1, not %); "" for none worth naming.
RAW_UNIT_WORDS = {
    "share": "share",
    "1/year": "per year",
    "text": "",
    "integer": "",
    "[0, 1]": "0–1",
    "[0, 1)": "0–1",
    "points, −100…100": "points",
}


def format_value(key: str, value: float | None, currency: str = "$") -> str:
    """A value as a person reads it: 79.9 %, $1.62 M, 12,400 customers, 3.4 min."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    unit = metric(key).unit
    if unit in ("share", "1/year"):
        return f"{100 * value:.1f} %"
    if unit.startswith("currency"):
        return money(value, currency)
    if unit in ("[0, 1]", "[0, 1)", "multiplier"):
        return f"{value:.3f}"
    return _number(value)


def signed(value: float, digits: int = 2) -> str:
    """A plain number with its sign and a real minus: +0.54, −0.75 (a correlation)."""
    return f"{value:+.{digits}f}".replace("-", "−")


def format_difference(key: str, value: float, currency: str = "$") -> str:
    """A difference with its sign: +0.54 points (of a share), −$0.48 M, +14,300."""
    if not math.isfinite(value):
        return "–"
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    unit = metric(key).unit
    if unit in ("share", "1/year"):
        return f"{sign}{_significant(abs(100 * value))} points"
    if unit.startswith("currency"):
        return sign + money(abs(value), currency)
    if unit in ("[0, 1]", "[0, 1)", "multiplier"):
        return f"{sign}{_significant(abs(value))}"
    return sign + _number(abs(value))


def format_half_width(key: str, half_width: float, currency: str = "$") -> str:
    """A CI half-width in the same units as its difference, without a sign."""
    return format_difference(key, half_width, currency).lstrip("+")


def money(value: float, currency: str = "$") -> str:
    """$1.62 M, $85,400, $9.11, −$0.48 M."""
    sign, size = ("−" if value < 0 else ""), abs(value)
    if size >= 1e6:
        return f"{sign}{currency}{_significant(size / 1e6)} M"
    if size >= 1e3:
        return f"{sign}{currency}{_significant(size, grouped=True)}"
    return f"{sign}{currency}{size:,.2f}"


def _number(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return _significant(value, grouped=True)


def _significant(value: float, digits: int = 3, grouped: bool = False) -> str:
    """Three significant digits, never in e-notation; thousands grouped when asked."""
    if value == 0:
        return "0"
    places = digits - 1 - math.floor(math.log10(abs(value)))
    rounded, decimals = round(value, places), max(0, places)
    return f"{rounded:,.{decimals}f}" if grouped else f"{rounded:.{decimals}f}"


_UNIT_SUFFIX = {"min": " min", "hours": " h", "days": " days", "months": " months"}


def format_estimate(
    key: str,
    mean: float,
    half_width: float,
    currency: str = "$",
    signed: bool = False,
    magnitude: float | None = None,
) -> str:
    """A mean and its CI half-width, to the precision the interval allows:
    ``16.72 ± 0.05 %``, ``$85.41 M ± 0.12 M``, ``12,400 ± 120``; ``signed`` for
    differences (``−0.54 ± 0.06 points``, ``+$2,000 ± 0``). ``magnitude`` sets the size
    that chooses millions (the largest of mean and half-width unless given), so that the
    numbers of one interval share their scale."""
    if not math.isfinite(mean):
        return "–"
    unit = metric(key).unit
    scale, prefix, suffix = 1.0, "", _UNIT_SUFFIX.get(unit, "")
    if unit in ("share", "1/year"):
        scale, suffix = 100.0, " points" if signed else " %"
    elif unit.startswith("currency"):
        prefix = currency
        if magnitude is None:
            magnitude = max(abs(mean), abs(half_width) if math.isfinite(half_width) else 0.0)
        if magnitude >= 1e6:
            scale, suffix = 1e-6, " M"
    m, h = mean * scale, half_width * scale
    if math.isfinite(h) and h > 0:
        decimals = min(6, max(0, 1 - math.floor(math.log10(h))))
    else:
        decimals = min(6, max(0, 2 - math.floor(math.log10(abs(m))))) if m else 0
    sign = ("+" if m > 0 else "−" if m < 0 else "±") if signed else ("−" if m < 0 else "")
    text = f"{sign}{prefix}{abs(m):,.{decimals}f}"
    if not math.isfinite(h):
        return text + suffix
    return f"{text} ± {abs(h):,.{decimals}f}{suffix}"


def format_interval(
    key: str, mean: float, half_width: float, level: str = "95%", currency: str = "$"
) -> str:
    """A difference and its interval in words: ``−5.04 points (95% CI −5.35 to −4.73)``,
    every number of it at one scale (``−$1.0006 M (95% CI −$1.0029 to −$0.9983 M)``)."""
    if not math.isfinite(half_width) or half_width == 0:
        centre = format_estimate(key, mean, math.nan, currency, signed=True)
        return f"{centre} (the same in every seed)"
    size = abs(mean) + abs(half_width)

    def number(value: float) -> str:
        text = format_estimate(key, value, half_width, currency, signed=True, magnitude=size)
        return text.split(" ± ")[0]

    text = format_estimate(key, mean, half_width, signed=True, magnitude=size)
    unit = next((s for s in (" points", " M", *_UNIT_SUFFIX.values()) if text.endswith(s)), "")
    low, high = (number(value) for value in (mean - half_width, mean + half_width))
    return f"{number(mean)}{unit} ({level} CI {low} to {high}{unit})"
