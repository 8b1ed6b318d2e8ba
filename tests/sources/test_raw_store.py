"""Every payload kept byte for byte under raw/<source>/<game_date>/ with a sidecar; URLs lose their secrets."""

from __future__ import annotations

import hashlib
import json
import string
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.sources.conftest import RecordingClock
from tests.sources.loopback import LoopbackServer, Reply

from nbaprops.config import OddsApiSourceConfig
from nbaprops.errors import SourceBlockedError
from nbaprops.sources.http import SourceClient
from nbaprops.sources.raw_store import RawStore, redact_url

GAME_DATE = date(2025, 3, 9)
KEY = "a1b2c3d4e5f6a7b8c9d0"


@pytest.mark.parametrize(
    ("url", "clean"),
    [
        (
            f"https://api.the-odds-api.com/v4/sports/basketball_nba/events?apiKey={KEY}&dateFormat=iso",
            "https://api.the-odds-api.com/v4/sports/basketball_nba/events?apiKey=REDACTED&dateFormat=iso",
        ),
        ("https://x.test/a?api_key=s&token=t&page=2", "https://x.test/a?api_key=REDACTED&token=REDACTED&page=2"),
        ("https://user:hunter2@x.test/a", "https://user:REDACTED@x.test/a"),
        (f"https://x.test/keys/{KEY}/odds", "https://x.test/keys/REDACTED/odds"),
        ("https://x.test/games?dates[]=2024-01-15&cursor=9", "https://x.test/games?dates[]=2024-01-15&cursor=9"),
    ],
)
def test_redact_url(url: str, clean: str) -> None:
    assert redact_url(url, secrets=[KEY]) == clean


@given(secret=st.text(alphabet=string.ascii_letters + string.digits, min_size=12, max_size=40))
def test_a_redacted_url_never_holds_the_key(secret: str) -> None:
    url = f"https://api.the-odds-api.com/v4/historical/x?date=2025-01-10T18:00:00Z&apiKey={secret}&markets=a,b"
    clean = redact_url(url, secrets=[secret])
    assert secret not in clean and "markets=a,b" in clean and "date=2025-01-10T18:00:00Z" in clean


def test_every_response_is_stored_with_its_sidecar(
    loopback: LoopbackServer, recording_clock: RecordingClock, raw_store: RawStore, tmp_path: object
) -> None:
    body = b'{"data": [1, 2, 3]}  \n'
    loopback.route("/v4/x", Reply(200, body, {"content-type": "application/json", "x-requests-remaining": "481"}))
    config = OddsApiSourceConfig(base_url=loopback.base_url, api_key=KEY)
    with SourceClient("odds_api", config, clock=recording_clock, raw_store=raw_store) as client:
        client.get("events", "/v4/x", game_date=GAME_DATE, params={"apiKey": KEY})
    (stored,) = raw_store.entries("odds_api", GAME_DATE)
    assert stored.payload_path.read_bytes() == body
    assert stored.payload_path.parent.parts[-2:] == ("odds_api", "2025-03-09")
    assert stored.payload_path.suffix == ".json"
    meta = json.loads(stored.meta_path.read_text())
    assert meta["sha256"] == hashlib.sha256(body).hexdigest() and meta["bytes"] == len(body)
    assert meta["status_code"] == 200 and meta["fetched_utc"] == "2025-01-10T18:00:00+00:00"
    assert meta["url"] == f"{loopback.base_url}/v4/x?apiKey=REDACTED"
    assert meta["headers"]["x-requests-remaining"] == "481"
    assert KEY not in stored.meta_path.read_text()


def test_a_failed_response_is_stored_too(
    loopback: LoopbackServer, recording_clock: RecordingClock, raw_store: RawStore
) -> None:
    loopback.route("/blocked", Reply(403, b"<html>Access Denied</html>", {"content-type": "text/html"}))
    config = OddsApiSourceConfig(base_url=loopback.base_url)
    with (
        SourceClient("odds_api", config, clock=recording_clock, raw_store=raw_store) as client,
        pytest.raises(SourceBlockedError),
    ):
        client.get("events", "/blocked", game_date=GAME_DATE)
    (stored,) = raw_store.entries("odds_api", GAME_DATE)
    assert stored.meta["status_code"] == 403 and stored.payload_path.suffix == ".html"
    assert stored.payload_path.read_bytes() == b"<html>Access Denied</html>"


def test_no_sidecar_means_not_listed(raw_store: RawStore, tmp_path: object) -> None:
    assert raw_store.entries("espn", GAME_DATE) == []
