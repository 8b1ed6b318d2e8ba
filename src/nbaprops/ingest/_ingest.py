"""Ingesting files and folders of CSV history into the warehouse."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import suppress
from datetime import UTC, date
from pathlib import Path
from typing import Any

from nbaprops.clock import Clock, SystemClock
from nbaprops.errors import IngestError
from nbaprops.ingest import _formats, _store
from nbaprops.ingest._formats import FORMATS, LayoutMatch, detect_format, match_layout
from nbaprops.ingest._injury_report import parse as parse_injury_report
from nbaprops.ingest._parse import ParseContext, Parsed, Quarantined
from nbaprops.ingest._player_boxscores import parse_export, parse_game_log
from nbaprops.ingest._prop_lines import parse_event_props, parse_multi_market, parse_snapshot
from nbaprops.ingest._report import (
    FAILED,
    LOADED,
    NO_ROWS,
    UNCHANGED,
    WHOLE_LINE,
    FileReport,
    IngestReport,
)
from nbaprops.ingest._source import (
    SourceFile,
    check_readable,
    is_csv_path,
    parse,
    read_bytes,
    read_header,
    sha256_of,
)
from nbaprops.ingest._team_game_log import parse as parse_team_game_log
from nbaprops.warehouse import Warehouse

_PARSERS: dict[str, Callable[[SourceFile, ParseContext], Parsed]] = {
    _formats.TEAM_GAME_LOG: parse_team_game_log,
    _formats.PLAYER_GAME_LOG: parse_game_log,
    _formats.BOXSCORE_EXPORT: parse_export,
    _formats.INJURY_REPORT: parse_injury_report,
    _formats.ODDS_PLAYER_SNAPSHOT: parse_snapshot,
    _formats.ODDS_EVENT_PROPS: parse_event_props,
    _formats.ODDS_MULTI_MARKET: parse_multi_market,
}


def ingest_file(warehouse: Warehouse, path: Path, *, clock: Clock | None = None) -> FileReport:
    """Load one CSV file (all of it or none of it) into the nba_raw history tables.

    The file's rows replace what it loaded before (source_key = its absolute path); an unchanged
    file (same sha256) writes nothing, nor does a file with a header and no rows (reported as
    NO_ROWS). Malformed lines go to nba_raw.quarantine. Raises IngestError, writing nothing,
    when the file cannot be parsed at all.
    """
    path = path.expanduser().resolve()
    source_key = str(path)
    data = read_bytes(path)
    sha256 = sha256_of(data)
    previous = _store.previous_ingest(warehouse, source_key)
    if previous is not None and previous["sha256"] == sha256:
        return _unchanged_report(warehouse, path, previous)
    match, parsed = parse_source(
        path, data, schedule=lambda: _store.loaded_schedule(warehouse))
    format_name = match.format.name
    if parsed.lines_loaded == 0 and not parsed.quarantined:
        return FileReport(
            path=path, status=NO_ROWS, format=format_name,
            extra_columns=list(match.extra_columns), derived_columns=list(match.derived_columns),
            error=f"{path} has a header and no rows; nothing was loaded from it "
                  "(check that the export or download finished).",
        )
    now_utc = (clock or SystemClock()).now().astimezone(UTC).replace(tzinfo=None)
    replaces = FORMATS.get(str(previous["format"])) if previous is not None else None
    _store.write(warehouse, source_key=source_key, format_name=format_name, sha256=sha256,
                 parsed=parsed, replaces=replaces, now_utc=now_utc)
    report = FileReport(
        path=path, status=LOADED, format=format_name, rows_loaded=parsed.lines_loaded,
        rows_quarantined=len(parsed.quarantined),
        game_dates_corrected=parsed.game_dates_corrected,
        extra_columns=list(match.extra_columns), derived_columns=list(match.derived_columns),
    )
    _add_quarantine(report, parsed.quarantined)
    if match.format.has_prop_lines:
        report.match_rate, report.unmatched_players = _store.match_summary(warehouse, source_key)
    return report


def parse_source(
    path: Path,
    data: bytes,
    *,
    schedule: Callable[[], frozenset[tuple[date, str, str]]] = frozenset,
) -> tuple[LayoutMatch, Parsed]:
    """The layout recognised in a file's bytes and its parsed rows; nothing is written.

    `schedule` gives the loaded (game_date, home, away) games, asked only for layouts whose
    dates are checked against it. Raises IngestError when the file cannot be parsed at all.
    """
    path = path.expanduser().resolve()
    source = parse(path, data)
    try:
        match = match_layout(source.header)
    except IngestError as e:
        raise IngestError(f"{path} cannot be ingested: {e}") from e
    format_name = match.format.name
    games = schedule() if format_name == _formats.ODDS_EVENT_PROPS else frozenset()
    context = ParseContext(str(path), schedule=games, derivations=match.derivations)
    return match, _PARSERS[format_name](source, context)


def _add_quarantine(report: FileReport, quarantined: Sequence[Quarantined]) -> None:
    report.quarantined = sorted(quarantined, key=lambda q: q.line_number)
    by_field = Counter(q.field or WHOLE_LINE for q in report.quarantined)
    report.quarantined_by_field = dict(sorted(by_field.items(), key=lambda kv: (-kv[1], kv[0])))


def _unchanged_report(warehouse: Warehouse, path: Path, previous: dict[str, Any]) -> FileReport:
    format_name = str(previous["format"])
    report = FileReport(
        path=path, status=UNCHANGED, format=format_name,
        rows_loaded=int(previous["rows_loaded"]),
        rows_quarantined=int(previous["rows_quarantined"]),
    )
    header = read_header(path)
    if header is not None and format_name in FORMATS:
        with suppress(IngestError):  # it matched when it was loaded; the bytes are the same
            match = match_layout(header)
            report.extra_columns = list(match.extra_columns)
            report.derived_columns = list(match.derived_columns)
    _add_quarantine(report, _store.quarantined_lines(warehouse, str(path)))
    if format_name in FORMATS and FORMATS[format_name].has_prop_lines:
        report.match_rate, report.unmatched_players = _store.match_summary(warehouse, str(path))
    return report


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Files as given and every .csv / .csv.gz below given folders (sorted), without repeats.

    A folder holding no CSV file is kept as itself, so ingesting it fails with a clear message.
    """
    found: list[Path] = []
    for given in paths:
        path = Path(given).expanduser()
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.is_file() and is_csv_path(p))
            found.extend(inside or [path])
        else:
            found.append(path)
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def _unreadable(path: Path) -> FileReport | None:
    """The failed report of a path that cannot be read at all (told without opening it)."""
    try:
        if path.is_dir():
            raise IngestError(f"{path} holds no .csv or .csv.gz file; check the folder.")
        check_readable(path)
    except IngestError as e:
        return FileReport(path=path.expanduser().resolve(), status=FAILED, error=str(e))
    return None


