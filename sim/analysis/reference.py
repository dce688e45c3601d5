"""The reference organisation's operating bands: what real contact centres and subscription
businesses show, and how far a set of runs is from them (``docs/calibration.md``).

One place for the targets, read by the calibration (``experiments/calibrate.py``), the
validation test (``tests/test_reference.py``) and the calibration document's table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sim.analysis.statistics.replications import Estimate, mean_ci
from sim.metrics import Summary
from sim.units import DAYS_PER_YEAR


@dataclass(frozen=True)
class Band:
    """A published operating range for one KPI, and where it comes from."""

    key: str
    label: str
    low: float
    high: float
    source: str
    measure: Callable[[Summary], float]


def _per_year(summary: Summary, key: str) -> float:
    days = summary["horizon_days"] - summary["warmup_days"]
    return summary[key] / summary["mean_customers"] * DAYS_PER_YEAR / days


def _field(key: str) -> Callable[[Summary], float]:
    return lambda summary: float(summary[key])


BANDS: tuple[Band, ...] = (
    Band(
        "contacts_per_customer_year",
        "assisted contacts per customer-year",
        1.0,
        3.5,
        "telecom/ISP subscribers: 1-3.5 a year, one mobile customer in three calls quarterly",
        lambda s: _per_year(s, "contacts_arrived"),
    ),
    Band(
        "phone_service_level",
        "phone calls answered within 20 s",
        0.70,
        0.92,
        "the 80 % in 20 s service goal and the spread around it",
        _field("phone_service_level"),
    ),
    Band(
        "pool_phone_occupancy",
        "phone agent occupancy",
        0.70,
        0.90,
        "occupancy planned at 75-88 %; < 65 % reads as overstaffed",
        _field("pool_phone_occupancy"),
    ),
    Band(
        "pool_chat_occupancy",
        "chat agent occupancy",
        0.65,
        0.90,
        "chat occupancy planned a little lower than phone (no concurrency modelled)",
        _field("pool_chat_occupancy"),
    ),
    Band(
        "fcr",
        "first-contact resolution",
        0.65,
        0.80,
        "SQM Group: 67-70 % average, 80 % world class",
        _field("fcr"),
    ),
    Band(
        "churn_rate_annual",
        "customer churn per year",
        0.10,
        0.25,
        "carriers' reports: postpaid 0.8-1.2 %/month, broadband 1.5-2.5 %/month",
        _field("churn_rate_annual"),
    ),
    Band(
        "agent_attrition_hazard_annual",
        "agent attrition per year",
        0.25,
        0.50,
        "Holman, Batt & Holtgrewe 2007 (Global Call Center Report): 25 % to over 50 %",
        _field("agent_attrition_hazard_annual"),
    ),
    Band(
        "staffing_cost_per_contact",
        "staffing cost per contact served",
        3.0,
        15.0,
        "ContactBabel UK 2023-24: £6.26 per call; chat $2-6, e-mail $1-4",
        lambda s: s["staffing_cost"] / s["contacts_served"],
    ),
    Band(
        "nps",
        "net promoter score",
        -10.0,
        40.0,
        "telecom averages about +20 to +30, ISPs near 0",
        _field("nps"),
    ),
)


def estimates(summaries: Sequence[Summary]) -> dict[str, Estimate]:
    """Each band's KPI over the runs: mean with a 95 % t-interval over seeds."""
    return {band.key: mean_ci([band.measure(s) for s in summaries]) for band in BANDS}


def misses(summaries: Sequence[Summary]) -> list[str]:
    """One line per band whose 95 % interval is not inside the band (empty: all inside)."""
    found = estimates(summaries)
    lines = []
    for band in BANDS:
        est = found[band.key]
        if not (band.low <= est.low and est.high <= band.high):
            lines.append(
                f"{band.label}: {est.mean:.3f} [{est.low:.3f}, {est.high:.3f}]"
                f" outside {band.low}-{band.high}"
            )
    return lines
