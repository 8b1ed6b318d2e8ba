from __future__ import annotations

import re
from pathlib import Path

import pytest

from nbaprops.config import Settings, load_settings, redacted
from nbaprops.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_missing_file_gives_the_documented_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "nbaprops.toml")
    assert settings.predictions.edge_threshold == 0.04
    assert settings.replay.line_lead_hours == 3.0
    assert settings.predictions.bookmaker_preference[0] == "draftkings"


def test_toml_values_apply_and_environment_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "nbaprops.toml", "[predictions]\nedge_threshold = 0.06\nmin_history_games = 8\n")
    monkeypatch.setenv("NBAPROPS_PREDICTIONS__EDGE_THRESHOLD", "0.1")
    settings = load_settings(path)
    assert settings.predictions.edge_threshold == 0.1
    assert settings.predictions.min_history_games == 8  # untouched keys of the section survive


@pytest.mark.parametrize(
    ("toml", "env", "message"),
    [
        ("[predictions]\nedge_threshold = 0.9\n", {}, r"predictions\.edge_threshold: Input should be less than 0\.5"),
        ("[replay]\nline_lead_hours = 'soon'\n", {}, r"replay\.line_lead_hours: Input should be a valid number"),
        ("[predictions]\nmarkets = ['steals']\n", {}, r"predictions\.markets\.0: Input should be"),
        ("[nosuch]\nx = 1\n", {}, r"nosuch: Extra inputs are not permitted"),
        ("", {"NBAPROPS_REPLAY__GAME_DURATION_HOURS": "-1"}, r"NBAPROPS_REPLAY__GAME_DURATION_HOURS"),
        ("[predictions\n", {}, r"Cannot read .*nbaprops\.toml.*Fix the TOML syntax"),
    ],
)
def test_an_invalid_value_names_the_key_and_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str, env: dict[str, str], message: str
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError, match=message):
        load_settings(write(tmp_path / "nbaprops.toml", toml))


def test_secrets_are_redacted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NBAPROPS_SOURCES__ODDS_API__API_KEY", "sk-very-secret")
    path = write(tmp_path / "nbaprops.toml",
                 "[orchestration]\ndatabase_url = 'postgresql://u:hunter2@db/x'\n"
                 "[[alerting.channels]]\nname = 'mail'\nurl = 'mailtos://u:pw-secret@smtp.example.com'\n")
    text = str(redacted(load_settings(path)))
    for secret in ("sk-very-secret", "hunter2", "pw-secret"):
        assert secret not in text
    assert "**********" in text


NAMED_VARIABLE = re.compile(r"\(set in nbaprops\.toml or (NBAPROPS_\w+)\)")

# (file, environment, a valid value for the variable the message names)
MESSAGE_FORMS = {
    "a scalar": ("[predictions]\nedge_threshold = 0.9\n", {}, "0.05"),
    "a scalar set in the environment": ("", {"NBAPROPS_REPLAY__GAME_DURATION_HOURS": "-1"}, "2"),
    "a nested rule": ("[alerting.rules.phase3_data_stale]\nmax_age_hours = 0\n", {}, "3"),
    "an entry of a list": ("[predictions]\nmarkets = ['points', 'steals']\n", {}, "threes"),
    "a key of a list entry": ('[[alerting.channels]]\nurl = 5\n', {}, "jsonl://alerts.jsonl"),
    "a missing key of a list entry": ('[[alerting.channels]]\nmin_severity = "info"\n', {}, "console://"),
    "an enum in a list entry": ('[[alerting.channels]]\nurl = "console://"\nmin_severity = "loud"\n', {}, "info"),
    "a list in a list entry": (
        '[[alerting.inhibit_rules]]\nsource = ["na me=x"]\ntarget = ["name=y"]\n', {}, '["name=x"]'
    ),
    "a whole list": (
        '[[alerting.channels]]\nname = "a"\nurl = "console://"\n[[alerting.channels]]\nname = "a"\nurl = "console://"\n',
        {},
        '[{"name": "a", "url": "console://"}, {"url": "jsonl://alerts.jsonl"}]',
    ),
}


