"""ReplaySource: each visibility rule on hand-written history rows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from nbaprops.config import ReplayConfig
from nbaprops.errors import SourceError
from nbaprops.sources import ReplaySource, Source
from nbaprops.sources.replay import CACHED_DAYS
from nbaprops.warehouse import Warehouse

DAY = date(2025, 1, 10)
SEASON = "2024-25"
KEY = "test-history"
# Tip-offs (naive UTC, as stored): BOS-NYK recorded, LAL-DEN from its lines,
# MIA-ATL the default 19:00 ET.
BOS_TIP = datetime(2025, 1, 11, 0, 30)
LAL_TIP = datetime(2025, 1, 11, 3, 30)
MIA_TIP = datetime(2025, 1, 11, 0, 0)
PRE_TIP = datetime(2025, 1, 10, 23, 0)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def _game(
    game_id: str,
    home: str,
    away: str,
    tipoff: datetime | None,
    season_type: str = "regular",
    game_date: date = DAY,
) -> dict[str, Any]:
    return {
        "game_id": game_id,
        "game_date": game_date,
        "season": SEASON,
        "season_type": season_type,
        "home_team": home,
        "away_team": away,
        "tipoff_utc": tipoff,
        "source_key": KEY,
    }


def _player(
    name: str,
    team: str,
    opponent: str,
    *,
    is_home: bool,
    pts: int,
    game_date: date = DAY,
    line: int = 0,
) -> dict[str, Any]:
    return {
        "game_date": game_date,
        "season": SEASON,
        "player_name": name,
        "player_lookup": name.lower().replace(" ", ""),
        "team": team,
        "opponent": opponent,
        "is_home": is_home,
        "minutes": 30.0,
        "pts": pts,
        "reb": 5,
        "ast": 3,
        "fg3m": 2,
        "source_key": KEY,
        "source_line": line,
    }


def _team(
    game_id: str, team: str, opponent: str, *, is_home: bool, pts: int, line: int
) -> dict[str, Any]:
    return {
        "game_id": game_id,
        "game_date": DAY,
        "season": SEASON,
        "season_type": "regular",
        "team": team,
        "opponent": opponent,
        "is_home": is_home,
        "win": is_home,
        "minutes": 240.0,
        "pts": pts,
        "plus_minus": 4.0,
        "source_key": KEY,
        "source_line": line,
    }


def _line(
    player: str,
    home: str,
    away: str,
    *,
    line: float,
    snapshot: datetime | None,
    tipoff: datetime | None,
    book: str = "draftkings",
    market: str = "points",
    source_line: int = 0,
) -> dict[str, Any]:
    return {
        "game_date": DAY,
        "event_id": f"{away}-{home}",
        "player_name": player,
        "player_lookup": player.lower().replace(" ", ""),
        "market": market,
        "bookmaker": book,
        "line": line,
        "over_price": -110,
        "under_price": -110,
        "snapshot_utc": snapshot,
        "tipoff_utc": tipoff,
        "home_team": home,
        "away_team": away,
        "source_key": KEY,
        "source_line": source_line,
    }


def _injury(player: str, status: str, reported: datetime, line: int) -> dict[str, Any]:
    return {
        "game_date": DAY,
        "team": "BOS",
        "player_name": player,
        "player_lookup": player.lower().replace(" ", ""),
        "status": status,
        "reason": "Ankle",
        "reported_utc": reported,
        "source_key": KEY,
        "source_line": line,
    }


@pytest.fixture
def history(warehouse: Warehouse) -> Warehouse:
    games = [
        _game("G1", "BOS", "NYK", BOS_TIP),
        _game("G2", "LAL", "DEN", None),
        _game("G3", "MIA", "ATL", None),
        _game("G4", "CHI", "DET", None, season_type="preseason"),
        _game("G0", "BOS", "PHI", datetime(2025, 1, 9, 0, 30), game_date=date(2025, 1, 8)),
    ]
    players = [
        _player("Ann Able", "BOS", "NYK", is_home=True, pts=30, line=1),
        _player("Ned Nix", "NYK", "BOS", is_home=False, pts=12, line=2),
        _player("Lou Lake", "LAL", "DEN", is_home=True, pts=25, line=3),
        _player("Mo Mia", "MIA", "ATL", is_home=True, pts=18, line=4),
        _player("Cy Chi", "CHI", "DET", is_home=True, pts=9, line=5),
        _player("Pat Nogame", "SAC", "PHX", is_home=True, pts=7, line=6),
        _player(
            "Ann Able", "BOS", "NYK", is_home=True, pts=99, line=7
        ),  # a repeat from a second file
        _player("Ann Able", "BOS", "PHI", is_home=True, pts=21, game_date=date(2025, 1, 8), line=8),
    ]
    teams = [
        _team("G1", "BOS", "NYK", is_home=True, pts=110, line=1),
        _team("G1", "NYK", "BOS", is_home=False, pts=106, line=2),
        _team("G3", "MIA", "ATL", is_home=True, pts=101, line=3),
        _team("G4", "CHI", "DET", is_home=True, pts=95, line=4),
    ]
    lines = [
        _line(
            "Ann Able",
            "BOS",
            "NYK",
            line=20.5,
            snapshot=datetime(2025, 1, 10, 12),
            tipoff=BOS_TIP,
            source_line=1,
        ),
        _line(
            "Ann Able",
            "BOS",
            "NYK",
            line=21.5,
            snapshot=datetime(2025, 1, 10, 20),
            tipoff=BOS_TIP,
            source_line=2,
        ),
        _line(
            "Ann Able",
            "BOS",
            "NYK",
            line=25.5,
            snapshot=datetime(2025, 1, 11, 0, 45),
            tipoff=BOS_TIP,
            source_line=3,
        ),
        _line(
            "Ann Able",
            "BOS",
            "NYK",
            line=19.5,
            snapshot=datetime(2025, 1, 10, 12),
            tipoff=BOS_TIP,
            book="fanduel",
            source_line=4,
        ),
        _line("Ned Nix", "BOS", "NYK", line=11.5, snapshot=None, tipoff=BOS_TIP, source_line=5),
        _line(
            "Lou Lake",
            "LAL",
            "DEN",
            line=24.5,
            snapshot=datetime(2025, 1, 10, 18),
            tipoff=LAL_TIP,
            source_line=6,
        ),
        _line(
            "Cy Chi",
            "CHI",
            "DET",
            line=8.5,
            snapshot=datetime(2025, 1, 10, 12),
            tipoff=None,
            source_line=7,
        ),
        _line(
            "Pat Nogame",
            "SAC",
            "PHX",
            line=6.5,
            snapshot=datetime(2025, 1, 10, 12),
            tipoff=datetime(2025, 1, 11, 3),
            source_line=8,
        ),
    ]
    injuries = [
        _injury("Ann Able", "questionable", datetime(2025, 1, 10, 15), 1),
        _injury("Ann Able", "out", datetime(2025, 1, 10, 22), 2),
        _injury("Ned Nix", "probable", datetime(2025, 1, 9, 21), 3),
    ]
    for table, rows in (
        ("history_games", games),
        ("history_player_boxscores", players),
        ("history_team_boxscores", teams),
        ("history_prop_lines", lines),
        ("history_injuries", injuries),
    ):
        warehouse.replace_partition(f"nba_raw.{table}", {"source_key": KEY}, rows)
    return warehouse


@pytest.fixture
def source(history: Warehouse) -> ReplaySource:
    return ReplaySource(history, ReplayConfig())


def test_is_a_source(source: ReplaySource) -> None:
    assert isinstance(source, ReplaySource)
    typed: Source = source
    assert typed.name == "replay"


def test_game_dates_skip_unserved_season_types(history: Warehouse) -> None:
    regular = ReplaySource(history, ReplayConfig())
    assert regular.game_dates(date(2025, 1, 1), date(2025, 1, 31)) == [date(2025, 1, 8), DAY]
    assert regular.game_dates(date(2025, 1, 9), date(2025, 1, 9)) == []
    preseason = ReplaySource(history, ReplayConfig(), season_types=("preseason",))
    assert preseason.game_dates(date(2025, 1, 1), date(2025, 1, 31)) == [DAY]


@pytest.mark.parametrize(
    ("game_id", "tipoff"),
    [("G1", BOS_TIP), ("G2", LAL_TIP), ("G3", MIA_TIP)],
    ids=["recorded", "from-lines", "default-19-et"],
)
def test_tipoff_sources(source: ReplaySource, game_id: str, tipoff: datetime) -> None:
    games = {g["game_id"]: g for g in source.schedule(DAY, as_of=utc(2025, 1, 1))}
    assert games[game_id]["tipoff_utc"] == tipoff


def test_default_tipoff_hour_is_configurable(history: Warehouse) -> None:
    source = ReplaySource(history, ReplayConfig(default_tipoff_hour_et=12.5))
    games = {g["game_id"]: g for g in source.schedule(DAY, as_of=utc(2025, 1, 1))}
    assert games["G3"]["tipoff_utc"] == datetime(2025, 1, 10, 17, 30)


def test_schedule_is_known_ahead_and_turns_final(source: ReplaySource) -> None:
    early = source.schedule(DAY, as_of=utc(2024, 10, 1))
    assert [g["game_id"] for g in early] == [
        "G3",
        "G1",
        "G2",
    ]  # by tip-off; preseason G4 not served
    assert {g["status"] for g in early} == {"scheduled"}
    assert set(early[0]) == {
        "game_id",
        "season",
        "season_type",
        "home_team",
        "away_team",
        "tipoff_utc",
        "status",
    }
    statuses = {
        g["game_id"]: g["status"] for g in source.schedule(DAY, as_of=utc(2025, 1, 11, 3, 15))
    }
    assert statuses == {"G3": "final", "G1": "scheduled", "G2": "scheduled"}
    statuses = {
        g["game_id"]: g["status"] for g in source.schedule(DAY, as_of=utc(2025, 1, 11, 3, 30))
    }
    assert statuses == {"G3": "final", "G1": "final", "G2": "scheduled"}


@pytest.mark.parametrize(
    ("as_of", "players", "teams"),
    [
        (utc(2025, 1, 10, 23, 59), set(), set()),
        (utc(2025, 1, 11, 2, 59), set(), set()),
        (utc(2025, 1, 11, 3, 0), {"momia"}, {("G3", "MIA")}),
        (
            utc(2025, 1, 11, 3, 30),
            {"momia", "annable", "nednix"},
            {("G3", "MIA"), ("G1", "BOS"), ("G1", "NYK")},
        ),
        (
            utc(2025, 1, 11, 6, 30),
            {"momia", "annable", "nednix", "loulake"},
            {("G3", "MIA"), ("G1", "BOS"), ("G1", "NYK")},
        ),
    ],
    ids=["before-tip", "mid-games", "first-ended", "second-ended", "all-ended"],
)
def test_box_scores_appear_when_games_end(
    source: ReplaySource, as_of: datetime, players: set[str], teams: set[tuple[str, str]]
) -> None:
    player_rows = source.player_boxscores(DAY, as_of=as_of)
    assert {row["player_lookup"] for row in player_rows} == players
    assert {
        (row["game_id"], row["team"]) for row in source.team_boxscores(DAY, as_of=as_of)
    } == teams


def test_box_score_rows_carry_game_ids_and_phase2_columns(source: ReplaySource) -> None:
    rows = {
        row["player_lookup"]: row for row in source.player_boxscores(DAY, as_of=utc(2025, 1, 12))
    }
    assert rows["annable"]["game_id"] == "G1"
    assert rows["annable"]["pts"] == 30, "the first file's row wins over a repeat"
    assert rows["loulake"]["game_id"] == "G2"
    assert "cychi" not in rows, "preseason game is not served"
    assert "patnogame" not in rows, "no game to take a game_id from"
    assert "source_key" not in rows["annable"] and "game_date" not in rows["annable"]
    team = source.team_boxscores(DAY, as_of=utc(2025, 1, 12))[0]
    assert "plus_minus" not in team and "season" not in team


def test_duration_is_configurable(history: Warehouse) -> None:
    source = ReplaySource(history, ReplayConfig(game_duration_hours=1.0))
    assert {
        r["player_lookup"] for r in source.player_boxscores(DAY, as_of=utc(2025, 1, 11, 1, 0))
    } == {"momia"}


def _lines(source: ReplaySource, as_of: datetime) -> dict[tuple[str, str], float]:
    return {
        (row["player_lookup"], row["bookmaker"]): row["line"]
        for row in source.prop_lines(DAY, as_of=as_of)
    }


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (utc(2025, 1, 10, 11, 59), {}),
        (
            utc(2025, 1, 10, 12, 0),
            {
                ("annable", "draftkings"): 20.5,
                ("annable", "fanduel"): 19.5,
                ("patnogame", "draftkings"): 6.5,
            },
        ),
        (
            utc(2025, 1, 10, 18, 0),
            {
                ("annable", "draftkings"): 20.5,
                ("annable", "fanduel"): 19.5,
                ("patnogame", "draftkings"): 6.5,
                ("loulake", "draftkings"): 24.5,
            },
        ),
        (
            utc(2025, 1, 10, 20, 0),
            {
                ("annable", "draftkings"): 21.5,
                ("annable", "fanduel"): 19.5,
                ("patnogame", "draftkings"): 6.5,
                ("loulake", "draftkings"): 24.5,
            },
        ),
        (
            utc(2025, 1, 10, 21, 30),
            {
                ("annable", "draftkings"): 21.5,
                ("annable", "fanduel"): 19.5,
                ("patnogame", "draftkings"): 6.5,
                ("loulake", "draftkings"): 24.5,
                ("nednix", "draftkings"): 11.5,
            },
        ),
        (
            utc(2025, 1, 12),
            {
                ("annable", "draftkings"): 21.5,
                ("annable", "fanduel"): 19.5,
                ("patnogame", "draftkings"): 6.5,
                ("loulake", "draftkings"): 24.5,
                ("nednix", "draftkings"): 11.5,
            },
        ),
    ],
    ids=[
        "before-any",
        "first-snapshots",
        "later-game",
        "update-wins",
        "no-snapshot-at-lead",
        "after-tip",
    ],
)
def test_prop_line_visibility(source: ReplaySource, as_of: datetime, expected: dict) -> None:
    assert _lines(source, as_of) == expected


def test_prop_line_rows(source: ReplaySource) -> None:
    rows = {
        row["player_lookup"]: row
        for row in source.prop_lines(DAY, as_of=utc(2025, 1, 12))
        if row["bookmaker"] == "draftkings"
    }
    assert rows["annable"]["game_id"] == "G1"
    assert rows["annable"]["snapshot_utc"] == datetime(2025, 1, 10, 20)
    assert rows["nednix"]["snapshot_utc"] is None
    assert rows["patnogame"]["game_id"] is None, (
        "a line for a game the history lacks keeps a null game_id"
    )
    assert "cychi" not in rows, "lines of unserved season types are dropped"
    assert set(rows["annable"]) == {
        "game_id",
        "event_id",
        "player_lookup",
        "player_name",
        "market",
        "bookmaker",
        "line",
        "over_price",
        "under_price",
        "snapshot_utc",
        "home_team",
        "away_team",
    }


def test_line_lead_hours_is_configurable(history: Warehouse) -> None:
    source = ReplaySource(history, ReplayConfig(line_lead_hours=0.5))
    assert ("nednix", "draftkings") not in _lines(source, utc(2025, 1, 10, 23, 59))
    assert ("nednix", "draftkings") in _lines(source, utc(2025, 1, 11, 0, 0))


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (utc(2025, 1, 9, 20, 59), {}),
        (utc(2025, 1, 9, 21, 0), {"nednix": "probable"}),
        (utc(2025, 1, 10, 15, 0), {"nednix": "probable", "annable": "questionable"}),
        (utc(2025, 1, 10, 22, 0), {"nednix": "probable", "annable": "out"}),
    ],
)
def test_injuries_latest_per_player(
    source: ReplaySource, as_of: datetime, expected: dict[str, str]
) -> None:
    assert {
        row["player_lookup"]: row["status"] for row in source.injuries(DAY, as_of=as_of)
    } == expected


def test_returned_rows_are_copies(source: ReplaySource) -> None:
    as_of = utc(2025, 1, 12)
    source.prop_lines(DAY, as_of=as_of)[0]["line"] = -1.0
    source.player_boxscores(DAY, as_of=as_of)[0]["pts"] = -1
    assert -1.0 not in {row["line"] for row in source.prop_lines(DAY, as_of=as_of)}
    assert -1 not in {row["pts"] for row in source.player_boxscores(DAY, as_of=as_of)}


def test_a_day_forgotten_after_many_others_is_served_the_same(source: ReplaySource) -> None:
    as_of = utc(2025, 1, 12)
    first = (source.prop_lines(DAY, as_of=as_of), source.player_boxscores(DAY, as_of=as_of))
    played = source.games_played(DAY - timedelta(days=1), DAY)
    for offset in range(1, CACHED_DAYS + 2):  # other dates push DAY out of the prepared ones
        source.schedule(DAY + timedelta(days=offset), as_of=as_of)
        source.games_played(DAY - timedelta(days=offset), DAY)
    assert (source.prop_lines(DAY, as_of=as_of), source.player_boxscores(DAY, as_of=as_of)) == first
    assert played and source.games_played(DAY - timedelta(days=1), DAY) == played


def test_dates_without_history_are_empty(source: ReplaySource) -> None:
    as_of = utc(2030, 1, 1)
    empty = date(2021, 3, 3)
    assert source.schedule(empty, as_of=as_of) == []
    assert source.player_boxscores(empty, as_of=as_of) == []
    assert source.prop_lines(empty, as_of=as_of) == []
    assert source.injuries(empty, as_of=as_of) == []


def test_naive_as_of_is_refused(source: ReplaySource) -> None:
    with pytest.raises(SourceError, match="as_of 2025-01-10T12:00:00 has no time zone"):
        source.prop_lines(DAY, as_of=datetime(2025, 1, 10, 12))


def test_other_time_zones_are_converted(source: ReplaySource) -> None:
    eastern = datetime(
        2025, 1, 10, 22, 0, tzinfo=ZoneInfo("America/New_York")
    )  # 03:00 UTC next day
    assert {r["player_lookup"] for r in source.player_boxscores(DAY, as_of=eastern)} == {"momia"}


@pytest.mark.parametrize("season_types", [(), ("regular", "summer_league")])
def test_bad_season_types_are_refused(warehouse: Warehouse, season_types: tuple[str, ...]) -> None:
    with pytest.raises(
        SourceError, match="season_types must be a non-empty selection of preseason"
    ):
        ReplaySource(warehouse, ReplayConfig(), season_types=season_types)


def test_first_day_of_the_next_season_window(history: Warehouse) -> None:
    history.replace_partition(
        "nba_raw.history_games",
        {"source_key": "next"},
        [
            {
                **_game(
                    "N1", "BOS", "NYK", datetime(2025, 10, 22, 23, 30), game_date=date(2025, 10, 22)
                ),
                "source_key": "next",
            },
        ],
    )
    source = ReplaySource(history, ReplayConfig())
    assert [g["game_id"] for g in source.schedule(date(2025, 10, 22), as_of=utc(2025, 1, 1))] == [
        "N1"
    ]
    assert [
        g["game_id"] for g in source.schedule(DAY - timedelta(days=2), as_of=utc(2025, 1, 1))
    ] == ["G0"]
