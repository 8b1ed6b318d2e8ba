"""LiveSource over loopback: box scores of nba.com game 0022300555 (HOU at PHI, 2024-01-15) through the chains.

nba.com's box score answers 503 or 403, so ESPN's captured page serves; ESPN failing too, the
captured balldontlie box scores serve. The nba.com season schedule has no capture for 2023-24:
SEASON_SCHEDULE below is the captured 2024-25 document cut to one game and rewritten to this one.
"""

from __future__ import annotations

import copy
import gzip
import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
from tests.sources.conftest import RecordingClock
from tests.sources.loopback import LoopbackServer, Reply, captured

from nbaprops.config import (
    BallDontLieSourceConfig,
    BettingProsSourceConfig,
    EspnSourceConfig,
    NbaComSourceConfig,
    OddsApiSourceConfig,
    SourceChainsConfig,
    SourceRetryConfig,
)
from nbaprops.errors import ChainExhaustedError, ConfigError, FailureKind, SourceFailure
from nbaprops.sources import ReplaySource
from nbaprops.sources.chain import Fallen, Guard, unguarded
from nbaprops.sources.live import espn, nbacom
from nbaprops.sources.live.balldontlie import BOX_SCORES_PATH, BallDontLieSource
from nbaprops.sources.live.balldontlie import INJURIES_PATH as BDL_INJURIES_PATH
from nbaprops.sources.live.bettingpros import EVENTS_PATH as BETTINGPROS_EVENTS_PATH
from nbaprops.sources.live.bettingpros import BettingProsSource
from nbaprops.sources.live.chained import ChainRecord, LiveAdapters, LiveSource, last_report_time
from nbaprops.sources.live.espn import EspnSource
from nbaprops.sources.live.espn_scoreboard import PATH as ESPN_SCOREBOARD_PATH
from nbaprops.sources.live.nbacom import NbacomSource
from nbaprops.sources.live.nbacom_schedule import SEASON_PATH
from nbaprops.sources.live.nbacom_team_boxscore import PATH as NBA_BOXSCORE_PATH
from nbaprops.sources.live.odds_api import OddsApiSource, event_odds_path, events_path
from nbaprops.sources.raw_store import RawStore

from .odds_api_payloads import (
    THREES_EVENT_ID,
    THREES_GAME,
    THREES_SNAPSHOT,
    event_of,
    odds_api_event_odds_built_from_props_player_threes,
)
from .pipeline import assert_phase3_agree, phase3_rows

DAY, GAME_ID, EVENT_ID = date(2024, 1, 15), "0022300555", "401585183"
ESPN_BOXSCORE_PATH = f"/nba/boxscore/_/gameId/{EVENT_ID}"
AS_OF = datetime(2024, 1, 16, 12, 0, tzinfo=UTC)
T = TypeVar("T")


def season_schedule(shared_fixtures: Path, tipoff_utc: datetime) -> dict[str, Any]:
    """The captured scheduleLeagueV2 document holding one game: HOU at PHI on 2024-01-15, final."""
    (path,) = (shared_fixtures / "nbac_schedule_api").glob("raw_*")
    document = json.loads(gzip.decompress(path.read_bytes()))
    game = copy.deepcopy(document["leagueSchedule"]["gameDates"][0]["games"][0])
    game["homeTeam"]["teamTricode"], game["awayTeam"]["teamTricode"] = "PHI", "HOU"
    game.update(gameId=GAME_ID, gameStatus=3, gameDateEst="2024-01-15T00:00:00Z",
                gameDateTimeUTC=f"{tipoff_utc:%Y-%m-%dT%H:%M:%S}Z", postponedStatus="N")
    document["leagueSchedule"]["seasonYear"] = "2023-24"
    document["leagueSchedule"]["gameDates"] = [{"gameDate": "01/15/2024 00:00:00", "games": [game]}]
    return document


