"""Issue 10's matrix, the HTTP rows: every endpoint of every adapter, over loopback, on its real payload.

Each case is one adapter method (not the shared client alone) asked for one endpoint whose route
answers: 429 with Retry-After then the real payload (waits what it asks, then parses), 503 for good
(retried with backoff, then SourceServerError naming source and endpoint), 403 (SourceBlockedError at
once, kept in the raw store), an empty 200 body (EmptyPayloadError), an error page where JSON belongs
(drift naming source and endpoint), and the real payload with one required field renamed (drift
naming source, endpoint and the field). Payloads: the captures of `../shared/fixtures/sources/`; The
Odds API's player props built from the real 2025-01-10 threes snapshot (odds_api_payloads.py),
BettingPros' offers likewise (bettingpros_payloads.py), balldontlie's games in its documented shape
(no capture exists).
"""

from __future__ import annotations

import functools
import gzip
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from tests.sources.conftest import RecordingClock
from tests.sources.live.bettingpros_payloads import (
    bettingpros_events_rewritten_to,
    bettingpros_offers_built_from_props_player_threes,
)
from tests.sources.live.odds_api_payloads import (
    THREES_EVENT_ID,
    THREES_GAME,
    THREES_SNAPSHOT,
    event_of,
    odds_api_event_odds_built_from_props_player_threes,
)
from tests.sources.live.test_balldontlie import GAMES_PAGE
from tests.sources.loopback import LoopbackServer, Reply, captured

from nbaprops.config import (
    BallDontLieSourceConfig,
    BettingProsSourceConfig,
    EspnSourceConfig,
    NbaComSourceConfig,
    OddsApiSourceConfig,
    SourceRetryConfig,
)
from nbaprops.errors import (
    EmptyPayloadError,
    FailureKind,
    SourceBlockedError,
    SourceSchemaError,
    SourceServerError,
)
from nbaprops.sources.live import (
    balldontlie,
    bettingpros,
    nbacom_player_boxscore,
    nbacom_schedule,
    nbacom_scoreboard,
    nbacom_team_boxscore,
    odds_api,
)
from nbaprops.sources.live.balldontlie import BallDontLieSource
from nbaprops.sources.live.bettingpros import BettingProsSource, parse_events
from nbaprops.sources.live.espn import EspnSource
from nbaprops.sources.live.espn_scoreboard import PATH as ESPN_SCOREBOARD_PATH
from nbaprops.sources.live.nbacom import NbacomSource
from nbaprops.sources.live.odds_api import OddsApiSource
from nbaprops.sources.raw_store import RawStore

KEY = "matrix-key-0123456789"
ESPN_EVENT_ID = "401585183"
INJURY_PATH = "/referee/injury/Injury-Report_2024-01-04_12_30PM.pdf"
BP_EVENT_ID = 99001
PROPS_DAY = date(2025, 1, 10)


AdapterFor = Callable[[str], Any]


@pytest.fixture
def adapter_for(loopback: LoopbackServer, recording_clock: RecordingClock, raw_store: RawStore) -> Iterator[AdapterFor]:
    """Builds one source's adapter at the loopback server: three attempts, backoff 1 s then 2 s, no jitter."""
    url = loopback.base_url
    retry = SourceRetryConfig(max_attempts=3, backoff_initial_seconds=1.0, backoff_max_seconds=10.0,
                              jitter_seconds=0.0)
    kept: dict[str, Any] = {"clock": recording_clock, "raw_store": raw_store}
    built: list[Any] = []

    def build(source: str) -> Any:
        adapter = {
            "nbacom": lambda: NbacomSource(NbaComSourceConfig(
                base_url=url, cdn_base_url=url, injury_report_base_url=url, retry=retry), **kept),
            "espn": lambda: EspnSource(EspnSourceConfig(base_url=url, web_base_url=url, retry=retry), **kept),
            "odds_api": lambda: OddsApiSource(OddsApiSourceConfig(
                base_url=url, api_key=KEY, quota_reserve_requests=0, retry=retry), **kept),
            "bettingpros": lambda: BettingProsSource(BettingProsSourceConfig(
                base_url=url, api_key=KEY, retry=retry), **kept),
            "balldontlie": lambda: BallDontLieSource(BallDontLieSourceConfig(
                base_url=url, api_key=KEY, retry=retry), **kept),
        }[source]()
        built.append(adapter)
        return adapter

    yield build
    for adapter in built:
        adapter.close()


