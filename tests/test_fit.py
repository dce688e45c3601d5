"""``python -m sim.fit``: round trips through the model (simulate with known parameters,
fit the log, recover them within their intervals) and one clear line per malformed file.

Every interval is checked at a Bonferroni level (5 % over all the checks of a test), so
the truth falls outside one by chance in fewer than one seed in twenty; the seeds are
fixed, so a test passes or fails the same way on every machine.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import sim
from sim.analysis.fitting import FitOptions, fit_contacts, fit_intervals, inputs, preset_yaml
from sim.app import fit_command
from sim.app.outputs import SUMMARY
from sim.model.demand import weekly_profile

from .conftest import erlang_config, run_cli

HOURS = [0.2, 0.15, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1.3, 1.6, 1.7, 1.6,
         1.4, 1.5, 1.6, 1.5, 1.3, 1.1, 0.9, 0.8, 0.7, 0.6, 0.4, 0.3]  # fmt: skip
WEEKDAYS = [1.2, 1.1, 1.0, 1.0, 1.0, 0.7, 0.5]
BREAKS_MIN, HAZARD_PER_MIN = [1.0, 3.0], [0.1, 0.3, 0.15]
RATE_PER_HOUR, MEAN_HANDLE_MIN, HANDLE_CV = 50.0, 6.0, 0.8
REDIAL_PROB, REDIAL_DELAY_MIN, MAX_ATTEMPTS = 0.5, 15.0, 3


def _known_centre(days: int, *extra: str):
    return erlang_config(
        RATE_PER_HOUR,
        MEAN_HANDLE_MIN,
        10,
        4.0,
        days,
        f"demand.hour_profile={HOURS}",
        f"demand.weekday_profile={WEEKDAYS}",
        "channels.phone.handle_time.kind=lognormal",
        f"channels.phone.handle_time.cv={HANDLE_CV}",
        "channels.phone.patience.kind=hazard",
        f"channels.phone.patience.hazard_breaks_min={BREAKS_MIN}",
        f"channels.phone.patience.hazard_per_min={HAZARD_PER_MIN}",
        f"channels.phone.retrial.prob={REDIAL_PROB}",
        f"channels.phone.retrial.mean_delay_min={REDIAL_DELAY_MIN}",
        f"channels.phone.retrial.max_attempts={MAX_ATTEMPTS}",
        "record.contacts=true",
        *extra,
    )


def _event_log(days: int, seed: int, *extra: str) -> pd.DataFrame:
    """A simulated centre's event log, timestamped as contacts.parquet is."""
    events = pd.DataFrame(sim.run(_known_centre(days, *extra), seed).contacts)
    start = pd.Timestamp("2024-01-01")
    return events.assign(timestamp=start + pd.to_timedelta(events["time_min"], unit="min"))


@pytest.fixture(scope="module")
def four_weeks() -> pd.DataFrame:
    return _event_log(28, 11)


def _true_profiles() -> tuple[np.ndarray, np.ndarray]:
    hours, days = np.array(HOURS), np.array(WEEKDAYS)
    return hours / hours.mean(), days / days.mean()


def _assert_profiles_cover(fit, level_checks: int) -> None:
    hours, days = _true_profiles()
    demand = fit.channels["phone"].demand
    missed = [h for h, e in enumerate(demand.hour_profile) if not e.covers(hours[h])]
    assert not missed, f"hours outside their intervals: {missed}"
    missed = [d for d, e in enumerate(demand.weekday_profile) if not e.covers(days[d])]
    assert not missed, f"weekdays outside their intervals: {missed}"
    assert level_checks > 0


