"""Property tests: corrupted CSV files never crash ingest and every line is accounted for."""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.ingest.samples import (
    EVENT_PROPS_HEADER,
    EVENT_PROPS_ROW,
    EXPORT_HEADER,
    EXPORT_ROW,
    INJURY_HEADER,
    INJURY_ROW,
    MULTI_MARKET_HEADER,
    MULTI_MARKET_ROW,
    PLAYER_LOG_HEADER,
    PLAYER_LOG_ROW,
    SNAPSHOT_HEADER_UPDATES_SWAPPED,
    SNAPSHOT_ROW,
    TEAM_LOG_HEADER,
    TEAM_LOG_ROW,
    line,
)

from nbaprops.errors import IngestError
from nbaprops.ingest import FORMATS, ingest_file
from nbaprops.ingest._ingest import parse_source
from nbaprops.warehouse import Warehouse

PLAYERS = ["Jalen Duren", "Luka Dončić", "Nic Claxton", "P.J. Washington"]
TEAMS = [("IND", "OKC"), ("MIL", "ATL"), ("NYK", "MIN")]
NAMES = [("Indiana Pacers", "Oklahoma City Thunder"), ("LA Clippers", "Utah Jazz")]


def _clean_files() -> dict[str, tuple[str, list[str]]]:
    team_lines = []
    for number, (away, home) in enumerate(TEAMS, start=1):
        game = {"GAME_ID": f"00224000{number:02d}", "GAME_DATE": f"2024-11-0{number}"}
        team_lines.append(line(TEAM_LOG_HEADER, TEAM_LOG_ROW, **game, TEAM_ABBREVIATION=away,
                               MATCHUP=f"{away} @ {home}"))
        team_lines.append(line(TEAM_LOG_HEADER, TEAM_LOG_ROW, **game, TEAM_ABBREVIATION=home,
                               MATCHUP=f"{home} vs. {away}"))
    return {
        "nbac_team_game_log": (TEAM_LOG_HEADER, team_lines),
        "player_game_log": (PLAYER_LOG_HEADER, [
            line(PLAYER_LOG_HEADER, PLAYER_LOG_ROW, player=p, player_id=str(i))
            for i, p in enumerate(PLAYERS)]),
        "boxscore_export": (EXPORT_HEADER, [
            line(EXPORT_HEADER, EXPORT_ROW, Player=p) for p in PLAYERS]),
        "odds_player_snapshot": (SNAPSHOT_HEADER_UPDATES_SWAPPED, [
            line(SNAPSHOT_HEADER_UPDATES_SWAPPED, SNAPSHOT_ROW, player=p) for p in PLAYERS]),
        "odds_event_props": (EVENT_PROPS_HEADER, [
            line(EVENT_PROPS_HEADER, EVENT_PROPS_ROW, player_name=p, home_team=h, away_team=a)
            for p in PLAYERS for h, a in NAMES]),
        "odds_multi_market": (MULTI_MARKET_HEADER, [
            line(MULTI_MARKET_HEADER, MULTI_MARKET_ROW, player=p, market=m)
            for p in PLAYERS for m in ("player_points", "player_threes")]),
        "injury_report": (INJURY_HEADER, [
            line(INJURY_HEADER, INJURY_ROW, player=p) for p in PLAYERS]),
    }


CLEAN = _clean_files()
NASTY_VALUES = ["", " ", "-", "-3", "1.5", "abc", "NaN", "inf", "1e999", "99999999999",
                "2024-13-45", "02/30/2024", "0000-01-01", "Seattle SuperSonics", "XYZ @ ABC",
                "Boston Celtics", '"', '""', "a,b", "Dončić", "\t", "9999-12-31T99:00:00Z"]


@st.composite
def corrupted_files(draw: st.DrawFn) -> tuple[str, str]:
    """(format, text): a clean sample file with some of its data lines damaged."""
    format_name = draw(st.sampled_from(sorted(CLEAN)))
    header, lines = CLEAN[format_name]
    lines = list(lines)
    for _ in range(draw(st.integers(0, 6))):
        index = draw(st.integers(0, len(lines) - 1))
        fields = lines[index].split(",")
        kind = draw(st.sampled_from(["value", "drop", "truncate", "insert", "repeat", "blank"]))
        if kind == "value":
            position = draw(st.integers(0, len(fields) - 1))
            fields[position] = draw(st.sampled_from(NASTY_VALUES) | st.text(max_size=8))
            lines[index] = ",".join(fields)
        elif kind == "drop":
            del fields[draw(st.integers(0, len(fields) - 1))]
            lines[index] = ",".join(fields)
        elif kind == "truncate":
            lines[index] = lines[index][:draw(st.integers(0, len(lines[index])))]
        elif kind == "insert":
            at = draw(st.integers(0, len(lines[index])))
            extra = draw(st.sampled_from(['"', ",", "\r", "\n", "\x0c", "é"]))
            lines[index] = lines[index][:at] + extra + lines[index][at:]
        elif kind == "repeat":
            lines.insert(index, lines[index])
        else:
            lines[index] = ""
    return format_name, "\n".join([header, *lines]) + "\n"