@pytest.fixture
def adapters(loopback: LoopbackServer, recording_clock: RecordingClock, raw_store: RawStore) -> Iterator[LiveAdapters]:
    url, retry = loopback.base_url, SourceRetryConfig(max_attempts=2, backoff_initial_seconds=1.0, jitter_seconds=0.0)
    kept: dict[str, Any] = {"clock": recording_clock, "raw_store": raw_store}
    live = LiveAdapters(
        nbacom=NbacomSource(NbaComSourceConfig(base_url=url, cdn_base_url=url, injury_report_base_url=url,
                                               retry=retry), **kept),
        espn=EspnSource(EspnSourceConfig(base_url=url, web_base_url=url, retry=retry), **kept),
        balldontlie=BallDontLieSource(BallDontLieSourceConfig(base_url=url, api_key="k", retry=retry), **kept),
        odds_api=OddsApiSource(OddsApiSourceConfig(base_url=url, api_key="k", retry=retry), **kept),
        bettingpros=BettingProsSource(BettingProsSourceConfig(base_url=url, api_key="k", retry=retry), **kept),
    )
    yield live
    live.close()


@pytest.fixture
def served(loopback: LoopbackServer, shared_fixtures: Path, capture: Callable[[str], bytes]) -> LoopbackServer:
    """Every route answering its capture: the nba.com schedule, ESPN's scoreboard and page, balldontlie's box scores."""
    (espn_game,) = [row for row in espn.parse_scoreboard(capture("espn_scoreboard_api"), game_date=DAY)
                    if (row["home_team"], row["away_team"]) == ("PHI", "HOU")]
    loopback.route(SEASON_PATH, Reply.json(season_schedule(shared_fixtures, espn_game["tipoff_utc"])))
    loopback.route(NBA_BOXSCORE_PATH, Reply.file(captured(shared_fixtures, "nbac_team_boxscore")))
    loopback.route(ESPN_SCOREBOARD_PATH, Reply.file(captured(shared_fixtures, "espn_scoreboard_api")))
    loopback.route(ESPN_BOXSCORE_PATH, Reply.file(captured(shared_fixtures, "espn_game_boxscore")))
    loopback.route(BOX_SCORES_PATH, Reply.file(captured(shared_fixtures, "bdl_box_scores")))
    return loopback


def live_source(adapters: LiveAdapters, guard: Guard = unguarded) -> LiveSource:
    return LiveSource(adapters, SourceChainsConfig(), guard=guard)


@pytest.mark.parametrize(("status", "kind"), [(503, FailureKind.SERVER_ERROR), (403, FailureKind.BLOCKED)])
def test_espn_serves_when_nbacom_fails_and_the_record_names_nbacoms_failure(
    served: LoopbackServer, adapters: LiveAdapters, capture: Callable[[str], bytes], status: int, kind: FailureKind
) -> None:
    served.route(NBA_BOXSCORE_PATH, Reply.status_only(status))
    source = live_source(adapters)
    players = source.player_boxscores(DAY, as_of=AS_OF)
    teams = source.team_boxscores(DAY, as_of=AS_OF)

    assert {row["source"] for row in players + teams} == {"espn"}
    assert {row["game_id"] for row in players + teams} == {GAME_ID}, "ESPN's event joined to nba.com's id"
    expected = espn.parse_boxscore_players(capture("espn_game_boxscore"), game_date=DAY, game_id=GAME_ID)
    assert [{key: value for key, value in row.items() if key != "source"} for row in players] == expected
    assert [(row["team"], row["pts"]) for row in teams] == [("PHI", 124), ("HOU", 115)]
    schedule_record, box_record = source.record
    assert schedule_record == ChainRecord("schedule", DAY, "nbacom", ())
    assert box_record.data_kind == "box_scores" and box_record.source == "espn"
    assert [(fallen.source, fallen.kind) for fallen in box_record.fallen] == [("nbacom", kind)]
    assert len(served.requests_to(ESPN_BOXSCORE_PATH)) == 1, "one chain run serves player and team lines"


