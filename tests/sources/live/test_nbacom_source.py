"""NbacomSource over loopback: the captured nba.com payloads served by a real HTTP server, then parsed."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from tests.sources.conftest import RecordingClock
from tests.sources.loopback import LoopbackServer, Reply, assert_kept_redacted, captured, with_password

from nbaprops.config import NbaComSourceConfig, SourceRetryConfig
from nbaprops.errors import EmptyPayloadError, SourceBlockedError, SourceSchemaError, SourceServerError
from nbaprops.sources.live import nbacom
from nbaprops.sources.live.nbacom import NbacomSource
from nbaprops.sources.live.nbacom_player_boxscore import PATH as PLAYER_BOXSCORE_PATH
from nbaprops.sources.live.nbacom_schedule import PATH as SCHEDULE_PATH
from nbaprops.sources.live.nbacom_scoreboard import PATH as SCOREBOARD_PATH
from nbaprops.sources.live.nbacom_team_boxscore import PATH as BOXSCORE_PATH
from nbaprops.sources.raw_store import RawStore

SCOREBOARD_DAY = date(2024, 1, 15)  # nbac_scoreboard_v2: 11 games
INJURY_PATH = "/referee/injury/Injury-Report_2024-01-04_12_30PM.pdf"


def nbacom_config(base_url: str) -> NbaComSourceConfig:
    retry = SourceRetryConfig(max_attempts=2, backoff_initial_seconds=1.0, jitter_seconds=0.0)
    return NbaComSourceConfig(base_url=base_url, cdn_base_url=base_url, injury_report_base_url=base_url, retry=retry)


@pytest.fixture
def source(loopback: LoopbackServer, recording_clock: RecordingClock, raw_store: RawStore) -> Iterator[NbacomSource]:
    live = NbacomSource(nbacom_config(loopback.base_url), clock=recording_clock, raw_store=raw_store)
    yield live
    live.close()


def serve(loopback: LoopbackServer, shared_fixtures: Path, path: str, folder: str) -> None:
    loopback.route(path, Reply.file(captured(shared_fixtures, folder)))


def test_schedule_through_http(
    loopback: LoopbackServer, source: NbacomSource, shared_fixtures: Path, capture: Callable[[str], bytes]
) -> None:
    serve(loopback, shared_fixtures, SCHEDULE_PATH, "nbac_schedule_api")
    day = date(2025, 1, 15)
    rows = source.schedule(day)
    assert rows == nbacom.parse_schedule(capture("nbac_schedule_api"), game_date=day)
    assert len(rows) == 11 and {row["season"] for row in rows} == {"2024-25"}
    assert source.schedule(date(2025, 7, 4)) == [], "a date without games in a full schedule is no failure"


def test_scoreboard_through_http_sends_the_stats_headers(
    loopback: LoopbackServer, source: NbacomSource, shared_fixtures: Path
) -> None:
    serve(loopback, shared_fixtures, SCOREBOARD_PATH, "nbac_scoreboard_v2")
    rows = source.scoreboard(SCOREBOARD_DAY, expected_games=11)
    assert len(rows) == 11 and rows[0]["game_id"] == "0022300555"
    (request,) = loopback.requests_to(SCOREBOARD_PATH)
    assert request.query["GameDate"] == ["2024-01-15"]
    assert (request.headers["referer"], request.headers["x-nba-stats-origin"]) == ("https://www.nba.com/", "stats")


def test_player_boxscores_through_http(loopback: LoopbackServer, source: NbacomSource, shared_fixtures: Path) -> None:
    serve(loopback, shared_fixtures, PLAYER_BOXSCORE_PATH, "nbac_player_boxscore")
    rows = source.player_boxscores(date(2025, 3, 15), season="2024-25", final_games=8)
    assert len(rows) == 157 and len({row["game_id"] for row in rows}) == 8
    (request,) = loopback.requests_to(PLAYER_BOXSCORE_PATH)
    assert (request.query["PlayerOrTeam"], request.query["DateFrom"]) == (["P"], ["2025-03-15"])


def test_boxscore_through_http(loopback: LoopbackServer, source: NbacomSource, shared_fixtures: Path) -> None:
    serve(loopback, shared_fixtures, BOXSCORE_PATH, "nbac_team_boxscore")
    teams, players = source.boxscore(date(2025, 1, 15), "0022400561", home_team="PHI")
    assert [(row["team"], row["pts"], row["win"]) for row in teams] == [("PHI", 119, False), ("NYK", 125, True)]
    assert len(players) == 17
    assert loopback.requests_to(BOXSCORE_PATH)[0].query["GameID"] == ["0022400561"]


def test_injury_report_through_http(loopback: LoopbackServer, source: NbacomSource, shared_fixtures: Path) -> None:
    serve(loopback, shared_fixtures, INJURY_PATH, "nbac_injury_report")
    rows = source.injury_report(date(2024, 1, 4), report_time=datetime(2024, 1, 4, 12, 30))
    assert len(rows) == 14 and rows[0]["player_name"] == "Dominick Barlow"


def test_429_waits_what_retry_after_asks(
    loopback: LoopbackServer, source: NbacomSource, shared_fixtures: Path, recording_clock: RecordingClock
) -> None:
    loopback.route(SCOREBOARD_PATH, Reply.status_only(429, retry_after="3"),
                   Reply.file(captured(shared_fixtures, "nbac_scoreboard_v2")))
    assert len(source.scoreboard(SCOREBOARD_DAY)) == 11
    assert recording_clock.sleeps == [3.0]


def test_5xx_fails_after_retries(loopback: LoopbackServer, source: NbacomSource) -> None:
    loopback.route(BOXSCORE_PATH, Reply.status_only(503))
    with pytest.raises(SourceServerError, match=r"^nbacom boxscoretraditionalv2 answered 503 .*attempt 2 of 2"):
        source.boxscore(date(2025, 1, 15), "0022400561", home_team="PHI")
    assert len(loopback.requests_to(BOXSCORE_PATH)) == 2


def test_403_is_blocked_at_once_and_kept(
    loopback: LoopbackServer, source: NbacomSource, raw_store: RawStore
) -> None:
    loopback.route(SCHEDULE_PATH, Reply.status_only(403))
    with pytest.raises(SourceBlockedError, match=r"^nbacom scheduleLeagueV2 answered 403"):
        source.schedule(SCOREBOARD_DAY)
    assert len(loopback.requests_to(SCHEDULE_PATH)) == 1
    assert [entry.meta["status_code"] for entry in raw_store.entries("nbacom", SCOREBOARD_DAY)] == [403]


def emptied(shared_fixtures: Path, folder: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(captured(shared_fixtures, folder).read_bytes())
    for result_set in document["resultSets"]:
        result_set["rowSet"] = []
    return document


def test_no_games_on_a_date_the_schedule_has_games_for_is_empty(
    loopback: LoopbackServer, source: NbacomSource, shared_fixtures: Path
) -> None:
    loopback.route(SCOREBOARD_PATH, Reply.json(emptied(shared_fixtures, "nbac_scoreboard_v2")))
    assert source.scoreboard(SCOREBOARD_DAY) == [], "without an expectation an empty scoreboard is an answer"
    with pytest.raises(
        EmptyPayloadError,
        match=r"^nbacom scoreboardv2: the 200 response holds no games for 2024-01-15, where the schedule has 11",
    ):
        source.scoreboard(SCOREBOARD_DAY, expected_games=11)


def test_no_lines_for_a_final_game_is_empty(
    loopback: LoopbackServer, source: NbacomSource, shared_fixtures: Path
) -> None:
    loopback.route(BOXSCORE_PATH, Reply.json(emptied(shared_fixtures, "nbac_team_boxscore")))
    with pytest.raises(EmptyPayloadError, match=r"^nbacom boxscoretraditionalv2: .*no team lines for final game"):
        source.boxscore(date(2025, 1, 15), "0022400561", home_team="PHI")
    assert source.boxscore(date(2025, 1, 15), "0022400561", home_team="PHI", final=False) == ([], [])


@pytest.mark.parametrize(
    ("path", "call", "endpoint"),
    [
        (SCHEDULE_PATH, lambda s: s.schedule(SCOREBOARD_DAY), "scheduleLeagueV2"),
        (SCOREBOARD_PATH, lambda s: s.scoreboard(SCOREBOARD_DAY), "scoreboardv2"),
        (INJURY_PATH, lambda s: s.injury_report(date(2024, 1, 4), report_time=datetime(2024, 1, 4, 12, 30)),
         "injury_report"),
    ],
)
def test_an_empty_body_is_empty(
    loopback: LoopbackServer, source: NbacomSource, path: str, call: Callable[[NbacomSource], Any], endpoint: str
) -> None:
    loopback.route(path, Reply(200, b"  \n", {"content-type": "application/json"}))
    with pytest.raises(EmptyPayloadError, match=f"^nbacom {endpoint}: the 200 response has an empty body"):
        call(source)


def test_an_empty_schedule_is_empty(loopback: LoopbackServer, source: NbacomSource) -> None:
    loopback.route(SCHEDULE_PATH, Reply.json({"leagueSchedule": {"gameDates": []}}))
    with pytest.raises(EmptyPayloadError, match=r"^nbacom scheduleLeagueV2: .*no game dates in the season's schedule"):
        source.schedule(SCOREBOARD_DAY)


def test_a_renamed_header_is_drift(loopback: LoopbackServer, source: NbacomSource, shared_fixtures: Path) -> None:
    document = json.loads(captured(shared_fixtures, "nbac_scoreboard_v2").read_bytes())
    header = next(found for found in document["resultSets"] if found["name"] == "GameHeader")["headers"]
    header[header.index("GAME_STATUS_ID")] = "GAME_STATUS"
    loopback.route(SCOREBOARD_PATH, Reply.json(document))
    with pytest.raises(
        SourceSchemaError,
        match=r"^nbacom scoreboardv2: the field 'resultSets\[GameHeader\]\.GAME_STATUS_ID' is missing",
    ):
        source.scoreboard(SCOREBOARD_DAY)


def test_the_raw_store_keeps_the_payload_with_a_redacted_url(
    loopback: LoopbackServer, recording_clock: RecordingClock, raw_store: RawStore, shared_fixtures: Path,
    capture: Callable[[str], bytes],
) -> None:
    serve(loopback, shared_fixtures, SCOREBOARD_PATH, "nbac_scoreboard_v2")
    live = NbacomSource(nbacom_config(with_password(loopback.base_url)), clock=recording_clock, raw_store=raw_store)
    live.scoreboard(SCOREBOARD_DAY)
    live.close()
    (entry,) = raw_store.entries("nbacom", SCOREBOARD_DAY)
    assert_kept_redacted(entry, capture("nbac_scoreboard_v2"), f"{loopback.base_url}{SCOREBOARD_PATH}?")
    assert entry.meta["endpoint"] == "scoreboardv2" and "GameDate=2024-01-15" in entry.meta["url"]