def test_a_simulated_event_log_gives_back_the_parameters_it_was_made_with(four_weeks):
    scalars = 8
    options = FitOptions(level=1 - 0.05 / scalars, patience_breaks_min=BREAKS_MIN)
    fit = fit_contacts(inputs.from_event_log(four_weeks), "events", options)
    phone = fit.channels["phone"]
    assert set(fit.channels) == {"phone"} and fit.days == 28
    assert phone.demand.rate_per_hour.covers(RATE_PER_HOUR)
    assert (phone.demand.open_hour, phone.demand.close_hour) == (0, 24)
    assert phone.handle_time.kind == "lognormal"
    assert phone.handle_time.mean_min.covers(MEAN_HANDLE_MIN)
    assert phone.handle_time.cv.covers(HANDLE_CV)
    assert phone.patience.breaks_min == BREAKS_MIN
    for estimate, truth in zip(phone.patience.hazard_per_min, HAZARD_PER_MIN, strict=True):
        assert estimate.covers(truth), (estimate, truth)
    assert phone.redial.max_attempts == MAX_ATTEMPTS
    assert phone.redial.prob.covers(REDIAL_PROB)
    assert phone.redial.mean_delay_min.covers(REDIAL_DELAY_MIN)
    profile_checks = 24 + 7
    fit = fit_contacts(
        inputs.from_event_log(four_weeks), "events", FitOptions(level=1 - 0.05 / profile_checks)
    )
    _assert_profiles_cover(fit, profile_checks)


def test_interval_counts_alone_give_back_the_rate_profile_and_day_to_day_swing():
    events = _event_log(56, 12, "demand.rate_cv=0.2", "erlang.arrival_rate_per_hour=20")
    arrivals = events.loc[events["event"] == "arrival", "timestamp"]
    counts = (
        arrivals.dt.floor("15min").value_counts().rename_axis("start").reset_index(name="contacts")
    )
    counts["channel"] = "phone"
    fit = fit_intervals(inputs.interval_counts(counts), FitOptions(level=1 - 0.05 / 32))
    assert fit.layout == "intervals" and fit.days == 56
    assert fit.channels["phone"].demand.rate_per_hour.covers(20.0)
    assert fit.channels["phone"].handle_time is None
    _assert_profiles_cover(fit, 31)
    assert fit.rate_cv == pytest.approx(0.2, abs=0.08)  # about four standard errors


