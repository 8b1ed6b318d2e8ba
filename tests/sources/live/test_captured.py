"""Replaying kept payloads: a day a LiveSource fetched over loopback, served again from raw/ alone."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.cli.live_day import DAY, KEY, route_day
from tests.sources.conftest import RecordingClock
from tests.sources.loopback import LoopbackServer

from nbaprops.config import SourceChainsConfig, SourcesConfig
from nbaprops.errors import ChainExhaustedError, FailureKind
from nbaprops.sources.base import Row
from nbaprops.sources.live.captured import (
    CapturedReplaySource,
    StoredPayloadTransport,
    captured_dates,
    replayed_day,
    url_key,
)
from nbaprops.sources.live.factory import live_source
from nbaprops.sources.raw_store import RawStore

AS_OF = datetime(2024, 1, 16, 12, 0, tzinfo=UTC)
PROPS_AS_OF = datetime(2024, 1, 15, 17, 0, tzinfo=UTC)


class History:
    """A stand-in for the ingested history: one game day, 2024-01-10, with one game."""

    name = "replay"
    game = {"game_id": "h1", "home_team": "BOS", "away_team": "NYK", "status": "final"}

    def game_dates(self, start: date, end: date) -> list[date]:
        return [day for day in (date(2024, 1, 10),) if start <= day <= end]

    def schedule(self, game_date: date, *, as_of: datetime) -> list[Row]:
        return [dict(self.game)] if game_date == date(2024, 1, 10) else []

    def games_played(self, start: date, end: date) -> dict[str, int] | None:
        return {"someone": 3}

    def expected_prop_players(self, game_date: date, *, markets: Sequence[str]) -> int | None:
        return 7

    def expected_player_games(self, game_date: date) -> int | None:
        return None


def sources_at(base_url: str) -> SourcesConfig:
    urls = {"base_url": base_url, "retry": {"max_attempts": 1}}
    return SourcesConfig(
        nbacom={**urls, "cdn_base_url": base_url, "injury_report_base_url": base_url},
        espn={**urls, "web_base_url": base_url}, bettingpros=urls,
        odds_api={**urls, "api_key": KEY}, balldontlie={**urls, "api_key": KEY},
    )


@pytest.fixture
def fetched_day(loopback: LoopbackServer, shared_fixtures: Path, shared_data: Path, tmp_path: Path) -> dict[str, Any]:
    """2024-01-15 fetched live (nba.com's box score answering 503) into `tmp_path/raw`; what it served."""
    route_day(loopback, shared_fixtures, shared_data, nbacom_box_score=503)
    source = live_source(sources_at(loopback.base_url), clock=RecordingClock(AS_OF),
                         raw_store=RawStore(tmp_path / "raw"))
    served = {
        "schedule": source.schedule(DAY, as_of=AS_OF),
        "players": source.player_boxscores(DAY, as_of=AS_OF),
        "teams": source.team_boxscores(DAY, as_of=AS_OF),
        "props": source.prop_lines(DAY, as_of=PROPS_AS_OF),
        "dates": source.game_dates(date(2024, 1, 1), DAY),
    }
    source.close()
    return served


def test_a_kept_day_replays_the_same_rows_from_raw_alone(
    fetched_day: dict[str, Any], loopback: LoopbackServer, tmp_path: Path
) -> None:
    asked = len(loopback.received)
    replay = CapturedReplaySource(tmp_path / "raw", History(), SourcesConfig())  # default, unreachable URLs
    assert replay.schedule(DAY, as_of=AS_OF) == fetched_day["schedule"]
    assert replay.player_boxscores(DAY, as_of=AS_OF) == fetched_day["players"]
    assert {row["source"] for row in replay.team_boxscores(DAY, as_of=AS_OF)} == {"espn"}
    assert replay.prop_lines(DAY, as_of=PROPS_AS_OF) == fetched_day["props"]
    assert replay.game_dates(date(2024, 1, 1), DAY) == [date(2024, 1, 10), *fetched_day["dates"]]
    assert len(loopback.received) == asked, "nothing was asked of the server"
    assert (replay.expected_prop_players(DAY, markets=["pra"]), replay.games_played(date(2023, 10, 24), DAY)) == (
        None, {"someone": 3}), "a kept day knows what a live day knows"
    assert replay.games_played(date(2023, 10, 24), date(2024, 1, 14)) is None


def test_dates_without_kept_payloads_stay_with_the_history(fetched_day: dict[str, Any], tmp_path: Path) -> None:
    replay = CapturedReplaySource(tmp_path / "raw", History(), SourcesConfig())
    assert replay.schedule(date(2024, 1, 10), as_of=AS_OF) == [History.game]
    assert replay.expected_prop_players(date(2024, 1, 10), markets=["pra"]) == 7
    assert captured_dates(tmp_path / "raw") == {DAY}


def test_what_nothing_kept_answers_comes_from_the_history(fetched_day: dict[str, Any], tmp_path: Path) -> None:
    """2024-01-10 holds one kept payload, of no URL the schedule asks: every source is unreachable, so the
    history answers; a chain that failed otherwise stays a failure."""
    RawStore(tmp_path / "raw").save(
        source="espn", endpoint="scoreboard", game_date=date(2024, 1, 10), url="https://x/elsewhere",
        status_code=200, fetched_utc=AS_OF, content=b"{}", headers={"content-type": "application/json"})
    replay = CapturedReplaySource(tmp_path / "raw", History(), SourcesConfig())
    assert replay.schedule(date(2024, 1, 10), as_of=AS_OF) == [History.game]
    limited = CapturedReplaySource(tmp_path / "raw", History(),
                                   SourcesConfig(chains=SourceChainsConfig(box_scores=["nbacom"])))
    with pytest.raises(ChainExhaustedError, match="nbacom: server_error"):
        limited.team_boxscores(DAY, as_of=AS_OF)


def test_a_url_never_kept_fails_to_connect_and_the_chain_names_it(fetched_day: dict[str, Any], tmp_path: Path) -> None:
    day = replayed_day(tmp_path / "raw", DAY, SourcesConfig(chains=SourceChainsConfig(box_scores=["nbacom"])))
    with pytest.raises(ChainExhaustedError) as caught:
        day.team_boxscores(DAY, as_of=AS_OF)
    assert [(name, kind) for name, kind, _ in caught.value.failures] == [("nbacom", FailureKind.SERVER_ERROR)], \
        "the kept 503 answers again"
    assert url_key("http://scout:REDACTED@127.0.0.1:8000/v4/x?apiKey=REDACTED") == "/v4/x?apiKey=REDACTED"
    transport = StoredPayloadTransport(tmp_path / "raw", DAY)
    with pytest.raises(httpx.ConnectError, match="no kept payload answers /never/asked"):
        transport.handle_request(httpx.Request("GET", "https://stats.nba.com/never/asked"))


def test_probe_payloads_alone_do_not_make_a_kept_day(tmp_path: Path) -> None:
    RawStore(tmp_path / "raw").save(
        source="espn", endpoint="probe", game_date=DAY, url="https://x/probe", status_code=200,
        fetched_utc=AS_OF, content=b"{}", headers={"content-type": "application/json"})
    assert captured_dates(tmp_path / "raw") == set()
