"""The synthetic league: a deterministic season written in the real files' layouts.

`generate_league` draws teams, rosters, a schedule and a season of games, injury reports and
prop lines from one seed, and writes them as the four layouts the ingest reads. The same seed
gives the same bytes; a shorter season is a prefix of a longer one with the same seed.

A league can bring its own earlier history: `history_days` game days played from the season's
opening night before its first day, written to the same files, so a demo that starts on the first
day already has the look-back (recent games, rolling form) the prediction systems need.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from nbaprops.config import SyntheticConfig
from nbaprops.errors import ConfigError, SourceError
from nbaprops.ingest import UNCHANGED, FileReport, IngestReport, ingest_paths
from nbaprops.sources.synthetic_files import (
    write_injuries,
    write_player_game_logs,
    write_prop_lines,
    write_team_game_logs,
)
from nbaprops.sources.synthetic_market import MARKET_KEYS
from nbaprops.sources.synthetic_names import ascii_name, without_suffix
from nbaprops.sources.synthetic_roster import Player, make_roster
from nbaprops.sources.synthetic_schedule import make_schedule, season_label
from nbaprops.sources.synthetic_season import simulate_season
from nbaprops.sources.synthetic_teams import make_teams
from nbaprops.warehouse import Warehouse

TEAM_GAME_LOGS_FILE = "team_game_logs.csv.gz"
PLAYER_GAME_LOGS_FILE = "player_game_logs.csv.gz"
PROP_LINES_FILE = "prop_lines.csv.gz"
INJURIES_FILE = "injury_report.csv.gz"
PREPARE_STEPS = 5  # one generation, then one ingest per file


@dataclass(frozen=True)
class SyntheticLeague:
    """What `generate_league` wrote: where, and how much."""

    seed: int
    season: str
    history_start: date  # opening night: the first day of the earlier history, if any
    history_days: int  # days played before first_date
    first_date: date
    last_date: date
    days: int
    teams: int
    players: int
    games: int
    player_box_rows: int
    team_box_rows: int
    prop_line_rows: dict[str, int]  # per Odds API market key
    injury_rows: int
    late_line_dates: tuple[date, ...]
    team_game_logs: Path
    player_game_logs: Path
    prop_lines: Path
    injuries: Path

    @property
    def paths(self) -> list[Path]:
        """The four files: games first, then what joins to them."""
        return [self.team_game_logs, self.player_game_logs, self.prop_lines, self.injuries]

    def to_json(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "season": self.season,
            "history_start": self.history_start.isoformat(),
            "history_days": self.history_days,
            "first_date": self.first_date.isoformat(),
            "last_date": self.last_date.isoformat(),
            "days": self.days,
            "teams": self.teams,
            "players": self.players,
            "games": self.games,
            "player_box_rows": self.player_box_rows,
            "team_box_rows": self.team_box_rows,
            "prop_line_rows": dict(self.prop_line_rows),
            "injury_rows": self.injury_rows,
            "late_line_dates": [d.isoformat() for d in self.late_line_dates],
            "files": [str(path) for path in self.paths],
        }


def generate_league(
    config: SyntheticConfig, *, days: int, out_dir: Path, history_days: int = 0
) -> SyntheticLeague:
    """Play `history_days` days of earlier history from `config.season_start`, then `days` days,
    and write the season's files (history included) to `out_dir`."""
    if days < 1:
        raise SourceError(f"The synthetic league needs days of at least 1, got {days}.")
    if history_days < 0:
        raise SourceError(
            f"The synthetic league needs history_days of at least 0, got {history_days}."
        )
    season_start = _season_start(config.season_start)
    first_date = season_start + timedelta(days=history_days)
    roster_seed, schedule_seed, season_seed, market_seed, names_seed = np.random.SeedSequence(
        config.seed
    ).spawn(5)
    roster_rng = np.random.default_rng(roster_seed)
    teams = make_teams(roster_rng, count=config.teams)
    players = make_roster(roster_rng, teams, players_per_team=config.players_per_team)
    schedule = make_schedule(
        np.random.default_rng(schedule_seed),
        teams,
        season_start=season_start,
        days=history_days + days,
    )
    records = simulate_season(
        np.random.default_rng(season_seed),
        teams,
        players,
        schedule,
        late_line_share=config.late_line_share,
        vig=config.vig,
        market_rng=np.random.default_rng(market_seed),
    )
    season = season_label(season_start)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        name: out_dir / name
        for name in (TEAM_GAME_LOGS_FILE, PLAYER_GAME_LOGS_FILE, PROP_LINES_FILE, INJURIES_FILE)
    }
    team_rows = write_team_game_logs(paths[TEAM_GAME_LOGS_FILE], records, season=season)
    player_rows = write_player_game_logs(paths[PLAYER_GAME_LOGS_FILE], records)
    line_rows = write_prop_lines(
        paths[PROP_LINES_FILE],
        records,
        teams=teams,
        prop_names=_prop_names(np.random.default_rng(names_seed), players),
    )
    injury_rows = write_injuries(paths[INJURIES_FILE], records)
    return SyntheticLeague(
        seed=config.seed,
        season=season,
        history_start=season_start,
        history_days=history_days,
        first_date=first_date,
        last_date=first_date + timedelta(days=days - 1),
        days=days,
        teams=len(teams),
        players=len(players),
        games=len(records.games),
        player_box_rows=player_rows,
        team_box_rows=team_rows,
        prop_line_rows={key: line_rows[key] for key in MARKET_KEYS},
        injury_rows=injury_rows,
        late_line_dates=tuple(records.late_line_dates),
        team_game_logs=paths[TEAM_GAME_LOGS_FILE],
        player_game_logs=paths[PLAYER_GAME_LOGS_FILE],
        prop_lines=paths[PROP_LINES_FILE],
        injuries=paths[INJURIES_FILE],
    )