@functools.cache
def _read(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()


@functools.cache
def _threes(data: Path) -> str:
    return json.dumps(odds_api_event_odds_built_from_props_player_threes(
        data / THREES_SNAPSHOT, game=THREES_GAME, event_id=THREES_EVENT_ID))


@dataclass(frozen=True)
class Payloads:
    fixtures: Path
    data: Path

    def capture(self, folder: str) -> bytes:
        return _read(captured(self.fixtures, folder))

    def threes(self) -> dict[str, Any]:
        document: dict[str, Any] = json.loads(_threes(self.data))
        return document

    def bp_events(self) -> dict[str, Any]:
        return bettingpros_events_rewritten_to(json.loads(self.capture("bp_events")), event_id=BP_EVENT_ID,
                                               home="IND", visitor="GSW", scheduled="2025-01-11 00:10:00", season=2024)

    def bp_offers(self) -> dict[str, Any]:
        (page,) = bettingpros_offers_built_from_props_player_threes(
            self.data / THREES_SNAPSHOT, game=THREES_GAME, event_id=BP_EVENT_ID, page_size=100)
        return page


@pytest.fixture(scope="module")
def payloads(shared_fixtures: Path, shared_data: Path) -> Payloads:
    return Payloads(shared_fixtures, shared_data)


@dataclass(frozen=True)
class Case:
    """One endpoint of one adapter: where it is served, its real payload, the call, the rows it gives."""

    source: str
    endpoint: str
    path: str
    payload: Callable[[Payloads], Any]  # a decoded JSON document, or bytes served as they are
    call: Callable[[Any, Payloads], int]  # rows parsed
    rows: int
    renamed: str | None  # a field the parser needs, renamed for the drift case (None: not a JSON payload)
    game_date: date  # where the raw store keeps the payload

    def reply(self, payloads: Payloads) -> Reply:
        document = self.payload(payloads)
        if isinstance(document, bytes):
            return Reply(200, document, {"content-type": "application/octet-stream"})
        return Reply.json(document)

    def __str__(self) -> str:
        return f"{self.source}-{self.endpoint}"


def _json(folder: str) -> Callable[[Payloads], Any]:
    return lambda p: json.loads(p.capture(folder))


def _schedule_of_january_2025(payloads: Payloads) -> dict[str, Any]:
    """The captured season schedule cut to its January 2025 dates (the whole season parses in test_nbacom_schedule)."""
    schedule = json.loads(payloads.capture("nbac_schedule_api"))["leagueSchedule"]
    days = [day for day in schedule["gameDates"] if day["gameDate"].startswith("01/") and "/2025" in day["gameDate"]]
    return {"leagueSchedule": {**schedule, "gameDates": days}}


def _boxscore(nbacom: NbacomSource, _: Payloads) -> int:
    teams, players = nbacom.boxscore(date(2025, 1, 15), "0022400561", home_team="PHI")
    return len(teams) + len(players)


def _espn_boxscore(espn: EspnSource, _: Payloads) -> int:
    teams, players = espn.boxscore(date(2024, 1, 15), ESPN_EVENT_ID)
    return len(teams) + len(players)


REPORT_TIME = datetime(2024, 1, 4, 12, 30)
CASES = [
    Case("nbacom", "scheduleLeagueV2", nbacom_schedule.PATH, _schedule_of_january_2025,
         lambda a, p: len(a.schedule(date(2025, 1, 15))), 11, "gameId", date(2025, 1, 15)),
    Case("nbacom", "scoreboardv2", nbacom_scoreboard.PATH, _json("nbac_scoreboard_v2"),
         lambda a, p: len(a.scoreboard(date(2024, 1, 15))), 11, "GAME_STATUS_ID", date(2024, 1, 15)),
    Case("nbacom", "leaguegamelog", nbacom_player_boxscore.PATH, _json("nbac_player_boxscore"),
         lambda a, p: len(a.player_boxscores(date(2025, 3, 15), season="2024-25")), 157, "PTS",
         date(2025, 3, 15)),
    Case("nbacom", "boxscoretraditionalv2", nbacom_team_boxscore.PATH, _json("nbac_team_boxscore"),
         _boxscore, 2 + 17, "PTS", date(2025, 1, 15)),
    Case("nbacom", "injury_report", INJURY_PATH, lambda p: p.capture("nbac_injury_report"),
         lambda a, p: len(a.injury_report(date(2024, 1, 4), report_time=REPORT_TIME)), 14, None, date(2024, 1, 4)),
    Case("espn", "scoreboard", ESPN_SCOREBOARD_PATH, _json("espn_scoreboard_api"),
         lambda a, p: len(a.scoreboard(date(2024, 1, 15)).games), 11, "homeAway", date(2024, 1, 15)),
    Case("espn", "boxscore", f"/nba/boxscore/_/gameId/{ESPN_EVENT_ID}", lambda p: p.capture("espn_game_boxscore"),
         _espn_boxscore, 2 + 23, None, date(2024, 1, 15)),
    Case("odds_api", "events", odds_api.events_path(), lambda p: [event_of(p.threes())],
         lambda a, p: len(a.events(PROPS_DAY)), 1, "commence_time", PROPS_DAY),
    Case("odds_api", "event_odds", odds_api.event_odds_path(THREES_EVENT_ID), lambda p: p.threes(),
         lambda a, p: len(a.event_odds(THREES_EVENT_ID, game_date=PROPS_DAY)), 42, "description", PROPS_DAY),
    Case("odds_api", "historical_events", odds_api.events_path(historical=True), _json("oddsa_events_his"),
         lambda a, p: len(a.historical_events(date(2025, 3, 9), at=datetime(2025, 3, 9, 23, 55, tzinfo=UTC))),
         6, "commence_time", date(2025, 3, 9)),
    Case("odds_api", "historical_event_odds", odds_api.event_odds_path(THREES_EVENT_ID, historical=True),
         lambda p: {"timestamp": "2025-01-10T19:55:40Z", "data": p.threes()},
         lambda a, p: len(a.historical_event_odds(THREES_EVENT_ID, game_date=PROPS_DAY,
                                                  at=datetime(2025, 1, 10, 19, 55, tzinfo=UTC))),
         42, "description", PROPS_DAY),
    Case("bettingpros", "events", bettingpros.EVENTS_PATH, _json("bp_events"),
         lambda a, p: len(a.events(date(2021, 10, 21))), 3, "visitor", date(2021, 10, 21)),
    Case("bettingpros", "offers", bettingpros.OFFERS_PATH, lambda p: p.bp_offers(),
         lambda a, p: len(a.offers(PROPS_DAY, parse_events(p.bp_events()), "threes")), 27, "participants",
         PROPS_DAY),
    Case("balldontlie", "games", balldontlie.GAMES_PATH, lambda p: GAMES_PAGE,
         lambda a, p: len(a.games(PROPS_DAY)), 2, "postseason", PROPS_DAY),
    Case("balldontlie", "box_scores", balldontlie.BOX_SCORES_PATH, _json("bdl_box_scores"),
         lambda a, p: len(a.box_scores(date(2024, 1, 15)).players), 384, "turnover", date(2024, 1, 15)),
    Case("balldontlie", "player_injuries", balldontlie.INJURIES_PATH,
         lambda p: {"data": json.loads(p.capture("bdl_injuries"))["data"], "meta": {"per_page": 100}},
         lambda a, p: len(a.injuries(date(2025, 7, 16))), 100, "last_name", date(2025, 7, 16)),
]


def _ids(case: Case) -> str:
    return str(case)


def test_every_source_and_endpoint_has_a_case() -> None:
    assert {case.source for case in CASES} == {"nbacom", "espn", "odds_api", "bettingpros", "balldontlie"}
    assert len({str(case) for case in CASES}) == len(CASES) == 16


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_parse_the_real_payload_over_http(case: Case, payloads: Payloads, loopback: LoopbackServer,
                                          adapter_for: AdapterFor) -> None:
    loopback.route(case.path, case.reply(payloads))
    assert case.call(adapter_for(case.source), payloads) == case.rows
    assert len(loopback.requests_to(case.path)) == 1


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_429_waits_what_retry_after_asks_then_parses(
    case: Case, payloads: Payloads, loopback: LoopbackServer, adapter_for: AdapterFor, recording_clock: RecordingClock
) -> None:
    loopback.route(case.path, Reply.status_only(429, retry_after="4"), case.reply(payloads))
    assert case.call(adapter_for(case.source), payloads) == case.rows
    assert recording_clock.sleeps == [4.0] and len(loopback.requests_to(case.path)) == 2


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_5xx_is_retried_with_backoff_then_fails_as_server_error(
    case: Case, payloads: Payloads, loopback: LoopbackServer, adapter_for: AdapterFor, recording_clock: RecordingClock
) -> None:
    loopback.route(case.path, Reply.status_only(503))
    with pytest.raises(SourceServerError, match=rf"^{case.source} {case.endpoint} answered 503 .*attempt 3 of 3"
                       ) as caught:
        case.call(adapter_for(case.source), payloads)
    assert (caught.value.source, caught.value.endpoint, caught.value.kind) == (
        case.source, case.endpoint, FailureKind.SERVER_ERROR)
    assert recording_clock.sleeps == [1.0, 2.0] and len(loopback.requests_to(case.path)) == 3


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_403_is_blocked_at_once_not_retried_and_kept(
    case: Case, payloads: Payloads, loopback: LoopbackServer, adapter_for: AdapterFor,
    recording_clock: RecordingClock, raw_store: RawStore,
) -> None:
    loopback.route(case.path, Reply.status_only(403))
    with pytest.raises(SourceBlockedError, match=rf"^{case.source} {case.endpoint} answered 403") as caught:
        case.call(adapter_for(case.source), payloads)
    assert (caught.value.source, caught.value.endpoint, caught.value.kind) == (
        case.source, case.endpoint, FailureKind.BLOCKED)
    assert recording_clock.sleeps == [] and len(loopback.requests_to(case.path)) == 1
    kept = [entry.meta["status_code"] for entry in raw_store.entries(case.source, case.game_date)]
    assert kept == [403]


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_an_empty_200_body_is_an_empty_payload(
    case: Case, payloads: Payloads, loopback: LoopbackServer, adapter_for: AdapterFor
) -> None:
    loopback.route(case.path, Reply(200, b" \n", {"content-type": "application/json"}))
    with pytest.raises(EmptyPayloadError, match=rf"^{case.source} {case.endpoint}: the 200 response has an empty "
                       r"body") as caught:
        case.call(adapter_for(case.source), payloads)
    assert (caught.value.source, caught.value.endpoint, caught.value.kind) == (
        case.source, case.endpoint, FailureKind.EMPTY)


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_an_error_page_where_the_payload_belongs_is_drift(
    case: Case, payloads: Payloads, loopback: LoopbackServer, adapter_for: AdapterFor
) -> None:
    loopback.route(case.path, Reply(200, b"<html><body>Access Denied</body></html>", {"content-type": "text/html"}))
    with pytest.raises(SourceSchemaError, match=rf"^{case.source} {case.endpoint}: the ") as caught:
        case.call(adapter_for(case.source), payloads)
    assert (caught.value.source, caught.value.endpoint, caught.value.kind) == (
        case.source, case.endpoint, FailureKind.SCHEMA_DRIFT)


JSON_CASES = [case for case in CASES if case.renamed is not None]


@pytest.mark.parametrize("case", JSON_CASES, ids=_ids)
def test_a_renamed_field_is_drift_naming_source_endpoint_and_field(
    case: Case, payloads: Payloads, loopback: LoopbackServer, adapter_for: AdapterFor
) -> None:
    assert case.renamed is not None
    loopback.route(case.path, Reply.json(renamed(case.payload(payloads), case.renamed)))
    with pytest.raises(SourceSchemaError) as caught:
        case.call(adapter_for(case.source), payloads)
    error = caught.value
    assert (error.source, error.endpoint) == (case.source, case.endpoint)
    assert error.field.endswith(case.renamed), error.field
    assert str(error).startswith(f"{case.source} {case.endpoint}: the field {error.field!r} ")


def renamed(node: Any, key: str) -> Any:
    """`node` with every dict key `key` (and every header string `key`) renamed `key_renamed`."""
    if isinstance(node, dict):
        return {(f"{name}_renamed" if name == key else name): renamed(value, key) for name, value in node.items()}
    if isinstance(node, list):
        return [f"{item}_renamed" if item == key else renamed(item, key) for item in node]
    return node


# -- an empty 200 where data must exist, for the endpoints the older files leave out ------------------


def test_no_player_lines_where_games_are_final_is_an_empty_payload(
    payloads: Payloads, loopback: LoopbackServer, adapter_for: AdapterFor
) -> None:
    document = json.loads(payloads.capture("nbac_player_boxscore"))
    for result_set in document["resultSets"]:
        result_set["rowSet"] = []
    loopback.route(nbacom_player_boxscore.PATH, Reply.json(document))
    nbacom = adapter_for("nbacom")
    assert nbacom.player_boxscores(date(2025, 3, 15), season="2024-25") == [], "no game final: an answer"
    with pytest.raises(EmptyPayloadError, match=r"^nbacom leaguegamelog: the 200 response holds no player lines for "
                       r"2025-03-15, where 8 games are final"):
        nbacom.player_boxscores(date(2025, 3, 15), season="2024-25", final_games=8)


def test_no_balldontlie_games_on_a_date_the_schedule_has_games_for_is_an_empty_payload(
    loopback: LoopbackServer, adapter_for: AdapterFor
) -> None:
    loopback.route(balldontlie.GAMES_PATH, Reply.json({"data": [], "meta": {"per_page": 100}}))
    bdl = adapter_for("balldontlie")
    assert bdl.games(date(2025, 1, 10)) == []
    with pytest.raises(EmptyPayloadError, match=r"^balldontlie games: the 200 response holds no games for 2025-01-10"):
        bdl.games(date(2025, 1, 10), expected_games=2)


# -- pagination -------------------------------------------------------------------------------------


def test_balldontlie_games_follow_the_cursor_to_the_last_page(
    loopback: LoopbackServer, adapter_for: AdapterFor
) -> None:
    first = {"data": GAMES_PAGE["data"][:1], "meta": {"per_page": 1, "next_cursor": 15907925}}
    last = {"data": GAMES_PAGE["data"][1:], "meta": {"per_page": 1}}
    loopback.route(balldontlie.GAMES_PATH, Reply.json(first))
    loopback.route(balldontlie.GAMES_PATH, Reply.json(last), when={"cursor": "15907925"})
    rows = adapter_for("balldontlie").games(date(2025, 1, 10), expected_games=2)
    assert [row["home_team"] for row in rows] == ["IND", "DEN"]
    asked = loopback.requests_to(balldontlie.GAMES_PATH)
    assert ["cursor" in request.query for request in asked] == [False, True]
    assert all(request.headers["authorization"] == KEY for request in asked)


def test_bettingpros_offers_built_from_the_snapshot_read_every_page(
    payloads: Payloads, loopback: LoopbackServer, adapter_for: AdapterFor
) -> None:
    pages = bettingpros_offers_built_from_props_player_threes(
        payloads.data / THREES_SNAPSHOT, game=THREES_GAME, event_id=BP_EVENT_ID, page_size=3)
    assert len(pages) == 3, "8 players, 3 a page"
    for number, page in enumerate(pages, start=1):
        loopback.route(bettingpros.OFFERS_PATH, Reply.json(page), when={"page": str(number)})
    rows = adapter_for("bettingpros").offers(PROPS_DAY, parse_events(payloads.bp_events()), "threes")
    assert len(rows) == 27
    assert [request.query["page"] for request in loopback.requests_to(bettingpros.OFFERS_PATH)] == [["1"], ["2"], ["3"]]