def _data_lines(text: str) -> dict[int, str]:
    """Physical lines after the header that are not blank, by line number."""
    physical = list(io.StringIO(text, newline=""))
    return {n: raw.rstrip("\r\n") for n, raw in enumerate(physical, start=1)
            if n > 1 and raw.strip()}


def _loaded_lines(parsed_rows: dict[str, list[dict[str, object]]]) -> list[int]:
    lines: list[int] = []
    for table_rows in parsed_rows.values():
        lines.extend(int(row["source_line"]) for row in table_rows  # type: ignore[call-overload]
                     if "source_line" in row)
    return lines


@settings(max_examples=250, deadline=None)
@given(corrupted_files())
def test_every_line_is_loaded_or_quarantined_once(sample: tuple[str, str]) -> None:
    format_name, text = sample
    found, parsed = parse_source(Path("/tmp/sample.csv"), text.encode())
    assert found.format.name == format_name
    data_lines = _data_lines(text)
    loaded = _loaded_lines(parsed.rows)
    quarantined = [q.line_number for q in parsed.quarantined]
    assert parsed.lines_loaded == len(loaded)
    assert parsed.lines_loaded + len(parsed.quarantined) == len(data_lines)
    assert sorted(loaded + quarantined) == sorted(data_lines)
    header = CLEAN[format_name][0].split(",")
    for q in parsed.quarantined:
        assert q.reason.strip()
        assert q.raw_line == data_lines[q.line_number]
        assert q.field is None or q.field in header


@pytest.fixture(scope="module")
def shared_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warehouse]:
    with Warehouse.open(tmp_path_factory.mktemp("wh") / "warehouse.duckdb") as warehouse:
        yield warehouse


def _stored(warehouse: Warehouse, key: str) -> dict[str, int]:
    tables = ("history_games", "history_team_boxscores", "history_player_boxscores",
              "history_prop_lines", "history_injuries", "quarantine", "ingested_files")
    return {t: warehouse.scalar(f"SELECT count(*) FROM nba_raw.{t} WHERE source_key = ?", [key])
            for t in tables}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sample=corrupted_files(), compressed=st.booleans())
def test_ingested_counts_match_the_warehouse(
    shared_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory,
    sample: tuple[str, str], compressed: bool,
) -> None:
    format_name, text = sample
    folder = tmp_path_factory.mktemp("corrupt")
    path = folder / ("sample.csv.gz" if compressed else "sample.csv")
    data = text.encode()
    path.write_bytes(gzip.compress(data) if compressed else data)
    report = ingest_file(shared_warehouse, path)
    stored = _stored(shared_warehouse, str(path))
    assert report.rows_loaded + report.rows_quarantined == len(_data_lines(text))
    assert stored["quarantine"] == report.rows_quarantined
    assert stored["ingested_files"] == 1
    main_table = {"nbac_team_game_log": "history_team_boxscores",
                  "player_game_log": "history_player_boxscores",
                  "boxscore_export": "history_player_boxscores",
                  "injury_report": "history_injuries"}.get(format_name, "history_prop_lines")
    assert stored[main_table] == report.rows_loaded
    has_rate = FORMATS[format_name].has_prop_lines and report.rows_loaded > 0
    assert (report.match_rate is not None) == has_rate


@st.composite
def damaged_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """(file name, bytes): whole-file damage — header, encoding, compression, random bytes."""
    format_name = draw(st.sampled_from(sorted(CLEAN)))
    header, lines = CLEAN[format_name]
    text = "\n".join([header, *lines]) + "\n"
    kind = draw(st.sampled_from(["header", "bytes", "cut_gzip", "not_gzip", "prefix"]))
    if kind == "header":
        names = header.split(",")
        names[draw(st.integers(0, len(names) - 1))] = draw(st.text(max_size=6))
        return "file.csv", "\n".join([",".join(names), *lines]).encode()
    if kind == "bytes":
        return "file.csv", draw(st.binary(max_size=200))
    if kind == "cut_gzip":
        packed = gzip.compress(text.encode())
        return "file.csv.gz", packed[:draw(st.integers(0, len(packed) - 1))]
    if kind == "not_gzip":
        return "file.csv.gz", text.encode()
    return "file.csv", draw(st.binary(min_size=1, max_size=20)) + text.encode()


@settings(max_examples=60, deadline=None)
@given(damaged_files())
def test_damaged_file_loads_or_fails_without_writing(
    shared_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory,
    sample: tuple[str, bytes],
) -> None:
    name, data = sample
    path = tmp_path_factory.mktemp("damaged") / name
    path.write_bytes(data)
    try:
        report = ingest_file(shared_warehouse, path)
    except IngestError as e:
        assert str(path) in str(e)
        assert set(_stored(shared_warehouse, str(path)).values()) == {0}
    else:
        stored = _stored(shared_warehouse, str(path))
        assert stored["ingested_files"] == 1
        assert stored["quarantine"] == report.rows_quarantined
