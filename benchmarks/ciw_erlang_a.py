"""The same M/M/n+M model in Ciw 3 (``pip install -e ".[bench]"``): a peer to compare with.

Ciw's own idiom: one node, exponential arrivals, service and reneging distributions;
results are read from its records after the run, as its documentation shows.
"""

from __future__ import annotations

import ciw


def simulate(
    arrival_rate_per_hour: float = 100.0,
    mean_service_min: float = 6.0,
    servers: int = 11,
    mean_patience_min: float = 5.0,
    days: float = 84.0,
    warmup_days: float = 1.0,
    seed: int = 0,
) -> dict[str, float]:
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=arrival_rate_per_hour / 60.0)],
        service_distributions=[ciw.dists.Exponential(rate=1.0 / mean_service_min)],
        number_of_servers=[servers],
        reneging_time_distributions=[ciw.dists.Exponential(rate=1.0 / mean_patience_min)],
    )
    ciw.seed(seed)
    simulation = ciw.Simulation(network)
    simulation.simulate_until_max_time(days * 1440.0)
    warmup_min = warmup_days * 1440.0
    records = [r for r in simulation.get_all_records() if r.arrival_date >= warmup_min]
    served = [r for r in records if r.record_type == "service"]
    reneged = [r for r in records if r.record_type == "renege"]
    n = len(served) + len(reneged)
    return {
        "contacts_arrived": n,
        "p_abandon": len(reneged) / n,
        "p_wait": sum(r.waiting_time > 0 for r in served + reneged) / n,
        "mean_wait_min": sum(r.waiting_time for r in served + reneged) / n,
    }


if __name__ == "__main__":
    print(simulate())
