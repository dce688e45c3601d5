"""Staffing presets from the reference organisation's own measured load.

Per pool and hour of the week: offered arrivals and work (``sim.analysis.planning.workload``), the
Erlang C requirement for the service goal (phone, chat, tiers 2-3) or the backlog
requirement (e-mail, social), grossed up for shrinkage, covered by 8- and 4-hour shifts at
minimum paid hours. Three presets differ only in the goal: lean, baseline, generous.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from sim import run
from sim.analysis.planning.staffing import covered, shifts_for, with_shifts
from sim.analysis.planning.workload import WeeklyLoad, offered_load
from sim.app.compose import compose_config

ROOT = Path(__file__).resolve().parents[2]
# Simulated share answered in time: phone in 20 s; chat in 60 s, a goal set lower than
# phone's (chat customers wait while doing something else, and a small chat pool run to
# the phone goal idles: judgement).
PRESETS = {"lean": 0.72, "baseline": 0.80, "generous": 0.90}
CHAT_GOAL_BELOW_PHONE = 0.10
BISECTION_STEPS = 7
DEFAULT = compose_config([])  # the reference organisation whose presets these are


def _yaml(preset: str, achieved: dict, goals: dict, shifts_by_pool: dict[str, list]) -> str:
    lines = [
        f"# Staffing preset `{preset}` of the reference organisation, as simulated: phone"
        f" {achieved['phone']:.0%} answered in 20 s,",
        f"# chat {achieved['chat']:.0%} in 60 s. Erlang C per hour of the week on the measured"
        " load at planning",
        f"# goals {_show(goals)}; grossed up for shrinkage; covered by shifts of 8 and 4 hours",
        "# at minimum paid hours.",
        "# Written by `python experiments/calibrate.py staff`; do not edit by hand.",
    ]
    for pool, shifts in shifts_by_pool.items():
        lines.append(f"{pool}:")
        for s in shifts:
            days = ", ".join(str(d) for d in s.days)
            lines.append(
                f"  - {{start_hour: {s.start_hour}, end_hour: {s.end_hour},"
                f" agents: {s.agents}, days: [{days}]}}"
            )
    return "\n".join(lines) + "\n"


FITTED = ("phone", "chat")  # their planning goals are fitted; the other pools follow phone's


def simulated_service_levels(shifts_by_pool: dict, seeds: range) -> dict[str, float]:
    """Phone and chat shares answered in time, simulated for four weeks with these shifts."""
    levels: dict[str, list[float]] = {channel: [] for channel in FITTED}
    config = with_shifts(compose_config(["horizon_days=35", "warmup_days=7"]), shifts_by_pool)
    for seed in seeds:
        summary = run(config, seed).summary
        for channel in FITTED:
            levels[channel].append(summary[f"{channel}_service_level"])
    return {channel: float(np.mean(values)) for channel, values in levels.items()}


def fitted_goals(
    target: float, load: WeeklyLoad, shrinkage: float, seeds: range
) -> tuple[dict[str, float], dict[str, float], dict]:
    """Bisect each synchronous channel's planning goal until its simulated service level
    meets ``target`` (both at once: the pools barely interact). Erlang C per hour ignores
    abandonment and redials, so planning at the target itself overstaffs."""
    low = dict.fromkeys(FITTED, 0.02)
    high = dict.fromkeys(FITTED, 0.99)
    for _ in range(BISECTION_STEPS):
        goals = {channel: (low[channel] + high[channel]) / 2 for channel in FITTED}
        levels = simulated_service_levels(shifts_for(DEFAULT, goals, load, shrinkage), seeds)
        print("  planning goals", _show(goals), "→ simulated service levels", _show(levels))
        for channel in FITTED:
            wanted = target - (CHAT_GOAL_BELOW_PHONE if channel == "chat" else 0.0)
            if levels[channel] >= wanted:
                high[channel] = goals[channel]
            else:
                low[channel] = goals[channel]
    best = shifts_for(DEFAULT, high, load, shrinkage)  # the lowest goals known to meet the target
    return high, simulated_service_levels(best, seeds), best


def _show(values: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.3f}" for k, v in values.items())


def main(args: argparse.Namespace) -> None:
    seeds = range(args.seeds or 2)
    load = WeeklyLoad.mean([offered_load(DEFAULT, seed) for seed in seeds])
    shrinkage = DEFAULT.staffing.shrinkage.share
    for preset, target in PRESETS.items():
        goals, achieved, shifts_by_pool = fitted_goals(target, load, shrinkage, seeds)
        for pool, shifts in shifts_by_pool.items():
            hours = covered(shifts)
            print(
                f"{preset:9s} {pool:7s} peak {max(hours):3d} scheduled, {sum(hours):5d} paid h/week"
            )
        path = ROOT / "configs" / "staffing" / f"{preset}.yaml"
        path.write_text(_yaml(preset, achieved, goals, shifts_by_pool), encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)} (planning goals {_show(goals)})")
