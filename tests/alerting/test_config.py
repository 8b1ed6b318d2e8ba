"""The `[alerting]` section as users write it in nbaprops.toml."""

from __future__ import annotations

import inspect
import textwrap
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import SecretStr

import nbaprops.alerting
import nbaprops.alerting.config
from nbaprops.alerting import AlertingConfig, Severity
from nbaprops.alerting.config import derived_channel_name
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
        ("mailtos-0", Severity.CRITICAL),
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
            r"alerting\.channels: Value error, channel names must be unique; repeated: a "
            r"\(set in nbaprops\.toml or NBAPROPS_ALERTING__CHANNELS\)",
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


@pytest.mark.parametrize(
    ("url", "index", "taken", "name"),
    [
        ("mailtos://user:app-password@smtp.example.com?to=ops@example.com", 0, set(), "mailtos-0"),
        ("JSONL://alerts.jsonl", 3, set(), "jsonl-3"),
        (SecretStr("slack://T1/B2/secret-token"), 1, set(), "slack-1"),
        ("user:password@smtp.example.com", 2, set(), "channel-2"),
        ("pass word://x", 0, set(), "channel-0"),
        (None, 4, set(), "channel-4"),
        ("json://127.0.0.1/hook", 0, {"json-0"}, "json-0-2"),
        ("json://127.0.0.1/hook", 0, {"json-0", "json-0-2"}, "json-0-3"),
    ],
)
def test_a_derived_channel_name_is_the_scheme_and_position(
    url: object, index: int, taken: set[str], name: str
) -> None:
    assert derived_channel_name(url, index, taken=taken) == name


def test_the_documented_form_without_names_loads(tmp_path: Path) -> None:
    path = tmp_path / "nbaprops.toml"
    path.write_text(
        '[[alerting.channels]]\nurl = "mailtos://u:pw@smtp.example.com"\nmin_severity = "critical"\n'
        '[[alerting.channels]]\nurl = "jsonl://alerts.jsonl"\nmin_severity = "info"\n',
        encoding="utf-8",
    )
    assert [c.name for c in load_settings(path).alerting.channels] == ["mailtos-0", "jsonl-1"]


@given(
    channels=st.lists(
        st.tuples(
            st.sampled_from(["mailtos", "json", "jsonl", "slack", "Discord", "", "bad scheme"]),
            st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=12, max_size=20),
            st.one_of(st.none(), st.sampled_from(["json-0", "json-1", "mailtos-1", "ops", "channel-2"])),
        ),
        max_size=6,
    )
)
def test_channel_names_are_unique_and_never_hold_the_url(
    channels: list[tuple[str, str, str | None]],
) -> None:
    explicit = [name for _, _, name in channels if name is not None]
    assume(len(explicit) == len(set(explicit)))
    tables = [
        {"url": f"{scheme}://{secret}", **({"name": name} if name else {})} for scheme, secret, name in channels
    ]
    names = [channel.name for channel in AlertingConfig.model_validate({"channels": tables}).channels]
    assert len(names) == len(set(names))
    for (_, secret, given_name), name in zip(channels, names, strict=True):
        assert name == given_name if given_name else secret not in name