def test_the_fitted_preset_runs_and_staffs_the_centre_to_its_goal(four_weeks, tmp_path: Path):
    """A centre's contact log (CSV, callers, no event layout) through the command line, then
    simulated as ``python -m sim --config-dir DIR scenario=NAME staffing=from_forecast``."""
    log = inputs.from_event_log(four_weeks)
    export = log.assign(outcome=np.where(log["answered"], "answered", "abandoned"))
    export = export.drop(columns="answered")
    export.to_csv(tmp_path / "acd.csv", index=False)
    out = tmp_path / "configs" / "scenario" / "our_centre.yaml"
    fitted = run_cli(str(tmp_path / "acd.csv"), "--out", str(out), module="sim.fit")
    assert fitted.returncode == 0, fitted.stderr
    text = out.read_text()
    assert text.startswith("# @package _global_\n")
    preset = yaml.safe_load(text)
    phone = preset["channels"]["phone"]
    assert phone["arrival_rate_per_hour"] == pytest.approx(RATE_PER_HOUR, rel=0.03)
    assert phone["retrial"]["prob"] == pytest.approx(REDIAL_PROB, abs=0.03)
    shape = weekly_profile(sim.config.DemandConfig(), sim.config.ChannelConfig(**{
        "hour_profile": phone["hour_profile"], "weekday_profile": phone["weekday_profile"]
    }))  # fmt: skip
    truth = weekly_profile(sim.config.DemandConfig(HOURS, WEEKDAYS))
    assert np.max(np.abs(shape - truth)) < 0.15
    run = tmp_path / "run"
    done = run_cli(
        "--config-dir",
        str(tmp_path / "configs"),
        "scenario=our_centre",
        "staffing=from_forecast",
        "staffing.plan.pilot_weeks=1",
        "horizon_days=8",
        "output.figures=false",
        f"hydra.run.dir={run}",
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads((run / SUMMARY).read_text())
    # Planned to 80 % in 20 s every hour from the fitted demand: near it overall, and far
    # from the 10 agents the log was made with (which answered fewer than half in time).
    assert 0.7 < summary["phone_service_level"] < 0.95
    assert summary["p_abandon"] < 0.1


def _good(rows: int = 400) -> pd.DataFrame:
    """A small contact log that fits: lognormal handle times, exponential waits, one
    contact in ten abandoned (every malformed file below is this with one fault)."""
    rng = np.random.default_rng(7)
    abandoned = rng.random(rows) < 0.1
    handle = np.where(abandoned, np.nan, rng.lognormal(np.log(5.0), 0.6, rows).round(2))
    return pd.DataFrame(
        {
            "arrival": pd.date_range("2024-01-01", periods=rows, freq="30min").astype(str),
            "channel": "phone",
            "outcome": np.where(abandoned, "abandoned", "answered"),
            "wait_min": rng.exponential(0.8, rows).round(2),
            "handle_min": handle,
        }
    )


GOOD = _good()


def _with(**changes) -> pd.DataFrame:
    frame = GOOD.copy()
    for column, (row, value) in changes.items():
        frame[column] = frame[column].astype(object)
        frame.loc[row, column] = value
    return frame


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (GOOD.drop(columns="wait_min"), "missing column 'wait_min'"),
        (_with(arrival=(7, "yesterday at noon")), "row 9: unparseable time 'yesterday at noon'"),
        (_with(handle_min=(0, "")), "row 2: 'handle_min' must be a number of minutes, got an"),
        (_with(wait_min=(5, 1e308)), "row 7: 'wait_min' is 1e+308 min, more than 10,080"),
        (_with(arrival=(9, "2014-01-05 04:30:00")), "row 11: arrival 2014-01-05 04:30 lies"),
        (
            GOOD.assign(arrival=pd.to_datetime(GOOD["arrival"]).dt.strftime("%d/%m/%Y %H:%M")),
            "row 2: unparseable time '01/01/2024 00:00' in column 'arrival' read as ISO 8601",
        ),
        (
            _with(arrival=(3, "2024-01-01T01:30:00+01:00")),
            "row 5: time '2024-01-01T01:30:00+01:00' in column 'arrival' has a UTC offset where",
        ),
        (
            pd.DataFrame(
                {
                    "start": pd.date_range("2024-01-01", periods=700, freq="h").astype(str),
                    "channel": "phone",
                    "contacts": 0,
                }
            ),
            "column 'contacts': fewer than 30 contacts on every channel (0 in all)",
        ),
        (_with(wait_min=(3, -2.0)), "row 5: negative duration -2 in 'wait_min'"),
        (_with(handle_min=(4, "abc")), "row 6: 'handle_min' must be a number of minutes"),
        (_with(channel=(2, "fax")), "row 4: channel 'fax' is not one of phone, chat, email"),
        (_with(outcome=(1, "maybe")), "row 3: outcome 'maybe' is not answered or abandoned"),
        (GOOD.head(100), "the data cover 3 day(s): fitting needs at least one whole week"),
        (GOOD.head(0), "no rows"),
        (
            pd.DataFrame({"start": ["2024-01-01"], "channel": ["phone"], "contacts": [-1]}),
            "row 2: contacts must be a whole number ≥ 0",
        ),
        (
            pd.DataFrame(
                {
                    "start": pd.date_range("2024-01-01", periods=30, freq="D").astype(str),
                    "channel": "phone",
                    "contacts": 500,
                }
            ),
            "intervals of 1440 min: the hour profile needs intervals that divide an hour",
        ),
    ],
)
def test_a_malformed_file_is_one_line_naming_row_and_column_and_nothing_is_written(
    frame, message, tmp_path, capsys
):
    source, out = tmp_path / "log.csv", tmp_path / "scenario" / "centre.yaml"
    frame.to_csv(source, index=False)
    assert fit_command.main([str(source), "--out", str(out)]) == fit_command.EXIT_BAD_INPUT
    error = capsys.readouterr().err
    assert message in error, error
    assert error.count("\n") == 1 and error.startswith("python -m sim.fit: error: ")
    assert "np." not in error
    assert not out.parent.exists() or not any(out.parent.iterdir())


def _fitted(frame: pd.DataFrame, tmp_path: Path, capsys, *flags: str) -> tuple[dict, str, str]:
    """Fit ``frame`` through the command: (the preset, its text, what was said on stderr)."""
    tmp_path.mkdir(exist_ok=True)
    source, out = tmp_path / "log.csv", tmp_path / "scenario" / "centre.yaml"
    frame.to_csv(source, index=False)
    assert fit_command.main([str(source), "--out", str(out), *flags]) == 0
    text = out.read_text()
    return yaml.safe_load(text), text, capsys.readouterr().err


def test_the_good_frame_fits(tmp_path, capsys):
    preset, text, said = _fitted(GOOD, tmp_path, capsys)
    assert preset["channels"]["phone"]["handle_time"]["kind"] in ("lognormal", "gamma")
    assert "Caveat" not in text and said == ""
    assert "times read as ISO 8601" in text


