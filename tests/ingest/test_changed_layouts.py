"""Real files with a changed layout: columns added, reordered and dropped still load the same
rows, or fail naming the missing column and the layout. Reshaped copies live in memory or in
tmp_path only; the shared files are never copied into the project."""

from __future__ import annotations

import csv
import gzip
import io
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from nbaprops.cli.main import app
from nbaprops.errors import IngestError
from nbaprops.ingest import FORMATS, ingest_file
from nbaprops.ingest._ingest import parse_source
from nbaprops.ingest._parse import Parsed
from nbaprops.warehouse import Warehouse

TEAM_LOG_2024_25 = "2024-25/team_game_logs.csv.gz"
SAMPLES = {
    # shared file                                                        data lines kept
    TEAM_LOG_2024_25: None,  # all 2,802: 22 lines are quarantined
    "2023-24/team_game_logs.csv.gz": None,
    "2024-25/player_game_logs.csv.gz": 400,
    "2023-24/player_boxscores.csv.gz": 400,
    "2024-25/props_player_pra.csv.gz": 400,
    "2024-25/props_player_threes/props_2024-11-23_player_threes.csv.gz": None,
}
# needed columns a file may leave out, and the columns each is derived from
DERIVED = {
    "nbac_team_game_log": {"SEASON_ID": {"GAME_ID", "GAME_DATE"}, "PTS": {"FGM", "FG3M", "FTM"},
                           "REB": {"OREB", "DREB"}, "GAME_DATE": {"GAME_DATE_EST"}},
    "player_game_log": {"pts": {"fgm", "threes_made", "ftm"}, "reb": {"oreb", "dreb"}},
    "boxscore_export": {"Points": {"FGM", "3PM", "FTM"}, "REB": {"OREB", "DREB"}},
}
# optional columns whose values load: the table column is NULL (or another source's) without them
FEEDS = {"player_id": "player_id", "plus_minus": "plus_minus", "+/-": "plus_minus",
         "bookmaker_last_update": "snapshot_utc", "market_last_update": "snapshot_utc"}
EXTRA = st.from_regex(r"x_[a-z]{1,6}", fullmatch=True)  # never a column of any layout


Table = tuple[list[str], list[list[str]]]


def _read(path: Path, keep: int | None) -> Table:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows[:keep] if keep else rows


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def _reshape(table: Table, columns: list[str], extra: dict[str, str]) -> bytes:
    """The table with only `columns`, in that order; extra columns hold their given value."""
    header, rows = table
    index = {name: i for i, name in enumerate(header)}
    return _csv(columns, [[row[index[c]] if c in index else extra[c] for c in columns]
                          for row in rows])


@pytest.fixture(scope="module")
def samples(shared_data: Path) -> dict[str, tuple[Table, str, Parsed]]:
    """Each sample file's table, layout and parsed rows as shipped."""
    found = {}
    for name, keep in SAMPLES.items():
        table = _read(shared_data / name, keep)
        match, parsed = parse_source(Path("/tmp/shipped.csv"), _csv(*table))
        assert len(table[1]) == parsed.lines_loaded + len(parsed.quarantined), name
        found[name] = (table, match.format.name, parsed)
    return found


def _comparable(parsed: Parsed, dropped: set[str]) -> dict[str, list[dict[str, Any]]]:
    skip = {"source_key", *(FEEDS[c] for c in dropped if c in FEEDS)}
    return {table: sorted(({k: v for k, v in row.items() if k not in skip} for row in rows),
                          key=lambda row: (row.get("source_line", 0), str(row)))
            for table, rows in parsed.rows.items()}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_added_reordered_and_dropped_columns(
    samples: dict[str, tuple[Table, str, Parsed]], data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from(sorted(samples)), label="file")
    table, format_name, shipped = samples[name]
    header = table[0]
    derivable = sorted(set(DERIVED.get(format_name, {})) & set(header))
    dropped = data.draw(st.sets(st.sampled_from(header), max_size=2), label="dropped")
    if derivable:  # derivable columns often, so that derivation is exercised
        dropped |= data.draw(st.sets(st.sampled_from(derivable)), label="dropped derivable")
    extras = data.draw(st.dictionaries(EXTRA, st.text(",\" ab1", max_size=5), max_size=3),
                       label="extra columns")
    columns = data.draw(st.permutations([c for c in header if c not in dropped] + list(extras)),
                        label="columns")
    text = _reshape(table, columns, extras)
    layout, sources = FORMATS[format_name], DERIVED.get(format_name, {})
    derived = {c for c in layout.required & dropped if c in sources and sources[c] <= set(columns)}
    missing = sorted(layout.required & dropped - derived)
    if missing:
        with pytest.raises(IngestError) as raised:
            parse_source(Path("/tmp/reshaped.csv"), text)
        message = str(raised.value)
        assert f"lacks the column(s) {', '.join(missing)} that the layout {format_name} needs" in (
            message)
        return
    match, parsed = parse_source(Path("/tmp/reshaped.csv"), text)
    assert match.format.name == format_name
    assert match.extra_columns == tuple(c for c in columns if c in extras)
    assert set(match.derived_columns) == derived
    assert _comparable(parsed, dropped) == _comparable(shipped, dropped)
    assert [(q.line_number, q.field) for q in parsed.quarantined] == [
        (q.line_number, q.field) for q in shipped.quarantined]


