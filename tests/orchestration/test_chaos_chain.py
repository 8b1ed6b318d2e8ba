"""The chaos league's fallback chain: a down primary falls to the fallback under the production chain and
breakers; its breaker opens, refuses, half-opens once its reset timeout has passed and takes the primary
back; the whole chain down is an outage the pipeline waits out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from nbaprops.config import BreakerConfig
from nbaprops.errors import ChainExhaustedError, FailureKind, SourceUnreachableError
from nbaprops.orchestration.chaos_chain import FallbackSource, Member, as_primary
from nbaprops.orchestration.daily import OUTAGE_KINDS
from nbaprops.orchestration.steps import failure_class
from nbaprops.reliability.breakers import BreakerDatabase, breaker_engine
from nbaprops.sources.base import Row

DAY = date(2024, 10, 26)
T0 = datetime(2024, 10, 27, 10, 0)  # naive UTC, as the pipeline's as_of
BREAKER = BreakerConfig(fail_max=2, reset_timeout_seconds=300)
BOX_SCORES = ({"player_lookup": "lebronjames", "pts": 31}, {"player_lookup": "anthonydavis", "pts": 27})


class Feed:
    """A sim-like source serving BOX_SCORES (and one schedule row), unreachable while `down`."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.down = False
        self.asked = 0

    def _serve(self, rows: Sequence[Row]) -> list[Row]:
        self.asked += 1
        if self.down:
            raise SourceUnreachableError(f"{self.name}: connection refused.", kind=FailureKind.CONNECTION,
                                         source=self.name, endpoint="boxscore")
        return [dict(row) for row in rows]

    def game_dates(self, start: date, end: date) -> list[date]:
        return [DAY]

    def schedule(self, game_date: date, *, as_of: datetime) -> list[Row]:
        return self._serve([{"game_id": "0022400100"}])

    def player_boxscores(self, game_date: date, *, as_of: datetime) -> list[Row]:
        return self._serve(BOX_SCORES)

    def team_boxscores(self, game_date: date, *, as_of: datetime) -> list[Row]:
        return self._serve([])

    def prop_lines(self, game_date: date, *, as_of: datetime) -> list[Row]:
        return []

    def injuries(self, game_date: date, *, as_of: datetime) -> list[Row]:
        return []

    def expected_prop_players(self, game_date: date, *, markets: Sequence[str]) -> int | None:
        return None

    def expected_player_games(self, game_date: date) -> int | None:
        return None

    def games_played(self, start: date, end: date) -> dict[str, int] | None:
        return None


@pytest.fixture
def database(tmp_path: Path) -> BreakerDatabase:
    return BreakerDatabase(breaker_engine(f"sqlite:///{tmp_path / 'orchestration.sqlite'}"))


def chain(database: BreakerDatabase) -> tuple[FallbackSource, Feed, Feed]:
    primary, fallback = Feed("sim"), Feed("sim_fallback")
    source = FallbackSource([Member(primary, BREAKER), Member(fallback, BREAKER)], feeds={"player_boxscores"},
                            database=database)
    return source, primary, fallback


def served_by(rows: list[Row]) -> set[str]:
    return {str(row["source"]) for row in rows}


def test_a_down_primary_falls_to_the_fallback_then_its_breaker_opens_half_opens_and_takes_it_back(
    database: BreakerDatabase,
) -> None:
    source, primary, fallback = chain(database)
    primary.down = True
    # Each line: minutes after T0, who served, the primary's breaker after it, calls the primary has had.
    steps = [
        (0, "sim_fallback", "closed", 1),  # down: counted, falls through
        (1, "sim_fallback", "open", 2),  # fail_max failures in a row open it
        (2, "sim_fallback", "open", 2),  # open: refused without a call, falls through
    ]
    for minutes, server, state, asked in steps:
        rows = source.player_boxscores(DAY, as_of=T0 + timedelta(minutes=minutes))
        assert (served_by(rows), database.states()["sim"].state, primary.asked) == ({server}, state, asked), minutes
        assert [row["pts"] for row in rows] == [31, 27]
    assert [fallen.kind for fallen in source.record[-1].fallen] == [FailureKind.CIRCUIT_OPEN]
    primary.down = False
    still_open = source.player_boxscores(DAY, as_of=T0 + timedelta(minutes=5))  # 4 min after it opened
    assert served_by(still_open) == {"sim_fallback"} and primary.asked == 2
    back = source.player_boxscores(DAY, as_of=T0 + timedelta(minutes=6, seconds=1))  # past the reset timeout
    assert served_by(back) == {"sim"} and primary.asked == 3
    assert database.states()["sim"].state == "closed"
    assert [(event.from_state, event.to_state) for event in database.events("sim")] == [
        ("closed", "open"), ("open", "half-open"), ("half-open", "closed")]
    assert database.events("sim")[0].at == datetime(2024, 10, 27, 10, 1, tzinfo=UTC)  # the run's clock, not the wall's
    assert [switch.source for switch in source.record] == ["sim_fallback"] * 4 + ["sim"]
    assert fallback.asked == 4


def test_feeds_not_chained_come_from_the_primary_alone_as_it_serves_them(database: BreakerDatabase) -> None:
    source, primary, fallback = chain(database)
    assert source.schedule(DAY, as_of=T0) == [{"game_id": "0022400100"}]
    primary.down = True
    with pytest.raises(SourceUnreachableError):
        source.schedule(DAY, as_of=T0)
    assert fallback.asked == 0 and source.record == []


def test_the_whole_chain_down_is_an_outage_the_pipeline_waits_out(database: BreakerDatabase) -> None:
    source, primary, fallback = chain(database)
    primary.down = fallback.down = True
    with pytest.raises(ChainExhaustedError) as caught:
        source.player_boxscores(DAY, as_of=T0)
    assert caught.value.kind is FailureKind.CONNECTION
    assert failure_class(caught.value) == "ChainExhaustedError:connection"
    assert failure_class(caught.value).rpartition(":")[2] in OUTAGE_KINDS


@pytest.mark.parametrize(
    ("members", "match"),
    [
        (1, "members must name a primary and at least one fallback, got 1"),
        (2, "feeds names no Source feed: box_scores"),
    ],
)
def test_a_chain_is_refused_a_single_member_or_an_unknown_feed(
    database: BreakerDatabase, members: int, match: str
) -> None:
    chosen = [Member(Feed(f"sim{n}"), BREAKER) for n in range(members)]
    with pytest.raises(ValueError, match=match):
        FallbackSource(chosen, feeds={"box_scores"}, database=database)


def test_members_of_one_name_are_refused_since_their_breakers_would_be_one(database: BreakerDatabase) -> None:
    with pytest.raises(ValueError, match="members must have distinct names"):
        FallbackSource([Member(Feed("sim"), BREAKER), Member(Feed("sim"), BREAKER)], feeds={"player_boxscores"},
                       database=database)


@pytest.mark.parametrize(
    ("column", "value", "compared"),
    [
        ("source", "replay_fallback", "replay"),  # the fallback served it: compared as the primary's
        ("source", "replay", "replay"),
        ("source", "espn", "espn"),  # any other source stays itself, so a wrong one still differs
        ("player_name", "sim_fallback", "sim_fallback"),  # only the provenance column is read so
        ("source", None, None),
    ],
)
def test_a_row_the_fallback_served_is_compared_as_the_primarys(column: str, value: object, compared: object) -> None:
    assert as_primary(column, value) == compared
