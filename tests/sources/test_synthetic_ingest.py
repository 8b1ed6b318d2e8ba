"""The synthetic files load through the same ingest as real files, whole and idempotently."""

from __future__ import annotations

from pathlib import Path

from tests.sources.files import read_rows

from nbaprops.config import SyntheticConfig
from nbaprops.identity import player_lookup
from nbaprops.ingest import LOADED, UNCHANGED, ingest_paths
from nbaprops.sources import SyntheticLeague, prepare_synthetic_history
from nbaprops.sources.synthetic import PREPARE_STEPS
from nbaprops.warehouse import Warehouse


def test_every_row_loads_and_every_prop_player_matches(
    league_warehouse: Warehouse, short_league: SyntheticLeague
) -> None:
    counts = {
        table: league_warehouse.scalar(f"SELECT count(*) FROM nba_raw.{table}")
        for table in (
            "history_games",
            "history_team_boxscores",
            "history_player_boxscores",
            "history_prop_lines",
            "history_injuries",
            "quarantine",
        )
    }
    assert counts == {
        "history_games": short_league.games,
        "history_team_boxscores": short_league.team_box_rows,
        "history_player_boxscores": short_league.player_box_rows,
        "history_prop_lines": sum(short_league.prop_line_rows.values()),
        "history_injuries": short_league.injury_rows,
        "quarantine": 0,
    }
    report = ingest_paths(league_warehouse, short_league.paths)
    assert [file.status for file in report.files] == [UNCHANGED] * 4
    prop_report = next(
        file for file in report.files if file.path == short_league.prop_lines.resolve()
    )
    assert prop_report.match_rate == 1.0


def test_lookups_and_times_survive_ingest(
    league_warehouse: Warehouse, short_league: SyntheticLeague
) -> None:
    names = {row["player"] for row in read_rows(short_league.player_game_logs)}
    stored = {
        row["player_lookup"]
        for row in league_warehouse.query(
            "SELECT DISTINCT player_lookup FROM nba_raw.history_player_boxscores"
        )
    }
    assert stored == {player_lookup(name) for name in names}
    unmatched = league_warehouse.scalar(
        "SELECT count(*) FROM nba_raw.history_prop_lines l WHERE NOT EXISTS (SELECT 1 FROM "
        "nba_raw.history_player_boxscores p WHERE p.player_lookup = l.player_lookup)"
    )
    assert unmatched == 0
    early = league_warehouse.scalar(
        "SELECT count(*) FROM nba_raw.history_prop_lines WHERE snapshot_utc IS NULL "
        "OR tipoff_utc IS NULL OR snapshot_utc >= tipoff_utc"
    )
    assert early == 0
    first_tip = league_warehouse.scalar(
        "SELECT min(tipoff_utc) FROM nba_raw.history_prop_lines WHERE game_date = ?",
        [short_league.first_date],
    )
    assert first_tip.hour >= 16, "tip-offs are stored in UTC (evening US/Eastern)"


def test_prepare_synthetic_history_reports_steps(tmp_path: Path, warehouse: Warehouse) -> None:
    steps: list[str] = []
    config = SyntheticConfig(seed=5)
    history = prepare_synthetic_history(
        warehouse, config, days=3, out_dir=tmp_path / "s", on_step=steps.append
    )
    assert len(steps) == PREPARE_STEPS
    assert steps[0].startswith(f"generated {history.league.games} games over 3 days")
    assert [file.status for file in history.ingest.files] == [LOADED] * 4 and not history.unchanged
    assert history.generate_seconds > 0 and history.ingest_seconds > 0
    again = prepare_synthetic_history(warehouse, config, days=3, out_dir=tmp_path / "s")
    assert [file.status for file in again.ingest.files] == [UNCHANGED] * 4 and again.unchanged
