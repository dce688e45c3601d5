"""Find the cheapest staffing whose churn stays under a target (Optuna, constrained).

    python experiments/optimise_staffing.py --target 0.33 --pools phone=-1:2 tier2=-1:2 \
        --seeds 0 1 2 --trials 30 --workers 2 -- horizon_days=182

Each trial runs the configuration (the default organisation plus any Hydra overrides
after ``--``) with ``staffing.extra_agents.<pool>`` set to the trial's values, once per
seed; cost is the mean ``staffing_cost`` and churn must stay under ``--target`` (its mean,
or with ``--constraint upper`` the upper end of its 95% CI). Prints the best staffing with
its CIs and writes ``trials.png``/``.pdf`` and ``trials.csv`` into ``--out``.
``--brute-force`` also evaluates the whole grid and says whether Optuna found the same.
``--select METRIC --indifference δ`` then tells the ``--finalists`` cheapest feasible
staffings apart on METRIC (say net_value) by ranking and selection (Kim & Nelson's KN
under common random numbers, ``sim.analysis.statistics.selection``) and prints its probability of a
correct selection.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim import run
from sim.analysis.planning.optimise import (
    CONSTRAINTS,
    Evaluation,
    Evaluator,
    StaffingProblem,
    brute_force,
    optimise,
)
from sim.analysis.plots.optimisation import plot_trials
from sim.analysis.reporting.findings import direction_of
from sim.analysis.statistics.selection import select_best
from sim.app.compose import compose_config
from sim.app.figures import save_figure


def parse_bounds(items: list[str]) -> dict[str, tuple[int, int]]:
    """``["phone=-1:2", "tier2=0:3"]`` → ``{"phone": (-1, 2), "tier2": (0, 3)}``."""
    bounds = {}
    for item in items:
        pool, _, span = item.partition("=")
        low, _, high = span.partition(":")
        try:
            bounds[pool] = (int(low), int(high))
        except ValueError:
            message = f"optimise_staffing: error: --pools {item!r}: use POOL=LOW:HIGH"
            raise SystemExit(message) from None
    return bounds


def describe(evaluation: Evaluation | None) -> str:
    if evaluation is None:
        return "no staffing in the box meets the churn target"
    extra = ", ".join(f"{pool} {value:+d}" for pool, value in evaluation.extra.items())
    return (
        f"extra agents per staffed hour: {extra}; cost {evaluation.cost}; churn {evaluation.churn}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", type=float, required=True, help="churn target (per year)")
    parser.add_argument("--pools", nargs="+", default=["phone=-1:2", "tier2=-1:2"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--constraint", choices=CONSTRAINTS, default="mean")
    parser.add_argument("--workers", type=int, default=1, help="processes per trial")
    parser.add_argument("--sampler-seed", type=int, default=0)
    parser.add_argument("--brute-force", action="store_true", help="also search the whole grid")
    parser.add_argument("--out", type=Path, default=Path("results/optimise_staffing"))
    parser.add_argument(
        "--select", metavar="METRIC", help="then choose among the finalists on METRIC (KN)"
    )
    parser.add_argument("--finalists", type=int, default=3, help="cheapest feasible staffings")
    parser.add_argument("--indifference", type=float, help="δ: a METRIC difference not worth it")
    parser.add_argument("overrides", nargs="*", help="Hydra overrides of the base configuration")
    args = parser.parse_args(argv)

    problem = StaffingProblem(
        parse_bounds(args.pools), tuple(args.seeds), args.target, args.constraint
    )

    def configure(extra: dict[str, int]):
        extras = [f"staffing.extra_agents.{pool}={value}" for pool, value in extra.items()]
        return compose_config([*args.overrides, *extras])

    evaluator = Evaluator(problem, configure, workers=args.workers)
    best, study = optimise(evaluator, args.trials, args.sampler_seed)
    distinct = len(evaluator.cache)
    print(f"Optuna ({args.trials} trials, {distinct} distinct staffings): {describe(best)}")
    args.out.mkdir(parents=True, exist_ok=True)
    save_figure(plot_trials(study, problem, best), args.out / "trials")
    study.trials_dataframe().to_csv(args.out / "trials.csv", index=False)
    if args.brute_force:
        exact = brute_force(evaluator)
        same = (exact is None and best is None) or (
            exact is not None and best is not None and exact.extra == best.extra
        )
        print(f"brute force ({len(problem.grid())} staffings): {describe(exact)}")
        print("Optuna found the brute-force optimum" if same else "Optuna MISSED the optimum")
        if not same:
            return 1
    if args.select:
        select_finalist(evaluator, configure, args)
    print(f"trials: {args.out / 'trials.png'}")
    return 0


def select_finalist(evaluator: Evaluator, configure, args: argparse.Namespace) -> None:
    """Ranking and selection after the search: the cheapest feasible staffings the trials
    found, told apart on ``--select`` by Kim & Nelson's procedure under common random
    numbers (seeds 0, 1, … for every finalist), with its probability of correct selection."""
    feasible = sorted(
        (e for e in evaluator.cache.values() if e.feasible), key=lambda e: e.cost.mean
    )[: args.finalists]
    direction = direction_of(args.select)
    if len(feasible) < 2 or direction is None or not args.indifference:
        print("selection: needs two feasible finalists, a metric with a better direction and δ")
        return
    configs = [configure(e.extra) for e in feasible]
    found = select_best(
        lambda i, seed: direction * run(configs[i], seed).summary[args.select],
        len(configs),
        args.indifference,
    )
    print(
        f"selection on {args.select} (KN, δ = {args.indifference:g}): {feasible[found.best].extra}"
        f" of {len(configs)} finalists, {found.total_seeds} runs; probability of a correct"
        f" selection ≥ {found.confidence:.0%}"
    )


if __name__ == "__main__":
    sys.exit(main())
