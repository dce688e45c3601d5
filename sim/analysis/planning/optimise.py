"""The cheapest staffing whose churn stays under a target (Optuna, constrained).

Decision: agents added to (or taken from) every staffed hour of chosen pools
(``staffing.extra_agents.<pool>``, integers in a box). Each trial replicates the
configuration over the same seeds (common random numbers, so trials are compared seed by
seed) and scores cost = mean ``staffing_cost``. Churn is not folded into the objective
as a penalty: it is a constraint Optuna's sampler knows about (``Trial.set_constraint``), so
the search learns where the feasible region is, and the best trial is the cheapest
*feasible* one. ``constraint="upper"`` asks the churn CI's upper end, not its mean, to
stay under the target — the cautious manager's reading.

Evaluations are cached by staffing, so a sampler that proposes a point twice costs
nothing, and :func:`brute_force` over the same grid gives the exact answer to check
against.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import optuna

from sim.analysis.statistics.replications import Estimate, estimate, replicate
from sim.config import Config

CONSTRAINTS = ("mean", "upper")


@dataclass(frozen=True)
class StaffingProblem:
    """A box of staffing changes, the seeds each is replicated over, and the churn target."""

    bounds: dict[str, tuple[int, int]]  # pool → (lowest, highest) extra agents
    seeds: tuple[int, ...]
    churn_target: float
    constraint: str = "mean"  # "mean" or "upper" (the CI's upper end) must stay ≤ target
    cost_metric: str = "staffing_cost"
    churn_metric: str = "churn_rate_annual"
    level: float = 0.95

    def __post_init__(self) -> None:
        if self.constraint not in CONSTRAINTS:
            raise ValueError(f"constraint = {self.constraint!r}: allowed {', '.join(CONSTRAINTS)}")
        if len(self.seeds) < 2:
            raise ValueError("seeds: need at least 2 replications per trial for a CI")
        for pool, (low, high) in self.bounds.items():
            if low > high:
                raise ValueError(f"bounds.{pool} = ({low}, {high}): low must be ≤ high")

    def grid(self) -> list[tuple[int, ...]]:
        return list(itertools.product(*(range(lo, hi + 1) for lo, hi in self.bounds.values())))


@dataclass(frozen=True)
class Evaluation:
    """One staffing, replicated: cost and churn with their CIs."""

    extra: dict[str, int]
    cost: Estimate
    churn: Estimate
    churn_target: float
    constraint: str

    @property
    def churn_bound(self) -> float:
        return self.churn.high if self.constraint == "upper" else self.churn.mean

    @property
    def violation(self) -> float:
        """≤ 0 when feasible (Optuna's convention for constraints)."""
        return self.churn_bound - self.churn_target

    @property
    def feasible(self) -> bool:
        return self.violation <= 0.0


@dataclass
class Evaluator:
    """Runs and caches evaluations. ``configure(extra)`` builds the Config of a staffing."""

    problem: StaffingProblem
    configure: Callable[[dict[str, int]], Config]
    workers: int = 1
    cache: dict[tuple[int, ...], Evaluation] = field(default_factory=dict)

    def __call__(self, point: Sequence[int]) -> Evaluation:
        key = tuple(int(v) for v in point)
        if key not in self.cache:
            extra = dict(zip(self.problem.bounds, key))
            runs = replicate(self.configure(extra), self.problem.seeds, self.workers)
            self.cache[key] = Evaluation(
                extra,
                estimate(runs, self.problem.cost_metric, self.problem.level),
                estimate(runs, self.problem.churn_metric, self.problem.level),
                self.problem.churn_target,
                self.problem.constraint,
            )
        return self.cache[key]


def cheapest_feasible(evaluations: Sequence[Evaluation]) -> Evaluation | None:
    feasible = [e for e in evaluations if e.feasible]
    return min(feasible, key=lambda e: (e.cost.mean, tuple(e.extra.values())), default=None)


def brute_force(evaluator: Evaluator) -> Evaluation | None:
    """Every point of the grid: the exact answer (for small grids and for checking)."""
    return cheapest_feasible([evaluator(point) for point in evaluator.problem.grid()])


def optimise(
    evaluator: Evaluator, n_trials: int, sampler_seed: int = 0
) -> tuple[Evaluation | None, optuna.Study]:
    """Optuna's TPE sampler with the churn constraint; returns the cheapest feasible."""
    problem = evaluator.problem

    def objective(trial: optuna.Trial) -> float:
        point = [trial.suggest_int(pool, lo, hi) for pool, (lo, hi) in problem.bounds.items()]
        evaluation = evaluator(point)
        trial.set_user_attr("churn", evaluation.churn.mean)
        trial.set_user_attr("churn_half_width", evaluation.churn.half_width)
        trial.set_user_attr("cost_half_width", evaluation.cost.half_width)
        trial.set_user_attr("violation", evaluation.violation)
        trial.set_constraint("churn_over_target", evaluation.violation)
        return evaluation.cost.mean

    sampler = optuna.samplers.TPESampler(
        seed=sampler_seed,
        n_startup_trials=min(10, max(2, n_trials // 3)),
    )
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(direction="minimize", sampler=sampler)
    study.optimize(objective, n_trials=n_trials)
    visited = [evaluator([t.params[pool] for pool in problem.bounds]) for t in study.trials]
    return cheapest_feasible(visited), study
