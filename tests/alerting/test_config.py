"""The `[alerting]` section as users write it in nbaprops.toml."""

from __future__ import annotations

import inspect
import textwrap
from pathlib import Path

import pytest

import nbaprops.alerting
import nbaprops.alerting.config
from nbaprops.alerting import Severity
from nbaprops.config import load_settings, redacted
from nbaprops.errors import ConfigError


def documented_example() -> str:
    doc = inspect.getdoc(nbaprops.alerting.config) or ""
    return textwrap.dedent(doc.split("Example (`nbaprops.toml`):", 1)[1])


def test_the_documented_example_loads(tmp_path: Path) -> None:
    path = tmp_path / "nbaprops.toml"
    path.write_text(documented_example(), encoding="utf-8")
    alerting = load_settings(path).alerting
    assert alerting.group_wait_seconds == 30
    assert alerting.rules.phase3_data_stale.max_age_hours == 3
    assert [(c.name, c.min_severity) for c in alerting.channels] == [
        ("ops-mail", Severity.CRITICAL),
        ("log", Severity.INFO),
    ]
    shown = redacted(load_settings(path))["alerting"]["channels"][0]["url"]
    assert shown == "**********"


def test_defaults_match_the_issue(tmp_path: Path) -> None:
    alerting = load_settings(tmp_path / "missing.toml").alerting
    rules = alerting.rules
    assert rules.phase3_completion_low.min_completion_ratio == 0.8
    assert rules.phase3_data_stale.max_age_hours == 2
    assert rules.phase4_not_triggered.max_delay_minutes == 30
    assert rules.grading_accuracy_low.max_accuracy == 0.30
    assert rules.prediction_volume_low.min_predictions == 200
    assert (rules.worker_errors_high.max_errors, rules.worker_errors_high.window_minutes) == (5, 5)
    assert (alerting.group_wait_seconds, alerting.group_interval_seconds) == (30, 300)
    assert alerting.repeat_interval_seconds == 4 * 3600
    assert alerting.channels == []


def test_environment_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NBAPROPS_ALERTING__GROUP_WAIT_SECONDS", "5")
    assert load_settings(tmp_path / "missing.toml").alerting.group_wait_seconds == 5


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            '[[alerting.channels]]\nname = "x"\nurl = "console://"\nmin_severity = "loud"\n',
            r"alerting\.channels\.0\.min_severity: Input should be 'info', 'warning' or 'critical'",
        ),
        (
            '[[alerting.inhibit_rules]]\nsource = ["na me=x"]\ntarget = ["name=y"]\n',
            r"alerting\.inhibit_rules\.0\.source: Value error, Matcher 'na me=x' is not valid",
        ),
        (
            "[alerting.rules.phase3_data_stale]\nmax_age = 3\n",
            r"alerting\.rules\.phase3_data_stale\.max_age: Extra inputs are not permitted",
        ),
        (
            '[[alerting.channels]]\nname = "a"\nurl = "console://"\n'
            '[[alerting.channels]]\nname = "a"\nurl = "console://"\n',
            r"alerting: Value error, alerting\.channels names must be unique",
        ),
    ],
)
def test_mistakes_name_the_key(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "nbaprops.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_settings(path)


def test_public_api_is_exactly_all() -> None:
    public = {
        name
        for name, value in vars(nbaprops.alerting).items()
        if not name.startswith("_") and not inspect.ismodule(value)
    }
    assert public == set(nbaprops.alerting.__all__)
