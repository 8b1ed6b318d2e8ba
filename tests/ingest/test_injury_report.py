from datetime import date, datetime
from pathlib import Path

from tests.ingest.samples import INJURY_HEADER, INJURY_ROW, ingest, line, quarantined, rows, write

from nbaprops.warehouse import Warehouse


def injury(**overrides: str) -> str:
    return line(INJURY_HEADER, INJURY_ROW, **overrides)


def test_injury_report_layout(warehouse: Warehouse, tmp_path: Path) -> None:
    path = write(tmp_path / "injuries.csv", INJURY_HEADER, [
        injury(),
        injury(team="Boston Celtics", player="Jaylen Brown", status="Questionable", reason="",
               reported_at="2025-01-10T12:30:00-05:00"),
        injury(player="Kyrie Irving", status="day-to-day"),
        injury(team="Seattle"),
        injury(reported_at="yesterday"),
        injury(),  # a repeat of line 2
    ])
    report = ingest(warehouse, path)
    assert (report.format, report.rows_loaded, report.rows_quarantined) == ("injury_report", 2, 4)
    assert rows(warehouse, "nba_raw.history_injuries", path,
                "game_date, team, player_name, player_lookup, status, reason, reported_utc") == [
        (date(2025, 1, 10), "DAL", "Luka Dončić", "lukadoncic", "out", "Left calf strain",
         datetime(2025, 1, 10, 17, 30)),
        (date(2025, 1, 10), "BOS", "Jaylen Brown", "jaylenbrown", "questionable", None,
         datetime(2025, 1, 10, 17, 30)),
    ]
    assert quarantined(warehouse, path) == [
        (4, "status"), (5, "team"), (6, "reported_at"), (7, "player")]
    reasons = [r["reason"] for r in warehouse.query(
        "SELECT reason FROM nba_raw.quarantine WHERE source_key = ? ORDER BY line_number",
        [str(path)])]
    assert reasons[0] == ("status 'day-to-day' is not one of out, doubtful, questionable, "
                          "probable, available")
    assert reasons[3] == "repeats line 2 (same player, team, game date and report time)"
