"""The table of targets, sources and achieved values (95 % CIs over seeds) in
``docs/calibration.md``: the default organisation for a year, and the survey scenarios."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from sim.analysis.reference import BANDS, estimates
from sim.analysis.statistics.replications import estimate, replicate
from sim.app.compose import compose_config

from .survey_step import DIXON, TARP

DOC = Path(__file__).resolve().parents[2] / "docs" / "calibration.md"
START, END = "<!-- targets: start -->", "<!-- targets: end -->"
SURVEY_SOURCE = {
    "would_repurchase": "TARP (1986), loss under $5: would buy again",
    "disloyal_share": "Dixon, Freeman & Toman (2010): more disloyal after the contact",
}


def _row(label: str, band: str, source: str, mean: float, low: float, high: float) -> str:
    return f"| {label} | {band} | {mean:.3f} [{low:.3f}, {high:.3f}] | {source} |"


def table(seeds: int) -> str:
    runs = replicate(compose_config([]), range(seeds), workers=2)
    lines = [
        f"Default organisation, one year after a 7-day warm-up, {seeds} seeds; survey",
        "answers from `scenario=tarp` and `scenario=effort`, the same seeds.",
        "",
        "| KPI | target | achieved (mean [95 % CI]) | source |",
        "|---|---|---|---|",
    ]
    for band in BANDS:
        est = estimates(runs)[band.key]
        target = f"{band.low:g}–{band.high:g}"
        lines.append(_row(band.label, target, band.source, est.mean, est.low, est.high))
    survey_targets = (
        ("tarp", "would_repurchase", {f"would_repurchase_{c}": t for c, t in TARP.items()}),
        ("effort", "disloyal_share", {f"disloyal_share_{c}_effort": t for c, t in DIXON.items()}),
    )
    for scenario, question, targets in survey_targets:
        answers = replicate(compose_config([f"scenario={scenario}"]), range(seeds), workers=2)
        for key, target in targets.items():
            est = estimate(answers, key)
            band = f"{target:.2f} ± 0.10"
            lines.append(
                _row(f"`{key}`", band, SURVEY_SOURCE[question], est.mean, est.low, est.high)
            )
    return "\n".join(lines)


def main(args: argparse.Namespace) -> None:
    text = DOC.read_text(encoding="utf-8")
    block = f"{START}\n{table(args.seeds or 5)}\n{END}"
    updated = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    if updated == text and block not in text:
        raise SystemExit(f"{DOC}: markers {START} … {END} not found")
    DOC.write_text(updated, encoding="utf-8")
    print(block)