def test_espn_served_rows_make_nba_coms_phase3_rows(
    served: LoopbackServer, adapters: LiveAdapters, replay_2023_24: ReplaySource, tmp_path: Path
) -> None:
    """Phase 2 and 3 run for real on the chain's rows and on nba.com's recorded rows of the game.

    Tolerance (`assert_phase3_agree`): team defense rows equal, team offense rows equal but pace
    within 0.5% (nba.com 241 team minutes for PHI, ESPN 240), player rows equal but display name.
    """
    served.route(NBA_BOXSCORE_PATH, Reply.status_only(503))
    source = live_source(adapters)
    schedule = source.schedule(DAY, as_of=AS_OF)
    from_chain = phase3_rows(tmp_path / "live.duckdb", schedule, source.player_boxscores(DAY, as_of=AS_OF),
                             source.team_boxscores(DAY, as_of=AS_OF), game_date=DAY)
    late = datetime(2024, 2, 1, tzinfo=UTC)
    recorded = phase3_rows(
        tmp_path / "replay.duckdb", schedule,
        [row for row in replay_2023_24.player_boxscores(DAY, as_of=late) if row["game_id"] == GAME_ID],
        [row for row in replay_2023_24.team_boxscores(DAY, as_of=late) if row["game_id"] == GAME_ID],
        game_date=DAY,
    )
    assert_phase3_agree(from_chain, recorded)
    assert from_chain["served_by"] == [
        {"table": "schedule", "source": "nbacom"}, {"table": "player_boxscores", "source": "espn"},
        {"table": "team_boxscores", "source": "espn"},
    ]
    assert [row["source"] for row in recorded["served_by"]] == ["nbacom", "fixed", "fixed"], \
        "rows without their own source take the name of the source that served them"


def test_balldontlie_serves_when_nbacom_and_espn_fail_joined_to_nba_coms_game(
    served: LoopbackServer, adapters: LiveAdapters
) -> None:
    served.route(NBA_BOXSCORE_PATH, Reply.status_only(403))
    served.route(ESPN_BOXSCORE_PATH, Reply.status_only(502))
    source = live_source(adapters)
    teams = source.team_boxscores(DAY, as_of=AS_OF)
    players = source.player_boxscores(DAY, as_of=AS_OF)
    assert [(row["game_id"], row["team"], row["pts"], row["source"]) for row in teams] == [
        (GAME_ID, "PHI", 124, "balldontlie"), (GAME_ID, "HOU", 115, "balldontlie")]
    assert {row["game_id"] for row in players} == {GAME_ID}, "only the schedule's game, of the 11 captured"
    for team in teams:
        assert sum(row["pts"] for row in players if row["team"] == team["team"]) == team["pts"]
    assert [(fallen.source, fallen.kind) for fallen in source.record[-1].fallen] == [
        ("nbacom", FailureKind.BLOCKED), ("espn", FailureKind.SERVER_ERROR)]


def test_every_box_score_source_failing_names_each_and_its_kind(
    served: LoopbackServer, adapters: LiveAdapters
) -> None:
    served.route(NBA_BOXSCORE_PATH, Reply.status_only(403))
    served.route(ESPN_SCOREBOARD_PATH, Reply.json({"events": []}))
    served.route(BOX_SCORES_PATH, Reply.status_only(401))
    with pytest.raises(ChainExhaustedError) as caught:
        live_source(adapters).player_boxscores(DAY, as_of=AS_OF)
    assert [(name, kind) for name, kind, _ in caught.value.failures] == [
        ("nbacom", FailureKind.BLOCKED), ("espn", FailureKind.EMPTY), ("balldontlie", FailureKind.AUTH)]
    assert "box_scores" in str(caught.value) and "nbacom: blocked" in str(caught.value)