def scraped_team_log(shared_data: Path, folder: Path, *, dropped: tuple[str, ...] = ()) -> Path:
    """The 2024-25 team log as a scraper saved it: no SEASON, its own date columns appended
    (`scraped_at`, nba.com's `GAME_DATE_EST`), minus `dropped`; gzipped like the shared file."""
    header, rows = _read(shared_data / TEAM_LOG_2024_25, None)
    date = header.index("GAME_DATE")
    stamped = [[*row, "2025-06-23T04:12:09Z", f"{row[date]}T00:00:00"] for row in rows]
    table = ([*header, "scraped_at", "GAME_DATE_EST"], stamped)
    columns = [c for c in table[0] if c not in {"SEASON", *dropped}]
    path = folder / "nbacom_team_game_log_2024-25.csv.gz"
    path.write_bytes(gzip.compress(_reshape(table, columns, {})))
    return path


SCRAPED = [
    # dropped besides SEASON     derived columns
    ((), []),
    (("GAME_DATE",), ["GAME_DATE"]),  # from GAME_DATE_EST
    (("GAME_DATE", "SEASON_ID", "PTS"), ["GAME_DATE", "SEASON_ID", "PTS"]),
]


@pytest.mark.parametrize(("dropped", "derived"), SCRAPED)
def test_scraped_team_log_loads_like_the_shipped_one(
    shared_data: Path, samples: dict[str, tuple[Table, str, Parsed]], warehouse: Warehouse,
    tmp_path: Path, dropped: tuple[str, ...], derived: list[str],
) -> None:
    path = scraped_team_log(shared_data, tmp_path, dropped=dropped)
    report = ingest_file(warehouse, path)
    assert (report.status, report.format, report.rows_loaded, report.rows_quarantined) == (
        "loaded", "nbac_team_game_log", 2780, 22)
    assert (report.extra_columns, report.derived_columns) == (["scraped_at"] if dropped else [
        "scraped_at", "GAME_DATE_EST"], derived)
    shipped = samples[TEAM_LOG_2024_25][2]
    loaded = warehouse.query(
        "SELECT * EXCLUDE (source_key) FROM nba_raw.history_team_boxscores ORDER BY source_line")
    assert loaded == _comparable(shipped, set())["nba_raw.history_team_boxscores"]
    assert warehouse.scalar("SELECT count(*) FROM nba_raw.history_games") == len(
        shipped.rows["nba_raw.history_games"])


def test_scraped_team_log_without_game_id_fails_naming_it(
    shared_data: Path, warehouse: Warehouse, tmp_path: Path
) -> None:
    path = scraped_team_log(shared_data, tmp_path, dropped=("GAME_ID",))
    with pytest.raises(IngestError, match=re.escape(
            f"{path} cannot be ingested: The header lacks the column(s) GAME_ID that the layout "
            "nbac_team_game_log needs; it resembles nbac_team_game_log most (22 of its 23 needed "
            "columns are there).")):
        ingest_file(warehouse, path)
    assert warehouse.scalar("SELECT count(*) FROM nba_raw.ingested_files") == 0


def test_ingest_report_lists_the_scraper_columns(shared_data: Path, tmp_path: Path) -> None:
    path = scraped_team_log(shared_data, tmp_path)
    result = CliRunner().invoke(app, ["--home", str(tmp_path / "home"), "ingest", str(path)],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert (f"{path.name}: extra columns ignored: scraped_at, GAME_DATE_EST"
            in result.stdout)
    assert f"Quarantined in {path.name}: 5 of 22" in result.stdout
