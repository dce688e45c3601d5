"""Kernel benchmark: ``scenario=erlang`` vs bare SimPy on the same M/M/n+M model.

λ = 100/h, mean service 6 min, 11 agents, mean patience 5 min, 84 days (≈ 200,000
arrivals). Runs alternate (ours, bare, ours, bare, ...) so drift of the machine cancels;
the table reports medians and the ratio. Run: ``make bench`` or
``python benchmarks/bench_kernel.py --repeats 5``.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bare_simpy_erlang_a import simulate as bare_simulate

import sim
from sim import analytic
from sim.cli import compose_config

KNOBS = {
    "arrival_rate_per_hour": 100.0,
    "mean_service_min": 6.0,
    "servers": 11,
    "mean_patience_min": 5.0,
    "days": 84.0,
}


def timed(function, *args, **kwargs):
    gc.collect()
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    config = compose_config(["scenario=erlang"] + [f"erlang.{k}={v}" for k, v in KNOBS.items()])
    ours, bare = [], []
    for seed in range(args.repeats):
        seconds, result = timed(sim.run, config, seed)
        ours.append((seconds, result.summary))
        seconds, summary = timed(bare_simulate, **KNOBS, warmup_days=1.0, seed=seed)
        bare.append((seconds, summary))
    exact = analytic.erlang_a(
        KNOBS["arrival_rate_per_hour"] / 60,
        1 / KNOBS["mean_service_min"],
        KNOBS["servers"],
        1 / KNOBS["mean_patience_min"],
    )
    print(f"M/M/{KNOBS['servers']}+M, {KNOBS['days']:.0f} days, {args.repeats} alternating runs")
    print(f"{'model':<22}{'median s':>10}{'arrivals/s':>13}{'P(Ab)':>9}{'P(W>0)':>9}")
    medians = {}
    for name, runs in (("supportsim erlang", ours), ("bare SimPy", bare)):
        seconds = statistics.median(s for s, _ in runs)
        arrivals = statistics.mean(r["contacts_arrived"] for _, r in runs)
        p_ab = statistics.mean(r["p_abandon"] for _, r in runs)
        p_wait = statistics.mean(r["p_wait"] for _, r in runs)
        medians[name] = seconds
        print(f"{name:<22}{seconds:>10.3f}{arrivals / seconds:>13,.0f}{p_ab:>9.4f}{p_wait:>9.4f}")
    print(f"{'exact (Erlang A)':<22}{'':>10}{'':>13}{exact.p_abandon:>9.4f}{exact.p_wait:>9.4f}")
    ratio = medians["supportsim erlang"] / medians["bare SimPy"]
    print(f"wall-time ratio supportsim / bare SimPy = {ratio:.2f}")


if __name__ == "__main__":
    main()
