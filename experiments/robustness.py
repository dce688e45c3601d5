"""Robust decisions for every seed story: ``python experiments/robustness.py``.

Runs ``experiment=robustness`` for each comparison of ``configs/comparison/`` (both arms in
each Latin-hypercube draw of the registry's uncertain parameters, under the same seeds),
then writes ``docs/robustness.md`` — one table row per conclusion with the share of
plausible worlds in which it holds, its exact 95 % interval, the effect's median and
5th–95th percentiles and the parameter it depends on most — and the same table into the
README between its robustness markers. Each study's report.html stays in its sweep
directory (``results/experiments/robustness/<comparison>/``).

    python experiments/robustness.py                      # all seven (≈ 20 min on 2 cores)
    python experiments/robustness.py --only cloud_outage  # one, table rows of the others kept
    python experiments/robustness.py --table-only         # the tables again from the CSV
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.analysis.metrics_registry import format_difference, signed  # noqa: E402
from sim.analysis.plots.sensitivity import outcome_key  # noqa: E402
from sim.analysis.reporting.study_report import outcome_label, parameter_label  # noqa: E402

COMPARISONS = [
    "northwind_outage", "cloud_outage", "policy_deflection", "lip_service", "new_management",
    "premium_standard", "rising_expectations",
]  # fmt: skip
# A decade per run: fewer worlds and one seed keep it within half an hour on 2 cores.
DECADE = ["hydra.sweeper.draws=16", "seeds=[0]"]
TABLE = ROOT / "docs" / "robustness.md"
README = ROOT / "README.md"
START, END = "<!-- robustness:start -->", "<!-- robustness:end -->"


def run_study(name: str, extra: list[str]) -> pd.DataFrame:
    """One comparison's study; its robustness table with the comparison's name."""
    sweep = (
        ROOT / "results" / "experiments" / "robustness" / name / time.strftime("%Y-%m-%d_%H-%M-%S")
    )
    overrides = ["experiment=robustness", f"comparison={name}", f"hydra.sweep.dir={sweep}"]
    overrides += DECADE if name == "rising_expectations" else []
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sim", "-m", *overrides, *extra], cwd=ROOT, check=True)
    table = pd.read_csv(sweep / "robustness.csv")
    table.insert(0, "comparison", name)
    seeds = len(pd.read_csv(sweep / "runs.csv")["seed"].unique())
    table["seeds"] = seeds
    table["minutes"] = round((time.perf_counter() - started) / 60, 1)
    table["report"] = str((sweep / "report.html").relative_to(ROOT))
    return table


def markdown(tables: pd.DataFrame) -> str:
    rows = []
    for r in tables.itertuples():
        key = outcome_key(r.conclusion)
        low, median, high = (
            format_difference(key, q) for q in (r.effect_q05, r.effect_q50, r.effect_q95)
        )
        rows.append(
            {
                "seed story": r.comparison.replace("_", " "),
                "conclusion": f"{outcome_label(r.conclusion)} is {r.expect}".replace("_", " "),
                "holds in (95% CI)": f"{r.holds_share:.0%} ({r.holds_low:.0%}–{r.holds_high:.0%})",
                "worlds × seeds": f"{r.worlds} × {r.seeds}",
                "median effect (5th–95th pct)": f"{median} ({low} to {high})",
                "depends most on (ρ)": f"{parameter_label(r.driver)} ({signed(r.driver_rho)})",
            }
        )
    return pd.DataFrame(rows).to_markdown(index=False)


def write(tables: pd.DataFrame) -> None:
    tables.to_csv(TABLE.with_suffix(".csv"), index=False)
    body = markdown(tables)
    TABLE.write_text(
        "# Robustness of the seed stories' conclusions\n\n"
        "Written by `python experiments/robustness.py` (do not edit by hand). Each seed "
        "story's comparison (`configs/comparison/`) ran both arms in every plausible world "
        "— a Latin-hypercube draw of all the uncertain parameters of the registry "
        "(`docs/calibration.md`) — under the same seeds, at a tenth of the reference size. "
        "A conclusion holds in a world when the paired effect (seeds averaged) has the "
        "stated sign; the interval is exact (Clopper–Pearson). `docs/sweeps.md` explains "
        "the method; each study's report is in `results/experiments/robustness/`.\n\n"
        f"{body}\n"
    )
    text = README.read_text()
    if START in text and END in text:
        block = f"{START}\n{body}\n{END}"
        README.write_text(re.sub(f"{START}.*?{END}", lambda _: block, text, flags=re.S))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", default=COMPARISONS, choices=COMPARISONS)
    parser.add_argument(
        "--table-only", action="store_true", help="rewrite the tables from docs/robustness.csv"
    )
    parser.add_argument("overrides", nargs="*", help="passed to every study")
    args = parser.parse_args()
    if args.table_only:
        write(pd.read_csv(TABLE.with_suffix(".csv")))
        return 0
    kept = pd.read_csv(TABLE.with_suffix(".csv")) if TABLE.with_suffix(".csv").is_file() else None
    tables = [run_study(name, args.overrides) for name in args.only]
    if kept is not None:
        tables.insert(0, kept[~kept["comparison"].isin(args.only)])
    combined = pd.concat(tables, ignore_index=True)
    order = {name: i for i, name in enumerate(COMPARISONS)}
    combined = combined.sort_values("comparison", key=lambda c: c.map(order), kind="stable")
    write(combined)
    print(f"robustness: {TABLE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
