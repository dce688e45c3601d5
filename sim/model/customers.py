"""The customer population as a struct of NumPy arrays.

One slot per customer; a churned customer's slot is reused by a newcomer, so memory follows
the population, not the history. Each segment keeps a dense list of its active slots, so
picking "a random active customer of segment s" is one index, never a scan. A unique id
per customer lets a contact still in progress recognise that its customer has left.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

NO_PROBLEM = -1


@dataclass(frozen=True)
class StateTime:
    """How customer state moves between events: loyalty relaxes towards a baseline
    ("time heals"), grievance and the memory of recent failures fade. Half-lives in
    minutes; ``inf`` = never."""

    baseline: float
    recovery_half_life_min: float
    grievance_half_life_min: float


class Population:
    """Arrays of customer state, with O(1) add, remove and sampling per segment."""

    def __init__(self, capacity: int, n_segments: int) -> None:
        capacity = max(capacity, 16)
        self.capacity = 0
        self.n_segments = n_segments
        self.segment = np.zeros(0, dtype=np.int8)
        self.uid = np.zeros(0, dtype=np.int64)
        self.active = np.zeros(0, dtype=bool)
        self.loyalty = np.zeros(0)
        self.trust = np.zeros(0)
        self.expectation = np.zeros(0)  # personal multiplier m of the channel's expectation
        self.grievance = np.zeros(0)
        self.failures = np.zeros(0)  # fading count of recent problems
        self.satisfaction = np.zeros(0)  # evaluation left by encounters, in [0, 1]
        self.problems = np.zeros(0, dtype=np.int16)  # problems so far
        self.all_recovered = np.zeros(0, dtype=bool)  # every problem resolved fast so far
        self.affected = np.zeros(0, dtype=bool)  # hit by an incident (any, so far)
        self.updated_min = np.zeros(0)  # when recovery and grievance decay were last applied
        self.joined_min = np.zeros(0)
        self.billing_day = np.zeros(0, dtype=np.int8)
        self.first_problem = np.zeros(0, dtype=np.int8)  # outcome class of the first issue
        self.first_problem_min = np.zeros(0)
        self._position = np.zeros(0, dtype=np.int64)  # index in its segment's member list
        self._members = [np.zeros(0, dtype=np.int64) for _ in range(n_segments)]
        self.counts = [0] * n_segments
        self._free: list[int] = []
        self._next_uid = 0
        self.closed_problems: list[tuple[int, float, float]] = []  # (class, problem, churn)
        self._grow(capacity)

    @property
    def n_active(self) -> int:
        return sum(self.counts)

    def _grow(self, capacity: int) -> None:
        old = self.capacity

        def extend(array: np.ndarray, fill: float | int | bool = 0) -> np.ndarray:
            grown = np.full(capacity, fill, dtype=array.dtype)
            grown[:old] = array
            return grown

        self.segment = extend(self.segment)
        self.uid = extend(self.uid, -1)
        self.active = extend(self.active, False)
        self.loyalty = extend(self.loyalty)
        self.trust = extend(self.trust)
        self.expectation = extend(self.expectation, 1.0)
        self.grievance = extend(self.grievance)
        self.failures = extend(self.failures)
        self.satisfaction = extend(self.satisfaction)
        self.problems = extend(self.problems)
        self.all_recovered = extend(self.all_recovered, True)
        self.affected = extend(self.affected, False)
        self.updated_min = extend(self.updated_min)
        self.joined_min = extend(self.joined_min)
        self.billing_day = extend(self.billing_day)
        self.first_problem = extend(self.first_problem, NO_PROBLEM)
        self.first_problem_min = extend(self.first_problem_min, math.inf)
        self._position = extend(self._position, -1)
        self._members = [extend(m, -1) for m in self._members]
        self._free.extend(range(capacity - 1, old - 1, -1))
        self.capacity = capacity

    def add(
        self,
        segments: np.ndarray,
        loyalty: np.ndarray,
        trust: np.ndarray,
        expectation: np.ndarray,
        billing_day: np.ndarray,
        now_min: float,
        satisfaction: float = 0.7,
    ) -> np.ndarray:
        """Admit customers (vectors of equal length); returns their slots."""
        n = len(segments)
        if n > len(self._free):
            self._grow(max(2 * self.capacity, self.n_active + n))
        slots = np.array([self._free.pop() for _ in range(n)], dtype=np.int64)
        self.segment[slots] = segments
        self.uid[slots] = np.arange(self._next_uid, self._next_uid + n)
        self._next_uid += n
        self.active[slots] = True
        self.loyalty[slots] = loyalty
        self.trust[slots] = trust
        self.expectation[slots] = expectation
        self.grievance[slots] = 0.0
        self.failures[slots] = 0.0
        self.satisfaction[slots] = satisfaction
        self.problems[slots] = 0
        self.all_recovered[slots] = True
        self.affected[slots] = False
        self.updated_min[slots] = now_min
        self.joined_min[slots] = now_min
        self.billing_day[slots] = billing_day
        self.first_problem[slots] = NO_PROBLEM
        self.first_problem_min[slots] = math.inf
        for s in range(self.n_segments):
            mine = slots[segments == s]
            start = self.counts[s]
            if start + len(mine) > len(self._members[s]):
                self._members[s] = np.concatenate(
                    [self._members[s], np.full(max(len(self._members[s]), len(mine)), -1)]
                )
            self._members[s][start : start + len(mine)] = mine
            self._position[mine] = np.arange(start, start + len(mine))
            self.counts[s] = start + len(mine)
        return slots

    def remove(self, slot: int, now_min: float) -> None:
        """A customer leaves (defects). Its slot becomes free for a newcomer."""
        if self.first_problem[slot] != NO_PROBLEM:
            self.closed_problems.append(
                (int(self.first_problem[slot]), float(self.first_problem_min[slot]), now_min)
            )
        s = int(self.segment[slot])
        members = self._members[s]
        last = self.counts[s] - 1
        pos = int(self._position[slot])
        moved = int(members[last])
        members[pos] = moved
        self._position[moved] = pos
        members[last] = -1
        self.counts[s] = last
        self._position[slot] = -1
        self.active[slot] = False
        self.uid[slot] = -1
        self._free.append(slot)

    def member(self, segment: int, u: float) -> int:
        """The slot of a uniformly random active customer of ``segment`` (u uniform in [0,1))."""
        return int(self._members[segment][int(u * self.counts[segment])])

    def active_slots(self) -> np.ndarray:
        return np.flatnonzero(self.active)

    def bring_up_to_date(self, slots: np.ndarray, now_min: float, time: StateTime) -> None:
        """Apply loyalty recovery and grievance decay since each slot was last updated."""
        elapsed = now_min - self.updated_min[slots]
        self.loyalty[slots] = time.baseline + (self.loyalty[slots] - time.baseline) * np.exp2(
            -elapsed / time.recovery_half_life_min
        )
        fading = np.exp2(-elapsed / time.grievance_half_life_min)
        self.grievance[slots] *= fading
        self.failures[slots] *= fading
        self.updated_min[slots] = now_min

    def bring_one_up_to_date(self, slot: int, now_min: float, time: StateTime) -> None:
        """The same for one customer, in scalar arithmetic (the per-journey path)."""
        elapsed = now_min - float(self.updated_min[slot])
        if elapsed > 0.0:
            loyalty = float(self.loyalty[slot])
            recovered = 2.0 ** (-elapsed / time.recovery_half_life_min)
            self.loyalty[slot] = time.baseline + (loyalty - time.baseline) * recovered
            fading = 2.0 ** (-elapsed / time.grievance_half_life_min)
            self.grievance[slot] *= fading
            self.failures[slot] *= fading
            self.updated_min[slot] = now_min

    def current_loyalty(self, now_min: float, time: StateTime) -> np.ndarray:
        """Loyalty of every active customer as of now (without storing it)."""
        decay = np.exp2((self.updated_min - now_min) / time.recovery_half_life_min)
        current = time.baseline + (self.loyalty - time.baseline) * decay
        return current[self.active]

    def recovery_group(self, slot: int) -> int:
        """0, 1, 2: problems so far if every one was resolved fast (2 = two or more); −1 if not."""
        if not self.all_recovered[slot]:
            return -1
        return min(int(self.problems[slot]), 2)

    def problem_records(self, now_min: float) -> list[tuple[int, float, float]]:
        """(outcome class, first-problem time, churn time or inf) for every customer with one."""
        records = list(self.closed_problems)
        slots = np.flatnonzero(self.active & (self.first_problem != NO_PROBLEM))
        records.extend(
            (int(c), float(t), math.inf)
            for c, t in zip(self.first_problem[slots], self.first_problem_min[slots])
        )
        return records
