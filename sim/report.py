"""A sweep directory → ``report.md`` and a self-contained ``report.html``.

``python -m sim.report DIR`` (and automatically at the end of an ``experiment=`` sweep):
what was compared, a table of outcomes with CIs over seeds, paired differences against
the reference configuration with the factor common random numbers bought, the figures,
and where the numbers came from. The HTML embeds every figure, so the one file can be
mailed. Everything is read from the directory's files (YAML safe loader, JSON, CSV,
Parquet); nothing in it is executed, and everything written stays inside it.
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import html
import math
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

import markdown
import pandas as pd

from sim.analytic import erlang_a, erlang_c
from sim.atomic import atomic_write
from sim.collect import Collected, collect_and_write, parse_overrides
from sim.comparison import Design, configurations, design, paired_comparisons, runs_of, summarise
from sim.config.report import ReportConfig
from sim.outputs import PROVENANCE, TIMESERIES
from sim.plots import series, study
from sim.reading import UnreadableResultError, read_json, read_yaml

REPORT_MD, REPORT_HTML, FIGURES = "report.md", "report.html", "report_figures"
ERLANG_METRICS = ["p_wait", "p_abandon", "mean_wait_min", "occupancy"]
ERLANG_X = "erlang.servers"


def settings_from(section: dict[str, Any] | None) -> ReportConfig:
    """The ``report`` section of a sweep's config, validated by its schema."""
    known = {f.name for f in fields(ReportConfig)}
    return ReportConfig(**{k: v for k, v in (section or {}).items() if k in known})


def sweep_config(root: Path) -> dict[str, Any]:
    """The sweep's composed config (Hydra writes ``multirun.yaml``), or {}."""
    path = root / "multirun.yaml"
    return (read_yaml(path) or {}) if path.is_file() else {}


def _format(mean: float, half_width: float) -> str:
    if not math.isfinite(mean):
        return "–"
    if not math.isfinite(half_width):
        return f"{mean:.4g}"
    return f"{mean:.4g} ± {half_width:.2g}"


def _markdown_table(frame: pd.DataFrame) -> str:
    return frame.to_markdown(index=False)


def _outcome_table(summary: pd.DataFrame, metrics: Sequence[str]) -> pd.DataFrame:
    cells = summary.assign(
        cell=[_format(m, h) for m, h in zip(summary["mean"], summary["half_width"])]
    )
    wide = cells.pivot(index="configuration", columns="metric", values="cell")
    order = list(dict.fromkeys(summary["configuration"]))
    wide = wide.reindex(index=order, columns=[m for m in metrics if m in wide.columns])
    n = summary.groupby("configuration", sort=False)["n"].max().reindex(order)
    return wide.assign(seeds=n.to_numpy()).reset_index()


def _paired_table(paired: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "configuration": paired["configuration"],
            "reference": paired["reference"],
            "metric": paired["metric"],
            "paired difference (95% CI)": [
                _format(d, h) for d, h in zip(paired["difference"], paired["half_width"])
            ],
            "unpaired ± (95%)": [f"{h:.2g}" for h in paired["unpaired_half_width"]],
            "CRN factor": [f"{f:.1f}×" if math.isfinite(f) else "–" for f in paired["crn_factor"]],
            "pairs": paired["n_pairs"],
        }
    )


def _erlang_theory(root_config: dict[str, Any]) -> Any:
    erlang = root_config.get("erlang") or {}
    rate = float(erlang.get("arrival_rate_per_hour", 100.0)) / 60.0
    mu = 1.0 / float(erlang.get("mean_service_min", 6.0))
    patience = erlang.get("mean_patience_min")

    def theory(servers: int) -> dict[str, float]:
        try:
            queue = (
                erlang_a(rate, mu, servers, 1.0 / float(patience))
                if patience
                else erlang_c(rate, mu, servers)
            )
        except ValueError:  # unstable M/M/n: no steady state to draw
            return {}
        return {m: getattr(queue, m) for m in ERLANG_METRICS}

    return theory


def _series_by_configuration(table: pd.DataFrame, design_: Design) -> dict[str, list[pd.DataFrame]]:
    runs: dict[str, list[pd.DataFrame]] = {}
    for configuration in configurations(table, design_.factors):
        frames = []
        for run_dir in runs_of(table, configuration)["run_dir"]:
            path = Path(run_dir) / TIMESERIES
            if path.is_file():
                frames.append(pd.read_csv(path))
        if frames:
            runs[design_.label(configuration)] = frames
    return runs


