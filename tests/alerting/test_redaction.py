"""Channel labels without credentials, and the scrubber that keeps secrets out of alert text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import SecretStr

from nbaprops.alerting import AlertingConfig, SecretScrubber, safe_url_label
from nbaprops.alerting.redaction import REDACTED, url_secret_parts
from nbaprops.config import Settings

LABEL_CASES = [
    ("mailtos://user:app-pass@smtp.gmail.com?to=ops@example.com", "mailtos://smtp.gmail.com"),
    ("mailto://127.0.0.1:2525?from=a@example.com&to=b@example.com", "mailto://127.0.0.1:2525"),
    ("slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ/#general", "slack://"),
    ("discord://4174216298/JHMHI8qBe7bk2ZwO5U711o3dV_js", "discord://"),
    (
        "json://user:pw@hooks.example.com:8443/secret/path?token=abc",
        "json://hooks.example.com:8443",
    ),
    ("jsons://[::1]:9000/hook", "jsons://[::1]:9000"),
    ("json://localhost:8080/hook", "json://localhost:8080"),
    ("tgram://123456789:AAE_secret_token/chat", "tgram://"),
    ("JSON://Hooks.Example.com/x", "json://Hooks.Example.com"),
    ("not a url", "(unparsable url)"),
]


@pytest.mark.parametrize(("url", "label"), LABEL_CASES)
def test_safe_url_label(url: str, label: str) -> None:
    assert safe_url_label(url) == label


def test_url_secret_parts_cover_credentials_and_tokens() -> None:
    parts = url_secret_parts("slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ")
    assert {"T1JJ3T3L2", "A1BRTD4JD", "TIiajkdnlazkcOXrIdevi7FQ"} <= set(parts)
    parts = url_secret_parts("json://hooks.example.com/api/alerts?token=s3cr3t-t0ken&to=x")
    assert "s3cr3t-t0ken" in parts
    assert "alerts" not in parts and "hooks.example.com" not in parts
    assert "p%40ss" in url_secret_parts("mailtos://me:p%40ss@smtp.example.com")
    assert "p@ss" in url_secret_parts("mailtos://me:p%40ss@smtp.example.com")
    mail = "mailto://127.0.0.1:2525?from=alerts@example.com&to=ops@example.com"
    assert url_secret_parts(mail) == [mail]
    assert SecretScrubber().scrub(f"sending via {mail}") == f"sending via {mail}"


def test_scrubber_from_the_whole_settings() -> None:
    settings = Settings.model_validate(
        {
            "sources": {"odds_api": {"api_key": "odds-key-0123456789"}},
            "alerting": {
                "channels": [
                    {"name": "mail", "url": "mailtos://ops:hunter2pass@smtp.example.com"},
                    {"name": "log", "url": "jsonl:///var/log/nbaprops/alerts.jsonl"},
                ]
            },
        }
    )
    scrubber = SecretScrubber.from_config(settings)
    text = (
        "Request to https://api.the-odds-api.com/v4?apiKey=odds-key-0123456789 failed; "
        "login hunter2pass refused by smtp.example.com; nbaprops alerts go to alerts.jsonl."
    )
    clean = scrubber.scrub(text)
    assert "odds-key-0123456789" not in clean and "hunter2pass" not in clean
    assert "smtp.example.com" in clean and "nbaprops alerts go to alerts.jsonl" in clean


def test_scrubber_removes_any_url_credentials_and_walks_data() -> None:
    scrubber = SecretScrubber()
    assert (
        scrubber.scrub("see postgresql://app:pw@db:5432/x")
        == f"see postgresql://{REDACTED}@db:5432/x"
    )
    scrubber = SecretScrubber(["tok3n-value"])
    data = {"error": "bad tok3n-value", "items": ["tok3n-value", 3], "tok3n-value": None}
    assert scrubber.scrub_data(data) == {
        "error": f"bad {REDACTED}",
        "items": [REDACTED, 3],
        REDACTED: None,
    }


def test_alerting_config_alone_feeds_its_channel_secrets() -> None:
    config = AlertingConfig(
        channels=[{"name": "hook", "url": SecretStr("json://hooks.example.com/Zx9secretpath0")}]
    )
    assert (
        SecretScrubber.from_config(config).scrub("POST /Zx9secretpath0 failed")
        == f"POST /{REDACTED} failed"
    )


_SECRET = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789-_", min_size=4, max_size=40
)


@given(secret=_SECRET, before=st.text(max_size=30), after=st.text(max_size=30))
def test_a_known_secret_never_survives_scrubbing(secret: str, before: str, after: str) -> None:
    assert secret not in SecretScrubber([secret]).scrub(before + secret + after)


@given(user=_SECRET, password=_SECRET, host=st.sampled_from(["smtp.example.com", "10.0.0.1", "db"]))
def test_url_passwords_never_survive_scrubbing(user: str, password: str, host: str) -> None:
    clean = SecretScrubber().scrub(f"connect to smtp://{user}:{password}@{host}:25 failed")
    assert f"{user}:{password}" not in clean
    assert clean == f"connect to smtp://{REDACTED}@{host}:25 failed"
