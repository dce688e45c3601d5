"""One channel at run time: its settings and samplers, its tier-1 pool, its counters.

The journey (``sim.model.journey``) routes contacts between channel lines and the shared
tiers; each line holds what is the channel's own: whether customers hold on it, its
target answer time, its patience, tier-1 work and redial draws from the channel's named
streams, and its journey counts (overall and by hour of the week).
"""

from __future__ import annotations

from sim.config import SYNCHRONOUS_CHANNELS, ChannelConfig
from sim.metrics import ChannelStats
from sim.model.contact import QueueClass
from sim.model.distributions import handle_time_sampler, patience_sampler
from sim.model.intervals import HourlyCounts
from sim.model.pool import AgentPool
from sim.rng import Streams
from sim.units import SEC_PER_MIN


class ChannelLine:
    """One channel at run time: its settings and draws, its tier-1 pool, its counters."""

    __slots__ = (
        "by_hour",
        "first_patience",
        "index",
        "later_patience",
        "name",
        "open_journeys",
        "queue_class",
        "retrial",
        "stats",
        "synchronous",
        "target_min",
        "tier1",
        "tier1_work",
        "tier1_work_again",
    )

    def __init__(self, index: int, name: str, config: ChannelConfig, streams: Streams) -> None:
        self.index = index
        self.name = name
        self.synchronous = name in SYNCHRONOUS_CHANNELS
        self.queue_class = QueueClass.HOLDING if self.synchronous else QueueClass.BACKLOG
        self.target_min = config.target_answer_s / SEC_PER_MIN
        self.retrial = config.retrial
        self.first_patience = patience_sampler(config.patience, streams.get(f"patience/{name}"))
        later = streams.get(f"patience/{name}/later")
        self.later_patience = patience_sampler(config.patience, later)
        self.tier1_work = handle_time_sampler(config.handle_time, streams.get(f"service/{name}"))
        again = streams.get(f"service/{name}/again")
        self.tier1_work_again = handle_time_sampler(config.handle_time, again)
        self.stats = ChannelStats()
        self.by_hour = HourlyCounts()  # the planner's interval view (sim.model.intervals)
        self.open_journeys = 0  # journeys that arrived here and have not ended
        self.tier1: AgentPool = None  # type: ignore[assignment]  # set once the pools exist