def test_a_guard_refusing_nbacom_keeps_its_box_score_unasked(served: LoopbackServer, adapters: LiveAdapters) -> None:
    def breaker(source: str, data_kind: str, call: Callable[[], T]) -> T:
        if (source, data_kind) == ("nbacom", "box_scores"):
            raise SourceFailure("circuit open", kind=FailureKind.SERVER_ERROR, source=source, endpoint="(breaker)")
        return call()

    source = live_source(adapters, guard=breaker)
    assert {row["source"] for row in source.team_boxscores(DAY, as_of=AS_OF)} == {"espn"}
    assert served.requests_to(NBA_BOXSCORE_PATH) == []
    assert source.record[-1].fallen == (Fallen("nbacom", FailureKind.SERVER_ERROR, "circuit open"),)


def test_a_chain_naming_an_adapter_not_given_is_a_config_error(adapters: LiveAdapters) -> None:
    with pytest.raises(ConfigError, match=r"sources\.chains\.props names bettingpros"):
        LiveSource(LiveAdapters(nbacom=adapters.nbacom, espn=adapters.espn, balldontlie=adapters.balldontlie,
                                odds_api=adapters.odds_api), SourceChainsConfig())


@pytest.mark.parametrize(("at_utc", "eastern"), [
    (datetime(2024, 1, 4, 17, 47, tzinfo=UTC), datetime(2024, 1, 4, 12, 30)),
    (datetime(2024, 1, 4, 18, 29, tzinfo=UTC), datetime(2024, 1, 4, 13, 0)),
    (datetime(2024, 7, 4, 16, 30, tzinfo=UTC), datetime(2024, 7, 4, 12, 30)),  # daylight time: UTC-4
])
def test_the_nbacom_injury_report_asked_is_the_last_on_the_hour_or_half_hour(
    at_utc: datetime, eastern: datetime
) -> None:
    assert last_report_time(at_utc).replace(tzinfo=None) == eastern


INJURY_DAY, INJURY_AS_OF = date(2024, 1, 4), datetime(2024, 1, 4, 17, 47, tzinfo=UTC)
INJURY_REPORT_PATH = "/referee/injury/Injury-Report_2024-01-04_12_30PM.pdf"


def test_injuries_from_nbacoms_report_then_balldontlie_when_it_is_not_up(
    loopback: LoopbackServer, adapters: LiveAdapters, shared_fixtures: Path, capture: Callable[[str], bytes]
) -> None:
    loopback.route(INJURY_REPORT_PATH, Reply.file(captured(shared_fixtures, "nbac_injury_report")))
    source = live_source(adapters)
    report = source.injuries(INJURY_DAY, as_of=INJURY_AS_OF)
    assert report and {row["source"] for row in report} == {"nbacom"}
    assert [{key: value for key, value in row.items() if key != "source"} for row in report] == (
        nbacom.parse_injury_report(capture("nbac_injury_report"), game_date=INJURY_DAY))

    loopback.route(INJURY_REPORT_PATH, Reply.status_only(403))
    page = json.loads(capture("bdl_injuries"))
    loopback.route(BDL_INJURIES_PATH, Reply.json({"data": page["data"][:3], "meta": {"per_page": 100}}))
    listed = source.injuries(INJURY_DAY, as_of=INJURY_AS_OF)
    assert len(listed) == 3 and {row["source"] for row in listed} == {"balldontlie"}
    assert [(fallen.source, fallen.kind) for fallen in source.record[-1].fallen] == [("nbacom", FailureKind.BLOCKED)]


