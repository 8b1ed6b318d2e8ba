"""The audit's maintained two-column CSV tables, read with errors that name file and row."""

from __future__ import annotations

import csv
from pathlib import Path

from nbaprops.errors import AuditError


def read_pairs(path: Path, *, header: tuple[str, str], table: str) -> list[tuple[int, str, str]]:
    """(row number, first, second) for each row of a CSV whose header is exactly `header`.

    `table` names the table in messages ("the import map").
    """
    rows: list[tuple[int, str, str]] = []
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames != list(header):
                raise AuditError(
                    f"{path} must have the header '{','.join(header)}', "
                    f"not {','.join(reader.fieldnames or [])!r}."
                )
            for row_number, row in enumerate(reader, start=2):
                first, second = ((row[column] or "").strip() for column in header)
                if not first or not second:
                    raise AuditError(
                        f"{path}:{row_number} needs both a value for {header[0]} and one for "
                        f"{header[1]}; fill the row in or delete it."
                    )
                rows.append((row_number, first, second))
    except OSError as e:
        raise AuditError(f"Cannot read {table} {path}: {e.strerror}.") from e
    return rows
