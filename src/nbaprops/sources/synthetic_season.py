"""Plays the synthetic season day by day: availability, injury reports, prop lines, box scores.

Games draw from one random stream and the books from another, so the outcomes of a season do
not depend on how lines were posted, and a shorter season is a prefix of a longer one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from nbaprops.sources.synthetic_boxscore import (
    RosterArrays,
    context_factors,
    expected_stats,
    play_side,
)
from nbaprops.sources.synthetic_injuries import Availability, InjuryState
from nbaprops.sources.synthetic_lines import Bookmakers
from nbaprops.sources.synthetic_roster import Player
from nbaprops.sources.synthetic_schedule import ScheduledGame
from nbaprops.sources.synthetic_teams import Team

_LINE_COLUMNS = (
    "player", "game", "market", "book", "line", "over", "under", "snapshot", "book_update",
)
_SHOOTING = (
    "fgm", "fga", "fg3m", "fg3a", "ftm", "fta", "oreb", "dreb", "reb", "ast", "stl", "blk", "tov",
    "pf",
)


@dataclass
class SeasonRecords:
    """Everything the season produced, in the shapes the file writers need."""

    games: list[ScheduledGame] = field(default_factory=list)
    team_rows: list[dict[str, Any]] = field(default_factory=list)
    player_rows: list[dict[str, Any]] = field(default_factory=list)
    injury_rows: list[dict[str, Any]] = field(default_factory=list)
    line_parts: list[dict[str, np.ndarray]] = field(default_factory=list)
    late_line_dates: list[date] = field(default_factory=list)

    def lines(self) -> dict[str, np.ndarray]:
        """Line snapshots as columns; player, game, market and book are indices, times epoch s."""
        if not self.line_parts:
            return {
                name: np.array([], np.float64 if name == "line" else np.int64)
                for name in _LINE_COLUMNS
            }
        return {
            name: np.concatenate([part[name] for part in self.line_parts]) for name in _LINE_COLUMNS
        }


def simulate_season(
    rng: np.random.Generator,
    teams: list[Team],
    players: list[Player],
    schedule: list[list[ScheduledGame]],
    *,
    late_line_share: float,
    vig: float,
    market_rng: np.random.Generator,
) -> SeasonRecords:
    """Play every scheduled day in order."""
    season = _Season(
        rng, teams, players, late_line_share=late_line_share, vig=vig, market_rng=market_rng
    )
    for games in schedule:
        season.play_day(games)
    return season.records


class _Season:
    def __init__(
        self,
        rng: np.random.Generator,
        teams: list[Team],
        players: list[Player],
        *,
        late_line_share: float,
        vig: float,
        market_rng: np.random.Generator,
    ) -> None:
        self.rng = rng
        self.market_rng = market_rng
        self.teams = teams
        self.players = players
        self.late_line_share = late_line_share
        self.arrays = RosterArrays.of(players)
        self.roster = [
            np.array([p.index for p in players if p.team_index == team.index]) for team in teams
        ]
        self.injuries = InjuryState(len(players))
        self.books = Bookmakers(market_rng, player_count=len(players), vig=vig)
        self.last_game_date: dict[int, date] = {}
        self.records = SeasonRecords()

    def play_day(self, games: list[ScheduledGame]) -> None:
        if not games:
            return
        late = bool(self.market_rng.random() < self.late_line_share)
        if late:
            self.records.late_line_dates.append(games[0].game_date)
        for game in games:
            self.play_game(game, late_lines=late)

    def play_game(self, game: ScheduledGame, *, late_lines: bool) -> None:
        game_index = len(self.records.games)
        self.records.games.append(game)
        sides = ((game.home, game.away), (game.away, game.home))
        yesterday = game.game_date - timedelta(days=1)
        back_to_back = {team: self.last_game_date.get(team) == yesterday for team, _ in sides}
        availability = {
            team: self.injuries.before_game(
                self.rng,
                [self.players[i] for i in self.roster[team]],
                game,
                back_to_back=back_to_back[team],
            )
            for team, _ in sides
        }
        self.record_injury_reports(game, availability)
        pace = (self.teams[game.home].pace + self.teams[game.away].pace) / 2

        def expectation(
            team: int, known_out: set[int]
        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            opponent = game.away if team == game.home else game.home
            factors = context_factors(
                self.teams[team],
                self.teams[opponent],
                pace=pace,
                is_home=team == game.home,
                back_to_back=back_to_back[team],
            )
            minutes, expected = expected_stats(self.arrays, self.roster[team], known_out, factors)
            return self.roster[team], minutes, expected

        for part in self.books.post(game, availability, expectation, late=late_lines):
            self.records.line_parts.append(
                {**part, "game": np.full(len(part["player"]), game_index)}
            )
        realized_pace = pace * self.rng.lognormal(0.0, 0.02)
        boxes = {}
        for team, opponent in sides:
            factors = context_factors(
                self.teams[team],
                self.teams[opponent],
                pace=realized_pace,
                is_home=team == game.home,
                back_to_back=back_to_back[team],
            )
            playing = np.array([i for i in self.roster[team] if availability[team][i].plays])
            boxes[team], hurt = play_side(
                self.rng, self.arrays, playing, factors, back_to_back=back_to_back[team]
            )
            for index in hurt:
                self.injuries.hurt_in_game(self.rng, int(index))
        self.record_game(game, boxes)
        for team, _ in sides:
            self.last_game_date[team] = game.game_date

    def record_injury_reports(
        self, game: ScheduledGame, availability: dict[int, dict[int, Availability]]
    ) -> None:
        for team, entries in availability.items():
            for index, entry in entries.items():
                for status, reason, reported_at in entry.reports:
                    self.records.injury_rows.append(
                        {
                            "game_date": game.game_date,
                            "team": self.teams[team].tricode,
                            "player": self.players[index].name,
                            "status": status,
                            "reason": reason,
                            "reported_at": reported_at,
                        }
                    )

    def record_game(self, game: ScheduledGame, boxes: dict[int, dict[str, np.ndarray]]) -> None:
        points = {
            team: int((2 * box["fgm"] + box["fg3m"] + box["ftm"]).sum())
            for team, box in boxes.items()
        }
        if points[game.home] == points[game.away]:
            # No ties in basketball: the team that wins the "overtime" gets one more free throw.
            team = game.home if self.rng.random() < 0.5 else game.away
            top = int(np.argmax(boxes[team]["minutes"]))
            boxes[team]["ftm"][top] += 1
            boxes[team]["fta"][top] += 1
            points[team] += 1
        for team, opponent in ((game.home, game.away), (game.away, game.home)):
            box = boxes[team]
            margin = points[team] - points[opponent]
            is_home = team == game.home
            tricode, opponent_tricode = self.teams[team].tricode, self.teams[opponent].tricode
            matchup = (
                f"{tricode} vs. {opponent_tricode}"
                if is_home
                else f"{tricode} @ {opponent_tricode}"
            )
            result = "W" if margin > 0 else "L"
            self.records.team_rows.append(
                {
                    "game": game,
                    "team": self.teams[team],
                    "matchup": matchup,
                    "result": result,
                    "minutes": int(box["minutes"].sum()),
                    "pts": points[team],
                    "plus_minus": margin,
                    **{key: int(box[key].sum()) for key in _SHOOTING},
                }
            )
            plus_minus = np.round(
                margin * box["minutes"] / 48 + self.rng.normal(0, 4, len(box["player"]))
            )
            for k, index in enumerate(box["player"]):
                self.records.player_rows.append(
                    {
                        "player": self.players[index],
                        "game": game,
                        "matchup": matchup,
                        "result": result,
                        "opponent": opponent_tricode,
                        "is_home": is_home,
                        "minutes": int(box["minutes"][k]),
                        "pts": int(2 * box["fgm"][k] + box["fg3m"][k] + box["ftm"][k]),
                        "plus_minus": int(plus_minus[k]),
                        **{key: int(box[key][k]) for key in _SHOOTING},
                    }
                )
