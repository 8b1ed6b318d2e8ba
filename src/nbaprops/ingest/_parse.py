"""Turning a file's lines into table rows and quarantine entries, one line at a time."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from nbaprops.ingest._derive import Derivation, derive
from nbaprops.ingest._fields import RowError
from nbaprops.ingest._source import Record, SourceFile

TableRow = dict[str, Any]
RowParser = Callable[[Mapping[str, str]], TableRow]


@dataclass(frozen=True)
class Quarantined:
    """A line that did not load: where, which column (None for the whole line) and why."""

    line_number: int
    field: str | None
    reason: str
    raw_line: str


@dataclass(frozen=True)
class ParseContext:
    """What a parser may know beyond its file."""

    source_key: str
    schedule: frozenset[tuple[date, str, str]] = frozenset()  # (game_date, home, away) loaded
    derivations: tuple[Derivation, ...] = ()  # needed columns the file lacks, computed per row


@dataclass
class Parsed:
    """A parsed file: rows per target table, the lines quarantined, and how many lines loaded."""

    rows: dict[str, list[TableRow]] = field(default_factory=dict)
    quarantined: list[Quarantined] = field(default_factory=list)
    lines_loaded: int = 0
    game_dates_corrected: int = 0


@dataclass
class Line:
    """One parsed line on its way to a table."""

    record: Record
    row: TableRow


def parse_lines(
    source: SourceFile, parse_row: RowParser, context: ParseContext
) -> tuple[list[Line], list[Quarantined]]:
    """Parse every data line, derived columns filled in; lines with the wrong field count or a
    bad value are quarantined."""
    header = source.header
    width = len(header)
    good: list[Line] = []
    bad: list[Quarantined] = []
    for record in source.records:
        if record.problem is not None:
            bad.append(Quarantined(record.line_number, None, record.problem, record.raw_line))
            continue
        if len(record.fields) != width:
            bad.append(Quarantined(
                record.line_number, None,
                f"the line has {len(record.fields)} fields where the header has {width}",
                record.raw_line,
            ))
            continue
        try:
            row = parse_row(derive(dict(zip(header, record.fields, strict=True)),
                                   context.derivations))
        except RowError as e:
            bad.append(Quarantined(record.line_number, e.field, e.reason, record.raw_line))
            continue
        row["source_key"] = context.source_key
        row["source_line"] = record.line_number
        good.append(Line(record, row))
    return good, bad


def drop_repeats(
    lines: Iterable[Line], key: Callable[[TableRow], Hashable], *, field: str | None, what: str
) -> tuple[list[Line], list[Quarantined]]:
    """Keep the first line of each key; later ones are quarantined as repeats of it."""
    first_line: dict[Hashable, int] = {}
    kept: list[Line] = []
    repeats: list[Quarantined] = []
    for line in lines:
        k = key(line.row)
        if k in first_line:
            repeats.append(Quarantined(
                line.record.line_number, field, f"repeats line {first_line[k]} ({what})",
                line.record.raw_line,
            ))
            continue
        first_line[k] = line.record.line_number
        kept.append(line)
    return kept, repeats


def without_source(row: TableRow) -> tuple[Any, ...]:
    """A row's values apart from where it came from, to spot repeated lines."""
    return tuple(v for k, v in row.items() if k not in ("source_key", "source_line"))
