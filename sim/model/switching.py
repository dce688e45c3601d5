"""Channel switching: a customer who gives up on one channel tries another.

Dixon, Freeman & Toman (2010, "Stop Trying to Delight Your Customers") count switching
channels among the effort events that make customers disloyal; most customers who reach
one channel have tried another first. Here the switch happens where the model sees it:
a customer gives up waiting on a synchronous channel (no redial left, or the line
closed) and, with ``customers.channel_switching.prob``, takes the same issue to another
channel open now, chosen by ``weights``. The journey goes on there as a fresh contact of
that channel (its own tier-1 work and patience, drawn from streams of their own, so no
other contact's draws move) and the customer scores the whole of it: the switch is one
more effort event and the time already spent counts in the journey's duration. A story
told after a switch to social is told in public (``sim.model.word_of_mouth``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from sim.config import ChannelSwitchingConfig, Config
from sim.model.distributions import Sampler, handle_time_sampler, patience_sampler
from sim.rng import Streams, row_sampler


class ChannelSwitching:
    """Whether, and to which channel, a customer who gave up goes next."""

    def __init__(self, cfg: ChannelSwitchingConfig, config: Config, streams: Streams) -> None:
        self.cfg = cfg
        rng = streams.get("switching")
        self._draw = row_sampler(lambda n: [rng.random(n), rng.random(n)])
        channels = list(config.channels.items())
        self.tier1_work: list[Sampler] = [
            handle_time_sampler(ch.handle_time, streams.get(f"service/{name}/switch"))
            for name, ch in channels
        ]
        self.patience: list[Sampler] = [
            patience_sampler(ch.patience, streams.get(f"patience/{name}/switch"))
            for name, ch in channels
        ]

    def destination(
        self, channel: int, switches: int, accepts: Callable[[int], bool]
    ) -> int | None:
        """The channel the customer tries next, or None: they give up on the issue.

        One row of draws per customer who gave up, whatever they then do, keeps every
        later customer's draws aligned across configurations."""
        switch_u, choice_u = self._draw()
        if switches >= self.cfg.max_switches or switch_u >= self.cfg.prob:
            return None
        weights = [
            w if c != channel and accepts(c) else 0.0 for c, w in enumerate(self.cfg.weights)
        ]
        return _pick(weights, choice_u)


def _pick(weights: Sequence[float], u: float) -> int | None:
    """The index whose stretch of the cumulative weight holds ``u`` ∈ [0, 1) (None if all
    weights are 0); a zero weight has no stretch, so it is never picked."""
    cumulative = np.cumsum(weights)
    total = float(cumulative[-1])
    if total <= 0.0:
        return None
    index = int(np.searchsorted(cumulative, u * total, side="right"))
    return min(index, int(np.flatnonzero(weights)[-1]))  # u · total rounded up to total
