"""Shared helpers: configs composed exactly as the CLI composes them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from sim.app.compose import compose_config
from sim.config import Config

ROOT = Path(__file__).resolve().parent.parent

# Property and fuzz tests draw the same examples on every machine and every run: a failure
# reproduces, and CI cannot flake. SUPPORTSIM_HYPOTHESIS_EXPLORE=1 draws new ones locally.
settings.register_profile("reproducible", derandomize=True, database=None, deadline=None)
settings.register_profile("explore", deadline=None)
settings.load_profile(
    "explore" if os.environ.get("SUPPORTSIM_HYPOTHESIS_EXPLORE") == "1" else "reproducible"
)


def erlang_config(
    arrival_rate_per_hour: float,
    mean_service_min: float,
    servers: int,
    mean_patience_min: float | None,
    days: float,
    *extra: str,
) -> Config:
    """``scenario=erlang`` with these knobs (plus any further overrides)."""
    patience = "null" if mean_patience_min is None else repr(mean_patience_min)
    return compose_config(
        [
            "scenario=erlang",
            f"erlang.arrival_rate_per_hour={arrival_rate_per_hour!r}",
            f"erlang.mean_service_min={mean_service_min!r}",
            f"erlang.servers={servers}",
            f"erlang.mean_patience_min={patience}",
            f"erlang.days={days!r}",
            *extra,
        ]
    )


def cli_env(**extra: str) -> dict[str, str]:
    """The environment a user's shell would give (no debugging switches), plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in ("HYDRA_FULL_ERROR",)}
    env.pop("SUPPORTSIM_TRACEBACK", None)
    env.pop("SUPPORTSIM_PROGRESS", None)
    env.update(extra)
    return env


def run_cli(
    *args: str,
    cwd: Path = ROOT,
    timeout: float = 300,
    module: str = "sim",
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess:
    """``python -m sim ARGS`` (or another module) in a subprocess, as a user would type it."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=cwd,
        env=cli_env() if env is None else env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    return tmp_path / "run"
