"""The customer population as a struct of NumPy arrays.

One slot per customer; a churned customer's slot is reused by a newcomer, so memory follows
the population, not the history. Each segment keeps a dense list of its active slots, so
picking "a random active customer of segment s" is one index, never a scan. A unique id
per customer lets a contact still in progress recognise that its customer has left.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import IntEnum

import numpy as np

NO_PROBLEM = -1  # no problem yet, in ``Population.first_problem``


class ProblemOutcome(IntEnum):
    """What happened to a customer's problem (TARP's classes): suffered in silence, raised
    and not resolved, resolved, or resolved quickly (at once and within expectations)."""

    SILENT = 0
    UNRESOLVED = 1
    RESOLVED = 2
    RESOLVED_FAST = 3


@dataclass(frozen=True)
class StateTime:
    """How customer state moves between events: loyalty relaxes towards a baseline
    ("time heals"), grievance and the memory of recent failures fade. Half-lives in
    minutes; ``inf`` = never."""

    baseline: float
    recovery_half_life_min: float
    grievance_half_life_min: float


class RetentionTally:
    """Were customers still with us ``after_min`` after their first problem, by the
    outcome class of that problem? Counted as each leaver leaves, so memory stays flat
    however long the run; only problems at least ``after_min`` before ``end_min`` count.
    """

    def __init__(self, n_classes: int, after_min: float, end_min: float) -> None:
        self.after_min = after_min
        self.end_min = end_min
        self.total = np.zeros(n_classes, dtype=np.int64)
        self.kept = np.zeros(n_classes, dtype=np.int64)

    def add_leaver(self, outcome: int, problem_min: float, churn_min: float) -> None:
        due = problem_min + self.after_min
        if due <= self.end_min:
            self.total[outcome] += 1
            self.kept[outcome] += churn_min > due

    def with_stayers(
        self, outcome: np.ndarray, problem_min: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(kept, total) by class, adding customers still here at the end (all kept)."""
        early = problem_min + self.after_min <= self.end_min
        stayers = np.bincount(outcome[early], minlength=len(self.total))
        return self.kept + stayers, self.total + stayers


# The per-customer fields: (name, dtype, value of an empty slot).
_FIELDS: tuple[tuple[str, type, float | int | bool], ...] = (
    ("segment", np.int8, 0),
    ("uid", np.int64, -1),
    ("active", np.bool_, False),
    ("loyalty", np.float64, 0.0),
    ("trust", np.float64, 0.0),
    ("expectation", np.float64, 1.0),  # personal multiplier m of the channel's expectation
    ("grievance", np.float64, 0.0),
    ("failures", np.float64, 0.0),  # fading count of recent problems
    ("satisfaction", np.float64, 0.0),  # evaluation left by encounters, in [0, 1]
    ("problems", np.int16, 0),  # problems so far
    ("all_recovered", np.bool_, True),  # every problem resolved fast so far
    ("affected", np.bool_, False),  # hit by an incident (any, so far)
    ("updated_min", np.float64, 0.0),  # when recovery and grievance decay were last applied
    ("joined_min", np.float64, 0.0),
    ("billing_day", np.int8, 0),
    ("first_problem", np.int8, NO_PROBLEM),  # outcome class of the first issue
    ("first_problem_min", np.float64, math.inf),
    # Defection as a race: each customer leaves when the defection hazard accumulated
    # over journeys and billing reaches a threshold drawn once, Exp(1), on joining.
    # That is exactly a Bernoulli draw at each occasion (memorylessness), but the
    # randomness is the customer's own, so under common random numbers the same
    # customer meets the same fate unless what happened to them differs.
    ("defect_threshold", np.float64, math.inf),
    ("defect_hazard", np.float64, 0.0),
    ("moves_min", np.float64, math.inf),  # when the customer leaves whatever we do (moving away)
)