def _figures(
    root: Path,
    table: pd.DataFrame,
    design_: Design,
    settings: ReportConfig,
    summary: pd.DataFrame,
    paired: pd.DataFrame,
) -> list[tuple[str, Path, str]]:
    """(title, PNG path, caption) for every figure the data supports."""
    out_dir = root / FIGURES
    figures: list[tuple[str, Path, str]] = []

    def add(title: str, paths: list[Path], caption: str) -> None:
        figures.append((title, paths[0], caption))

    if not paired.empty:
        add(
            "Paired differences",
            study.forest(paired, settings.metrics, out_dir / "paired_differences"),
            "Each configuration minus its reference over the same seeds (dark: paired 95% CI; "
            "faint: the unpaired interval of the same difference).",
        )
    if settings.x and settings.x in design_.factors:
        add(
            f"Outcomes against {settings.x}",
            study.outcomes_vs_x(
                summary,
                settings.x,
                design_.factors,
                settings.metrics[:4],
                out_dir / "outcomes_vs_x",
            ),
            "Mean over seeds with 95% CI bands, one line per combination of the other factors.",
        )
    has = set(summary["metric"])
    if {"cost_total", "churn_rate_annual"} <= has and len(
        configurations(table, design_.factors)
    ) > 1:
        add(
            "Cost against churn",
            study.frontier(summary, out_dir / "cost_churn_frontier"),
            "Each configuration's total cost (wages, hiring, credits, outreach) against its "
            "churn; the red line joins the configurations no other beats on both.",
        )
    if design_.factors == [ERLANG_X]:
        first_run = Path(table["run_dir"].iloc[0]) / ".hydra" / "config.yaml"
        config = read_yaml(first_run) if first_run.is_file() else {}
        add(
            "Simulation against Erlang",
            study.erlang_curves(
                summary, ERLANG_X, _erlang_theory(config), ERLANG_METRICS, out_dir / "erlang"
            ),
            "Simulated means with 95% CIs over seeds against the exact M/M/n(+M) values.",
        )
    if set(study.WAIT_METRICS) <= has:
        add(
            "Wait-time distribution",
            study.wait_distribution(summary, out_dir / "wait_distribution"),
            "Share of ended journeys that waited at most each time (all tiers and attempts).",
        )
    runs = _series_by_configuration(table, design_)
    if runs:
        add(
            "Day by day",
            series.replication_bands(runs, settings.series, out_dir / "daily_bands"),
            "Daily values, mean over seeds with 95% bands (warm-up days included).",
        )
    return figures


def _provenance(root: Path, table: pd.DataFrame, config: dict[str, Any]) -> list[str]:
    task = ((config.get("hydra") or {}).get("overrides") or {}).get("task") or []
    first = Path(table["run_dir"].iloc[0]) / PROVENANCE
    versions = read_json(first).get("versions", {}) if first.is_file() else {}
    seeds = sorted(int(s) for s in table["seed"].unique())
    lines = [
        f"- command: `python -m sim -m {' '.join(task)}`" if task else "- command: unknown",
        f"- sweep directory: `{root}`",
        f"- seeds: {', '.join(map(str, seeds))} ({len(seeds)} per configuration at most)",
        f"- runs finished: {len(table)}",
        "- versions: " + ", ".join(f"{k} {v}" for k, v in versions.items() if v),
        f"- report written: {time.strftime('%Y-%m-%d %H:%M:%S %z')}",
    ]
    return lines


def report_markdown(
    root: Path, settings: ReportConfig, collected: Collected
) -> tuple[str, list[Path]]:
    """The report's Markdown and the figures it references (paths relative to ``root``)."""
    table = collected.table
    design_ = design(table, collected.override_columns)
    config = sweep_config(root)
    metrics = [m for m in settings.metrics if m in table and table[m].notna().any()]
    settings = dataclasses.replace(settings, metrics=metrics)
    extra = [m for m in [*study.WAIT_METRICS, *ERLANG_METRICS] if m in table and m not in metrics]
    summary = summarise(table, design_, [*metrics, *extra], settings.level)
    reference = {k: _typed(v) for k, v in settings.reference.items()}
    paired = (
        paired_comparisons(table, design_, reference, metrics, settings.level)
        if reference
        else pd.DataFrame()
    )
    title = settings.title or config.get("name") or root.name
    level = f"{settings.level:.0%}"
    lines = [f"# supportsim report: {title}", ""]
    lines += ["## What was compared", ""]
    if design_.factors:
        for factor in design_.factors:
            values = list(dict.fromkeys(str(v) for v in table[factor]))
            lines.append(f"- **{factor}**: {', '.join(values)}")
    else:
        lines.append("- one configuration, replicated over seeds")
    for key, value in design_.constants.items():
        lines.append(f"- {key} = {value} (every run)")
    if reference:
        lines.append(
            "- reference: "
            + ", ".join(f"{k}={v}" for k, v in reference.items())
            + " (each configuration is compared with the one that differs only there)"
        )
    if collected.incomplete or collected.never_started:
        missing = len(collected.incomplete) + len(collected.never_started)
        lines += ["", f"**{missing} jobs of this sweep did not finish and are left out:**", ""]
        lines += [f"- started, no summary: `{path}`" for path in collected.incomplete]
        lines += [f"- never started: `{' '.join(job)}`" for job in collected.never_started]
    lines += ["", f"## Outcomes (mean ± {level} CI half-width over seeds)", ""]
    lines += [_markdown_table(_outcome_table(summary, metrics)), ""]
    lines.append("Every key is defined in `docs/metrics.md`.")
    if not paired.empty:
        factors = paired["crn_factor"].replace([math.inf], math.nan).dropna()
        lines += ["", f"## Paired differences against the reference ({level} CI)", ""]
        lines += [
            "Seed s of every configuration shares its arrivals, issues and patience (common "
            "random numbers), so differences are taken seed by seed. *CRN factor* is how many "
            "times narrower the paired interval is than the unpaired one"
            + (f" (median here {factors.median():.1f}×)." if len(factors) else "."),
            "",
            _markdown_table(_paired_table(paired)),
        ]
    figures = _figures(root, table, design_, settings, summary, paired)
    lines += ["", "## Figures", ""]
    for title_, png, caption in figures:
        relative = png.relative_to(root).as_posix()
        pdf = png.with_suffix(".pdf").relative_to(root).as_posix()
        lines += [
            f"### {title_}",
            "",
            f"![{title_}]({relative})",
            "",
            f"{caption} (PDF: `{pdf}`)",
            "",
        ]
    lines += ["## Provenance", "", *_provenance(root, table, config), ""]
    return "\n".join(lines), [png for _, png, _ in figures]


