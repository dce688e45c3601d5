"""The registry of uncertain parameters: valid ranges, one-line errors, documented."""

from __future__ import annotations

import pytest

from sim.analysis.uncertainty.parameters import PARAMETERS, Uncertain, check, markdown_table
from sim.config import ConfigError

from .conftest import ROOT, compose_config


def test_every_range_holds_its_default_and_is_valid_at_both_ends():
    check()
    assert len(PARAMETERS) >= 50 and len({p.key for p in PARAMETERS}) == len(PARAMETERS)


def test_every_parameter_has_a_basis_and_log_ranges_are_positive():
    for p in PARAMETERS:
        assert p.basis, p.key
        assert not p.log or p.low > 0, p.key


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        (Uncertain("customers.loyalty.trust_buffer", 0.4, 1.5), "trust_buffer"),
        (Uncertain("customers.loyalty.trust_buffer", 0.8, 0.9), "default outside"),
        (Uncertain("customers.defection.shape", 3.0, 2.0), "low < high"),
        (Uncertain("customers.requests.rate_per_year", 0.0, 2.0, log=True), "> 0 if log"),
    ],
)
def test_a_range_that_would_make_the_configuration_invalid_is_refused_in_one_line(bad, words):
    with pytest.raises(ConfigError, match=words) as error:
        check((bad,))
    assert "\n" not in str(error.value) and bad.key.split(".")[-1] in str(error.value)


def test_every_key_names_a_numeric_field_a_run_can_override():
    """All of them at their upper ends at once, as a sensitivity design point would."""
    composed = compose_config([f"{p.key}={p.high!r}" for p in PARAMETERS])
    for p in PARAMETERS:
        node = composed
        for part in p.key.split("."):
            node = getattr(node, part)
        assert node == pytest.approx(p.high), p.key


def test_the_registry_is_rendered_in_the_calibration_document():
    from sim.app.schema_docs import REGISTRY_DOC, registry_updated

    text = REGISTRY_DOC.read_text()
    assert registry_updated(text) == text, "run: python -m sim.app.schema_docs --write"
    assert markdown_table() in text
    assert (ROOT / "docs" / "calibration.md") == REGISTRY_DOC