@pytest.mark.parametrize(
    ("frame", "flags", "caveat"),
    [
        (GOOD.assign(handle_min=np.where(GOOD["outcome"] == "answered", 5.0, np.nan)), (),
         "handle times all 5 min: fitted as lognormal with CV 0.01"),
        (GOOD.assign(outcome="abandoned", handle_min=np.nan), (),
         "phone: handle time: 0 answered: not fitted"),
        (GOOD.assign(wait_min=0.0), (), "every wait is 0, so no time to measure it over"),
        (GOOD.assign(caller=""), (), "caller: every cell empty, so redials are not fitted"),
        (GOOD.assign(arrival=GOOD["arrival"] + np.where(GOOD.index < 200, "+01:00", "+02:00")),
         (), "arrival: 2 different UTC offsets (daylight saving)"),
        (GOOD.assign(arrival=pd.to_datetime(GOOD["arrival"]).dt.strftime("%d/%m/%Y %H:%M")),
         ("--dayfirst",), ""),
    ],
)  # fmt: skip
def test_real_exports_fit_with_their_caveat_in_the_preset(frame, flags, caveat, tmp_path, capsys):
    preset, text, said = _fitted(frame, tmp_path, capsys, *flags)
    assert preset["channels"]["phone"]["arrival_rate_per_hour"] > 0
    assert caveat in text and caveat in said
    if flags:
        assert "times read as day-first dates" in text and preset["horizon_days"] > 0


def test_a_day_first_file_read_day_first_is_the_iso_file(tmp_path, capsys):
    iso = _fitted(GOOD, tmp_path / "iso", capsys)[0]
    day_first = GOOD.assign(arrival=pd.to_datetime(GOOD["arrival"]).dt.strftime("%d/%m/%Y %H:%M"))
    assert _fitted(day_first, tmp_path / "dmy", capsys, "--dayfirst")[0] == iso


def test_an_out_path_that_cannot_be_made_or_a_file_too_large_is_refused_first(tmp_path, capsys):
    GOOD.to_csv(tmp_path / "log.csv", index=False)
    (tmp_path / "plain").write_text("a file, not a folder")
    out = tmp_path / "plain" / "scenario" / "centre.yaml"
    assert fit_command.main([str(tmp_path / "log.csv"), "--out", str(out)]) == 2
    assert "plain is a file, not a folder" in capsys.readouterr().err
    out = tmp_path / "scenario" / "centre.yaml"
    assert fit_command.main([str(tmp_path / "log.csv"), "--out", str(out), "--max-mb", "0.001"])
    error = capsys.readouterr().err
    assert "is more than --max-mb 0" in error and not out.exists()


def test_a_missing_or_unreadable_file_and_a_bad_preset_name_are_refused(tmp_path, capsys):
    out = str(tmp_path / "scenario" / "centre.yaml")
    assert fit_command.main([str(tmp_path / "none.csv"), "--out", out]) == 2
    assert "no such file" in capsys.readouterr().err
    (tmp_path / "x.parquet").write_text("not parquet")
    assert fit_command.main([str(tmp_path / "x.parquet"), "--out", out]) == 2
    assert "not a readable CSV or Parquet file" in capsys.readouterr().err
    GOOD.to_csv(tmp_path / "log.csv", index=False)
    assert fit_command.main([str(tmp_path / "log.csv"), "--out", str(tmp_path / "a b.yml")]) == 2
    assert "must be DIR/scenario/NAME.yaml" in capsys.readouterr().err


def test_without_callers_every_attempt_is_demand_and_the_preset_adds_no_redials(four_weeks):
    log = inputs.from_event_log(four_weeks).drop(columns="caller")
    fit = fit_contacts(log, "contacts", FitOptions())
    phone = fit.channels["phone"]
    assert phone.redial is None
    # the redials are in the rate now: above the 50 fresh calls an hour
    assert phone.demand.rate_per_hour.low > RATE_PER_HOUR
    preset = yaml.safe_load(preset_yaml(fit, "no_callers", "test", 0.95))
    assert preset["channels"]["phone"]["retrial"] == {"prob": 0.0}
    assert preset["channels"]["chat"] == {"arrival_rate_per_hour": 0}
