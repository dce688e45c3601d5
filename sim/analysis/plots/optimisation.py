"""The staffing search drawn: cost against churn of every trial with the target and the
cheapest feasible staffing, and the search's history (``sim.analysis.planning.optimise``)."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import optuna

from sim.analysis.planning.optimise import Evaluation, StaffingProblem
from sim.analysis.plots.style import STYLE, axis_label


def plot_trials(study: optuna.Study, problem: StaffingProblem, best: Evaluation | None) -> Any:
    """Cost against churn of every trial (feasible or not), the target, the best; and the
    search history (cost of each trial, best feasible so far)."""
    trials = [t for t in study.trials if t.value is not None]
    feasible = [t.user_attrs["violation"] <= 0 for t in trials]
    with plt.rc_context(STYLE):
        fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
        for ok, colour, label in (
            (True, "tab:blue", "feasible"),
            (False, "tab:grey", "infeasible"),
        ):
            chosen = [t for t, f in zip(trials, feasible) if f == ok]
            left.errorbar(
                [t.value for t in chosen],
                [t.user_attrs["churn"] for t in chosen],
                xerr=[t.user_attrs["cost_half_width"] for t in chosen],
                yerr=[t.user_attrs["churn_half_width"] for t in chosen],
                fmt="o", ms=4, capsize=2, color=colour, label=label,
            )  # fmt: skip
        left.axhline(problem.churn_target, color="tab:red", lw=1, ls="--", label="churn target")
        if best is not None:
            left.plot(best.cost.mean, best.churn.mean, "*", ms=14, color="gold",
                      markeredgecolor="black", label="cheapest feasible")  # fmt: skip
        left.set_xlabel(axis_label(problem.cost_metric))
        left.set_ylabel(axis_label(problem.churn_metric))
        left.set_title(f"Trials (mean and {problem.level:.0%} CI over seeds)")
        left.legend(fontsize=7)
        best_so_far, running = [], float("inf")
        for t, ok in zip(trials, feasible):
            running = min(running, t.value) if ok else running
            best_so_far.append(running)
        numbers = [t.number for t in trials]
        right.scatter(numbers, [t.value for t in trials], s=10,
                      c=["tab:blue" if ok else "tab:grey" for ok in feasible])  # fmt: skip
        right.step(
            numbers, best_so_far, where="post", color="tab:red", label="best feasible so far"
        )
        right.set_xlabel("trial")
        right.set_ylabel(axis_label(problem.cost_metric))
        right.set_title("Search history")
        right.legend(fontsize=7)
        fig.tight_layout()
        return fig
