"""A tiny hand-made league served through the Source protocol, for processor tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

Row = dict[str, Any]


@dataclass
class TinyLeague:
    """Games between BOS and NYK on consecutive dates; two players a team; lines on every game."""

    dates: list[date]
    lines_for: dict[date, list[str]] = field(default_factory=dict)
    name: str = "tiny"
    recorded: bool = False  # keeps a record of past games, as recorded history does

    def _tipoff(self, game_date: date) -> datetime:
        return datetime(game_date.year, game_date.month, game_date.day, 23, 30, tzinfo=UTC)

    def _ended(self, game_date: date, as_of: datetime) -> bool:
        return as_of >= self._tipoff(game_date) + timedelta(hours=3)

    def game_dates(self, start: date, end: date) -> list[date]:
        return [d for d in self.dates if start <= d <= end]

    def schedule(self, game_date: date, *, as_of: datetime) -> list[Row]:
        if game_date not in self.dates:
            return []
        home, away = ("BOS", "NYK") if self.dates.index(game_date) % 2 == 0 else ("NYK", "BOS")
        return [{
            "game_id": f"G{game_date:%Y%m%d}", "season": "2024-25", "season_type": "regular",
            "home_team": home, "away_team": away, "tipoff_utc": self._tipoff(game_date).replace(tzinfo=None),
            "status": "final" if self._ended(game_date, as_of) else "scheduled",
        }]

    def _players(self) -> list[tuple[str, str, int]]:
        return [("jaysontatum", "BOS", 25), ("jaylenbrown", "BOS", 20),
                ("jalenbrunson", "NYK", 28), ("joshhart", "NYK", 10)]

    def player_boxscores(self, game_date: date, *, as_of: datetime) -> list[Row]:
        if game_date not in self.dates or not self._ended(game_date, as_of):
            return []
        game = self.schedule(game_date, as_of=as_of)[0]
        day = self.dates.index(game_date)
        rows = []
        for lookup, team, base in self._players():
            opponent = "NYK" if team == "BOS" else "BOS"
            pts = base + (day % 3) - 1
            rows.append({
                "game_id": game["game_id"], "player_lookup": lookup, "player_name": lookup.title(),
                "team": team, "opponent": opponent, "is_home": game["home_team"] == team, "minutes": 34.0,
                "pts": pts, "reb": 5, "ast": 4, "fg3m": 2 + day % 2, "fg3a": 6, "fgm": 9, "fga": 19, "ftm": 4,
                "fta": 5, "oreb": 1, "dreb": 4, "stl": 1, "blk": 0, "tov": 2, "pf": 2, "plus_minus": 3.0,
            })
        return rows

    def team_boxscores(self, game_date: date, *, as_of: datetime) -> list[Row]:
        if game_date not in self.dates or not self._ended(game_date, as_of):
            return []
        game = self.schedule(game_date, as_of=as_of)[0]
        return [{
            "game_id": game["game_id"], "team": team, "opponent": opp, "is_home": game["home_team"] == team,
            "win": team == "BOS", "minutes": 240.0, "pts": 110, "fgm": 40, "fga": 88, "fg3m": 12, "fg3a": 35,
            "ftm": 18, "fta": 22, "oreb": 10, "dreb": 34, "reb": 44, "ast": 25, "stl": 7, "blk": 5, "tov": 13,
            "pf": 19,
        } for team, opp in (("BOS", "NYK"), ("NYK", "BOS"))]

    def prop_lines(self, game_date: date, *, as_of: datetime) -> list[Row]:
        if game_date not in self.dates:
            return []
        game = self.schedule(game_date, as_of=as_of)[0]
        players = self.lines_for.get(game_date, [p[0] for p in self._players()])
        rows = []
        for lookup in players:
            for market, line in (("points", 22.5), ("threes", 2.5)):
                for book, over, under in (("draftkings", -115, -105), ("fanduel", -110, -110)):
                    rows.append({
                        "game_id": game["game_id"], "event_id": "e1", "player_lookup": lookup,
                        "player_name": lookup.title(), "market": market, "bookmaker": book, "line": line,
                        "over_price": over, "under_price": under,
                        "snapshot_utc": self._tipoff(game_date).replace(tzinfo=None) - timedelta(hours=4),
                        "home_team": game["home_team"], "away_team": game["away_team"],
                    })
        return rows

    def injuries(self, game_date: date, *, as_of: datetime) -> list[Row]:
        return []

    def expected_prop_players(self, game_date: date, *, markets: Sequence[str]) -> int | None:
        return None  # like a live feed: the context falls back on the recent-days estimate

    def expected_player_games(self, game_date: date) -> int | None:
        return None

    def games_played(self, start: date, end: date) -> dict[str, int] | None:
        if not self.recorded:
            return None  # like a live feed: the game summaries count
        games = len(self.game_dates(start, end))
        return {lookup: games for lookup, _, _ in self._players()} if games else {}