def _typed(value: Any) -> Any:
    return parse_overrides([f"x={value}"])["x"] if isinstance(value, str) else value


IMAGE = re.compile(r'<img alt="([^"]*)" src="([^"]+\.png)"')
CSS = """body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;
color:#222}table{border-collapse:collapse;font-size:12px;margin:1em 0}th,td{border:1px solid
#ccc;padding:3px 6px;text-align:right}th{background:#f3f3f3}td:first-child{text-align:left}
img{max-width:100%;height:auto}code{font-size:90%}"""


def to_html(markdown_text: str, root: Path, title: str) -> str:
    """Self-contained HTML: every PNG the Markdown references embedded as a data URI."""
    body = markdown.markdown(markdown_text, extensions=["tables"])

    def embed(match: re.Match[str]) -> str:
        data = base64.b64encode((root / match.group(2)).read_bytes()).decode("ascii")
        return f'<img alt="{match.group(1)}" src="data:image/png;base64,{data}"'

    body = IMAGE.sub(embed, body)
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head>\n"
        f"<body>\n{body}\n</body></html>\n"
    )


def write_report(
    root: Path, settings: ReportConfig | None = None, collected: Collected | None = None
) -> list[Path]:
    """Write ``report.md`` and ``report.html`` (and the figures) into ``root``."""
    if settings is None:
        settings = settings_from(sweep_config(root).get("report"))
    if collected is None:
        collected = collect_and_write(root)
    if collected.table.empty:
        raise ValueError(f"no finished runs in {root}: nothing to report")
    text, _ = report_markdown(root, settings, collected)
    title = text.splitlines()[0].lstrip("# ")
    atomic_write(root / REPORT_MD, lambda handle: handle.write(text))
    atomic_write(root / REPORT_HTML, lambda handle: handle.write(to_html(text, root, title)))
    return [root / REPORT_MD, root / REPORT_HTML]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sim.report",
        description="Write report.md and a self-contained report.html for a sweep directory.",
    )
    parser.add_argument("directory", type=Path, help="a Hydra multirun (sweep) directory")
    parser.add_argument(
        "--reference", nargs="*", default=None, metavar="KEY=VALUE",
        help="the reference, e.g. policy=baseline (default: the sweep's report.reference)",
    )  # fmt: skip
    parser.add_argument("--metrics", nargs="+", default=None, help="summary keys to compare")
    parser.add_argument("--x", default=None, help="a swept key to draw outcomes against")
    args = parser.parse_args(argv)
    if not args.directory.is_dir():
        print(f"supportsim.report: error: {args.directory} is not a directory", file=sys.stderr)
        return 2
    try:
        settings = settings_from(sweep_config(args.directory).get("report"))
    except UnreadableResultError as error:
        print(f"supportsim.report: error: {error}", file=sys.stderr)
        return 2
    if args.reference is not None:
        settings = dataclasses.replace(settings, reference=parse_overrides(args.reference))
    if args.metrics:
        settings = dataclasses.replace(settings, metrics=args.metrics)
    if args.x:
        settings = dataclasses.replace(settings, x=args.x)
    try:
        paths = write_report(args.directory, settings)
    except ValueError as error:  # UnreadableResultError included
        print(f"supportsim.report: error: {error}", file=sys.stderr)
        return 2
    print(f"supportsim.report: {paths[1]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
