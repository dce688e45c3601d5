"""A minimal, idiomatic bare-SimPy M/M/n+M model: the yardstick for our kernel.

Customers are processes; each requests an agent and races the request against its
patience (``yield request | timeout``), as the SimPy documentation teaches.
"""

from __future__ import annotations

import random

import simpy


def simulate(
    arrival_rate_per_hour: float = 100.0,
    mean_service_min: float = 6.0,
    servers: int = 11,
    mean_patience_min: float = 5.0,
    days: float = 84.0,
    warmup_days: float = 1.0,
    seed: int = 0,
) -> dict[str, float]:
    rng = random.Random(seed)
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=servers)
    warmup_min = warmup_days * 1440.0
    stats = {"arrived": 0, "abandoned": 0, "waited": 0, "wait_sum_min": 0.0}

    def customer():
        arrived = env.now
        counted = arrived >= warmup_min
        if counted:
            stats["arrived"] += 1
            stats["waited"] += agents.count >= servers
        with agents.request() as request:
            patience = env.timeout(rng.expovariate(1.0 / mean_patience_min))
            result = yield request | patience
            if counted:
                stats["wait_sum_min"] += env.now - arrived
            if request in result:
                yield env.timeout(rng.expovariate(1.0 / mean_service_min))
            elif counted:
                stats["abandoned"] += 1

    def source():
        while True:
            yield env.timeout(rng.expovariate(arrival_rate_per_hour / 60.0))
            env.process(customer())

    env.process(source())
    env.run(until=days * 1440.0)
    n = stats["arrived"]
    return {
        "contacts_arrived": n,
        "p_abandon": stats["abandoned"] / n,
        "p_wait": stats["waited"] / n,
        "mean_wait_min": stats["wait_sum_min"] / n,
    }


if __name__ == "__main__":
    print(simulate())
