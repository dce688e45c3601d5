"""A fitted centre as a ``scenario`` preset: ``python -m sim --config-dir DIR scenario=NAME``.

The preset defines the centre's demand on its own: anonymous contacts at the fitted rates
and profiles (no customer population), one tier (a contact log does not show
escalations), agents as the identical servers the measured handle times already average
over (no learning curve, burnout, attrition or culture, as in ``scenario=erlang``). Each
fitted value carries its confidence interval in a comment; what the data could not say
keeps the model's default, and the header says which.
"""

from __future__ import annotations

from sim.analysis.fitting.centre import CentreFit, ChannelFit
from sim.analysis.fitting.demand import Estimate
from sim.analysis.fitting.inputs import DATE_RULES
from sim.config import SYNCHRONOUS_CHANNELS

HORIZON_DAYS = 91  # a quarter: long enough for a staffing comparison, short to run
LAYOUTS = {
    "contacts": "a contact log",
    "events": "a supportsim event log",
    "intervals": "interval counts",
}


def _ci(estimate: Estimate, level: float, digits: int = 3) -> str:
    return f"{level:.0%} CI {estimate.low:.{digits}g}–{estimate.high:.{digits}g}"


def _list(values: list[float], digits: int = 4) -> str:
    """Numbers to ``digits`` significant digits, in a YAML flow list."""
    return "[" + ", ".join(f"{v:.{digits}g}" for v in values) + "]"


def _demand_lines(fit: ChannelFit, level: float) -> list[str]:
    demand = fit.demand
    days = ", ".join(str(d) for d in demand.open_days)
    return [
        f"    arrival_rate_per_hour: {demand.rate_per_hour.value:.4g}"
        f"  # fresh contacts per open hour, {_ci(demand.rate_per_hour, level)};"
        f" {demand.contacts:,} in the data",
        f"    open_hour: {demand.open_hour}",
        f"    close_hour: {demand.close_hour}",
        f"    open_days: [{days}]",
        f"    hour_profile: {_list([e.value for e in demand.hour_profile])}",
        f"    weekday_profile: {_list([e.value for e in demand.weekday_profile])}",
    ]


def _duration_lines(fit: ChannelFit, level: float) -> list[str]:
    lines = []
    ht = fit.handle_time
    if ht is not None:
        aic = ", ".join(f"{k} {v:,.0f}" for k, v in sorted(ht.aic.items(), key=lambda kv: kv[1]))
        lines.append(
            f"    handle_time: {{kind: {ht.kind}, mean_min: {ht.mean_min.value:.4g},"
            f" cv: {ht.cv.value:.3g}}}  # mean {_ci(ht.mean_min, level)}, cv"
            f" {_ci(ht.cv, level)}; AIC {aic}; {ht.n:,} served"
        )
    patience = fit.patience
    if patience is not None:
        rates = [r.value for r in patience.hazard_per_min]
        cis = "; ".join(_ci(r, level, 2) for r in patience.hazard_per_min)
        lines += [
            "    patience:  # piecewise hazard from censored waits"
            f" ({patience.abandoned:,} abandoned, {patience.censored:,} answered;"
            f" Kaplan–Meier within {patience.km_gap:.3f})",
            "      kind: hazard",
            f"      hazard_breaks_min: {_list(patience.breaks_min)}",
            f"      hazard_per_min: {_list(rates)}  # {cis}",
        ]
    redial = fit.redial
    if redial is not None:
        delay = redial.mean_delay_min
        delay_text = "" if delay is None else f", mean_delay_min: {delay.value:.3g}"
        lines.append(
            f"    retrial: {{prob: {redial.prob.value:.3g}{delay_text},"
            f" max_attempts: {redial.max_attempts}}}  # prob {_ci(redial.prob, level)}"
            f" of {redial.n_abandoned:,} abandoned that could redial"
        )
    return lines


def _not_fitted(fit: CentreFit) -> list[str]:
    missing = []
    if fit.layout == "intervals":
        missing.append("handle times, patience and redials (interval counts hold none)")
    elif not any(c.redial for c in fit.channels.values()):
        missing.append("redials (no caller column: every contact counted as fresh)")
    if fit.rate_cv is None:
        missing.append("demand.rate_cv (fewer than two of each weekday)")
    return missing


def preset_yaml(
    fit: CentreFit, name: str, command: str, level: float, dates: str = DATE_RULES["iso"]
) -> str:
    """The preset's text, headed by how it was made and what it leaves at the defaults."""
    lines = [
        "# @package _global_",
        f"# Fitted from {LAYOUTS[fit.layout]} by",
        f"#   {command}",
        f"# {fit.days} days from {fit.first_day:%Y-%m-%d}, times read as {dates}. Intervals"
        f" are {level:.0%} confidence intervals.",
        "# The centre's demand on its own: anonymous contacts, one tier, agents as identical",
        "# servers (docs/model.md, fitting). Staff it with staffing=from_forecast.",
    ]
    lines += [f"# Not in the data, left at the model's defaults: {m}." for m in _not_fitted(fit)]
    lines += [f"# Caveat: {caveat}." for caveat in fit.caveats]
    lines += [
        f"name: {name}",
        f"horizon_days: {HORIZON_DAYS}",
        "warmup_days: 1",
        "customers: {enabled: false}",
        "culture: {enabled: false}",
        "agents:",
        "  skill: {learning: false}",
        "  burnout: {enabled: false}",
        "  attrition: {enabled: false}",
        "tiers: {complexity_probs: [1.0, 0.0, 0.0]}",
        "demand:",
        f"  rate_cv: {fit.rate_cv or 0.0:.3g}  # one factor per day on every channel",
        "channels:",
    ]
    for channel in ("phone", "chat", "email", "social"):
        channel_fit = fit.channels.get(channel)
        if channel_fit is None:
            lines.append(f"  {channel}: {{arrival_rate_per_hour: 0}}  # no contacts in the data")
            continue
        lines.append(f"  {channel}:")
        lines += _demand_lines(channel_fit, level)
        lines += _duration_lines(channel_fit, level)
        if channel not in SYNCHRONOUS_CHANNELS:
            continue
        if channel_fit.patience is None and fit.layout != "intervals" and not channel_fit.abandoned:
            lines.append("    patience: {mean_min: null}  # nobody abandoned")
        if channel_fit.redial is None:  # the rate counted every attempt: no redials on top
            lines.append("    retrial: {prob: 0.0}  # redials are in the counts (no callers)")
    return "\n".join(lines) + "\n"
