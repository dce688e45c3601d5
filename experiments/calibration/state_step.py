"""The customers' stationary state, measured by a burn-in of the reference organisation.

Years of the default organisation run with expectations frozen, from fresh customers;
the survivors' state at the end (brought up to date: recovery and decay applied) is the
steady state the measured window should start from. Stored in
``configs/customers/reference.yaml`` as quantiles per state variable and the correlation
of their normal scores (``customers.initial_state``), keeping the survey section as is.
"""

from __future__ import annotations

import argparse

import numpy as np
from scipy.special import ndtri
from scipy.stats import rankdata

from sim.app.compose import compose_config
from sim.config import SEGMENTS, STATE_VARIABLES
from sim.model.org import SupportOrg

from .reference_file import read_reference, write_reference

BURN_IN_YEARS = 5
PROBE_YEARS = 3
LEVELS = np.linspace(0.0, 1.0, 41)


def burn_in(years: int, seed: int, acquisition: dict[str, float]) -> tuple[SupportOrg, dict]:
    """The reference organisation run ``years`` from fresh customers, expectations frozen."""
    config = compose_config(
        [
            f"horizon_days={365 * years}",
            "warmup_days=0",
            "customers.expectations.drift=false",
            "customers.initial_state.stationary=false",
            *(f"customers.acquisition.{key}={value!r}" for key, value in acquisition.items()),
        ]
    )
    org = SupportOrg(config, seed)
    return org, org.run().timeseries


def balanced_acquisition(org: SupportOrg, timeseries: dict) -> dict[str, float]:
    """Acquisition that replaces the last year's churn (its rate: the share of the
    population to win each year) at the reputation reached."""
    churned = np.asarray(timeseries["customers_churned"][-365:], dtype=float).sum()
    customers = np.asarray(timeseries["customers_end"][-365:], dtype=float).mean()
    reputation = org.customers.word_of_mouth.reputation()
    return {
        "base_share_per_year": round(float(churned / customers), 5),
        "reference_reputation": round(float(reputation), 4),
    }


def state_of(org: SupportOrg) -> dict[str, np.ndarray]:
    """Each state variable over the customers active at the end, brought up to date."""
    behaviour = org.customers
    pop = behaviour.population
    slots = np.flatnonzero(pop.active)
    pop.bring_up_to_date(slots, org.env.now, behaviour._state_time)
    customers = org.config.customers
    base = np.array([getattr(customers, s).expectation_multiplier for s in SEGMENTS])
    ratio = pop.expectation[slots] / base[pop.segment[slots]]
    state = {name: getattr(pop, name)[slots].astype(float) for name in STATE_VARIABLES[:-1]}
    state["expectation_ratio"] = np.minimum(ratio, 1.0)
    return state


def copula(state: dict[str, np.ndarray]) -> dict[str, list[float]]:
    """Quantiles at ``LEVELS`` per variable, and the correlation of normal scores."""
    stored: dict[str, list[float]] = {"probabilities": [round(float(p), 6) for p in LEVELS]}
    scores = []
    for name in STATE_VARIABLES:
        values = state[name]
        stored[name] = [round(float(q), 6) for q in np.quantile(values, LEVELS)]
        ranks = rankdata(values) / (len(values) + 1)
        scores.append(ndtri(ranks))
    correlation = np.corrcoef(np.array(scores))
    stored["correlation"] = [round(float(c), 6) for c in correlation.ravel()]
    return stored


def main(args: argparse.Namespace) -> None:
    seed = args.seeds or 0
    reference = read_reference()
    acquisition = reference.get("acquisition", {})
    # Pass 1 finds the acquisition that replaces steady churn; pass 2 runs with it, so the
    # burn-in's population stays at the reference size and its state is that size's.
    acquisition = balanced_acquisition(*burn_in(PROBE_YEARS, seed, acquisition))
    print("acquisition balancing churn:", acquisition)
    org, _ = burn_in(BURN_IN_YEARS, seed, acquisition)
    state = state_of(org)
    reference["acquisition"] = acquisition
    reference["initial_state"] = {"stationary": True, **copula(state)}
    write_reference(reference)
    for name in STATE_VARIABLES:
        values = state[name]
        print(f"{name:18s} mean {values.mean():.4f}  p10 {np.quantile(values, 0.1):.4f}")
    print(f"{len(state['loyalty'])} customers after {BURN_IN_YEARS} years of burn-in")
