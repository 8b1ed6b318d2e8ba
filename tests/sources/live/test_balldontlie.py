"""balldontlie on real responses over loopback: parse, cursor pagination, key header, 429, 5xx, 403, empty, drift.

Captured: `bdl_box_scores/` (2024-01-15, 11 games), `bdl_injuries/` (one page of 100, with a
next_cursor). Games have no capture: GAMES_PAGE below is a small document in balldontlie's
documented v1 shape.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from tests.sources.conftest import RecordingClock
from tests.sources.loopback import LoopbackServer, Reply, captured

from nbaprops.config import BallDontLieSourceConfig, SourceRetryConfig
from nbaprops.errors import (
    EmptyPayloadError,
    FailureKind,
    SourceBlockedError,
    SourceSchemaError,
    SourceServerError,
)
from nbaprops.sources.live.balldontlie import (
    BOX_SCORES_PATH,
    GAMES_PATH,
    INJURIES_PATH,
    BallDontLieSource,
    games_params,
    parse_box_scores,
    parse_games,
    parse_injuries,
)
from nbaprops.sources.raw_store import RawStore

KEY = "bdl-test-key-0123456789"
BOX_DATE = date(2024, 1, 15)
FIRST_CURSOR = 4082934
GAMES_PAGE: dict[str, Any] = {  # documented v1 shape; no capture of /v1/games exists
    "data": [
        {"id": 15907925, "date": "2025-01-10", "season": 2024, "status": "Final", "period": 4, "time": "Final",
         "postseason": False, "home_team_score": 113, "visitor_team_score": 109,
         "datetime": "2025-01-11T00:10:00.000Z",
         "home_team": {"id": 12, "abbreviation": "IND", "full_name": "Indiana Pacers"},
         "visitor_team": {"id": 10, "abbreviation": "GSW", "full_name": "Golden State Warriors"}},
        {"id": 15907926, "date": "2025-01-10", "season": 2024, "status": "2025-01-11T03:00:00Z", "period": 0,
         "time": None, "postseason": False, "home_team_score": 0, "visitor_team_score": 0,
         "home_team": {"id": 8, "abbreviation": "DEN", "full_name": "Denver Nuggets"},
         "visitor_team": {"id": 3, "abbreviation": "BKN", "full_name": "Brooklyn Nets"}},
    ],
    "meta": {"per_page": 2},
}


def load(shared_fixtures: Path, folder: str) -> Any:
    return json.loads(captured(shared_fixtures, folder).read_bytes())


@pytest.fixture
def bdl(loopback: LoopbackServer, recording_clock: RecordingClock, raw_store: RawStore) -> Iterator[BallDontLieSource]:
    config = BallDontLieSourceConfig(
        base_url=loopback.base_url, api_key=KEY,
        retry=SourceRetryConfig(max_attempts=3, backoff_initial_seconds=0.5, jitter_seconds=0.0),
    )
    source = BallDontLieSource(config, clock=recording_clock, raw_store=raw_store)
    yield source
    source.close()


# -- parsing real responses -----------------------------------------------------------------------


def test_parse_box_scores_capture(shared_fixtures: Path) -> None:
    box = parse_box_scores(load(shared_fixtures, "bdl_box_scores"))
    assert (len(box.players), len(box.teams)) == (384, 22)  # 11 final games, 18 listed players a side
    embiid = next(row for row in box.players if row["player_lookup"] == "joelembiid")
    assert embiid == {
        "game_id": None, "player_lookup": "joelembiid", "player_name": "Joel Embiid", "team": "PHI",
        "opponent": "HOU", "is_home": True, "minutes": 31.0, "pts": 41, "reb": 10, "ast": 3, "fg3m": 1,
        "fg3a": 5, "fgm": 12, "fga": 21, "ftm": 16, "fta": 17, "oreb": 2, "dreb": 8, "stl": 1, "blk": 1,
        "tov": 2, "pf": 5, "plus_minus": None,
    }
    assert box.teams[0] == {
        "game_id": None, "team": "PHI", "opponent": "HOU", "is_home": True, "win": True, "minutes": 240.0,
        "pts": 124, "fgm": 40, "fga": 83, "fg3m": 15, "fg3a": 31, "ftm": 29, "fta": 34, "oreb": 8, "dreb": 33,
        "reb": 41, "ast": 25, "stl": 8, "blk": 4, "tov": 10, "pf": 24,
    }


def test_box_score_team_points_match_their_players(shared_fixtures: Path) -> None:
    box = parse_box_scores(load(shared_fixtures, "bdl_box_scores"))
    for team in box.teams:
        lines = [p for p in box.players if p["team"] == team["team"] and p["opponent"] == team["opponent"]]
        assert sum(p["pts"] for p in lines) == team["pts"]
        assert team["pts"] == 2 * team["fgm"] + team["fg3m"] + team["ftm"]
    assert sum(team["win"] for team in box.teams) == 11


def test_parse_injuries_capture(shared_fixtures: Path) -> None:
    reported = datetime(2025, 7, 16, 12, 0)
    rows = parse_injuries(load(shared_fixtures, "bdl_injuries")["data"], reported_utc=reported)
    assert len(rows) == 100
    assert sum(row["status"] == "out" for row in rows) == 9  # the other 91 are Day-To-Day -> questionable
    assert rows[3] == {
        "team": "BOS", "player_lookup": "jaysontatum", "player_name": "Jayson Tatum", "status": "out",
        "reason": "Jul 3: Tatum will miss the rest of the season after undergoing surgery to repair a torn left "
        "Achilles tendon Tuesday, Shams Charania of ESPN reports.",
        "reported_utc": reported,
    }


def test_parse_games_documented_shape() -> None:
    final, upcoming = parse_games(GAMES_PAGE["data"])
    assert final == {
        "game_id": None, "source_game_id": "15907925", "game_date": date(2025, 1, 10), "season": "2024-25",
        "season_type": "regular", "home_team": "IND", "away_team": "GSW",
        "tipoff_utc": datetime(2025, 1, 11, 0, 10), "status": "final",
    }
    assert (upcoming["status"], upcoming["tipoff_utc"], upcoming["away_team"]) == (
        "scheduled", datetime(2025, 1, 11, 3, 0), "BKN"
    )


def test_an_unknown_injury_status_is_drift_naming_the_field(shared_fixtures: Path) -> None:
    items = load(shared_fixtures, "bdl_injuries")["data"][:1]
    items[0]["status"] = "Suspended"
    with pytest.raises(SourceSchemaError, match=r"^balldontlie player_injuries: the field 'data\[\]\.status' holds 'S"):
        parse_injuries(items, reported_utc=datetime(2025, 7, 16))


# -- over loopback --------------------------------------------------------------------------------


def test_injuries_follow_the_cursor_to_the_last_page(
    loopback: LoopbackServer, bdl: BallDontLieSource, shared_fixtures: Path, raw_store: RawStore,
    recording_clock: RecordingClock,
) -> None:
    last_page = {"data": load(shared_fixtures, "bdl_injuries")["data"][:1], "meta": {"per_page": 100}}
    loopback.route(INJURIES_PATH, Reply.file(captured(shared_fixtures, "bdl_injuries")))
    loopback.route(INJURIES_PATH, Reply.json(last_page), when={"cursor": str(FIRST_CURSOR)})
    rows = bdl.injuries(date(2025, 7, 16))
    assert len(rows) == 101
    first, second = loopback.requests_to(INJURIES_PATH)
    assert "cursor" not in first.query and first.query["per_page"] == ["100"]
    assert second.query["cursor"] == [str(FIRST_CURSOR)]
    assert first.headers["authorization"] == KEY
    assert {row["reported_utc"] for row in rows} == {datetime(2025, 1, 10, 18, 0)}  # the clock's now
    assert len(raw_store.entries("balldontlie", date(2025, 7, 16))) == 2


def test_a_cursor_that_repeats_is_drift(loopback: LoopbackServer, bdl: BallDontLieSource) -> None:
    loopback.route(GAMES_PATH, Reply.json({"data": [], "meta": {"next_cursor": 7}}))
    with pytest.raises(SourceSchemaError, match=r"balldontlie games: the field 'meta\.next_cursor' repeats 7"):
        bdl.games(date(2025, 1, 10))
    assert len(loopback.requests_to(GAMES_PATH)) == 2


def test_games_over_loopback(loopback: LoopbackServer, bdl: BallDontLieSource) -> None:
    loopback.route(GAMES_PATH, Reply.json(GAMES_PAGE), when={"dates[]": "2025-01-10"})
    assert [row["home_team"] for row in bdl.games(date(2025, 1, 10), expected_games=2)] == ["IND", "DEN"]
    assert games_params(date(2025, 1, 10), per_page=100, cursor=5) == {
        "dates[]": ["2025-01-10"], "per_page": 100, "cursor": 5,
    }


def test_box_scores_over_loopback_after_a_429(
    loopback: LoopbackServer, bdl: BallDontLieSource, shared_fixtures: Path, recording_clock: RecordingClock
) -> None:
    loopback.route(BOX_SCORES_PATH, Reply.status_only(429, retry_after="60"),
                   Reply.file(captured(shared_fixtures, "bdl_box_scores")))
    box = bdl.box_scores(BOX_DATE, expected_games=11)
    assert len(box.players) == 384 and recording_clock.sleeps == [60.0]
    assert [r.query["date"] for r in loopback.requests_to(BOX_SCORES_PATH)] == [["2024-01-15"]] * 2


def test_box_scores_5xx_fails_after_its_retries(
    loopback: LoopbackServer, bdl: BallDontLieSource, recording_clock: RecordingClock
) -> None:
    loopback.route(BOX_SCORES_PATH, Reply.status_only(500))
    with pytest.raises(SourceServerError, match=r"balldontlie box_scores answered 500 .*attempt 3 of 3"):
        bdl.box_scores(BOX_DATE)
    assert recording_clock.sleeps == [0.5, 1.0]


def test_box_scores_403_is_blocked_at_once(loopback: LoopbackServer, bdl: BallDontLieSource) -> None:
    loopback.route(BOX_SCORES_PATH, Reply.status_only(403))
    with pytest.raises(SourceBlockedError) as caught:
        bdl.box_scores(BOX_DATE)
    assert caught.value.kind is FailureKind.BLOCKED and len(loopback.requests_to(BOX_SCORES_PATH)) == 1


def test_no_box_scores_on_a_date_with_games_is_an_empty_payload(
    loopback: LoopbackServer, bdl: BallDontLieSource
) -> None:
    loopback.route(BOX_SCORES_PATH, Reply.json({"data": []}))
    message = r"balldontlie box_scores: the 200 response holds no box scores for 2024-01-15, where the schedule has 11"
    with pytest.raises(EmptyPayloadError, match=message):
        bdl.box_scores(BOX_DATE, expected_games=11)
    assert bdl.box_scores(BOX_DATE, expected_games=0).players == []  # an off day: empty is right


def test_a_renamed_stat_is_drift_naming_the_field(
    loopback: LoopbackServer, bdl: BallDontLieSource, shared_fixtures: Path
) -> None:
    payload = load(shared_fixtures, "bdl_box_scores")
    for game in payload["data"]:
        for side in ("home_team", "visitor_team"):
            for line in game[side]["players"]:
                line["tov"] = line.pop("turnover")
    loopback.route(BOX_SCORES_PATH, Reply.json(payload))
    with pytest.raises(SourceSchemaError, match=r"^balldontlie box_scores: the field 'data\[\]\.players\[\]\.turnover"):
        bdl.box_scores(BOX_DATE)


def test_the_key_never_reaches_the_raw_store(
    loopback: LoopbackServer, bdl: BallDontLieSource, raw_store: RawStore
) -> None:
    loopback.route(GAMES_PATH, Reply.json(GAMES_PAGE))
    bdl.games(date(2025, 1, 10))
    (entry,) = raw_store.entries("balldontlie", date(2025, 1, 10))
    assert KEY not in entry.meta_path.read_text()
    assert entry.meta["url"].endswith("/v1/games?dates[]=2025-01-10&per_page=100")
