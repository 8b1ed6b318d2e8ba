"""The Odds API player-prop event odds, built from a real snapshot: no captured response exists.

`../shared/fixtures/sources/` holds no capture of `/v4/sports/basketball_nba/events/{id}/odds`
with player markets. These helpers lay the real lines of one game of a
`../shared/data/2024-25/props_player_threes/` snapshot out in the API's documented v4 JSON shape
(event -> bookmakers[] -> markets[] -> outcomes[] with name Over/Under, description = player,
price, point). The snapshot files carry no snapshot time; SNAPSHOT_UTC (their README's "about
20:00 UTC") stands in for `last_update`.
"""

from __future__ import annotations

import csv
import gzip
from pathlib import Path
from typing import Any

SNAPSHOT_UTC = "2025-01-10T20:00:00Z"
THREES_SNAPSHOT = "2024-25/props_player_threes/props_2025-01-10_player_threes.csv.gz"
THREES_GAME = "Golden State Warriors @ Indiana Pacers"
THREES_EVENT_ID = "c0ffee0000000000000000000000gsw1"


def odds_api_event_odds_built_from_props_player_threes(csv_path: Path, *, game: str, event_id: str) -> dict[str, Any]:
    """The event-odds document of `game` ("Away Team @ Home Team") in the props_player_threes file `csv_path`."""
    with gzip.open(csv_path, "rt", encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["game"] == game]
    if not rows:
        raise ValueError(f"{csv_path.name} has no line of {game!r}")
    away, home = game.split(" @ ")
    books: dict[str, list[dict[str, Any]]] = {}
    for row in rows:  # columns by name: the files come in four header variants
        outcomes = books.setdefault(row["bookmaker"], [])
        for side, column in (("Over", "over_odds"), ("Under", "under_odds")):
            if row[column].strip():
                outcomes.append({
                    "name": side, "description": row["player"], "price": int(float(row[column])),
                    "point": float(row["line"]),
                })
    return {
        "id": event_id, "sport_key": "basketball_nba", "sport_title": "NBA",
        "commence_time": rows[0]["game_time"], "home_team": home, "away_team": away,
        "bookmakers": [
            {
                "key": book, "title": book, "last_update": SNAPSHOT_UTC,
                "markets": [{"key": rows[0]["market"], "last_update": SNAPSHOT_UTC, "outcomes": outcomes}],
            }
            for book, outcomes in books.items()
        ],
    }


def event_of(event_odds: dict[str, Any]) -> dict[str, Any]:
    """The events-list entry of an event-odds document (the same event without its bookmakers)."""
    return {key: value for key, value in event_odds.items() if key != "bookmakers"}


def odds_api_event_odds_built_from_props_player_pra(
    csv_path: Path, *, event_date: str, home_team: str, away_team: str, event_id: str, commence_time: str
) -> dict[str, Any]:
    """The event-odds document of one game in a props_player_pra file (`player_name, event_id, event_date,
    home_team, away_team, bookmaker, line, timestamp, over_price, under_price`): its lines of the latest
    snapshot each book has, as market `player_points_rebounds_assists`, `last_update` the snapshot's time."""
    with gzip.open(csv_path, "rt", encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle)
                if (row["event_date"], row["home_team"], row["away_team"]) == (event_date, home_team, away_team)]
    if not rows:
        raise ValueError(f"{csv_path.name} has no line of {away_team} @ {home_team} on {event_date}")
    latest = {book: max(row["timestamp"] for row in rows if row["bookmaker"] == book)
              for book in {row["bookmaker"] for row in rows}}
    books: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row["timestamp"] != latest[row["bookmaker"]]:
            continue
        outcomes = books.setdefault(row["bookmaker"], [])
        for side, column in (("Over", "over_price"), ("Under", "under_price")):
            if row[column].strip():
                outcomes.append({"name": side, "description": row["player_name"],
                                 "price": int(float(row[column])), "point": float(row["line"])})
    return {
        "id": event_id, "sport_key": "basketball_nba", "sport_title": "NBA", "commence_time": commence_time,
        "home_team": home_team, "away_team": away_team,
        "bookmakers": [
            {"key": book, "title": book, "last_update": latest[book],
             "markets": [{"key": "player_points_rebounds_assists", "last_update": latest[book],
                          "outcomes": outcomes}]}
            for book, outcomes in sorted(books.items())
        ],
    }
