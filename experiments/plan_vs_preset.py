"""Does planning from the forecast cost more than the calibrated preset for the same service?

    python experiments/plan_vs_preset.py                     # the reference organisation
    python experiments/plan_vs_preset.py --seeds 0 1 2 -- size=small

Measures the organisation's offered load once (the pilot of ``staffing=from_forecast``),
plans it with goals over the week (``staffing.plan.goal_over=week``: Koole & van der Sluis
2003's marginal allocation) at the service the ``baseline`` preset delivers — phone 80 %
in 20 s, chat about 70 % in 60 s, tiers and the backlog channels worked as hard — then
simulates plan and preset on the same seeds and prints, for each, the paid agent-hours,
staffing cost and the service of every pool. The preset was computed by the same
Erlang-per-hour method with its goals bisected on the simulation
(``experiments/calibrate.py staff``); the plan needs no simulation to set its goals.
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sim import run
from sim.analysis.planning.plan import hourly_requirement
from sim.analysis.planning.staffing import cover, covered, gross_up, with_shifts
from sim.analysis.planning.workload import WeeklyLoad, offered_load
from sim.app.compose import compose_config
from sim.config.operations import POOLS

# Goals over the week that land on the preset's service (judged on the simulation once:
# Erlang A with the channel's mean patience is conservative for phone and chat here).
WEEKLY_GOALS = {"phone": 0.78, "chat": 0.68, "tier2": 0.6, "tier3": 0.6}
BACKLOG_OCCUPANCY = 0.95  # the preset's: e-mail and social worked as hard
KEYS = (
    "paid_agent_hours", "staffing_cost", "phone_service_level", "chat_service_level",
    "phone_p_abandon", "email_mean_wait_min", "social_mean_wait_min",
    "pool_tier2_mean_wait_min", "pool_tier3_mean_wait_min",
)  # fmt: skip


def planned_config(overrides: list[str]):
    """The configuration staffed by a weekly-goal plan, and its paid hours per week."""
    config = compose_config([*overrides, "staffing=from_forecast"])
    plan = config.staffing.plan
    plan.goal_over, plan.backlog_occupancy = "week", BACKLOG_OCCUPANCY
    for pool, goal in WEEKLY_GOALS.items():
        setattr(plan.goals, pool, goal)
    seeds = range(plan.pilot_seed, plan.pilot_seed + plan.pilot_runs)
    load = WeeklyLoad.mean([offered_load(config, seed, plan.pilot_weeks) for seed in seeds])
    shrinkage = config.staffing.shrinkage.share
    shifts = {
        pool: cover(
            gross_up(hourly_requirement(config, pool, load), shrinkage), plan.shift_lengths_h
        )
        for pool in POOLS
    }
    staffed = with_shifts(copy.deepcopy(config), shifts)
    staffed.staffing.plan.enabled = False
    return staffed, sum(sum(covered(s)) for s in shifts.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("overrides", nargs="*", default=[])
    args = parser.parse_args()
    common = ["horizon_days=63", "warmup_days=7", *args.overrides]
    arms = {"preset": compose_config(common)}
    arms["plan"], paid = planned_config(common)
    print(f"weekly-goal plan: {paid} paid agent-hours a week", flush=True)
    results = {
        name: [run(config, seed).summary for seed in args.seeds] for name, config in arms.items()
    }
    print(f"{'':28}{'preset':>14}{'plan':>14}{'plan − preset':>16}")
    for key in KEYS:
        values = {
            name: np.array([s[key] for s in summaries]) for name, summaries in results.items()
        }
        difference = values["plan"] - values["preset"]
        print(f"{key:28}{values['preset'].mean():>14,.3f}{values['plan'].mean():>14,.3f}"
              f"{difference.mean():>+16,.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