@pytest.mark.parametrize(("toml", "env", "valid"), MESSAGE_FORMS.values(), ids=MESSAGE_FORMS.keys())
def test_the_variable_a_message_names_fixes_the_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str, env: dict[str, str], valid: str
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    path = write(tmp_path / "nbaprops.toml", toml)
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    [variable] = NAMED_VARIABLE.findall(str(raised.value))
    monkeypatch.setenv(variable, valid)
    load_settings(path)


def test_an_unknown_key_is_to_be_removed(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"predictions\.nosuch: Extra inputs are not permitted \(remove it from "
                       r"nbaprops\.toml or unset NBAPROPS_PREDICTIONS__NOSUCH\)"):
        load_settings(write(tmp_path / "nbaprops.toml", "[predictions]\nnosuch = 1\n"))


TWO_CHANNELS = (
    '[[alerting.channels]]\nurl = "json://127.0.0.1/a"\n'
    '[[alerting.channels]]\nname = "log"\nurl = "jsonl://alerts.jsonl"\nmin_severity = "info"\n'
)


def _channels(settings: Settings) -> list[tuple[str, str, str]]:
    return [(c.name, c.url.get_secret_value(), c.min_severity.value) for c in settings.alerting.channels]


@pytest.mark.parametrize(
    ("toml", "env", "expected"),
    [
        (TWO_CHANNELS, {"NBAPROPS_ALERTING__CHANNELS__1__URL": "jsonl://other.jsonl"},
         [("json-0", "json://127.0.0.1/a", "warning"), ("log", "jsonl://other.jsonl", "info")]),
        (TWO_CHANNELS, {"NBAPROPS_ALERTING__CHANNELS__2__URL": "console://"},
         [("json-0", "json://127.0.0.1/a", "warning"), ("log", "jsonl://alerts.jsonl", "info"),
          ("console-2", "console://", "warning")]),
        ("", {"NBAPROPS_ALERTING__CHANNELS__0__URL": "mailtos://u:pw@smtp.example.com",
              "NBAPROPS_ALERTING__CHANNELS__0__MIN_SEVERITY": "critical"},
         [("mailtos-0", "mailtos://u:pw@smtp.example.com", "critical")]),
        (TWO_CHANNELS, {"NBAPROPS_ALERTING__CHANNELS": '[{"url": "console://"}]'},
         [("console-0", "console://", "warning")]),
    ],
)
def test_the_environment_sets_list_entries_by_position(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str, env: dict[str, str],
    expected: list[tuple[str, str, str]],
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert _channels(load_settings(write(tmp_path / "nbaprops.toml", toml))) == expected


def test_the_environment_sets_an_entry_of_a_default_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NBAPROPS_PREDICTIONS__MARKETS__1", "threes")
    monkeypatch.setenv("NBAPROPS_ALERTING__INHIBIT_RULES__1__EQUAL", '["source", "component"]')
    settings = load_settings(tmp_path / "missing.toml")
    assert settings.predictions.markets == ["points", "threes", "assists", "threes", "pra"]
    default_rules = Settings().alerting.inhibit_rules
    assert settings.alerting.inhibit_rules[1].equal == ["source", "component"]
    assert [r.source for r in settings.alerting.inhibit_rules] == [r.source for r in default_rules]


def test_a_gap_in_list_entries_says_how_to_number_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NBAPROPS_ALERTING__CHANNELS__3__URL", "console://")
    with pytest.raises(ConfigError, match=r"NBAPROPS_ALERTING__CHANNELS__3 sets entry 3 of alerting\.channels, which "
                       r"has 2 entries; number new entries on from 2, or set the whole list as JSON in "
                       r"NBAPROPS_ALERTING__CHANNELS\."):
        load_settings(write(tmp_path / "nbaprops.toml", TWO_CHANNELS))


def test_an_environment_list_that_is_not_json_names_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NBAPROPS_ALERTING__CHANNELS", "console://")
    with pytest.raises(ConfigError, match=r"Check NBAPROPS_ALERTING__CHANNELS: a list or table needs JSON"):
        load_settings(tmp_path / "missing.toml")


def test_the_readme_configuration_loads(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    [toml] = re.findall(r"```toml\n(.*?)```", readme, re.DOTALL)
    settings = load_settings(write(tmp_path / "nbaprops.toml", toml))
    assert [channel.name for channel in settings.alerting.channels] == ["mailtos-0", "log"]
    picks = settings.picks
    assert (picks.kelly_fraction, picks.max_stake, picks.evidence_min_days) == (0.25, 0.02, 14)


def test_each_live_source_has_its_section_with_a_key_from_toml_or_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NBAPROPS_SOURCES__ODDS_API__API_KEY", "odds-env-key")
    path = write(tmp_path / "nbaprops.toml",
                 "[sources.balldontlie]\napi_key = 'bdl-toml-key'\nread_timeout_seconds = 7\n"
                 "[sources.odds_api]\nbase_url = 'http://127.0.0.1:8081'\nquota_reserve_requests = 25\n"
                 "[sources.nbacom.retry]\nmax_attempts = 2\n")
    sources = load_settings(path).sources
    assert sources.odds_api.api_key is not None and sources.odds_api.api_key.get_secret_value() == "odds-env-key"
    assert (sources.odds_api.base_url, sources.odds_api.quota_reserve_requests) == ("http://127.0.0.1:8081", 25)
    assert sources.balldontlie.base_url == "https://api.balldontlie.io"  # a partial section keeps its defaults
    assert (sources.balldontlie.read_timeout_seconds, sources.balldontlie.connect_timeout_seconds) == (7, 5.0)
    assert sources.nbacom.retry.max_attempts == 2 and sources.nbacom.retry.backoff_max_seconds == 30.0
    shown = redacted(load_settings(path))["sources"]
    assert set(shown) >= {"nbacom", "espn", "odds_api", "bettingpros", "balldontlie"}
    assert shown["odds_api"]["api_key"] == shown["balldontlie"]["api_key"] == "**********"
    assert shown["espn"]["api_key"] is None


def test_a_bad_source_setting_names_its_key(tmp_path: Path) -> None:
    path = write(tmp_path / "nbaprops.toml", "[sources.espn]\nread_timeout_seconds = 0\n")
    with pytest.raises(ConfigError, match=r"sources\.espn\.read_timeout_seconds: .*greater than 0"):
        load_settings(path)


def test_fallback_chains_default_to_the_documented_order_and_take_toml_and_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chains = Settings().sources.chains
    assert (chains.box_scores, chains.schedule, chains.props, chains.injuries) == (
        ["nbacom", "espn", "balldontlie"], ["nbacom", "espn"], ["odds_api", "bettingpros"], ["nbacom", "balldontlie"])
    monkeypatch.setenv("NBAPROPS_SOURCES__CHAINS__PROPS", '["bettingpros"]')
    path = write(tmp_path / "nbaprops.toml", "[sources.chains]\nbox_scores = ['espn', 'nbacom']\n")
    loaded = load_settings(path).sources.chains
    assert (loaded.box_scores, loaded.props) == (["espn", "nbacom"], ["bettingpros"])
    assert loaded.schedule == ["nbacom", "espn"], "a partial section keeps its defaults"


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ("box_scores = ['nbacom', 'espm']", r"sources\.chains\.box_scores\.1: .*'nbacom', 'espn' or 'balldontlie'"),
        ("props = ['nbacom']", r"sources\.chains\.props\.0: .*'odds_api' or 'bettingpros'"),
        ("injuries = []", r"sources\.chains\.injuries: .*at least 1 item"),
    ],
)
def test_a_chain_naming_a_source_that_cannot_serve_it_names_its_key(tmp_path: Path, toml: str, key: str) -> None:
    path = write(tmp_path / "nbaprops.toml", f"[sources.chains]\n{toml}\n")
    with pytest.raises(ConfigError, match=key):
        load_settings(path)


def test_each_source_has_a_breaker_with_documented_defaults_and_its_own_overrides(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path / "nbaprops.toml",
                                   "[sources.espn.breaker]\nfail_max = 3\nreset_timeout_seconds = 60\n"))
    assert (settings.sources.nbacom.breaker.fail_max, settings.sources.nbacom.breaker.reset_timeout_seconds) == (5, 300)
    assert "bad_request" not in settings.sources.nbacom.breaker.counted_failures
    assert (settings.sources.espn.breaker.fail_max, settings.sources.espn.breaker.reset_timeout_seconds) == (3, 60)


def test_a_breaker_counting_an_unknown_failure_kind_names_the_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"sources\.espn\.breaker\.counted_failures"):
        load_settings(write(tmp_path / "nbaprops.toml", '[sources.espn.breaker]\ncounted_failures = ["tired"]\n'))