def test_espn_serves_the_schedule_when_nbacom_fails(served: LoopbackServer, adapters: LiveAdapters) -> None:
    served.route(SEASON_PATH, Reply.status_only(503))
    source = live_source(adapters)
    games = source.schedule(DAY, as_of=AS_OF)
    assert len(games) == 11 and {row["source"] for row in games} == {"espn"}
    (game,) = [row for row in games if (row["home_team"], row["away_team"]) == ("PHI", "HOU")]
    assert (game["game_id"], game["status"]) == (f"espn:{EVENT_ID}", "final"), "no nba.com id to join to"
    assert [(fallen.source, fallen.kind) for fallen in source.record[-1].fallen] == [
        ("nbacom", FailureKind.SERVER_ERROR)]

    teams = source.team_boxscores(DAY, as_of=AS_OF)  # ESPN has a page for one game of the 11: balldontlie serves
    assert len(teams) == 22 and {row["source"] for row in teams} == {"balldontlie"}
    assert {row["game_id"] for row in teams} == {row["game_id"] for row in games}, "joined to ESPN's ids by matchup"
    assert [(fallen.source, fallen.kind) for fallen in source.record[-1].fallen][0] == (
        "nbacom", FailureKind.BAD_REQUEST)
    assert served.requests_to(NBA_BOXSCORE_PATH) == [], "nba.com is not asked for games without its ids"


PROPS_DAY, PROPS_AS_OF = date(2025, 1, 10), datetime(2025, 1, 10, 20, 0, tzinfo=UTC)  # GSW @ IND tips 00:10 UTC


def test_odds_api_lines_join_nba_coms_game_by_matchup(
    loopback: LoopbackServer, adapters: LiveAdapters, shared_fixtures: Path, shared_data: Path
) -> None:
    loopback.route(SEASON_PATH, Reply.file(captured(shared_fixtures, "nbac_schedule_api")))  # 2024-25
    document = odds_api_event_odds_built_from_props_player_threes(
        shared_data / THREES_SNAPSHOT, game=THREES_GAME, event_id=THREES_EVENT_ID)
    loopback.route(events_path(), Reply.json([event_of(document)], headers={"x-requests-remaining": "480"}))
    loopback.route(event_odds_path(THREES_EVENT_ID), Reply.json(document, headers={"x-requests-remaining": "479"}))
    source = live_source(adapters)
    (game,) = [row for row in source.schedule(PROPS_DAY, as_of=PROPS_AS_OF)
               if (row["home_team"], row["away_team"]) == ("IND", "GSW")]
    lines = source.prop_lines(PROPS_DAY, as_of=PROPS_AS_OF)
    assert len(lines) == 42 and {(row["game_id"], row["source"]) for row in lines} == {(game["game_id"], "odds_api")}
    assert game["game_id"].startswith("00224")
    assert loopback.requests_to(BETTINGPROS_EVENTS_PATH) == [], "the first source served, the second unasked"


def test_props_failing_at_both_books_names_each(loopback: LoopbackServer, adapters: LiveAdapters,
                                                shared_fixtures: Path) -> None:
    loopback.route(SEASON_PATH, Reply.file(captured(shared_fixtures, "nbac_schedule_api")))
    loopback.route(events_path(), Reply.status_only(403))
    loopback.route(BETTINGPROS_EVENTS_PATH, Reply.status_only(503))
    with pytest.raises(ChainExhaustedError, match=r"props failed: odds_api: blocked .*; bettingpros: server_error"):
        live_source(adapters).prop_lines(PROPS_DAY, as_of=PROPS_AS_OF)


def test_an_nbacom_box_score_of_another_game_is_refused_and_espn_serves(
    served: LoopbackServer, adapters: LiveAdapters
) -> None:
    """nba.com answering game 0022400561 (NYK at PHI, its capture) when asked for 0022300555 (HOU at PHI): the
    home team matches, the game does not; its rows must not be stored as the asked game's."""
    source = live_source(adapters)
    teams = source.team_boxscores(DAY, as_of=AS_OF)
    assert {(row["game_id"], row["source"]) for row in teams} == {(GAME_ID, "espn")}
    assert [(row["team"], row["pts"]) for row in teams] == [("PHI", 124), ("HOU", 115)]
    ((fallen_source, kind, message),) = [(f.source, f.kind, f.message) for f in source.record[-1].fallen]
    assert (fallen_source, kind) == ("nbacom", FailureKind.SCHEMA_DRIFT)
    assert message.startswith("nbacom boxscoretraditionalv2: the field 'resultSets[TeamStats].GAME_ID' is "
                              "'0022400561', not the game asked (0022300555)")
