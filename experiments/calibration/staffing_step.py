"""Staffing presets from the reference organisation's own measured load.

Per pool and hour of the week: offered arrivals and work (``measure.hourly_load``), the
Erlang C requirement for the service goal (phone, chat, tiers 2-3) or the backlog
requirement (e-mail, social), grossed up for shrinkage, covered by 8- and 4-hour shifts at
minimum paid hours. Three presets differ only in the goal: lean, baseline, generous.
"""

from __future__ import annotations

import argparse
import functools
from pathlib import Path

import numpy as np

from sim import run
from sim.analysis.staffing import (
    HourLoad,
    agents_for_service_level,
    backlog_requirement,
    cover,
    covered,
    gross_up,
)
from sim.app.compose import compose_config
from sim.config import ShiftConfig

from .measure import POOLS, hourly_load

ROOT = Path(__file__).resolve().parents[2]
# Simulated share answered in time: phone in 20 s; chat in 60 s, a goal set lower than
# phone's (chat customers wait while doing something else, and a small chat pool run to
# the phone goal idles: judgement).
PRESETS = {"lean": 0.72, "baseline": 0.80, "generous": 0.90}
CHAT_GOAL_BELOW_PHONE = 0.10
BISECTION_STEPS = 7
ANSWER_WITHIN_S = {"phone": 20.0, "chat": 60.0, "tier2": 60.0, "tier3": 120.0}
BACKLOG_HOURS = {"email": (8, 20), "social": (8, 22)}  # staffed hours, every day
BACKLOG_OCCUPANCY = 0.85
HIGHER_TIER_HOURS = (8, 22)  # the synchronous channels' hours: transfers arrive then
PER_HOUR = 60.0


@functools.cache
def _open_hours(pool: str) -> tuple[bool, ...]:
    return tuple(_hours_staffed(pool))


def _hours_staffed(pool: str) -> list[bool]:
    if pool in BACKLOG_HOURS:
        start, end = BACKLOG_HOURS[pool]
        return [start <= h % 24 < end for h in range(168)]
    if pool in ("tier2", "tier3"):
        start, end = HIGHER_TIER_HOURS
        return [start <= h % 24 < end for h in range(168)]
    channel = getattr(compose_config([]).channels, pool)
    return [channel.is_open(h // 24, h % 24) for h in range(168)]


def requirement(pool: str, arrivals: np.ndarray, work_min: np.ndarray, goal: float) -> list[int]:
    """Agents needed (available, before shrinkage) in each hour of the week."""
    open_hours = _open_hours(pool)
    if pool in BACKLOG_HOURS:
        occupancy = min(0.95, BACKLOG_OCCUPANCY * PRESETS["baseline"] / max(goal, 0.5))
        return backlog_requirement(work_min.tolist(), open_hours, occupancy)
    needs = []
    for hour in range(168):
        if not open_hours[hour] or arrivals[hour] <= 0:
            needs.append(0)
            continue
        load = HourLoad(arrivals[hour], work_min[hour] / arrivals[hour])
        needs.append(max(1, agents_for_service_level(load, ANSWER_WITHIN_S[pool], goal)))
    return needs


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


def shifts_for(goals: dict[str, float], loads: tuple, shrinkage: float) -> dict:
    """Every pool's shifts for the planning goals (Erlang C share answered in time)."""
    arrivals, work_min = loads
    shifts_by_pool = {}
    for i, pool in enumerate(POOLS):
        goal = goals.get(pool, goals["phone"])
        need = requirement(pool, arrivals[:, i], work_min[:, i], goal)
        shifts_by_pool[pool] = cover(gross_up(need, shrinkage))
    return shifts_by_pool


def simulated_service_levels(shifts_by_pool: dict, seeds: range) -> dict[str, float]:
    """Phone and chat shares answered in time, simulated for four weeks with these shifts."""
    levels: dict[str, list[float]] = {channel: [] for channel in FITTED}
    for seed in seeds:
        config = compose_config(["horizon_days=35", "warmup_days=7"])
        for pool, shifts in shifts_by_pool.items():
            rows = [ShiftConfig(s.start_hour, s.end_hour, s.agents, list(s.days)) for s in shifts]
            setattr(config.staffing, pool, rows)
        summary = run(config, seed).summary
        for channel in FITTED:
            levels[channel].append(summary[f"{channel}_service_level"])
    return {channel: float(np.mean(values)) for channel, values in levels.items()}


def fitted_goals(
    target: float, loads: tuple, shrinkage: float, seeds: range
) -> tuple[dict[str, float], dict[str, float], dict]:
    """Bisect each synchronous channel's planning goal until its simulated service level
    meets ``target`` (both at once: the pools barely interact). Erlang C per hour ignores
    abandonment and redials, so planning at the target itself overstaffs."""
    low = dict.fromkeys(FITTED, 0.02)
    high = dict.fromkeys(FITTED, 0.99)
    for _ in range(BISECTION_STEPS):
        goals = {channel: (low[channel] + high[channel]) / 2 for channel in FITTED}
        levels = simulated_service_levels(shifts_for(goals, loads, shrinkage), seeds)
        print("  planning goals", _show(goals), "→ simulated service levels", _show(levels))
        for channel in FITTED:
            wanted = target - (CHAT_GOAL_BELOW_PHONE if channel == "chat" else 0.0)
            if levels[channel] >= wanted:
                high[channel] = goals[channel]
            else:
                low[channel] = goals[channel]
    best = shifts_for(high, loads, shrinkage)  # the lowest goals known to meet the target
    return high, simulated_service_levels(best, seeds), best


def _show(values: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.3f}" for k, v in values.items())


def main(args: argparse.Namespace) -> None:
    seeds = range(args.seeds or 2)
    measured = [hourly_load([], seed) for seed in seeds]
    loads = (
        np.mean([a for a, _ in measured], axis=0),
        np.mean([w for _, w in measured], axis=0),
    )
    shrinkage = compose_config([]).staffing.shrinkage.share
    for preset, target in PRESETS.items():
        goals, achieved, shifts_by_pool = fitted_goals(target, loads, shrinkage, seeds)
        for pool, shifts in shifts_by_pool.items():
            hours = covered(shifts)
            print(
                f"{preset:9s} {pool:7s} peak {max(hours):3d} scheduled, {sum(hours):5d} paid h/week"
            )
        path = ROOT / "configs" / "staffing" / f"{preset}.yaml"
        path.write_text(_yaml(preset, achieved, goals, shifts_by_pool), encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)} (planning goals {_show(goals)})")
