"""The benchmark harness: ``make bench`` (or ``python benchmarks/harness.py``).

Measures, in one invocation, each case in a fresh process, cases alternating within each
repeat so that drift of the machine cancels, and prints medians and ratios:

- kernel: ``scenario=erlang`` (M/M/11+M, λ = 100/h, 84 days ≈ 200,000 arrivals) against
  an idiomatic bare-SimPy script and Ciw on the same model (``pip install -e ".[bench]"``
  for Ciw; skipped without it), with the answers beside the exact Erlang A values;
- whole process: the same case as a user times it — our command line (composition,
  simulation, outputs) against the peers' scripts — and the fixed cost of a 1-day run;
- full: a year of the default organisation, contacts per second and cost per contact
  relative to the kernel's cost per arrival;
- scale: 100,000 and 1,000,000 customers for a year and 1,000,000 for two years: wall
  time and peak resident memory (``--scale``; slow);
- bound (``--bound``): the full year again with every journey's end costing nothing —
  not a model but the ceiling on what a cheaper customer's verdict could buy, as a
  multiple of the kernel's cost per arrival;
- sweeps: 8 jobs (60 days of the default organisation each) run one by one (basic
  launcher) and with the joblib launcher on every core (``--sweep``);
- Morris screening over 30 uncertain parameters on 120-day runs of the reference
  organisation, the whole study command on every core (``--morris R``, R trajectories);
- a design of N short jobs (``--design 200``: Latin hypercube, 60-day runs of the small
  organisation, 4 seeds per job), one by one and on the joblib launcher, with the largest
  process's peak memory.

Never run as a timed test: timings belong to a quiet machine, not to CI.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MEASURE = HERE / "measure.py"
sys.path.insert(0, str(HERE))
from measure import ERLANG_A  # noqa: E402  (the one definition of the benchmark case)

KERNEL_PEERS = ["kernel", "bare", "ciw"]
SCALE_CASES = ["scale_100k_1y", "scale_1m_1y", "scale_1m_2y"]
SWEEP_JOBS = ["seed=range(0,8)", "horizon_days=60", "output.figures=false"]


def measure(case: str, seed: int) -> dict:
    done = subprocess.run(
        [sys.executable, str(MEASURE), case, str(seed)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def alternate(cases: list[str], repeats: int) -> dict[str, list[dict]]:
    results: dict[str, list[dict]] = {case: [] for case in cases}
    for repeat in range(repeats):
        for case in cases:
            results[case].append(measure(case, seed=repeat))
            print(f"  {case} seed {repeat}: {results[case][-1]['seconds']:.2f} s", flush=True)
    return results


def median(runs: list[dict], key: str) -> float:
    return statistics.median(float(r[key]) for r in runs)


def kernel_table(results: dict[str, list[dict]]) -> None:
    sys.path.insert(0, str(ROOT))
    from sim.analysis.theory import erlang_a

    exact = erlang_a(100 / 60, 1 / 6, 11, 1 / 5)
    print(f"\n{'model':<20}{'median s':>10}{'arrivals/s':>12}{'peak MiB':>10}{'P(Ab)':>8}"
          f"{'P(W>0)':>8}")  # fmt: skip
    for case, runs in results.items():
        seconds = median(runs, "seconds")
        rate = statistics.mean(r["events"] for r in runs) / seconds
        p_ab = statistics.mean(r["p_abandon"] for r in runs)
        p_wait = statistics.mean(r["p_wait"] for r in runs)
        print(f"{case:<20}{seconds:>10.2f}{rate:>12,.0f}{median(runs, 'peak_rss_mib'):>10.0f}"
              f"{p_ab:>8.4f}{p_wait:>8.4f}")  # fmt: skip
    print(f"{'exact Erlang A':<20}{'':>32}{exact.p_abandon:>8.4f}{exact.p_wait:>8.4f}")
    kernel = median(results["kernel"], "seconds")
    for peer in ("bare", "ciw"):
        if peer in results:
            ratio = kernel / median(results[peer], "seconds")
            print(f"wall-time ratio kernel / {peer} = {ratio:.2f}")


def _erlang_command(days: float, warmup_days: float, run_dir: str) -> list[str]:
    knobs = {**ERLANG_A, "days": days}
    return ["-m", "sim", "scenario=erlang", *(f"erlang.{k}={v}" for k, v in knobs.items()),
            f"warmup_days={warmup_days}", f"hydra.run.dir={run_dir}"]  # fmt: skip


def whole_process_times(repeats: int) -> None:
    """The commands as a user times them (``time python …``): our CLI on the M/M/11+M
    case with its default outputs, the peers' scripts, and the fixed cost of a 1-day run
    of ours; alternating within each repeat, medians."""
    peers = {"bare": [str(HERE / "bare_simpy_erlang_a.py")]}
    if importlib.util.find_spec("ciw"):
        peers["ciw"] = [str(HERE / "ciw_erlang_a.py")]
    timings: dict[str, list[float]] = {"ours": [], **{peer: [] for peer in peers}, "1 day": []}
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            commands = {
                "ours": _erlang_command(ERLANG_A["days"], 1.0, f"{tmp}/ours"),
                **peers,
                "1 day": _erlang_command(1.0, 0.0, f"{tmp}/day"),
            }
            for name, arguments in commands.items():
                started = time.perf_counter()
                subprocess.run(
                    [sys.executable, *arguments], cwd=ROOT, capture_output=True, check=True,
                    env={**os.environ, "SUPPORTSIM_PROGRESS": "0"},
                )  # fmt: skip
                timings[name].append(time.perf_counter() - started)
    medians = {name: statistics.median(times) for name, times in timings.items()}
    listed = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in medians.items())
    print(f"\nwhole process, M/M/11+M 84 days ({repeats} alternating repeats): {listed}")
    for peer in peers:
        print(f"whole-process ratio ours / {peer} = {medians['ours'] / medians[peer]:.2f}")
    print(f"fixed cost of a 1-day run (the whole command) = {medians['1 day']:.2f} s")


def per_event(runs: list[dict]) -> float:
    return median(runs, "seconds") / statistics.mean(r["events"] for r in runs)


def full_table(full: list[dict], kernel: list[dict], title: str = "full default year") -> None:
    per_contact = per_event(full)
    relative = per_contact / per_event(kernel)
    print(f"\n{title}: {median(full, 'seconds'):.1f} s, "
          f"{1 / per_contact:,.0f} contacts/s ({1e6 * per_contact:.1f} µs each), "
          f"{median(full, 'peak_rss_mib'):.0f} MiB; "
          f"cost per contact = {relative:.2f}× the kernel's per arrival")  # fmt: skip


def scale_table(results: dict[str, list[dict]]) -> None:
    print(f"\n{'scale case':<16}{'median s':>10}{'peak MiB':>10}{'contacts':>11}{'SL':>7}")
    for case, runs in results.items():
        sl = statistics.mean(r["service_level"] for r in runs)
        print(f"{case:<16}{median(runs, 'seconds'):>10.1f}{median(runs, 'peak_rss_mib'):>10.0f}"
              f"{statistics.mean(r['events'] for r in runs):>11,.0f}{sl:>7.3f}")  # fmt: skip
    one, two = results.get("scale_1m_1y"), results.get("scale_1m_2y")
    if one and two:
        ratio = median(two, "peak_rss_mib") / median(one, "peak_rss_mib")
        print(f"peak memory 2 years / 1 year (1M customers) = {ratio:.2f}")


def sweep_times(repeats: int) -> None:
    timings: dict[str, list[float]] = {"basic": [], "joblib": []}
    for _ in range(repeats):
        for launcher in timings:
            with tempfile.TemporaryDirectory() as tmp:
                started = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "sim", "-m", *SWEEP_JOBS,
                     f"hydra/launcher={launcher}", f"hydra.sweep.dir={tmp}"],
                    cwd=ROOT, capture_output=True, check=True,
                    env={**os.environ, "SUPPORTSIM_PROGRESS": "0"},
                )  # fmt: skip
                timings[launcher].append(time.perf_counter() - started)
    serial, parallel = (statistics.median(timings[k]) for k in ("basic", "joblib"))
    print(f"\nsweep of 8 jobs on {os.cpu_count()} cores: serial {serial:.1f} s, "
          f"joblib {parallel:.1f} s, speed-up {serial / parallel:.2f}×")  # fmt: skip


# Morris screening at the reference organisation: the first MORRIS_PARAMETERS parameters
# of the registry, r trajectories, one seed per point, 120 days of the default scenario.
MORRIS_PARAMETERS = 30


def morris_time(trajectories: int) -> None:
    """Wall time of ``experiment=sensitivity``-style Morris screening on the joblib
    launcher (every core), the whole command measured as a user would time it."""
    sys.path.insert(0, str(ROOT))
    import pandas as pd

    from sim.analysis.uncertainty.parameters import PARAMETERS

    keys = ",".join(p.key for p in PARAMETERS[:MORRIS_PARAMETERS])
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "sim", "-m", "hydra/sweeper=design", "horizon_days=120",
             "seeds=[0]", "hydra.sweeper.design=morris",
             f"hydra.sweeper.trajectories={trajectories}",
             f"hydra.sweeper.parameters=[{keys}]", f"hydra.sweep.dir={tmp}"],
            cwd=ROOT, capture_output=True, check=True,
            env={**os.environ, "SUPPORTSIM_PROGRESS": "0"},
        )  # fmt: skip
        elapsed = time.perf_counter() - started
        indices = pd.read_csv(Path(tmp) / "sensitivity.csv")
    points = (MORRIS_PARAMETERS + 1) * trajectories
    print(f"\nMorris over {MORRIS_PARAMETERS} parameters, r = {trajectories} ({points} runs of "
          f"120 days at the reference size) on {os.cpu_count()} cores: "
          f"{elapsed / 60:.1f} min")  # fmt: skip
    mu_star = indices[indices["index"] == "mu_star"]
    for outcome, rows in mu_star.groupby("outcome"):
        top = rows.nlargest(10, "value")
        print(f"  μ* top ten, {outcome}:")
        for row in top.itertuples():
            print(f"    {row.parameter:55s} {row.value:12.6g} ± {row.half_width_95:.3g}")


# A design of many short jobs, as a sensitivity study on a cluster sends them: Latin
# hypercube over the registry, 60-day runs of the small organisation, 4 seeds per job.
DESIGN_JOBS = ["hydra/sweeper=design", "hydra.sweeper.design=latin", "size=small",
               "horizon_days=60", "seeds=[0,1,2,3]"]  # fmt: skip


# Runs a command and prints the largest peak resident memory of the processes it waited
# for (the sweep and its workers), in MiB: Linux's ru_maxrss for children.
PEAK_OF_CHILDREN = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
    "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
)


def _peak_of_command(arguments: list[str]) -> float:
    """Peak resident memory (MiB) of ``python ARGUMENTS`` and the workers it waits for."""
    done = subprocess.run(
        [sys.executable, "-c", PEAK_OF_CHILDREN, sys.executable, *arguments],
        cwd=ROOT, capture_output=True, text=True, check=True,
        env={**os.environ, "SUPPORTSIM_PROGRESS": "0"},
    )  # fmt: skip
    return float(done.stdout.strip().splitlines()[-1])


def design_times(points: int) -> None:
    """Wall time and the largest process's peak memory of a ``points``-point design, run
    one job at a time (basic launcher) and on every core (joblib): the speed-up of a
    study that fills the machine, start-up and collection included."""
    timings: dict[str, tuple[float, float]] = {}
    for launcher in ("basic", "joblib"):
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            peak_mib = _peak_of_command(
                ["-m", "sim", "-m", *DESIGN_JOBS, f"hydra.sweeper.draws={points}",
                 f"hydra/launcher={launcher}", f"hydra.sweep.dir={tmp}"]
            )  # fmt: skip
            timings[launcher] = (time.perf_counter() - started, peak_mib)
    (serial, serial_mib), (parallel, parallel_mib) = timings["basic"], timings["joblib"]
    print(f"\ndesign of {points} points × 4 seeds (60 days, size small) on {os.cpu_count()} "
          f"cores: serial {serial / 60:.1f} min (peak {serial_mib:.0f} MiB), joblib "
          f"{parallel / 60:.1f} min (peak {parallel_mib:.0f} MiB), speed-up "
          f"{serial / parallel:.2f}×")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--scale", action="store_true", help="also the scale cases (slow)")
    parser.add_argument("--sweep", action="store_true", help="also sweep throughput")
    parser.add_argument("--no-full", action="store_true", help="skip the full default year")
    parser.add_argument(
        "--bound", action="store_true", help="also the full year with free journey ends"
    )
    parser.add_argument(
        "--morris", type=int, default=0, metavar="R", help="also Morris with R trajectories"
    )
    parser.add_argument(
        "--design", type=int, default=0, metavar="N", help="also an N-point design (200)"
    )
    args = parser.parse_args()
    peers = [c for c in KERNEL_PEERS if c != "ciw" or importlib.util.find_spec("ciw")]
    cases = (
        peers + ([] if args.no_full else ["full"]) + (["bound_free_verdict"] if args.bound else [])
    )
    print(f"kernel and peers ({args.repeats} alternating repeats, fresh process each):")
    results = alternate(cases, args.repeats)
    kernel_table({c: results[c] for c in peers})
    whole_process_times(args.repeats)
    if not args.no_full:
        full_table(results["full"], results["kernel"])
    if args.bound:
        bound_title = "bound, the full year with every journey's end free (not a model)"
        full_table(results["bound_free_verdict"], results["kernel"], bound_title)
    if args.scale:
        print("\nscale (1 repeat each):")
        scale_table(alternate(SCALE_CASES, 1))
    if args.sweep:
        sweep_times(1)
    if args.morris:
        morris_time(args.morris)
    if args.design:
        design_times(args.design)


if __name__ == "__main__":
    main()
