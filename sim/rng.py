"""Named random streams spawned from one seed.

Every source of randomness draws from its own stream, keyed by name rather than by the
order in which streams are created. Changing one part of a configuration (say, staffing)
therefore never shifts another part's draws (say, arrivals): the basis of common random
numbers across policy arms.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from itertools import chain

import numpy as np

BLOCK_SIZE = 4096


def stream_key(name: str) -> int:
    """A stable 64-bit integer for a stream name (Python's ``hash`` is salted per process)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "little")


class Streams:
    """Independent generators, one per name, all derived from ``SeedSequence(seed)``."""

    def __init__(self, seed: int) -> None:
        self.seed = int(seed)
        self._generators: dict[str, np.random.Generator] = {}

    def get(self, name: str) -> np.random.Generator:
        generator = self._generators.get(name)
        if generator is None:
            sequence = np.random.SeedSequence(self.seed, spawn_key=(stream_key(name),))
            generator = np.random.Generator(np.random.PCG64(sequence))
            self._generators[name] = generator
        return generator

    @property
    def names(self) -> list[str]:
        return sorted(self._generators)


def block_sampler(
    draw_block: Callable[[int], np.ndarray], block_size: int = BLOCK_SIZE
) -> Callable[[], float]:
    """A zero-argument sampler that draws ``block_size`` variates at a time from NumPy.

    One vectorised call per block instead of one generator call per variate keeps the
    per-contact cost of a draw at a list-iterator step.
    """

    blocks = iter(lambda: draw_block(block_size).tolist(), None)  # endless
    return chain.from_iterable(blocks).__next__  # C all the way: no Python frame per draw


def row_sampler(
    draw_block: Callable[[int], list[np.ndarray]], block_size: int = BLOCK_SIZE
) -> Callable[[], tuple[float, ...]]:
    """Like :func:`block_sampler`, but each call returns one row of several variates.

    A caller that takes exactly one row per event, whatever it then uses, keeps every
    later event's draws the same under any configuration: the row index is the event
    index. That alignment is what makes common random numbers work across policies.
    """

    blocks = iter(lambda: zip(*(column.tolist() for column in draw_block(block_size))), None)
    return chain.from_iterable(blocks).__next__


class RowBlocks:
    """Rows of several variates taken ``n`` at a time, as columns: the same rows, in the
    same order, that :func:`row_sampler` gives one by one (drawn ``block_size`` rows at a
    time), so a consumer may switch between taking one and taking a day's worth without
    changing a single draw."""

    def __init__(
        self, draw_block: Callable[[int], list[np.ndarray]], block_size: int = BLOCK_SIZE
    ) -> None:
        self._draw_block = draw_block
        self._block_size = block_size
        self._block: list[np.ndarray] = []
        self._used = block_size  # nothing drawn yet

    def take(self, n: int) -> list[np.ndarray]:
        """The next ``n`` rows, one array per variate."""
        pieces: list[list[np.ndarray]] = []
        while n > 0 or not pieces:
            if self._used == self._block_size:
                self._block, self._used = self._draw_block(self._block_size), 0
            k = min(n, self._block_size - self._used)
            pieces.append([column[self._used : self._used + k] for column in self._block])
            self._used += k
            n -= k
        if len(pieces) == 1:
            return pieces[0]
        return [np.concatenate(column) for column in zip(*pieces)]
