"""EspnSource over loopback: the captured ESPN scoreboard and box-score page served by a real HTTP server."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.sources.conftest import RecordingClock
from tests.sources.loopback import LoopbackServer, Reply, assert_kept_redacted, captured, with_password

from nbaprops.config import EspnSourceConfig, SourceRetryConfig
from nbaprops.errors import EmptyPayloadError, SourceBlockedError, SourceSchemaError, SourceServerError
from nbaprops.sources.live import espn, nbacom
from nbaprops.sources.live.espn import EspnSource
from nbaprops.sources.live.espn_scoreboard import PATH as SCOREBOARD_PATH
from nbaprops.sources.raw_store import RawStore

DAY = date(2024, 1, 15)  # espn_scoreboard_api: 11 games; espn_game_boxscore: event 401585183, HOU at PHI
EVENT_ID, GAME_ID = "401585183", "0022300555"
BOXSCORE_PATH = f"/nba/boxscore/_/gameId/{EVENT_ID}"


def espn_config(base_url: str) -> EspnSourceConfig:
    retry = SourceRetryConfig(max_attempts=2, backoff_initial_seconds=1.0, jitter_seconds=0.0)
    return EspnSourceConfig(base_url=base_url, web_base_url=base_url, retry=retry)


@pytest.fixture
def source(loopback: LoopbackServer, recording_clock: RecordingClock, raw_store: RawStore) -> Iterator[EspnSource]:
    live = EspnSource(espn_config(loopback.base_url), clock=recording_clock, raw_store=raw_store)
    yield live
    live.close()


def serve_scoreboard(loopback: LoopbackServer, shared_fixtures: Path) -> None:
    loopback.route(SCOREBOARD_PATH, Reply.file(captured(shared_fixtures, "espn_scoreboard_api")))


def serve_boxscore(loopback: LoopbackServer, shared_fixtures: Path) -> None:
    loopback.route(BOXSCORE_PATH, Reply.file(captured(shared_fixtures, "espn_game_boxscore")))


def test_scoreboard_through_http_joins_nba_ids(
    loopback: LoopbackServer, source: EspnSource, shared_fixtures: Path, capture: Callable[[str], bytes]
) -> None:
    serve_scoreboard(loopback, shared_fixtures)
    game_ids = espn.game_ids_by_matchup(nbacom.parse_scoreboard(capture("nbac_scoreboard_v2"), game_date=DAY))
    board = source.scoreboard(DAY, game_ids=game_ids, expected_games=11)
    assert board.games == espn.parse_scoreboard(capture("espn_scoreboard_api"), game_date=DAY, game_ids=game_ids)
    assert len(board.games) == 11 and board.games[0]["game_id"] == GAME_ID
    assert board.event_ids[("PHI", "HOU")] == EVENT_ID and len(board.event_ids) == 11
    (request,) = loopback.requests_to(SCOREBOARD_PATH)
    assert request.query["dates"] == ["20240115"]


def test_boxscore_through_http_by_the_scoreboards_event_id(
    loopback: LoopbackServer, source: EspnSource, shared_fixtures: Path
) -> None:
    serve_scoreboard(loopback, shared_fixtures)
    serve_boxscore(loopback, shared_fixtures)
    event_id = source.scoreboard(DAY).event_ids[("PHI", "HOU")]
    teams, players = source.boxscore(DAY, event_id, game_id=GAME_ID)
    assert [(row["team"], row["pts"], row["win"], row["game_id"]) for row in teams] == [
        ("PHI", 124, True, GAME_ID), ("HOU", 115, False, GAME_ID),
    ]
    assert players and {row["team"] for row in players} == {"PHI", "HOU"}
    for team in teams:
        assert sum(row["pts"] for row in players if row["team"] == team["team"]) == team["pts"]


def test_429_waits_what_retry_after_asks(
    loopback: LoopbackServer, source: EspnSource, shared_fixtures: Path, recording_clock: RecordingClock
) -> None:
    loopback.route(BOXSCORE_PATH, Reply.status_only(429, retry_after="5"),
                   Reply.file(captured(shared_fixtures, "espn_game_boxscore")))
    teams, _ = source.boxscore(DAY, EVENT_ID)
    assert teams[0]["game_id"] == f"espn:{EVENT_ID}"
    assert recording_clock.sleeps == [5.0]


def test_5xx_fails_after_retries(loopback: LoopbackServer, source: EspnSource) -> None:
    loopback.route(SCOREBOARD_PATH, Reply.status_only(500))
    with pytest.raises(SourceServerError, match=r"^espn scoreboard answered 500 .*attempt 2 of 2"):
        source.scoreboard(DAY)
    assert len(loopback.requests_to(SCOREBOARD_PATH)) == 2


def test_403_is_blocked_at_once_and_kept(loopback: LoopbackServer, source: EspnSource, raw_store: RawStore) -> None:
    loopback.route(BOXSCORE_PATH, Reply.status_only(403))
    with pytest.raises(SourceBlockedError, match=r"^espn boxscore answered 403"):
        source.boxscore(DAY, EVENT_ID)
    assert len(loopback.requests_to(BOXSCORE_PATH)) == 1
    assert [entry.meta["status_code"] for entry in raw_store.entries("espn", DAY)] == [403]


def test_no_games_on_a_date_the_schedule_has_games_for_is_empty(loopback: LoopbackServer, source: EspnSource) -> None:
    loopback.route(SCOREBOARD_PATH, Reply.json({"leagues": [], "events": []}))
    assert source.scoreboard(DAY).games == [], "without an expectation an empty scoreboard is an answer"
    with pytest.raises(
        EmptyPayloadError, match=r"^espn scoreboard: the 200 response holds no games for 2024-01-15, where the schedule"
    ):
        source.scoreboard(DAY, expected_games=11)


@pytest.mark.parametrize(
    ("path", "call", "endpoint"),
    [
        (SCOREBOARD_PATH, lambda s: s.scoreboard(DAY), "scoreboard"),
        (BOXSCORE_PATH, lambda s: s.boxscore(DAY, EVENT_ID), "boxscore"),
    ],
)
def test_an_empty_body_is_empty(
    loopback: LoopbackServer, source: EspnSource, path: str, call: Callable[[EspnSource], Any], endpoint: str
) -> None:
    loopback.route(path, Reply(200, b"", {"content-type": "text/html"}))
    with pytest.raises(EmptyPayloadError, match=f"^espn {endpoint}: the 200 response has an empty body"):
        call(source)


def boxscore_page(shared_fixtures: Path) -> str:
    return gzip.decompress(captured(shared_fixtures, "espn_game_boxscore").read_bytes()).decode()


def test_no_lines_for_a_final_game_is_empty(
    loopback: LoopbackServer, source: EspnSource, shared_fixtures: Path
) -> None:
    page = boxscore_page(shared_fixtures).replace('"bxscr":', '"bxscr":[],"was_bxscr":', 1)
    loopback.route(BOXSCORE_PATH, Reply(200, page.encode(), {"content-type": "text/html"}))
    with pytest.raises(EmptyPayloadError, match=rf"^espn boxscore: .*no team lines for final event {EVENT_ID}"):
        source.boxscore(DAY, EVENT_ID)
    assert source.boxscore(DAY, EVENT_ID, final=False) == ([], [])


def test_a_renamed_field_is_drift(loopback: LoopbackServer, source: EspnSource, shared_fixtures: Path) -> None:
    document = json.loads(captured(shared_fixtures, "espn_scoreboard_api").read_bytes())
    for event in document["events"]:
        for competitor in event["competitions"][0]["competitors"]:
            competitor["side"] = competitor.pop("homeAway")
    loopback.route(SCOREBOARD_PATH, Reply.json(document))
    with pytest.raises(
        SourceSchemaError,
        match=r"^espn scoreboard: the field 'events\[\]\.competitions\[\]\.competitors\[\]\.homeAway'",
    ):
        source.scoreboard(DAY)


def test_the_raw_store_keeps_the_payload_with_a_redacted_url(
    loopback: LoopbackServer, recording_clock: RecordingClock, raw_store: RawStore, shared_fixtures: Path,
    capture: Callable[[str], bytes],
) -> None:
    serve_boxscore(loopback, shared_fixtures)
    live = EspnSource(espn_config(with_password(loopback.base_url)), clock=recording_clock, raw_store=raw_store)
    live.boxscore(DAY, EVENT_ID)
    live.close()
    (entry,) = raw_store.entries("espn", DAY)
    assert_kept_redacted(entry, capture("espn_game_boxscore"), f"{loopback.base_url}{BOXSCORE_PATH}")
    assert entry.payload_path.suffix == ".html" and entry.meta["url"].endswith(BOXSCORE_PATH)
