"""Named streams: reproducible, independent, and immune to the order of creation."""

from __future__ import annotations

import re

import numpy as np

from sim.rng import RowBlocks, Streams, block_sampler, row_sampler


def test_same_seed_same_name_same_draws():
    a = Streams(7).get("arrivals").random(5)
    b = Streams(7).get("arrivals").random(5)
    assert np.array_equal(a, b)


def test_creation_order_does_not_matter():
    first = Streams(7)
    first.get("service/phone")
    late = first.get("arrivals").random(5)
    direct = Streams(7).get("arrivals").random(5)
    assert np.array_equal(late, direct)


def test_names_and_seeds_give_different_streams():
    draws = {
        (seed, name): tuple(Streams(seed).get(name).random(3))
        for seed in (0, 1)
        for name in ("arrivals", "patience/phone", "service/phone")
    }
    assert len(set(draws.values())) == len(draws)


def test_streams_are_uncorrelated():
    streams = Streams(11)
    a = streams.get("arrivals").random(200_000)
    b = streams.get("patience/phone").random(200_000)
    assert abs(np.corrcoef(a, b)[0, 1]) < 0.01


def test_block_sampler_returns_the_generators_sequence():
    direct = np.random.Generator(np.random.PCG64(3)).exponential(2.0, 10)
    rng = np.random.Generator(np.random.PCG64(3))
    sample = block_sampler(lambda n: rng.exponential(2.0, n), block_size=4)
    assert [sample() for _ in range(10)] == direct.tolist()


def test_rows_taken_a_day_at_a_time_are_the_rows_taken_one_at_a_time():
    """Thinning a day's issue candidates in one pass draws exactly what thinning each
    candidate as it comes did: common random numbers survive the vectorisation."""

    def columns_from(rng: np.random.Generator):
        return lambda n: [rng.random(n), rng.lognormal(0.0, 1.0, n)]

    one_by_one = row_sampler(columns_from(np.random.Generator(np.random.PCG64(5))), 7)
    expected = [one_by_one() for _ in range(40)]
    by_day = RowBlocks(columns_from(np.random.Generator(np.random.PCG64(5))), 7)
    taken: list[tuple[float, ...]] = []
    for day in (0, 3, 7, 1, 0, 15, 14):  # within a block, a whole block, across several
        block = by_day.take(day)
        assert [len(column) for column in block] == [day, day]
        taken += zip(*(column.tolist() for column in block))
    assert taken == expected


def test_every_source_of_randomness_has_its_documented_stream():
    """The model draws only from named streams, and the names are the documented ones."""
    from sim.model.org import SupportOrg

    from .conftest import ROOT, compose_config

    org = SupportOrg(compose_config(["horizon_days=3", "warmup_days=1"]), 0)
    org.run()
    documented = (ROOT / "docs" / "design.md").read_text()
    for name in org.streams.names:
        name = re.sub(r"^agents/(\w+)/\d+$", "agents/<pool>/<n>", name)  # one per person
        assert f"`{name}`" in documented, f"stream {name} is not documented in docs/design.md"
    assert {"arrivals", "complexity", "customers/issues", "service/phone"} <= set(org.streams.names)
