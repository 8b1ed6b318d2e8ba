"""Small CSV files in every layout, built line by line from readable dicts."""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from nbaprops.ingest import FileReport, ingest_file
from nbaprops.warehouse import Warehouse

TEAM_LOG_HEADER = (
    "SEASON_ID,TEAM_ID,TEAM_ABBREVIATION,TEAM_NAME,GAME_ID,GAME_DATE,MATCHUP,WL,MIN,PTS,FGM,FGA,"
    "FG_PCT,FG3M,FG3A,FG3_PCT,FTM,FTA,FT_PCT,OREB,DREB,REB,AST,STL,BLK,TOV,PF,PLUS_MINUS,SEASON"
)
TEAM_LOG_ROW = {
    "SEASON_ID": "22024", "TEAM_ID": "1610612754", "TEAM_ABBREVIATION": "IND",
    "TEAM_NAME": "Indiana Pacers", "GAME_ID": "0022400001", "GAME_DATE": "2024-10-23",
    "MATCHUP": "IND @ OKC", "WL": "L", "MIN": "240", "PTS": "91", "FGM": "29", "FGA": "70",
    "FG_PCT": "0.414", "FG3M": "11", "FG3A": "28", "FG3_PCT": "0.393", "FTM": "22", "FTA": "29",
    "FT_PCT": "0.759", "OREB": "12", "DREB": "33", "REB": "45", "AST": "17", "STL": "6",
    "BLK": "4", "TOV": "21", "PF": "24", "PLUS_MINUS": "-12.0", "SEASON": "2024-25",
}

PLAYER_LOG_HEADER = (
    "player,player_id,date,matchup,result,minutes,fgm,fga,fg_pct,threes_made,threes_attempted,"
    "three_pct,ftm,fta,ft_pct,oreb,dreb,reb,ast,stl,blk,tov,pf,pts,plus_minus,opponent,"
    "home_away,player_normalized"
)
PLAYER_LOG_ROW = {
    "player": "Jalen Duren", "player_id": "1631105", "date": "2025-04-13", "matchup": "DET @ MIL",
    "result": "L", "minutes": "8.0", "fgm": "2", "fga": "3", "fg_pct": "0.667",
    "threes_made": "0", "threes_attempted": "1", "three_pct": "0.0", "ftm": "0", "fta": "0",
    "ft_pct": "0.0", "oreb": "0", "dreb": "1", "reb": "1", "ast": "2", "stl": "0", "blk": "0",
    "tov": "1", "pf": "1", "pts": "4", "plus_minus": "-14", "opponent": "MIL",
    "home_away": "AWAY", "player_normalized": "Jalen Duren",
}

EXPORT_HEADER = (
    "Player,Team,Opponent,Date,Result,Minutes,Points,FGM,FGA,FG%,3PM,3PA,3P%,FTM,FTA,FT%,OREB,"
    "DREB,REB,AST,TO,STL,BLK,PF,+/-,SPI"
)
EXPORT_ROW = {
    "Player": "Kelly Oubre Jr.", "Team": "PHI", "Opponent": "PHI @ SAS", "Date": "04/07/2024",
    "Result": "W", "Minutes": "48", "Points": "26", "FGM": "12", "FGA": "22", "FG%": "54.5",
    "3PM": "2", "3PA": "6", "3P%": "33.3", "FTM": "0", "FTA": "2", "FT%": "-", "OREB": "1",
    "DREB": "7", "REB": "8", "AST": "5", "TO": "2", "STL": "0", "BLK": "3", "PF": "2",
    "+/-": "1", "SPI": "46.1",
}

SNAPSHOT_HEADER = "player,game,game_time,market,line,bookmaker,over_odds,under_odds"
SNAPSHOT_HEADER_SWAPPED = "player,game,game_time,market,line,bookmaker,under_odds,over_odds"
SNAPSHOT_HEADER_UPDATES = (
    "player,game,game_time,market,line,bookmaker,bookmaker_last_update,market_last_update,"
    "over_odds,under_odds"
)
SNAPSHOT_HEADER_UPDATES_SWAPPED = (
    "player,game,game_time,market,line,bookmaker,bookmaker_last_update,market_last_update,"
    "under_odds,over_odds"
)
SNAPSHOT_ROW = {
    "player": "Jalen Brunson", "game": "New York Knicks @ Utah Jazz",
    "game_time": "2024-11-23T22:10:00Z", "market": "player_threes", "line": "3.5",
    "bookmaker": "fanduel", "bookmaker_last_update": "2024-11-23T19:49:30Z",
    "market_last_update": "2024-11-23T19:51:25Z", "over_odds": "136", "under_odds": "-174",
}