class Population:
    """Arrays of customer state (one slot per customer), with O(1) add and remove.

    Each field is a NumPy array for the daily vectorised work (``loyalty``) and, over the
    same memory, a memoryview for one customer at a time (``loyalty_of[slot]``): the
    per-journey path reads and writes a few dozen elements per contact, and a memoryview
    element costs about half a NumPy element and is a Python number, whose arithmetic is
    several times faster than a NumPy scalar's (docs/performance.md). The views are
    rebuilt whenever the arrays grow.
    """

    segment: np.ndarray
    uid: np.ndarray
    active: np.ndarray
    loyalty: np.ndarray
    trust: np.ndarray
    expectation: np.ndarray
    grievance: np.ndarray
    failures: np.ndarray
    satisfaction: np.ndarray
    problems: np.ndarray
    all_recovered: np.ndarray
    affected: np.ndarray
    updated_min: np.ndarray
    joined_min: np.ndarray
    billing_day: np.ndarray
    first_problem: np.ndarray
    first_problem_min: np.ndarray
    defect_threshold: np.ndarray
    defect_hazard: np.ndarray
    moves_min: np.ndarray
    segment_of: memoryview
    uid_of: memoryview
    active_of: memoryview
    loyalty_of: memoryview
    trust_of: memoryview
    expectation_of: memoryview
    grievance_of: memoryview
    failures_of: memoryview
    satisfaction_of: memoryview
    problems_of: memoryview
    all_recovered_of: memoryview
    affected_of: memoryview
    updated_min_of: memoryview
    first_problem_of: memoryview
    joined_min_of: memoryview
    billing_day_of: memoryview
    first_problem_min_of: memoryview
    defect_threshold_of: memoryview
    defect_hazard_of: memoryview
    moves_min_of: memoryview

    def __init__(
        self, capacity: int, n_segments: int, retention: RetentionTally | None = None
    ) -> None:
        capacity = max(capacity, 16)
        self.capacity = 0
        self.n_segments = n_segments
        for name, dtype, _ in _FIELDS:
            setattr(self, name, np.zeros(0, dtype=dtype))
        self.counts = [0] * n_segments
        self._free: list[int] = []
        self._next_uid = 0
        self.retention = retention  # leavers' first problems, tallied as they leave
        self._grow(capacity)

    @property
    def n_active(self) -> int:
        return sum(self.counts)

    def _grow(self, capacity: int) -> None:
        old = self.capacity
        for name, _, fill in _FIELDS:
            array = getattr(self, name)
            grown = np.full(capacity, fill, dtype=array.dtype)
            grown[:old] = array
            setattr(self, name, grown)
            setattr(self, f"{name}_of", memoryview(grown))
        self._free.extend(range(capacity - 1, old - 1, -1))
        self.capacity = capacity

    def forget_incidents(self) -> None:
        """Start the window's incident accounting afresh at the end of warm-up: a customer
        hit during warm-up is not counted among the window's affected, so neither are they
        among its affected churners (the ratio of the two is then a share)."""
        self.affected[:] = False

    def add(
        self,
        segments: np.ndarray,
        loyalty: np.ndarray,
        trust: np.ndarray,
        expectation: np.ndarray,
        billing_day: np.ndarray,
        now_min: float,
        satisfaction: float = 0.7,
        defect_threshold: np.ndarray | None = None,
        moves_min: np.ndarray | None = None,
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
        self.defect_threshold[slots] = math.inf if defect_threshold is None else defect_threshold
        self.defect_hazard[slots] = 0.0
        self.moves_min[slots] = math.inf if moves_min is None else moves_min
        for segment, added in enumerate(np.bincount(segments, minlength=self.n_segments)):
            self.counts[segment] += int(added)
        return slots

    def remove(self, slot: int, now_min: float) -> None:
        """A customer leaves (defects). Its slot becomes free for a newcomer."""
        outcome = self.first_problem_of[slot]
        if self.retention is not None and outcome != NO_PROBLEM:
            self.retention.add_leaver(outcome, self.first_problem_min_of[slot], now_min)
        self.counts[self.segment_of[slot]] -= 1
        self.active_of[slot] = False
        self.uid_of[slot] = -1
        self._free.append(slot)

    def add_hazard(self, slot: int, probability: float) -> bool:
        """One occasion to defect with this probability; True if the customer now leaves."""
        if probability <= 0.0:
            return False
        hazard = -math.log1p(-probability) if probability < 1.0 else math.inf
        accumulated = self.defect_hazard_of[slot] + hazard
        self.defect_hazard_of[slot] = accumulated
        return accumulated >= self.defect_threshold_of[slot]

    def add_hazards(self, slots: np.ndarray, probability: np.ndarray) -> np.ndarray:
        """:meth:`add_hazard` for many customers at once; returns those who now leave."""
        with np.errstate(divide="ignore"):
            hazard = -np.log1p(-np.clip(probability, 0.0, 1.0))
        self.defect_hazard[slots] += hazard
        return slots[self.defect_hazard[slots] >= self.defect_threshold[slots]]

    def slot_at(self, u: float) -> int:
        """The slot at a uniform position in the whole array, active or not.

        Picking by position in the array, not among the active members, keeps a customer's
        chance events attached to *that* customer under any configuration: who else has
        left does not shift the mapping (common random numbers).
        """
        return int(u * self.capacity)

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
        elapsed = now_min - self.updated_min_of[slot]
        if elapsed > 0.0:
            recovered = 2.0 ** (-elapsed / time.recovery_half_life_min)
            baseline = time.baseline
            self.loyalty_of[slot] = baseline + (self.loyalty_of[slot] - baseline) * recovered
            fading = 2.0 ** (-elapsed / time.grievance_half_life_min)
            self.grievance_of[slot] *= fading
            self.failures_of[slot] *= fading
            self.updated_min_of[slot] = now_min

    def current_loyalty_of(self, slots: np.ndarray, now_min: float, time: StateTime) -> np.ndarray:
        """Loyalty of these customers as of now, computed in place in one new array."""
        current = self.updated_min[slots]
        current -= now_min
        current *= 1.0 / time.recovery_half_life_min
        np.exp2(current, out=current)
        current *= self.loyalty[slots] - time.baseline
        current += time.baseline
        return current

    def recovery_group(self, slot: int) -> int:
        """0, 1, 2: problems so far if every one was resolved fast (2 = two or more); −1 if not."""
        if not self.all_recovered_of[slot]:
            return -1
        return min(self.problems_of[slot], 2)

    def recovery_groups(self) -> np.ndarray:
        """``recovery_group`` of every slot at once (the scalar form stays for the churn
        path, where one element costs a tenth of an array call)."""
        return np.where(self.all_recovered, np.minimum(self.problems, 2), -1)

    def retention_counts(self) -> tuple[np.ndarray, np.ndarray]:
        """(kept, total) by first-problem class: the leavers tallied, plus those still here."""
        assert self.retention is not None, "Population built without a RetentionTally"
        slots = np.flatnonzero(self.active & (self.first_problem != NO_PROBLEM))
        return self.retention.with_stayers(self.first_problem[slots], self.first_problem_min[slots])
