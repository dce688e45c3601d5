"""One measurement in a fresh process: ``python benchmarks/measure.py CASE SEED``.

Prints one JSON line: wall seconds of the simulation itself (imports and configuration
excluded), the events it simulated (arrivals or contacts), its answers, and the process's
peak resident memory. A fresh process per measurement keeps peak memory honest and
stops one case's garbage from timing another.
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

ERLANG_A = {
    "arrival_rate_per_hour": 100.0,
    "mean_service_min": 6.0,
    "servers": 11,
    "mean_patience_min": 5.0,
    "days": 84.0,
}
# More customers bring more contacts: staff in proportion to the reference organisation
# (500,000 customers, staffing.scale 1), as configs/size/ does.
SCALE_STAFFING = {
    100_000: ["staffing.scale=0.2"],
    1_000_000: ["staffing.scale=2.0"],
}
FULL_CASES = {
    "full": ["horizon_days=365"],
    "scale_100k_1y": ["customers.population=100000", "horizon_days=365"],
    "scale_1m_1y": ["customers.population=1000000", "horizon_days=365"],
    "scale_1m_2y": ["customers.population=1000000", "horizon_days=730"],
    "bound_free_verdict": ["horizon_days=365"],
}


def _without_the_customers_verdict() -> None:
    """A bound, not a model: every journey's end costs nothing (no score, no loyalty
    change, no word of mouth, no chance to leave). What the full year then costs per
    contact is the most that making the customer's verdict cheaper could ever buy."""
    from sim.model.behaviour import CustomerBehaviour

    CustomerBehaviour.on_journey_end = lambda self, contact, resolved: None  # type: ignore[method-assign]


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def measure(case: str, seed: int) -> dict[str, float | str]:
    if case == "bare":
        from bare_simpy_erlang_a import simulate

        run = lambda: simulate(**ERLANG_A, warmup_days=1.0, seed=seed)  # noqa: E731
    elif case == "ciw":
        from ciw_erlang_a import simulate

        run = lambda: simulate(**ERLANG_A, warmup_days=1.0, seed=seed)  # noqa: E731
    else:
        import sim
        from sim.app.compose import compose_config

        if case == "kernel":
            overrides = ["scenario=erlang", *(f"erlang.{k}={v}" for k, v in ERLANG_A.items())]
        else:
            population = 1_000_000 if "1m" in case else 100_000 if "100k" in case else 0
            overrides = [*FULL_CASES[case], *SCALE_STAFFING.get(population, [])]
        config = compose_config(overrides)
        if case.startswith("bound_"):
            _without_the_customers_verdict()
        run = lambda: sim.run(config, seed).summary  # noqa: E731
    gc.collect()
    started = time.perf_counter()
    summary = run()
    seconds = time.perf_counter() - started
    return {
        "case": case,
        "seed": seed,
        "seconds": seconds,
        "events": summary["contacts_arrived"],
        "p_abandon": summary["p_abandon"],
        "p_wait": summary["p_wait"],
        "customers_end": summary.get("customers_end"),
        "service_level": summary.get("service_level"),
        "peak_rss_mib": peak_rss_mib(),
    }


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1], int(sys.argv[2]))))