EVENT_PROPS_HEADER = (
    "player_name,event_id,event_date,home_team,away_team,bookmaker,line,timestamp,over_price,"
    "under_price"
)
EVENT_PROPS_ROW = {
    "player_name": "Al Horford", "event_id": "9e5c6a9f958653c964712b118e07f6ab",
    "event_date": "2024-10-24", "home_team": "Washington Wizards", "away_team": "Boston Celtics",
    "bookmaker": "DraftKings", "line": "18.5", "timestamp": "2024-10-24T23:05:39Z",
    "over_price": "-105.0", "under_price": "-125.0",
}

MULTI_MARKET_HEADER = "event_id,player,market,line,bookmaker,game,game_time,over_odds,under_odds"
MULTI_MARKET_ROW = {
    "event_id": "abc123", "player": "Luka Dončić", "market": "player_points", "line": "28.5",
    "bookmaker": "draftkings", "game": "Dallas Mavericks @ Los Angeles Lakers",
    "game_time": "2025-02-11T03:30:00Z", "over_odds": "-110", "under_odds": "-110",
}

INJURY_HEADER = "game_date,team,player,status,reason,reported_at"
INJURY_ROW = {
    "game_date": "2025-01-10", "team": "DAL", "player": "Luka Dončić", "status": "out",
    "reason": "Left calf strain", "reported_at": "2025-01-10T17:30:00Z",
}


def line(header: str, base: Mapping[str, str], **overrides: str) -> str:
    """One CSV line in the header's column order: `base` with `overrides` (by column name)."""
    values = {**base, **overrides}
    return ",".join(values[name] for name in header.split(","))


def write(path: Path, header: str, lines: Iterable[str]) -> Path:
    """Write a header and lines, gzipped when the name ends with .gz."""
    text = "\n".join([header, *lines]) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
    return path


def ingest(warehouse: Warehouse, path: Path) -> FileReport:
    return ingest_file(warehouse, path)


def rows(warehouse: Warehouse, table: str, path: Path, columns: str, *, order: str = "source_line"
         ) -> list[tuple[Any, ...]]:
    """`columns` of the rows `path` wrote into `table`."""
    result = warehouse.query(
        f"SELECT {columns} FROM {table} WHERE source_key = ? ORDER BY {order}",
        [str(path.resolve())])
    return [tuple(r.values()) for r in result]


def quarantined(warehouse: Warehouse, path: Path) -> list[tuple[int, str | None]]:
    """(line_number, field) of the lines `path` quarantined."""
    return [(n, f) for n, f in rows(warehouse, "nba_raw.quarantine", path, "line_number, field",
                                    order="line_number")]


def _games_of(days: int) -> list[tuple[date, str, str, int]]:
    """(date, away, home, day) of one PHI @ SAS game a day, from 2024-01-01."""
    return [(date(2024, 1, 1 + day), "PHI", "SAS", day) for day in range(days)]


def team_log_of_days(tmp_path: Path, days: int) -> Path:
    """team_game_logs.csv of those games: 5-7 steals, 2-3 blocks, 12-15 turnovers a team."""
    lines = []
    for game_date, away, home, day in _games_of(days):
        for team, matchup in ((away, f"{away} @ {home}"), (home, f"{home} vs. {away}")):
            lines.append(line(TEAM_LOG_HEADER, TEAM_LOG_ROW, SEASON_ID="22023",
                              TEAM_ABBREVIATION=team, TEAM_NAME="", GAME_ID=f"00223{day:05d}",
                              GAME_DATE=game_date.isoformat(), MATCHUP=matchup, SEASON="2023-24",
                              STL=str(5 + day % 3), BLK=str(2 + day % 2), TOV=str(12 + day % 4)))
    return write(tmp_path / "team_game_logs.csv", TEAM_LOG_HEADER, lines)


def shifted_export(tmp_path: Path, days: int) -> Path:
    """One player a team, who had all of it; steals, blocks and turnovers under TO, STL, BLK
    (as the 2023-24 export wrote them)."""
    lines = [
        line(EXPORT_HEADER, EXPORT_ROW, Player=f"{team} Everyone", Team=team,
             Opponent=f"{away} @ {home}", Date=game_date.strftime("%m/%d/%Y"),
             Points=TEAM_LOG_ROW["PTS"], REB=TEAM_LOG_ROW["REB"], AST=TEAM_LOG_ROW["AST"],
             TO=str(5 + day % 3), STL=str(2 + day % 2), BLK=str(12 + day % 4))
        for game_date, away, home, day in _games_of(days) for team in (away, home)
    ]
    return write(tmp_path / "player_boxscores.csv", EXPORT_HEADER, lines)
