"""A primary source takes its traffic back by itself: the home's live source, its breakers in the orchestration
database, over loopback on virtual time.

HOU at PHI, 2024-01-15 (`tests/cli/live_day.py`). nba.com's schedule answers 503: after `fail_max` failed
calls its breaker opens and ESPN serves without nba.com being asked; nba.com recovers; once the reset
timeout has passed the next chained call probes it, nba.com serves again, and the breaker's changes are
events in the home's orchestration database.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.cli.live_day import DAY, route_day
from tests.orchestration.test_live import live_settings
from tests.sources.live.test_live_source import season_schedule
from tests.sources.loopback import LoopbackServer, Reply, captured, serve

from nbaprops.clock import VirtualClock
from nbaprops.errors import FailureKind
from nbaprops.home import Home
from nbaprops.orchestration.breakers import breaker_database, breaker_states
from nbaprops.orchestration.live import home_live_source
from nbaprops.reliability.breakers import CLOSED, HALF_OPEN, OPEN
from nbaprops.sources.live import espn
from nbaprops.sources.live.nbacom_schedule import SEASON_PATH

START = datetime(2024, 1, 16, 12, 0, tzinfo=UTC)
RESET = 60


@pytest.fixture
def server(shared_fixtures: Path, shared_data: Path) -> Iterator[LoopbackServer]:
    with serve() as loopback:
        route_day(loopback, shared_fixtures, shared_data)
        yield loopback


def test_nbacom_takes_the_schedule_back_from_espn_once_it_recovers(
    server: LoopbackServer, shared_fixtures: Path, tmp_path: Path
) -> None:
    home, clock = Home(tmp_path / "home"), VirtualClock(START)
    settings = live_settings(server.base_url, nbacom={"breaker": {"fail_max": 2, "reset_timeout_seconds": RESET}})
    (game,) = [row for row in espn.parse_scoreboard(captured(shared_fixtures, "espn_scoreboard_api").read_bytes(),
                                                    game_date=DAY) if row["home_team"] == "PHI"]
    schedule = Reply.json(season_schedule(shared_fixtures, game["tipoff_utc"]))
    server.route(SEASON_PATH, Reply.status_only(503), Reply.status_only(503), schedule)
    source = home_live_source(home, settings, clock=clock)
    try:
        served = [{row["source"] for row in source.schedule(DAY, as_of=clock.now())} for _ in range(3)]
        assert served == [{"espn"}] * 3
        assert len(server.requests_to(SEASON_PATH)) == 2, "the third call was refused without a request"
        assert breaker_states(home, settings)["nbacom"] == OPEN

        clock.sleep(RESET - 1)
        assert {row["source"] for row in source.schedule(DAY, as_of=clock.now())} == {"espn"}, "still open"
        clock.sleep(1)
        back = source.schedule(DAY, as_of=clock.now())
        assert [(row["game_id"], row["source"]) for row in back] == [("0022300555", "nbacom")], "nba.com serves again"
        assert len(server.requests_to(SEASON_PATH)) == 3, "one probe"
    finally:
        source.close()
    assert [(record.source, [fallen.kind for fallen in record.fallen]) for record in source.record] == [
        ("espn", [FailureKind.SERVER_ERROR]), ("espn", [FailureKind.SERVER_ERROR]),
        ("espn", [FailureKind.CIRCUIT_OPEN]), ("espn", [FailureKind.CIRCUIT_OPEN]), ("nbacom", []),
    ]
    assert breaker_states(home, settings)["nbacom"] == CLOSED
    events = breaker_database(home, settings).events("nbacom")
    assert [(event.from_state, event.to_state, event.at) for event in events] == [
        (CLOSED, OPEN, START), (OPEN, HALF_OPEN, START + timedelta(seconds=RESET)),
        (HALF_OPEN, CLOSED, START + timedelta(seconds=RESET)),
    ]
    assert events[-1].reason == "the probe succeeded: the source recovered and takes traffic back"

