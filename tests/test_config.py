from __future__ import annotations

from pathlib import Path

import pytest

from nbaprops.config import load_settings, redacted
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