def _season_start(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as e:
        raise ConfigError(
            f"synthetic.season_start must be a date like 2024-10-22, got {text!r}."
        ) from e


def _prop_names(rng: np.random.Generator, players: list[Player]) -> list[str]:
    """Names as books print them: accents folded, half the suffixed players without suffix."""
    names = []
    for player in players:
        name = ascii_name(player.name)
        if name != without_suffix(name) and rng.random() < 0.5:
            name = without_suffix(name)
        names.append(name)
    return names


@dataclass(frozen=True)
class SyntheticHistory:
    """A generated league and what ingesting its files did."""

    league: SyntheticLeague
    ingest: IngestReport
    generate_seconds: float
    ingest_seconds: float

    @property
    def unchanged(self) -> bool:
        """Every file was already in the warehouse as it is: a rerun with the same seed and days."""
        return all(report.status == UNCHANGED for report in self.ingest.files)


def prepare_synthetic_history(
    warehouse: Warehouse,
    config: SyntheticConfig,
    *,
    days: int,
    out_dir: Path,
    history_days: int = 0,
    on_step: Callable[[str], None] | None = None,
) -> SyntheticHistory:
    """Generate the league into `out_dir` and load it through the same ingest as real files.

    Same seed and days: the files are byte-identical, so a rerun's ingest writes nothing.
    `on_step` is called with a short description after each of the `PREPARE_STEPS` steps.
    """
    started = time.perf_counter()
    league = generate_league(config, days=days, out_dir=out_dir, history_days=history_days)
    generated = time.perf_counter()
    if on_step is not None:
        earlier = f" after {league.history_days} days of history" if league.history_days else ""
        on_step(f"generated {league.games} games over {league.days} days{earlier}")

    def file_done(report: FileReport) -> None:
        if on_step is not None:
            on_step(f"ingested {report.path.name} ({report.status})")

    ingest = ingest_paths(warehouse, league.paths, on_file=file_done)
    return SyntheticHistory(
        league=league,
        ingest=ingest,
        generate_seconds=generated - started,
        ingest_seconds=time.perf_counter() - generated,
    )
