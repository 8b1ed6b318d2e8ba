"""A season schedule: each team plays about every other day, with back-to-backs, at ET hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from nbaprops.sources.synthetic_teams import Team

EASTERN = ZoneInfo("America/New_York")
_WEEKEND_MATINEE_HOURS_ET = (13.0, 15.5, 18.0)
_MIN_GAMES_A_DAY = 5
_MAX_GAMES_A_DAY = 12


@dataclass(frozen=True)
class ScheduledGame:
    game_id: str
    game_date: date  # US/Eastern date of tip-off
    home: int  # team index
    away: int
    tipoff_utc: datetime  # timezone-aware UTC


def season_label(season_start: date) -> str:
    """'2024-25' for a season starting in the autumn of 2024."""
    first = season_start.year if season_start.month >= 8 else season_start.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


def make_schedule(
    rng: np.random.Generator, teams: list[Team], *, season_start: date, days: int
) -> list[list[ScheduledGame]]:
    """Games of each of `days` consecutive days from `season_start`, one list a day."""
    team_count = len(teams)
    games_played = np.zeros(team_count)
    home_games = np.zeros(team_count)
    meetings = np.zeros((team_count, team_count))
    last_two = [
        np.zeros(team_count, dtype=bool),
        np.zeros(team_count, dtype=bool),
    ]  # [yesterday, day before]
    season_year = int(season_label(season_start)[:4])
    sequence = 0
    schedule: list[list[ScheduledGame]] = []
    for day in range(days):
        game_date = season_start + timedelta(days=day)
        eligible = np.flatnonzero(~(last_two[0] & last_two[1]))
        wanted = int(
            np.clip(round(rng.normal(team_count / 4, team_count / 15)), 1, _MAX_GAMES_A_DAY)
        )
        wanted = min(max(wanted, min(_MIN_GAMES_A_DAY, team_count // 2)), len(eligible) // 2)
        priority = (day + 1) / 2 - games_played + rng.random(team_count) * 0.8 - 1.5 * last_two[0]
        chosen = list(eligible[np.argsort(-priority[eligible], kind="stable")][: 2 * wanted])
        played_today = np.zeros(team_count, dtype=bool)
        today: list[ScheduledGame] = []
        while len(chosen) >= 2:
            team = chosen.pop(0)
            fewest = min(meetings[team, other] for other in chosen)
            candidates = [other for other in chosen if meetings[team, other] == fewest]
            other = candidates[int(rng.integers(len(candidates)))]
            chosen.remove(other)
            if (
                home_games[team] - games_played[team] / 2
                < home_games[other] - games_played[other] / 2
            ):
                home, away = team, other
            elif (
                home_games[team] - games_played[team] / 2
                > home_games[other] - games_played[other] / 2
            ):
                home, away = other, team
            else:
                home, away = (team, other) if rng.random() < 0.5 else (other, team)
            sequence += 1
            today.append(
                ScheduledGame(
                    game_id=f"002{season_year % 100:02d}{sequence:05d}",
                    game_date=game_date,
                    home=int(home),
                    away=int(away),
                    tipoff_utc=_tipoff(rng, teams[home], game_date),
                )
            )
            for side in (home, away):
                games_played[side] += 1
                played_today[side] = True
            home_games[home] += 1
            meetings[home, away] += 1
            meetings[away, home] += 1
        today.sort(key=lambda game: (game.tipoff_utc, game.game_id))
        schedule.append(today)
        last_two = [played_today, last_two[0]]
    return schedule


def _tipoff(rng: np.random.Generator, home: Team, game_date: date) -> datetime:
    if game_date.weekday() >= 5 and rng.random() < 0.3:
        hour = _WEEKEND_MATINEE_HOURS_ET[int(rng.integers(len(_WEEKEND_MATINEE_HOURS_ET)))]
    else:
        hour = home.home_tipoff_hours_et[int(rng.integers(len(home.home_tipoff_hours_et)))]
    local = datetime.combine(
        game_date, time(int(hour), int(round((hour % 1) * 60))), tzinfo=EASTERN
    )
    return local.astimezone(UTC)
