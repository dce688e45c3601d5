"""The agent pools a journey routes between: tier 1 of each channel, tiers 2 and 3
shared by all, and which tier-1 pools lend idle agents to which (``staffing.blend``)."""

from __future__ import annotations

from typing import Any

import simpy

from sim.config import HIGHER_TIERS, Config
from sim.model.agents import Workforce
from sim.model.channel_line import ChannelLine
from sim.model.concurrent_pool import ConcurrentPool
from sim.model.contact import QueueClass
from sim.model.pool import AgentPool, PoolClient


def build_pools(
    env: simpy.Environment,
    config: Config,
    workforce: Workforce,
    lines: list[ChannelLine],
    client: PoolClient,
) -> list[AgentPool]:
    """Tier 1 of each channel set on its line (several contacts per agent where the
    channel has chat concurrency); returns tiers 2 and 3, shared by all."""

    def pool(name: str, tier: int, mean_work_min: float, **concurrent: Any) -> AgentPool:
        roster = workforce.roster(name, tier, config.pool_agents(name))
        kind = ConcurrentPool if concurrent else AgentPool
        return kind(
            env,
            name,
            tier,
            client,
            roster,
            len(QueueClass),
            workforce.on_duty,
            mean_work_min,
            **concurrent,
        )

    for line, (_, channel) in zip(lines, config.channels.items()):
        concurrent = {}
        if channel.concurrency > 1:
            slowdown = channel.concurrency_slowdown
            concurrent = {"slots": channel.concurrency, "slowdown": slowdown}
        line.tier1 = pool(line.name, 1, channel.handle_time.mean_min, **concurrent)
    return [pool(f"tier{t}", t, config.tiers.handle_time(t).mean_min) for t in HIGHER_TIERS]


def blend_pools(config: Config, lines: list[ChannelLine]) -> None:
    """staffing.blend: which tier-1 pools' idle agents take which others' work."""
    blend = config.staffing.blend
    by_channel = {line.name: line.tier1 for line in lines}
    for line in lines:
        pool = line.tier1
        pool.fill_in = [by_channel[c] for c in getattr(blend, line.name)]
        pool.lenders = [by_channel[c] for c in blend.lends_to(line.name)]
        pool.reserve_idle = blend.reserve_idle_agents