def nothing_to_ingest(paths: Sequence[Path]) -> IngestReport | None:
    """The report of `paths` when none of them holds a file that could be read (missing paths,
    empty folders, files that are no CSV), so no warehouse needs opening; None otherwise."""
    reports = [_unreadable(path) for path in expand_paths(paths)]
    if all(report is not None for report in reports):
        return IngestReport([report for report in reports if report is not None])
    return None


def _load_order(path: Path) -> int:
    header = read_header(path) if path.is_file() and is_csv_path(path) else None
    if header is None:
        return -1
    try:
        return FORMATS[detect_format(header)].load_order
    except IngestError:
        return -1  # it will fail; failing first costs nothing


def ingest_paths(
    warehouse: Warehouse,
    paths: Sequence[Path],
    *,
    on_file: Callable[[FileReport], None] | None = None,
    clock: Clock | None = None,
) -> IngestReport:
    """Ingest files and folders (recursively, .csv and .csv.gz), each file in its own transaction.

    Schedules and box scores load before injuries and prop lines, so prop match rates see the
    box scores of the same call. A file that cannot be parsed is reported as failed and the
    others still load. `on_file` is called after each file, in load order.
    """
    files = expand_paths(paths)
    order = sorted(range(len(files)), key=lambda i: (_load_order(files[i]), i))
    reports: dict[int, FileReport] = {}
    for index in order:
        path = files[index]
        report = _unreadable(path)
        if report is None:
            try:
                report = ingest_file(warehouse, path, clock=clock)
            except IngestError as e:
                report = FileReport(path=path.expanduser().resolve(), status=FAILED, error=str(e))
        reports[index] = report
        if on_file is not None:
            on_file(report)
    return IngestReport([reports[i] for i in range(len(files))])
